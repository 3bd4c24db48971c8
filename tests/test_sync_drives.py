"""USB sticks offered in the save dialog."""

from ocop_desktop.sync.drives import removable_drives


def test_sticks_under_media_user_are_offered(tmp_path):
    media, run_media = tmp_path / "media", tmp_path / "run-media"
    (media / "hoa" / "USB 16GB").mkdir(parents=True)
    (run_media / "an" / "KINGSTON").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    found = removable_drives((media, run_media, tmp_path / "missing"))
    assert found == [media / "hoa" / "USB 16GB", run_media / "an" / "KINGSTON"]


def test_no_media_folder_means_no_drives(tmp_path):
    assert removable_drives((tmp_path / "none",)) == []
