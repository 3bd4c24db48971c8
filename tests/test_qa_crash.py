"""A full disk and a killed process: one clear line, non-zero exit, database as before.

Real processes, real files: the disk is "full" because the child runs with
RLIMIT_FSIZE just above what the database needs and SIGXFSZ ignored, so every
write beyond it fails with EFBIG as on a full disk.
"""

from __future__ import annotations

import hashlib
import json
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.key_helpers import connect, copy_database

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX limits and signals")


def ocop_cmd(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ocop_desktop", "--db", str(db), *args]


def run(db: Path, *args: str, limit: int | None = None, stdin: str | None = None):
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        ocop_cmd(db, *args),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        preexec_fn=limited if limit is not None else None,
    )


def content(db: Path) -> dict[str, str]:
    """Integrity, then a hash of every table's rows (the WAL folded in first)."""
    conn = connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for t in tables:
            rows = conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
            out[t] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        conn.close()


def count(db: Path, table: str) -> int:
    conn = connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """An office with a little demo data, checkpointed: the file holds everything."""
    db = tmp_path_factory.mktemp("qa-crash") / "seed.sqlite"
    assert run(db, "init", "--role", "office", "--office", "401").returncode == 0
    assert run(db, "demo", "--products", "40", "--seed", "2").returncode == 0
    content(db)
    return db


@pytest.fixture
def db(seeded, tmp_path) -> Path:
    copy = tmp_path / "ocop.sqlite"
    copy_database(seeded, copy)
    return copy


@pytest.fixture(scope="module")
def bundle(seeded, tmp_path_factory) -> Path:
    """A bundle from the seeded office, and a province database that has not seen it."""
    folder = tmp_path_factory.mktemp("qa-bundle")
    office = folder / "office.sqlite"
    copy_database(seeded, office)
    r = run(office, "sync", "export", "--out", str(folder))
    assert r.returncode == 0, r.stderr
    return next(folder.glob("*.zip"))


