"""Where a frozen app finds its resources and keeps its data (portable mode).

The frozen layout is reproduced with real folders: an executable file, the
marker beside it, a bundle folder as ``sys._MEIPASS``. tools/smoke_frozen.sh
checks the same against the real build.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ocop_desktop import paths


@pytest.fixture
def frozen_exe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen ``ocop`` in a folder on a USB stick; no developer overrides."""
    folder = tmp_path / "usb" / "OCOP-Desktop"
    folder.mkdir(parents=True)
    exe = folder / "ocop"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("OCOP_DATA_DIR", raising=False)
    monkeypatch.delenv("OCOP_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    return exe


def test_marker_beside_the_executable_keeps_the_data_beside_it(frozen_exe: Path) -> None:
    (frozen_exe.parent / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")

    assert paths.data_dir() == frozen_exe.parent / "data"
    assert paths.default_db_path() == frozen_exe.parent / "data" / "ocop.sqlite"
    assert (frozen_exe.parent / "data").is_dir()


def test_without_the_marker_the_data_goes_to_the_user_data_folder(
    frozen_exe: Path, tmp_path: Path
) -> None:
    data = paths.data_dir()

    assert tmp_path / "home" in data.parents
    assert not (frozen_exe.parent / "data").exists()


def test_the_marker_means_nothing_when_running_from_source(
    frozen_exe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (frozen_exe.parent / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", False)

    assert paths.portable_dir() is None


def test_ocop_db_still_wins_in_portable_mode(
    frozen_exe: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (frozen_exe.parent / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setenv("OCOP_DB", str(tmp_path / "elsewhere.sqlite"))

    assert paths.default_db_path() == tmp_path / "elsewhere.sqlite"


def test_a_frozen_app_reads_resources_and_forms_from_its_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "_internal"
    (bundle / "resources").mkdir(parents=True)
    (bundle / "ui").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)

    assert paths.resources_dir() == bundle / "resources"
    assert paths.ui_dir() == bundle / "ui"


def test_the_application_icon_is_shipped_in_every_size_windows_asks_for() -> None:
    from PIL import Image

    icons = Path(__file__).resolve().parent.parent / "resources" / "icons"
    assert (icons / "ocop.svg").read_text(encoding="utf-8").startswith("<svg")
    with Image.open(icons / "ocop.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(icons / "ocop.png") as png:
        assert png.size == (256, 256)
