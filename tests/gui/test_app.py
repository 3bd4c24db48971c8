"""Starting the app: screenshot mode, one instance per database, no database yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OCOP_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "ocop_desktop.gui.app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("page", ["overview", "products", "evaluations", "settings"])
def test_screenshot_mode_writes_a_png_and_exits_0(sample, tmp_path, page):
    sample.close()
    out = tmp_path / f"{page}.png"
    result = run_app(
        "--db",
        str(sample.path),
        "--page",
        page,
        "--screenshot",
        str(out),
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)


def test_a_second_instance_on_the_same_database_is_refused(sample, tmp_path):
    from ocop_desktop.gui.app import InstanceLock

    lock = InstanceLock(sample.path)
    assert lock.acquire()
    try:
        result = run_app(
            "--db",
            str(sample.path),
            "--lang",
            "en",
            "--screenshot",
            str(tmp_path / "x.png"),
            data_dir=tmp_path / "data",
        )
    finally:
        lock.release()
    assert result.returncode == 1
    assert "already open in another OCOP Desktop window" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_of_a_database_not_set_up_says_so(tmp_path):
    result = run_app(
        "--db",
        str(tmp_path / "none.sqlite"),
        "--lang",
        "en",
        "--screenshot",
        str(tmp_path / "x.png"),
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 1
    assert "is not set up yet" in result.stderr


def test_first_run_setup_makes_an_office_of_a_former_district(qtbot, tmp_path):
    from ocop_desktop.gui.setup_dialog import SetupDialog

    path = tmp_path / "new.sqlite"
    dialog = SetupDialog(path)
    qtbot.addWidget(dialog)
    dialog.district_combo.setCurrentIndex(dialog.district_combo.findData(401))
    dialog.officer_edit.setText("Lê Thị Hoa")
    dialog.create_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    store = dialog.store
    assert store.node.role == "office"
    assert store.node.name == "Huyện Nga Sơn"
    assert store.officer == "Lê Thị Hoa"
    assert 16171 in store.node.area
    store.close()


def test_first_run_setup_with_chosen_communes(qtbot, tmp_path, answers):
    from PySide6.QtCore import Qt

    from ocop_desktop.gui.setup_dialog import SetupDialog

    dialog = SetupDialog(tmp_path / "area.sqlite")
    qtbot.addWidget(dialog)
    dialog.by_communes.setChecked(True)
    dialog.create_button.click()  # nothing chosen yet: a message, no database
    assert answers and answers[-1][0] == "warning"
    assert dialog.store is None
    dialog.commune_filter.setText("ba dinh")
    visible = [
        dialog.commune_list.item(i)
        for i in range(dialog.commune_list.count())
        if not dialog.commune_list.item(i).isHidden()
    ]
    assert [i.text() for i in visible] == ["Xã Ba Đình (Huyện Nga Sơn)"]
    visible[0].setCheckState(Qt.CheckState.Checked)
    dialog.create_button.click()
    assert dialog.store is not None and dialog.store.node.area == frozenset({16171})
    dialog.store.close()


def test_features_of_other_modules_say_they_are_coming(window, answers):
    import importlib.util

    from PySide6.QtWidgets import QLabel

    from ocop_desktop.gui.main_window import ComingPage

    for module, name in (
        ("ocop_desktop.gui.pages.reports", "reports"),
        ("ocop_desktop.gui.pages.sync", "sync"),
    ):
        if importlib.util.find_spec(module) is None:
            page = window.show_page(name)
            assert isinstance(page, ComingPage)
            assert "bản cập nhật tới" in page.findChildren(QLabel)[1].text()
    if importlib.util.find_spec("ocop_desktop.gui.trash") is None:
        window.open_trash()
        assert answers[-1] == ("information", "Thùng rác sẽ có trong bản cập nhật tới.")
    if importlib.util.find_spec("ocop_desktop.gui.import_wizard") is None:
        window.import_spreadsheet()
        assert answers[-1] == ("information", "Nhập từ bảng tính sẽ có trong bản cập nhật tới.")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_setup_dialog_is_translated(qtbot, tmp_path, lang):
    from ocop_desktop import i18n
    from ocop_desktop.gui.setup_dialog import SetupDialog
    from tests.gui.test_language import KEY_LIKE, visible_texts

    i18n.set_language(lang)
    dialog = SetupDialog(tmp_path / "x.sqlite")
    qtbot.addWidget(dialog)
    texts = visible_texts(dialog)
    assert not [t for t in texts if KEY_LIKE.match(t) or t in i18n.catalogue()]
    assert ("Open demo data" in texts) == (lang == "en")
    assert ("Mở dữ liệu mẫu" in texts) == (lang == "vi")


def test_the_garbage_collector_runs_again_after_start_up(qapp, tmp_path, monkeypatch, capsys):
    """Start-up pauses the cyclic collector; no way out of main() leaves it paused."""
    import gc

    from ocop_desktop.gui.app import main

    monkeypatch.setenv("OCOP_DATA_DIR", str(tmp_path / "data"))
    missing = tmp_path / "none.sqlite"
    assert main(["--db", str(missing), "--screenshot", str(tmp_path / "x.png")]) == 1
    assert "none.sqlite" in capsys.readouterr().err
    assert gc.isenabled()


def test_after_start_up_garbage_is_collected_and_the_collector_runs(monkeypatch):
    import gc

    from ocop_desktop.gui import app

    gc.disable()
    gc.freeze()  # as start-up leaves it
    try:

        class Cycle:
            pass

        a, b = Cycle(), Cycle()
        a.other, b.other = b, a
        import weakref

        gone = weakref.ref(a)
        del a, b  # garbage start-up left behind
        gc.freeze()
        gc.enable()
        app._collect_after_start()
        assert gone() is None
    finally:
        gc.unfreeze()
        gc.enable()
