"""The ``ocop`` command as scripts and officers use it, on real files: in this
process (``tests/cli_run.py``), with a few runs as a shell makes them, for the
exit codes a script sees."""

import hashlib
import json
import subprocess
import sys

import pytest

from tests import cli_run
from tests.conftest import NGA_SON_COMMUNES


def ocop(db, *args, stdin=None, lang=None):
    return cli_run.ocop("--db", db, *(["--lang", lang] if lang else []), *args, stdin=stdin)


def ocop_process(db, *args, stdin=None):
    """``python -m ocop_desktop`` in its own process: the exit code a shell sees."""
    cmd = [sys.executable, "-m", "ocop_desktop", "--db", str(db)]
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, text=True, timeout=120)


def file_hash(path):
    """Checkpoint the WAL so the main file holds everything, then hash it."""
    from tests.key_helpers import connect, dump_lines

    conn = connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dump = "\n".join(dump_lines(conn))
    conn.close()
    return hashlib.sha256(dump.encode()).hexdigest()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "x.sqlite"
    assert ocop(db, "init", "--role", "office", "--office", "401").returncode == 0
    r = ocop(db, "demo", "--products", "500")
    assert r.returncode == 0, r.stderr
    return db


def test_demo_products_are_listed_in_nga_son(demo_db):
    r = ocop(demo_db, "products", "list", "--json")
    assert r.returncode == 0
    rows = json.loads(r.stdout)
    assert len(rows) == 500
    assert {row["commune_code"] for row in rows} <= set(NGA_SON_COMMUNES)
    assert {"id", "name", "producer_id", "product_set", "description"} <= set(rows[0])


def test_search_without_diacritics_finds_mam_tom(demo_db):
    r = ocop(demo_db, "search", "mam tom", "--json")
    names = [row["name"] for row in json.loads(r.stdout)]
    assert names and all(n.startswith("Mắm tôm") for n in names)


def test_add_producer_then_find_it_by_plain_text(demo_db, tmp_path):
    data = {
        "name": "Hợp tác xã Đông Tiến",
        "kind": "hop_tac_xa",
        "commune_code": 16171,
        "address": "Thôn 3",
        "representative": "Mai Văn Tiến",
        "phone": "0912345678",
        "tax_code": "2801234567",
    }
    r = ocop(demo_db, "producers", "add", "--json-file", "-", stdin=json.dumps(data))
    assert r.returncode == 0, r.stderr
    new_id = r.stdout.strip()
    found = json.loads(ocop(demo_db, "search", "dong tien", "--json").stdout)
    assert new_id in [row["id"] for row in found]
    shown = json.loads(ocop(demo_db, "producers", "show", new_id, "--json").stdout)
    assert shown["name"] == "Hợp tác xã Đông Tiến"


def test_recognitions_list_carries_expiry_and_status(demo_db):
    rows = json.loads(ocop(demo_db, "recognitions", "list", "--json").stdout)
    assert rows and {"expiry_date", "status", "decision_no", "stars", "points"} <= set(rows[0])
    assert {r["status"] for r in rows} >= {"valid", "expired"}
    expiring = json.loads(
        ocop(demo_db, "recognitions", "list", "--status", "expiring", "--json").stdout
    )
    assert all(r["status"] == "expiring" for r in expiring)


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (
            {"name": "X", "kind": "hop_tac_xa", "commune_code": 16171, "tax_code": "123"},
            "Mã số thuế",
        ),
        ({"name": "X", "kind": "hop_tac_xa", "commune_code": 99999}, "không có xã/phường"),
        ({"name": "X", "kind": "hop_tac_xa", "commune_code": 4}, "nằm ngoài địa bàn"),
        ("{not json", "JSON"),
    ],
)
def test_bad_input_gives_one_line_exit_1_and_changes_nothing(demo_db, payload, needle):
    before = file_hash(demo_db)
    stdin = payload if isinstance(payload, str) else json.dumps(payload)
    r = ocop(demo_db, "producers", "add", "--json-file", "-", stdin=stdin)
    assert r.returncode == 1
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert file_hash(demo_db) == before


def test_stars_6_is_refused(demo_db):
    product = json.loads(ocop(demo_db, "products", "list", "--json", "--limit", "1").stdout)[0]
    before = file_hash(demo_db)
    r = ocop(
        demo_db,
        "recognitions",
        "add",
        "--json-file",
        "-",
        lang="en",
        stdin=json.dumps(
            {
                "product_id": product["id"],
                "decision_no": "12/QĐ-UBND",
                "decision_date": "2025-01-02",
                "stars": 6,
                "points": 95,
            }
        ),
    )
    assert r.returncode == 1
    assert r.stderr.strip() == "Stars: 6 stars is not allowed; only 3, 4 or 5"
    assert file_hash(demo_db) == before


def test_usage_errors_exit_2(demo_db):
    assert ocop_process(demo_db, "products", "list", "--stars", "9").returncode == 2
    assert ocop(demo_db, "no-such-command").returncode == 2


def test_uninitialised_database_says_so(tmp_path):
    r = ocop_process(tmp_path / "empty.sqlite", "products", "list")
    assert r.returncode == 1
    assert "ocop init" in r.stderr


def test_edit_delete_restore_and_history(demo_db):
    pid = json.loads(ocop(demo_db, "producers", "list", "--json", "--limit", "1").stdout)[0]["id"]
    r = ocop(
        demo_db,
        "producers",
        "edit",
        pid,
        "--json-file",
        "-",
        stdin=json.dumps({"phone": "0911222333"}),
    )
    assert r.returncode == 0 and r.stdout.strip() == "phone"
    hist = json.loads(ocop(demo_db, "history", pid, "--json").stdout)
    assert hist[-1]["field"] == "phone" and hist[-1]["new"] == "0911222333"


def test_check_and_backup(demo_db, tmp_path):
    assert ocop(demo_db, "check").returncode == 0
    out = tmp_path / "copy.sqlite"
    assert ocop(demo_db, "backup", "--out", str(out)).returncode == 0
    # Encrypted: the key is not beside the copy.
    assert ocop(out, "products", "list", "--json").returncode == 1
    from tests.key_helpers import copy_key

    copy_key(demo_db, out)  # as the recovery sheet would give it on another computer
    r = ocop(out, "products", "list", "--json")
    assert len(json.loads(r.stdout)) == 500