def _producer_json(tmp_path: Path) -> str:
    path = tmp_path / "p.json"
    data = {"name": "Hợp tác xã Đông Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


COMMANDS = {
    "demo": lambda tmp: ["demo", "--products", "3000", "--seed", "9"],
    "producers add": lambda tmp: ["producers", "add", "--json-file", _producer_json(tmp)],
    "import": lambda tmp: ["import", str(ROOT / "tests/data/ocop_thanhhoa_messy.xlsx")],
    "backup": lambda tmp: ["backup", "--out", str(tmp / "backup.sqlite")],
}


def _assert_one_clear_line(r, lang: str = "vi") -> None:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "rollback" not in r.stderr
    expected = "không ghi được" if lang == "vi" else "cannot write"
    if "backup" not in r.args:
        assert expected in lines[0].lower() or "sao lưu" in lines[0], lines[0]


@pytest.mark.parametrize(
    "name, headroom",
    [(name, 16 * 1024) for name in COMMANDS]
    + [(name, 128 * 1024) for name in ("demo", "import", "backup")],
)
def test_full_disk_leaves_the_database_as_before(db, tmp_path, name, headroom):
    """The limit stops the write at 16 KB (opening fails) or 128 KB (the write fails)."""
    before = content(db)
    args = COMMANDS[name](tmp_path)
    r = run(db, *args, limit=headroom)
    _assert_one_clear_line(r)
    assert content(db) == before
    assert not list(tmp_path.glob("*.part")), "no half-written backup left behind"


@pytest.mark.parametrize("extra", [4096, 64 * 1024])
def test_full_disk_during_a_big_demo_just_above_the_file_size(db, extra):
    """Just above the database's size: the WAL grows past it while the rows go in."""
    before = content(db)
    r = run(db, "demo", "--products", "3000", "--seed", "9", limit=db.stat().st_size + extra)
    _assert_one_clear_line(r)
    assert content(db) == before


def test_full_disk_in_english(db, tmp_path):
    before = content(db)
    r = run(db, "--lang", "en", "demo", "--products", "3000", "--seed", "9", limit=16 * 1024)
    _assert_one_clear_line(r, lang="en")
    assert content(db) == before


def test_full_disk_while_opening_is_not_called_a_broken_database(db):
    """Opening writes too (the WAL): a full disk there is not "not an OCOP database"."""
    before = content(db)
    r = run(db, "producers", "add", "--json-file", "-", limit=1024, stdin="{}")
    _assert_one_clear_line(r)
    assert "không phải cơ sở dữ liệu" not in r.stderr
    assert content(db) == before


def test_full_disk_during_sync_import(seeded, bundle, tmp_path):
    province = tmp_path / "province.sqlite"
    assert run(province, "init", "--role", "province", "--province", "38").returncode == 0
    before = content(province)
    r = run(province, "sync", "import", str(bundle), "--trust-new", limit=16 * 1024)
    _assert_one_clear_line(r)
    assert content(province) == before


# --- killed processes ---------------------------------------------------------------


def _kill_at_random(cmd: list[str], rng: random.Random, latest: float) -> bool:
    """Start ``cmd``, SIGKILL it after a random delay. True when it was killed mid-way."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.3, latest))
    killed = proc.poll() is None
    proc.kill()  # SIGKILL; nothing if it already ended
    proc.wait()
    return killed


@pytest.mark.slow
def test_killed_demo_leaves_the_database_before_or_after(tmp_path):
    db = tmp_path / "ocop.sqlite"
    assert run(db, "init", "--role", "office", "--office", "401").returncode == 0
    rng = random.Random(20000)
    products = 0
    for attempt in range(4):
        before = content(db)
        killed = _kill_at_random(
            ocop_cmd(db, "demo", "--products", "20000", "--seed", str(100 + attempt)), rng, 3.0
        )
        after = content(db)
        n = count(db, "products")
        assert n in (products, products + 20000)
        if n == products:
            assert after == before
        products = n
        assert killed or n == products
    r = run(db, "check")
    assert r.returncode == 0, r.stderr


def _big_sheet(path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_import import make_sheet
    finally:
        sys.path.pop(0)
    make_sheet(path, rows)


@pytest.mark.slow
def test_killed_import_leaves_the_database_before_or_after(tmp_path):
    db = tmp_path / "province.sqlite"
    assert run(db, "init", "--role", "province", "--province", "38").returncode == 0
    sheet = tmp_path / "danh-sach.xlsx"
    _big_sheet(sheet, 5000)
    rng = random.Random(6)
    before = content(db)
    for _ in range(4):
        _kill_at_random(ocop_cmd(db, "import", str(sheet)), rng, 3.5)
        n = count(db, "products")
        assert n in (0, 5000)
        if n == 0:
            assert content(db) == before
        else:
            break  # the import finished before the kill: all of it, nothing half done
    assert run(db, "check").returncode == 0


def test_full_disk_during_restore_keeps_the_database_and_leaves_no_partial_copy(db, tmp_path):
    """The copy of the backup failed half-way and stayed beside the database (and the
    WAL had already been deleted before the copy started)."""
    big = tmp_path / "big-backup.sqlite"
    assert run(big, "init", "--role", "office", "--office", "401").returncode == 0
    assert run(big, "demo", "--products", "3000", "--seed", "5").returncode == 0
    content(big)
    before = content(db)
    limit = db.stat().st_size + 200_000
    assert big.stat().st_size > limit
    r = run(db, "restore", "--yes", str(big), limit=limit)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "khôi phục không thành công" in r.stderr
    assert content(db) == before
    assert not (tmp_path / "ocop.sqlite.restoring").exists()


@pytest.mark.parametrize("extra", [4096, 200_000])
def test_full_disk_during_a_big_import_just_above_the_file_size(tmp_path, extra):
    db = tmp_path / "province.sqlite"
    assert run(db, "init", "--role", "province", "--province", "38").returncode == 0
    sheet = tmp_path / "danh-sach.xlsx"
    _big_sheet(sheet, 2000)
    before = content(db)
    r = run(db, "import", str(sheet), limit=db.stat().st_size + extra)
    _assert_one_clear_line(r)
    assert content(db) == before


def test_full_disk_while_saving_the_import_report_keeps_the_old_report(db, tmp_path):
    """The report was written in place: a full disk left half a workbook instead of the old one."""
    report = tmp_path / "can-xem.xlsx"
    report.write_bytes(b"the report of last week")
    sheet = tmp_path / "danh-sach.xlsx"
    _big_sheet(sheet, 2000)  # other districts' rows: 2,000 rows to report
    r = run(db, "import", str(sheet), "--dry-run", "--report", str(report), limit=64 * 1024)
    assert r.returncode == 1, r.stderr
    assert "không ghi được" in r.stderr
    assert report.read_bytes() == b"the report of last week"
    assert not list(tmp_path.glob("*.part"))


def test_the_same_sheet_imported_twice_at_once_creates_each_record_once(tmp_path):
    """Both imports planned every row as new before either wrote: 6,000 products from 3,000."""
    db = tmp_path / "province.sqlite"
    assert run(db, "init", "--role", "province", "--province", "38").returncode == 0
    sheet = tmp_path / "danh-sach.xlsx"
    _big_sheet(sheet, 1500)
    procs = [
        subprocess.Popen(
            ocop_cmd(db, "import", str(sheet)), cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert count(db, "products") == 1500
    assert count(db, "producers") == 1500
    assert count(db, "recognitions") == 1500


def test_apply_refuses_a_preview_the_database_has_moved_past(office, tmp_path):
    """The GUI previews, the officer edits elsewhere, then applies: preview again."""
    from ocop_desktop import producers
    from ocop_desktop.errors import UserError
    from ocop_desktop.importer import apply_plan, load_table, plan_import

    sheet = ROOT / "tests/data/ocop_thanhhoa_messy.xlsx"
    plan = plan_import(office, load_table(sheet))
    producers.add(office, {"name": "HTX Khác", "kind": "hop_tac_xa", "commune_code": 16171})
    with pytest.raises(UserError) as err:
        apply_plan(office, plan)
    assert err.value.key == "import.changed_since_plan"
    fresh = plan_import(office, load_table(sheet))
    assert apply_plan(office, fresh).products > 0


def test_a_first_bundle_imported_twice_at_once_is_applied_once_without_an_error(tmp_path):
    """The second import failed with 'UNIQUE constraint failed: sync_peers.node_id'."""
    office = tmp_path / "office.sqlite"
    assert run(office, "init", "--role", "office", "--office", "401").returncode == 0
    assert run(office, "demo", "--products", "1500").returncode == 0
    assert run(office, "sync", "export", "--out", str(tmp_path)).returncode == 0
    bundle = next(tmp_path.glob("*.zip"))
    province = tmp_path / "province.sqlite"
    assert run(province, "init", "--role", "province", "--province", "38").returncode == 0
    cmd = ocop_cmd(province, "sync", "import", str(bundle), "--trust-new")
    procs = [subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert count(province, "products") == 1500
    assert count(province, "sync_peers") == 1
