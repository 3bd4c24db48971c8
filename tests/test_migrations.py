"""Databases made by earlier schema versions open and upgrade.

``tests/data/schema_v<N>.sqlite`` is a small database written by schema version N
(made with tools/make_schema_fixture.py when version N was current). Every one
must open with today's code, upgrade to the current version, and keep its rows.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest

from ocop_desktop import db as dbmod
from ocop_desktop import producers, products
from ocop_desktop.errors import UserError
from ocop_desktop.migrations import SCHEMA_VERSION
from ocop_desktop.store import open_store

FIXTURES = sorted((Path(__file__).parent / "data").glob("schema_v*.sqlite"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_old_database_opens_and_upgrades(fixture, tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(fixture, path)
    store = open_store(path)
    assert dbmod.schema_version(store.db) == SCHEMA_VERSION
    rows = products.list_(store)
    assert rows and rows[0]["name"] == "Mắm tôm Ba Làng"
    pid = producers.list_(store)[0]["id"]
    producers.edit(store, pid, {"phone": "0912000111"})
    assert dbmod.integrity_check(store.db) == []


def test_there_is_a_fixture_for_every_earlier_version():
    versions = {int(f.stem.removeprefix("schema_v")) for f in FIXTURES}
    assert versions >= set(range(1, SCHEMA_VERSION))


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO _migrations VALUES (?, 'x')", [SCHEMA_VERSION + 1])
    conn.commit()
    conn.close()
    with pytest.raises(UserError) as err:
        dbmod.connect(path)
    assert err.value.key == "db.too_new"


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not a database" * 100)
    with pytest.raises(UserError) as err:
        dbmod.connect(path)
    assert err.value.key == "db.not_a_database"
