import json
import re
from pathlib import Path

import pytest

from ocop_desktop import backup, i18n, producers
from ocop_desktop.errors import UserError
from ocop_desktop.paths import resource
from ocop_desktop.store import open_store

PKG = Path(__file__).resolve().parents[1] / "ocop_desktop"


def test_backup_restore_keeps_a_copy_of_the_current_file(office, producer_data, db_path):
    first = producers.add(office, producer_data)
    snap = backup.backup_now(db_path, office.db.conn)
    producers.add(
        office,
        producer_data
        | {"name": "Hộ kinh doanh Lê Văn Bằng", "kind": "ho_kinh_doanh", "tax_code": None},
    )
    office.close()
    kept = backup.restore_from(db_path, snap)
    restored = open_store(db_path)
    assert [p["id"] for p in producers.list_(restored)] == [first]
    restored.close()
    before_restore = open_store(kept)
    assert len(producers.list_(before_restore)) == 2
    before_restore.close()


def test_auto_backup_once_a_day_keeps_ten(office, db_path):
    assert backup.auto_backup(db_path, office.db.conn) is not None
    assert backup.auto_backup(db_path, office.db.conn) is None
    for _ in range(12):
        backup.backup_now(db_path, office.db.conn)
    assert len(backup.list_backups(db_path)) == backup.KEEP


def test_restore_refuses_a_file_that_is_not_a_backup(office, db_path, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\0" * 4096)
    with pytest.raises(UserError):
        backup.restore_from(db_path, junk)


def test_catalogue_entries_have_both_languages():
    for path in resource("translations").glob("*.json"):
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            assert entry.get("vi") and entry.get("en"), f"{path.name}: {key}"


def test_every_message_key_raised_by_the_core_is_translated():
    pattern = re.compile(r"(?:UserError|ValidationError|NotFound)\(\s*\"([a-z_.0-9]+)\"")
    keys = set()
    for path in PKG.rglob("*.py"):
        keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in keys if k not in i18n.catalogue())
    assert keys and missing == []


def test_vietnamese_number_and_date_conventions():
    from datetime import date

    assert i18n.format_number(4845, "vi") == "4.845"
    assert i18n.format_number(12.5, "vi", 1) == "12,5"
    assert i18n.format_number(4845, "en") == "4,845"
    assert i18n.format_date(date(2026, 11, 21), "vi") == "21/11/2026"


def _table_hashes(path) -> dict[str, int]:

    from tests.key_helpers import connect

    conn = connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            n: hash(tuple(sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))))) for n in names
        }
    finally:
        conn.close()


@pytest.mark.parametrize("node_id", [None, "x-node"])
def test_restore_refuses_a_database_that_is_no_node_and_changes_nothing(db_path, tmp_path, node_id):
    """A file with `meta` and `_migrations` but none of the records is no backup."""
    import sqlite3

    from ocop_desktop.migrations import SCHEMA_VERSION
    from ocop_desktop.store import init_node

    init_node(db_path, role="office", office="401").close()
    before = _table_hashes(db_path)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("CREATE TABLE _migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO _migrations VALUES (?, 'x')", [SCHEMA_VERSION])
    if node_id:
        conn.execute("INSERT INTO meta VALUES ('node_id', ?)", [node_id])
    conn.commit()
    conn.close()
    with pytest.raises(UserError) as err:
        backup.restore_from(db_path, other)
    assert err.value.key == "backup.not_a_backup"
    assert _table_hashes(db_path) == before
    assert backup.list_backups(db_path) == []  # nothing to keep: nothing was replaced
    assert not list(db_path.parent.glob("*.restoring*"))


def test_restore_brings_what_the_backup_holds_in_its_wal(db_path, tmp_path):
    import shutil

    from ocop_desktop import producers
    from ocop_desktop.store import init_node, open_store
    from tests.key_helpers import connect, copy_key

    store = init_node(tmp_path / "source.sqlite", role="office", office="401")
    store.db.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the new row stays in the WAL
    producers.add(store, {"name": "HTX Chỉ Trong WAL", "kind": "hop_tac_xa", "commune_code": 16171})
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(store.path, copy)  # the file and its WAL, as a person copies them
    shutil.copyfile(f"{store.path}-wal", f"{copy}-wal")
    store.close()
    copy_key(store.path, copy)
    assert connect(copy).execute("SELECT count(*) FROM producers").fetchone() == (1,)

    copy_key(store.path, db_path)  # a copy of this database's own file, so its key
    init_node(db_path, role="office", office="401").close()
    backup.restore_from(db_path, copy)
    restored = open_store(db_path)
    assert [p["name"] for p in producers.list_(restored)] == ["HTX Chỉ Trong WAL"]
    restored.close()


def test_restore_that_cannot_swap_the_file_keeps_the_database(db_path, tmp_path, monkeypatch):
    """Windows refuses to replace a file another program holds open."""
    from pathlib import Path

    from ocop_desktop.store import init_node

    init_node(db_path, role="office", office="401").close()
    snap = backup.backup_now(db_path)
    before = _table_hashes(db_path)
    real_replace = Path.replace

    def refuse(self, target):
        if Path(target) == db_path:
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(UserError) as err:
        backup.restore_from(db_path, snap)
    assert err.value.key == "backup.restore_failed"
    assert _table_hashes(db_path) == before
    assert not list(db_path.parent.glob("*.restoring*"))


def test_english_counts_of_one_are_singular():
    assert i18n.tr("list.count.products", "en", count="1") == "1 product"
    assert i18n.tr("list.count.products", "en", count="2") == "2 products"
    assert i18n.tr("list.count.producers", "en", count="1") == "1 producer"
    assert i18n.tr("list.count.products", "vi", count="1") == "1 sản phẩm"


def test_restore_leaves_the_backup_s_folder_as_it_was(db_path, tmp_path):
    """SQLite opening the backup where it lies left its -shm there (or could not open
    it at all on a write-protected stick)."""
    from ocop_desktop.store import init_node

    init_node(db_path, role="office", office="401").close()
    stick = tmp_path / "usb"
    stick.mkdir()
    snap = backup.backup_to(db_path, stick / "ocop-backup.sqlite")
    before = sorted(p.name for p in stick.iterdir())
    backup.restore_from(db_path, snap)
    assert sorted(p.name for p in stick.iterdir()) == before
    assert not list(db_path.parent.glob("*.restoring*"))


def test_a_damaged_database_can_still_be_restored_and_is_kept_as_it_was(db_path):
    """The reason to restore, often; the copy kept first failed on the damaged file."""
    from ocop_desktop.store import init_node, open_store

    init_node(db_path, role="office", office="401").close()
    snap = backup.backup_now(db_path)
    with open(db_path, "r+b") as fh:  # the header and first page overwritten
        fh.write(b"\0" * 4096)
    damaged = db_path.read_bytes()
    kept = backup.restore_from(db_path, snap)
    assert kept.read_bytes() == damaged and "damaged" in kept.name
    open_store(db_path).close()
