"""Every page's background work is a job of ``gui.workers``: it runs on the worker
thread over a connection it opened itself, never the window's, and the window's
store catches up with the clock the job moved."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6.QtPdf")

from sqlcipher3 import dbapi2  # noqa: E402

from ocop_desktop import db as dbmod  # noqa: E402
from ocop_desktop.store import Store, StoreKey  # noqa: E402
from tests.gui.test_import_wizard import _office_list  # noqa: E402
from tests.sync_helpers import NGA_SON, fill  # noqa: E402


@pytest.fixture
def opened(monkeypatch):
    """(thread, connection, read-only) of each store a job opens."""
    seen: list[tuple[int, object, bool]] = []
    real = StoreKey.open

    def open_(self: StoreKey, *, readonly: bool = False) -> Store:
        store = real(self, readonly=readonly)
        seen.append((threading.get_ident(), store.db.conn, readonly))
        return store

    monkeypatch.setattr(StoreKey, "open", open_)
    return seen


def _all_own(seen: list, window_store: Store) -> None:
    assert seen
    ui = threading.get_ident()
    for thread, conn, _readonly in seen:
        assert thread != ui
        assert conn is not window_store.db.conn
        with pytest.raises(dbapi2.ProgrammingError):  # closed when the job ended
            conn.execute("SELECT 1")


def _caught_up(store: Store) -> bool:
    """The window's clock is at or past the last version written in the file."""
    return store.clock.last >= (dbmod.get_meta(store.db, "hlc") or "")


def test_a_connection_serves_one_thread(office):
    errors: list[BaseException] = []

    def use() -> None:
        try:
            office.db.execute("SELECT 1").fetchone()
        except BaseException as exc:  # noqa: BLE001 - looked at below
            errors.append(exc)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    assert len(errors) == 1 and isinstance(errors[0], dbapi2.ProgrammingError)


def test_import_wizard_plans_and_imports_on_its_own_connections(qtbot, office, tmp_path, opened):
    from ocop_desktop.gui.import_wizard import ImportWizard

    wizard = ImportWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(_office_list(tmp_path / "ds.xlsx", 3)))
    wizard.next()
    wizard.next()
    assert [r for _t, _c, r in opened] == [True]  # the preview can never write
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.finished, timeout=20000)
    assert wizard.imported
    assert [r for _t, _c, r in opened] == [True, False]
    _all_own(opened, office)
    assert _caught_up(office)


def test_reports_page_writes_on_its_own_connection(qtbot, office, tmp_path, opened):
    from ocop_desktop.gui.pages.reports import ReportsPage

    fill(office, NGA_SON, 3)
    page = ReportsPage(office)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.saved, timeout=60000):
        page.save_excel(tmp_path / "so-lieu.xlsx")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10000)
    assert (tmp_path / "so-lieu.xlsx").exists()
    _all_own(opened, office)
    page.close()


def test_sync_page_exports_on_its_own_connection(qtbot, office, tmp_path, opened, monkeypatch):
    from ocop_desktop.gui.pages.sync import SyncPage

    fill(office, NGA_SON, 2)
    page = SyncPage(office)
    qtbot.addWidget(page)
    monkeypatch.setattr(page, "choose_export_path", lambda name: str(tmp_path / name))
    with qtbot.waitSignal(page.exported, timeout=30_000):
        page.export_button.click()
    _all_own(opened, office)
    assert _caught_up(office)
