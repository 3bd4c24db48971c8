"""Databases that go back in time (a backup restored at the province or at an
office, an old copy put in place) lose no edit: the other side notices and
sends again what was lost, on real bundles, until both hold the same rows."""

from __future__ import annotations

import shutil
from pathlib import Path

from ocop_desktop import backup, products
from ocop_desktop.store import Store, open_store
from ocop_desktop.sync import export_bundle, import_bundle, status
from tests.sync_helpers import NGA_SON, add_producer, add_product, make_office, make_province


class Pair:
    """A province and one office, exchanging real bundle files."""

    def __init__(self, folder: Path):
        self.dir = folder
        self.P = make_province(folder)
        self.A = make_office(folder, NGA_SON, "A")
        self.n = 0

    def send(self, sender: str) -> Path:
        self.n += 1
        path = self.dir / f"b{self.n}.zip"
        if sender == "A":
            export_bundle(self.A, path)
            import_bundle(self.P, path, trust_new=True)
        else:
            export_bundle(self.P, path, to=self.A.node.id)
            import_bundle(self.A, path, trust_new=True)
        return path

    def restore(self, who: str, copy: Path) -> Store:
        """Put a backup back with the app's own restore, and reopen the database."""
        store = getattr(self, who)
        path = store.path
        store.close()
        backup.restore_from(path, copy)
        reopened = open_store(path)
        setattr(self, who, reopened)
        return reopened

    def backup(self, who: str) -> Path:
        store = getattr(self, who)
        return backup.backup_now(store.path, store.db.conn, reason="test")

    def close(self) -> None:
        self.P.close()
        self.A.close()


def notes(store: Store, record_id: str) -> tuple[str, str | None]:
    row = store.db.execute(
        "SELECT version, notes FROM products WHERE id = ?", [record_id]
    ).fetchone()
    return row[0], row[1]


def same_rows(a: Store, b: Store) -> None:
    for table in ("producers", "products"):
        mine = a.db.execute(f"SELECT id, version, deleted FROM {table} ORDER BY id").fetchall()
        theirs = b.db.execute(f"SELECT id, version, deleted FROM {table} ORDER BY id").fetchall()
        assert mine == theirs, table


def test_restore_at_the_province_gets_the_edit_again(tmp_path):
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    w.send("A")
    w.send("P")
    old = w.backup("P")
    products.edit(w.A, x, {"notes": "Đã sửa bao bì"})
    w.send("A")
    assert notes(w.P, x)[1] == "Đã sửa bao bì"
    w.send("P")  # the office now knows the province has the edit
    w.restore("P", old)
    assert notes(w.P, x)[1] is None  # the province's copy went back

    w.send("A")  # the office does not know yet: nothing new in this one
    w.send("P")  # the province's bundle says what it holds now
    a_peer = status(w.A)["peers"][0]
    assert a_peer["restored_at"] is not None  # sync status says so
    w.send("A")  # and the office sends the edit again
    assert notes(w.P, x) == notes(w.A, x)
    assert notes(w.P, x)[1] == "Đã sửa bao bì"
    w.send("P")
    same_rows(w.A, w.P)
    w.close()


def test_restore_at_the_office_loses_neither_side(tmp_path):
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    y = add_product(w.A, pid, "Mắm tôm Hậu Lộc")
    w.send("A")
    w.send("P")
    old = w.backup("A")
    products.edit(w.A, x, {"notes": "Sửa trước khi khôi phục"})
    w.send("A")
    edited_x = notes(w.P, x)
    w.restore("A", old)
    products.edit(w.A, y, {"notes": "Sửa sau khi khôi phục"})
    w.send("P")  # the province's bundle arrives at the restored office
    path = w.send("A")  # the office's bundle carries Y
    assert path.stat().st_size > 0
    assert notes(w.P, y)[1] == "Sửa sau khi khôi phục"
    assert status(w.P)["peers"][0]["restored_at"] is not None
    w.send("P")  # the province sends back the edit of X the office lost
    assert notes(w.A, x) == edited_x
    same_rows(w.A, w.P)
    assert w.A.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    w.close()


def test_an_old_copy_put_in_place_by_hand_is_noticed(tmp_path):
    """No restore command: the file itself is replaced by an older copy."""
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    w.send("A")
    w.send("P")
    w.A.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.sqlite"
    shutil.copy(w.A.path, copy)
    products.edit(w.A, x, {"notes": "Bản mới"})
    w.send("A")
    w.send("P")
    path = w.A.path
    w.A.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copy(copy, path)
    w.A = open_store(path)
    assert notes(w.A, x)[1] is None
    w.send("A")
    w.send("P")
    assert notes(w.A, x)[1] == "Bản mới"
    same_rows(w.A, w.P)
    w.close()


def test_a_laptop_restored_with_its_state_is_found_by_the_acknowledgement(tmp_path):
    """A whole-disk image brings back the state file too: the province's
    acknowledgement of changes the office no longer has gives it away."""
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    w.send("A")
    w.send("P")
    w.A.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    image = tmp_path / "image"
    shutil.copytree(w.A.data_dir, image / "d")
    shutil.copy(w.A.path, image / "db.sqlite")
    products.edit(w.A, x, {"notes": "Trước khi cài lại máy"})
    w.send("A")
    path = w.A.path
    w.A.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(Path(str(path) + ".d"))
    shutil.copytree(image / "d", Path(str(path) + ".d"))
    shutil.copy(image / "db.sqlite", path)
    w.A = open_store(path)
    w.send("P")
    w.send("A")
    w.send("P")
    assert notes(w.A, x)[1] == "Trước khi cài lại máy"
    same_rows(w.A, w.P)
    w.close()
