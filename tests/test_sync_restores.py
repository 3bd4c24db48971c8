"""Databases that go back in time (a backup restored at the province or at an
office, an old copy put in place) lose no edit: the other side notices and
sends again what was lost, on real bundles, until both hold the same rows."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocop_desktop import attachments, backup, producers, products, recognitions
from ocop_desktop.cli import cli
from ocop_desktop.store import Store, open_store
from ocop_desktop.sync import export_bundle, import_bundle, status
from tests.sync_helpers import (
    NGA_SON,
    add_producer,
    add_product,
    add_recognition,
    make_office,
    make_province,
)


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
    assert a_peer["resent"]["bundles"] == 0  # nothing sent again yet
    w.send("A")  # and the office sends the edit again
    assert notes(w.P, x) == notes(w.A, x)
    assert notes(w.P, x)[1] == "Đã sửa bao bì"
    w.send("P")
    same_rows(w.A, w.P)
    again = status(w.A)["peers"][0]["resent"]
    assert again["bundles"] == 1 and again["rows"] >= 1
    out = CliRunner().invoke(cli, ["--db", str(w.A.path), "sync", "status"])
    assert out.exit_code == 0, out.output
    said = [x for x in out.output.splitlines() if "quay lại trước đây" in x]
    assert said and f"{again['rows']} dòng trong 1 gói" in said[0]
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


# -- scripted scenarios: a decision of the province, an office's own change, and a
# restore at either end, once or twice, with the exchange going on afterwards ------

LOCAL = ("rid", "seq")


def everything(store: Store, table: str) -> dict[str, tuple]:
    """Every column of every row but the node-local ones, by id."""
    cur = store.db.execute(f"SELECT * FROM {table}")
    names = [d[0] for d in cur.description]
    keep = [i for i, n in enumerate(names) if n not in LOCAL]
    at = names.index("id")
    return {r[at]: tuple(r[i] for i in keep) for r in cur.fetchall()}


def held(w: Pair) -> set[tuple[str, str, str]]:
    out = set()
    for s in (w.A, w.P):
        for table in TABLES:
            out |= {(table, i, v) for i, v in s.db.execute(f"SELECT id, version FROM {table}")}
    return out


def assert_converged_without_loss(w: Pair, before: set[tuple[str, str, str]]) -> None:
    """Both nodes hold the same rows, and every version either node held after the
    restore is the converged one, in its history, or kept as a conflict."""
    for table in TABLES:
        assert everything(w.A, table) == everything(w.P, table), table
    kept = set()
    for s in (w.A, w.P):
        for a, b in s.db.execute("SELECT mine_version, theirs_version FROM conflicts"):
            kept |= {a, b}
    for table, rid, version in before:
        final = w.P.db.execute(f"SELECT version FROM {table} WHERE id = ?", [rid]).fetchone()
        assert final is not None, (table, rid)
        in_history = w.P.db.execute(
            "SELECT 1 FROM sync_ancestry WHERE record_id = ? AND version = ?", [rid, version]
        ).fetchone()
        assert version == final[0] or in_history or version in kept, (table, rid, version)


TABLES = ("producers", "products", "recognitions")
CHANGES = ("delete_product", "delete_producer", "delete_decided", "edit", "province_edits")


@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("backup_at", ["start", "after_decision"])
@pytest.mark.parametrize("where", ["P", "A"])
def test_a_decision_a_change_and_a_restore_converge(tmp_path, where, backup_at, change, times):
    """The office backs up; the province records a decision of its own (4 stars)
    and sends it; the office deletes (or edits) one of its records and sends that;
    the province (or the office) goes back to an older backup, once or twice, and
    the exchange goes on. ``province_edits``: the province also changes its
    decision after the backup. Both end with the same rows and every edit still
    held somewhere survives; the province's own decision, sent back by the office
    that kept it, is the province's again, not an office's proposal."""
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    other = add_producer(w.A, "Hợp tác xã Hải Hòa", 16108)
    z = add_product(w.A, other, "Mắm tôm Hậu Lộc")
    w.send("A")
    w.send("P")
    copies = {"A": w.backup("A"), "P": w.backup("P")}
    decision = add_recognition(w.P, x, "12/QĐ-UBND", stars=4)
    w.send("P")
    if backup_at == "after_decision":
        copies = {"A": w.backup("A"), "P": w.backup("P")}
    if change == "province_edits":
        recognitions.edit(w.P, decision, {"notes": "Tỉnh đính chính số quyết định"})
        w.send("P")
    elif change == "delete_product":
        products.delete(w.A, z)
    elif change == "delete_producer":
        products.delete(w.A, z)
        producers.delete(w.A, other)
    elif change == "delete_decided":
        products.delete(w.A, x)  # the product the decision is about
    else:
        products.edit(w.A, z, {"notes": "Đổi bao bì"})
    w.send("A")

    w.restore(where, copies[where])
    if times == 2:
        w.send("A")
        w.send("P")
        w.restore(where, copies[where])
    before = held(w)
    for _ in range(3):
        w.send("A")
        w.send("P")

    assert_converged_without_loss(w, before)
    waiting = set(w.P.db.execute("SELECT table_name, record_id FROM sync_proposals").fetchall())
    if change == "delete_decided":
        # Deleting the product would take the province's decision out of its
        # figures: where the province held the decision when the delete came, the
        # delete waits for it as a proposal (and nothing else does).
        assert waiting <= {("products", x)}
    else:
        assert waiting == set()
    assert w.A.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    if change == "province_edits":
        assert recognitions.get(w.P, decision)["notes"] == "Tỉnh đính chính số quyết định"
    # The side that did not go back says so, and what it sent again.
    other_side = w.A if where == "P" else w.P
    [peer] = status(other_side)["peers"]
    assert peer["restored_at"] is not None
    assert peer["resent"]["bundles"] >= 1 and peer["resent"]["rows"] >= 1
    w.close()


def test_a_decision_made_between_two_restores_comes_back_as_the_provinces(tmp_path):
    """The province restores, works on (a new decision, sent to the office),
    then restores a backup taken after the first restore: the decision the
    office sends back was made after the first restore was noticed, and is the
    province's own all the same."""
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    w.send("A")
    w.send("P")
    first = w.backup("P")
    products.edit(w.A, x, {"notes": "trước lần khôi phục thứ nhất"})
    w.send("A")
    w.send("P")
    w.restore("P", first)
    w.send("A")  # noticed here
    second = w.backup("P")  # a backup of the new history
    time.sleep(1.1)  # the decision is stamped after the first restore was noticed
    decision = add_recognition(w.P, x, "21/QĐ-UBND", stars=4)
    w.send("P")  # the office learns of the restore and gets the decision together
    w.restore("P", second)
    # The office's next bundle sends back what it got since the restore: the
    # decision, in the province's first exchange after its second restore.
    before = held(w)
    for _ in range(3):
        w.send("A")
        w.send("P")
    assert recognitions.get(w.P, decision)["decision_no"] == "21/QĐ-UBND"
    assert w.P.db.execute("SELECT count(*) FROM sync_proposals").fetchone()[0] == 0
    assert_converged_without_loss(w, before)
    w.close()


