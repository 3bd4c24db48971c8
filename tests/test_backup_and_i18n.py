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
