"""The smaller sync faults (item 9 of the sync issue), each on real files: a
conflict settled at one node closes everywhere, a failed export leaves no
bundle behind, and a damaged database is reported in one line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from ocop_desktop import producers
from ocop_desktop.db import open_connection, sqlite3
from ocop_desktop.sync import conflicts, export_bundle, import_bundle
from tests.sync_helpers import NGA_SON, fill, make_office, make_province

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_a_conflict_resolved_at_the_office_closes_at_the_province(tmp_path, keep):
    prov, a = make_province(tmp_path), make_office(tmp_path, NGA_SON)
    pid = fill(a, NGA_SON, 1)[0]
    producer = a.db.execute("SELECT producer_id FROM products WHERE id = ?", [pid]).fetchone()[0]
    import_bundle(prov, export_bundle(a, tmp_path / "1.zip").path, trust_new=True)
    import_bundle(a, export_bundle(prov, tmp_path / "2.zip", to=NGA_SON).path, trust_new=True)
    # Both change the same producer before hearing of the other.
    producers.edit(a, producer, {"phone": "0911111111"})
    time.sleep(0.01)
    producers.edit(prov, producer, {"phone": "0922222222"})
    import_bundle(prov, export_bundle(a, tmp_path / "3.zip").path)
    import_bundle(a, export_bundle(prov, tmp_path / "4.zip", to=NGA_SON).path)
    assert conflicts.count_open(prov) == 1 and conflicts.count_open(a) == 1
    [c] = conflicts.list_(a)
    conflicts.resolve(a, c["id"], keep)
    import_bundle(prov, export_bundle(a, tmp_path / "5.zip").path)
    assert conflicts.count_open(prov) == 0
    assert [r["resolution"] for r in conflicts.list_(prov, include_resolved=True)] == ["elsewhere"]
    import_bundle(a, export_bundle(prov, tmp_path / "6.zip", to=NGA_SON).path)
    assert producers.get(a, producer)["phone"] == producers.get(prov, producer)["phone"]
    assert conflicts.count_open(a) == 0
    prov.close()
    a.close()


def test_a_failed_export_leaves_no_bundle(tmp_path):
    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 3)
    a.db.execute("PRAGMA busy_timeout = 100")
    other = open_connection(a.path)  # with the node's key, as another program would
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(sqlite3.OperationalError):
        export_bundle(a, out / "bundle.zip")
    other.execute("ROLLBACK")
    other.close()
    assert list(out.iterdir()) == []  # neither the bundle nor a part of it
    assert a.db.execute("SELECT count(*) FROM sync_log").fetchone()[0] == 0
    result = export_bundle(a, out / "bundle.zip")  # and it works once the lock is gone
    assert result.path.exists() and result.total == 6
    a.close()


def damaged_copy(store, page: int) -> Path:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(store.path.read_bytes())
    data[4096 * page + 8 : 4096 * page + 4000] = b"\x55" * (4000 - 8)
    store.path.write_bytes(bytes(data))
    return store.path


@pytest.mark.parametrize("page", [1, 3, 10, 100])
def test_ocop_check_on_a_damaged_page_says_so_in_one_line(tmp_path, page):
    """Page 10 and 100: SQLCipher's connection answers "out of memory" or "SQL
    logic error" for every statement after the first page it cannot decrypt."""
    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 300)
    path = damaged_copy(a, page)
    r = subprocess.run(
        [sys.executable, "-m", "ocop_desktop", "--db", str(path), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "MemoryError" not in r.stderr
    if page > 1:  # the first page damaged is a file SQLCipher cannot tell from another
        assert "ocop restore" in r.stderr


@pytest.mark.parametrize("page", [3, 10])
def test_the_app_warns_when_it_opens_a_damaged_database(qtbot, tmp_path, page):
    """The app reads every page once beside its window as it opens a database;
    a damaged one is said in a warning, with the way back."""
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ocop_desktop.gui import app

    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 300)
    path = damaged_copy(a, page)
    window = QWidget()
    qtbot.addWidget(window)
    window.store = SimpleNamespace(path=path)
    app._check_pages(window)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "damaged_warning") is not None)
    text = window.findChild(QMessageBox, "damaged_warning").text()
    assert str(path) in text and "ocop restore" in text


def test_the_app_says_nothing_of_a_whole_database(qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ocop_desktop.gui import app

    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 30)
    window = QWidget()
    qtbot.addWidget(window)
    window.store = a
    app._check_pages(window)
    # Waited for by its state: the job may report before a signal wait could start.
    qtbot.waitUntil(lambda: not window._page_check.running, timeout=10_000)
    assert window.findChild(QMessageBox, "damaged_warning") is None
    a.close()


def test_the_page_check_stops_when_the_app_closes(tmp_path):
    """The app closing stops the read of every page: no answer rather than a
    wrong one, and no wait for the rest of a large file."""
    from ocop_desktop.db import check_file

    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 300)
    path = damaged_copy(a, 10)
    assert check_file(path)  # read to the end: damaged
    assert check_file(path, stop=lambda: True) == []