def province_registers_and_sends(w: Pair) -> tuple[Path, str, str]:
    """After a first exchange the province takes a backup, then registers a producer
    and a product in the office's area and sends them: (backup, producer, product)."""
    w.send("A")
    w.send("P")
    old = w.backup("P")
    pid = add_producer(w.P, "Cơ sở Hương Quê", 16093)
    x = add_product(w.P, pid, "Bánh gai Tứ Trụ")
    w.send("P")
    return old, pid, x


def test_a_product_edited_at_the_office_comes_with_the_producer_the_province_lost(tmp_path):
    """The province registers a producer and a product in the office's area and
    sends them; the office edits the product; the province restores a backup from
    before. The office's next bundle, made before it knows of the restore, carries
    the producer with the product, so the province takes it instead of refusing
    "a record refers to a missing one"."""
    w = Pair(tmp_path)
    old, pid, x = province_registers_and_sends(w)
    products.edit(w.A, x, {"notes": "Đổi nhãn"})
    w.restore("P", old)
    assert pid not in everything(w.P, "producers")
    before = held(w)
    w.send("A")  # refused before: the product's producer was not in it
    assert notes(w.P, x)[1] == "Đổi nhãn"
    assert producers.get(w.P, pid)["name"] == "Cơ sở Hương Quê"
    w.send("P")
    w.send("A")
    assert_converged_without_loss(w, before)
    w.close()


def test_an_acknowledged_producer_travels_again_with_its_new_product(tmp_path):
    """The province acknowledged a producer, then went back to a backup from before
    it: the office's next product of that producer brings the producer along."""
    w = Pair(tmp_path)
    w.send("A")
    w.send("P")
    old = w.backup("P")
    pid = add_producer(w.A, "Hợp tác xã Nông nghiệp Nga Điền", 16093)
    w.send("A")
    w.send("P")  # the office knows the province has the producer
    w.restore("P", old)
    x = add_product(w.A, pid, "Chiếu cói Nga Sơn")
    before = held(w)
    w.send("A")
    assert products.get(w.P, x)["producer_id"] == pid
    w.send("P")
    w.send("A")
    assert_converged_without_loss(w, before)
    w.close()


def test_a_photo_attached_at_the_office_comes_with_the_product_the_province_lost(tmp_path):
    """A photo is added to a product the province made and then lost in a restore:
    it arrives with its product and that product's producer, and opens."""
    from tests.test_attachments import PNG

    w = Pair(tmp_path)
    old, pid, x = province_registers_and_sends(w)
    w.restore("P", old)
    photo = tmp_path / "ảnh bánh gai.png"
    photo.write_bytes(PNG)
    attachments.add(w.A, "products", x, photo)
    before = held(w)
    w.send("A")
    stored = w.P.db.execute(
        "SELECT sha256 FROM attachments WHERE owner_table = 'products' AND owner_id = ?", [x]
    ).fetchone()
    assert stored is not None
    assert attachments.blob_path(w.P, stored[0]).read_bytes() == PNG
    assert products.get(w.P, x)["producer_id"] == pid
    w.send("P")
    w.send("A")
    assert_converged_without_loss(w, before)
    w.close()


def test_after_a_restore_an_export_to_the_stick_keeps_the_bundle_already_there(tmp_path):
    """The restored office numbers its bundles again from the backup's, so its next
    bundle would take the name of one already on the stick, which may be the only
    copy of work the restore took away: that file is kept, the new one gets a free
    name, and the province reads both."""
    w = Pair(tmp_path)
    pid = add_producer(w.A, "Hợp tác xã Đông Tiến", 16093)
    x = add_product(w.A, pid, "Nước mắm Ba Đình")
    w.send("A")
    old = w.backup("A")
    products.edit(w.A, x, {"notes": "Chỉ có trong tệp trên USB"})
    stick = tmp_path / "usb"
    stick.mkdir()
    first = export_bundle(w.A, stick).path
    kept = first.read_bytes()
    w.restore("A", old)
    second = export_bundle(w.A, stick).path
    assert second != first  # …-2.zip (a day later, another date in the name)
    assert first.read_bytes() == kept
    for path in (first, second):
        import_bundle(w.P, path)
    assert notes(w.P, x)[1] == "Chỉ có trong tệp trên USB"
    w.close()
