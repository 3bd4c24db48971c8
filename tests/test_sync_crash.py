"""Kill the import of a large bundle at random moments: the database is always
intact and either exactly as before or exactly as after (one transaction)."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocop_desktop.demo import generate
from ocop_desktop.sync import export_bundle
from tests.key_helpers import connect, copy_key
from tests.sync_helpers import NGA_SON, make_office, make_province

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
# Columns that hold the wall-clock time of the import itself.
TIMES = {
    "audit": {"at"},
    "sync_log": {"at"},
    "sync_peers": {"trusted_at", "last_received_at"},
    "sync_proposals": {"id", "received_at"},  # a random id and the time of the import
}


def snapshot(path: Path, ignore_times: bool = False) -> dict[str, list]:
    conn = connect(path, readonly=True)
    try:
        out = {}
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in sorted(names):
            cur = conn.execute(f'SELECT * FROM "{name}"')
            cols = [d[0] for d in cur.description]
            skip = TIMES.get(name, set()) if ignore_times else set()
            keep = [i for i, c in enumerate(cols) if c not in skip]
            rows = cur.fetchall()
            if name == "meta" and ignore_times:  # a random mark of each exchange
                rows = [r for r in rows if r[0] != "sync_token"]
            out[name] = sorted(repr(tuple(r[i] for i in keep)) for r in rows)
        return out
    finally:
        conn.close()


def start_import(db: Path, bundle: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ocop_desktop",
            "--db",
            str(db),
            "sync",
            "import",
            str(bundle),
            "--trust-new",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def fresh_copy(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.rmtree(str(dst) + ".d", ignore_errors=True)
    shutil.copy(src, dst)
    copy_key(src, dst)


@pytest.mark.slow
def test_killed_import_leaves_before_or_after(tmp_path):
    office = make_office(tmp_path, NGA_SON)
    # An import of about a second: kills at twenty moments from reading the bundle
    # to the commit, and outcomes both before and after.
    generate(office, n_products=1500)
    bundle = export_bundle(office, tmp_path / "big.zip").path
    office.close()
    province = make_province(tmp_path)
    province.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    province.close()
    pristine = tmp_path / "pristine.sqlite"
    shutil.copy(province.path, pristine)
    copy_key(province.path, pristine)
    before = snapshot(pristine)

    work = tmp_path / "work.sqlite"
    fresh_copy(pristine, work)
    started = time.perf_counter()
    done = start_import(work, bundle)
    assert done.wait(timeout=120) == 0, done.stderr.read()
    duration = time.perf_counter() - started
    after = snapshot(work, ignore_times=True)
    assert after != snapshot(pristine, ignore_times=True)

    rng = random.Random(20261122)
    outcomes = []
    for _ in range(KILLS):
        fresh_copy(pristine, work)
        proc = start_import(work, bundle)
        time.sleep(rng.uniform(0.25, 1.05) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        conn = connect(work)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        if snapshot(work) == before:
            outcomes.append("before")
        else:
            assert snapshot(work, ignore_times=True) == after
            outcomes.append("after")
    print("kill outcomes:", outcomes, f"import takes {duration:.2f} s")
    assert len(outcomes) == KILLS
    assert "before" in outcomes
