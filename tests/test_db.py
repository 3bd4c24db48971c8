"""The database handle: SQL straight on sqlite3, the sqlite-utils API at first use."""

import subprocess
import sys

from ocop_desktop import producers
from tests.conftest import NGA_SON_COMMUNES


def test_opening_a_database_runs_sql_without_loading_sqlite_utils(office, db_path):
    office.close()
    code = (
        "import sys; from ocop_desktop.store import open_store;"
        f"s = open_store({str(db_path)!r});"
        "n = s.db.execute('SELECT count(*) FROM producers').fetchone()[0];"
        "print(n, 'sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


def test_the_sqlite_utils_api_works_on_the_same_connection(office):
    producers.add(
        office,
        {"name": "HTX Cói Nga Sơn", "kind": "hop_tac_xa", "commune_code": NGA_SON_COMMUNES[0]},
    )
    assert office.db["producers"].count == 1
    [row] = office.db["producers"].rows_where(select="name")
    assert row == {"name": "HTX Cói Nga Sơn"}
    assert "producers" in office.db.table_names()
    assert office.db.utils.conn is office.db.conn
    with_params = office.db.execute("SELECT ? || ?", ["a", "b"]).fetchone()[0]
    assert with_params == "ab"
