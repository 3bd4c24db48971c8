"""Databases as documents: the first-run choices, a demo kept apart, New / Open / recent."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocop_desktop.store import init_node, open_store


@pytest.fixture
def small_demo(monkeypatch):
    """The demo button's database, smaller (the same code, fewer products)."""
    monkeypatch.setattr("ocop_desktop.gui.setup_dialog.DEMO_PRODUCTS", 30)


def test_demo_button_keeps_the_choices_and_makes_the_real_database(qtbot, tmp_path, small_demo):
    from ocop_desktop.gui import documents
    from ocop_desktop.gui.app import resolve_db_path
    from ocop_desktop.gui.setup_dialog import SetupDialog

    real = tmp_path / "data" / "ocop.sqlite"
    dialog = SetupDialog(real)
    qtbot.addWidget(dialog)
    dialog.district_combo.setCurrentIndex(dialog.district_combo.findData(402))
    dialog.officer_edit.setText("Lê Thị Hằng")
    dialog.demo_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    demo = dialog.store
    assert demo.is_demo and demo.path == documents.demo_path() != real
    assert demo.officer == "Lê Thị Hằng"  # what was typed, not a made-up name
    assert dialog.created == real
    made = open_store(real)
    assert (made.node.office_code, made.officer, made.is_demo) == ("402", "Lê Thị Hằng", False)
    made.close()
    # as the app does after the dialog: both remembered, the real one opened next time
    documents.remember(dialog.created, demo=False)
    documents.remember(demo.path, demo=True)
    demo.close()
    assert resolve_db_path(None) == real.resolve()
    assert documents.recent()[:2] == [documents.demo_path().resolve(), real.resolve()]


def test_create_makes_a_real_database(qtbot, tmp_path):
    from ocop_desktop.gui.setup_dialog import SetupDialog

    dialog = SetupDialog(tmp_path / "x.sqlite", offer_demo=False, officer="Mai Văn Tiến")
    qtbot.addWidget(dialog)
    assert dialog.demo_button.isHidden()
    dialog.create_button.click()
    assert not dialog.store.is_demo and dialog.store.officer == "Mai Văn Tiến"
    dialog.store.close()


def test_the_setup_dialog_has_no_gap_under_the_district(qtbot, tmp_path):
    from ocop_desktop.gui.setup_dialog import SetupDialog

    dialog = SetupDialog(tmp_path / "x.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    gap = (
        dialog.officer_edit.geometry().top()
        - dialog.district_combo.mapTo(dialog, dialog.district_combo.rect().bottomLeft()).y()
    )
    assert gap < 40  # it was the commune list's height (~200 px) of nothing
    dialog.by_communes.setChecked(True)
    assert dialog.commune_list.isVisible()


def test_the_window_says_demo_in_its_title_and_a_banner(qtbot, tmp_path, answers):
    from ocop_desktop.gui.main_window import MainWindow

    demo = init_node(tmp_path / "demo.sqlite", role="office", office="401", demo=True)
    real = init_node(tmp_path / "real.sqlite", role="office", office="401")
    real.close()
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    assert "DỮ LIỆU MẪU" in window.windowTitle() and "demo.sqlite" in window.windowTitle()
    assert window.demo_banner.isVisible()
    assert window.open_path(tmp_path / "real.sqlite")
    assert window.store.path == (tmp_path / "real.sqlite").resolve()
    assert "MẪU" not in window.windowTitle() and "real.sqlite" in window.windowTitle()
    assert not window.demo_banner.isVisible()
    window.set_language("en")
    assert window.open_path(tmp_path / "demo.sqlite")
    assert "DEMO DATA" in window.windowTitle()
    assert window.demo_banner.isVisible() and "DEMO DATA" in window.demo_banner.text()
    window.store.close()


def test_a_real_database_has_no_banner(window):
    assert window.demo_banner is None or not window.demo_banner.isVisible()
    assert "MẪU" not in window.windowTitle() and window.store.path.name in window.windowTitle()


def test_file_menu_offers_new_open_recent_and_demo(qtbot, window):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    names = [a.objectName() for a in window.findChild(QMenu, "menuFile").actions()]
    assert names[:4] == ["actionNewDatabase", "actionOpenDatabase", "", "actionOpenDemo"]
    assert window.findChild(QAction, "actionOpenDatabase").shortcut().toString() == "Ctrl+O"


def test_open_recent_lists_the_databases_opened(qtbot, tmp_path, window):
    from ocop_desktop.gui import documents

    other = init_node(tmp_path / "other.sqlite", role="province", province=38)
    other.close()
    window.open_path(other.path)
    window.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts[0].startswith("&1 other.sqlite")
    assert documents.recent()[0] == other.path.resolve()
    window.recent_menu.actions()[0].trigger()  # the one open: nothing changes
    assert window.store.node.role == "province"


def test_open_demo_from_the_menu_makes_it_once(qtbot, window, small_demo):
    from ocop_desktop.gui import documents, settings

    real = window.store.path
    assert window.open_demo()
    assert window.store.is_demo and window.store.path == documents.demo_path().resolve()
    assert window.store.officer == "Lê Thị Hoa"
    assert settings.get("last_db") != str(documents.demo_path().resolve())
    made = window.store.node.id  # a demo made again would be a new node
    assert window.switch_to(real)
    assert window.open_demo()
    assert window.store.node.id == made  # opened again, not made again


def test_new_database_never_overwrites_one(qtbot, tmp_path, window, answers, monkeypatch):
    existing = window.store.path
    monkeypatch.setattr("ocop_desktop.gui.file_dialogs.save_path", lambda *a, **k: Path(existing))
    window.new_database()
    assert answers and "đã là một cơ sở dữ liệu" in answers[-1][1]


def test_a_database_open_in_another_window_is_not_opened_twice(qtbot, tmp_path, window, answers):
    from ocop_desktop.gui.app import InstanceLock

    other = init_node(tmp_path / "busy.sqlite", role="office", office="402")
    other.close()
    held = InstanceLock(other.path)
    assert held.acquire()  # as another running app holds it
    try:
        before = window.store.path
        assert not window.open_path(other.path)
        assert window.store.path == before
        assert answers[-1][0] == "warning" and "busy.sqlite" in answers[-1][1]
    finally:
        held.release()
    assert window.open_path(other.path)


def test_the_windows_connection_keeps_the_larger_cache(window, sample):
    from ocop_desktop import db as dbmod

    assert window.store.db.execute("PRAGMA cache_size").fetchone()[0] == dbmod.WINDOW_CACHE_KIB
    assert dbmod.WINDOW_CACHE_KIB < dbmod.CACHE_KIB  # more KiB than other connections
