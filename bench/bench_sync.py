"""Sync benchmark: a bundle of 100,000 products from an office to an empty province.

Each measured step runs in a fresh Python process, which reports its own time
and peak memory (its resident set's high-water mark, VmHWM on Linux):

- the app's import (``import_bundle``, verification, backup and apply),
- a raw baseline in the same run: the same members streamed from the zip and
  upserted with one ``executemany`` per table into an empty database of the
  same schema (no checks at all: the floor for time and memory),
- a re-import of the same bundle (every row unchanged),
- a hostile bundle: the same file re-signed with a key nobody trusts, which
  must be refused within seconds and well under 200 MB.

Targets: import peak under 400 MB; hostile bundle refused in seconds under 200 MB.

    .venv/bin/python bench/bench_sync.py [--products 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
outcome = "ok"
{body}
try:  # this process's own peak (ru_maxrss would include the forking parent's)
    peak = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": time.perf_counter() - start, "peak_mb": peak, "outcome": outcome}}))
"""

IDLE = """
from ocop_desktop.store import open_store
from ocop_desktop import sync
store = open_store({db!r})
"""

IMPORT = """
from ocop_desktop.errors import UserError
from ocop_desktop.store import open_store
from ocop_desktop.sync import import_bundle
store = open_store({db!r})
try:
    r = import_bundle(store, {bundle!r}, trust_new={trust})
    outcome = f"inserted {{r.inserted:,}} unchanged {{r.unchanged:,}}"
except UserError as exc:
    outcome = "refused: " + exc.key
"""

RAW = """
import io, zipfile
from sqlcipher3 import dbapi2 as sqlite3
conn = sqlite3.connect({db!r}, isolation_level=None)
conn.execute({key_pragma!r})  # the same encrypted file the app writes
cols = {cols!r}
conn.execute("BEGIN")
n = 0
with zipfile.ZipFile({bundle!r}) as zf:
    for table, c in cols.items():
        sets = ", ".join(f"{{x}} = excluded.{{x}}" for x in c if x != "id")
        sql = (f"INSERT INTO {{table}} ({{', '.join(c)}}, seq) VALUES "
               f"({{', '.join('?' * (len(c) + 1))}}) ON CONFLICT(id) DO UPDATE SET {{sets}}")
        with zf.open(f"data/{{table}}.jsonl") as fh:
            batch = []
            for line in io.TextIOWrapper(fh, encoding="utf-8"):
                r = json.loads(line)
                n += 1
                batch.append([r.get(x) for x in c] + [n])
                if len(batch) == 5000:
                    conn.executemany(sql, batch)
                    batch = []
            conn.executemany(sql, batch)
conn.execute("COMMIT")
outcome = f"upserted {{n:,}}"
"""


def child(body: str) -> dict:
    code = CHILD.format(root=str(ROOT), body=body)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from ocop_desktop.demo import generate
    from ocop_desktop.keystore import data_folder, find_key
    from ocop_desktop.migrations import SYNCED_TABLES
    from ocop_desktop.store import init_node
    from ocop_desktop.sync import export_bundle
    from ocop_desktop.sync.export import columns
    from tests.sync_helpers import rewrite

    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Folder to keep (and reuse) the office data in.")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    keep = args.keep or tmp
    keep.mkdir(parents=True, exist_ok=True)
    office_db = keep / f"office-{args.products}.sqlite"
    bundle = keep / f"bundle-{args.products}.zip"
    try:
        if not bundle.exists():
            office = init_node(office_db, role="office", office="401")
            start = time.perf_counter()
            counts = generate(office, n_products=args.products)
            print(f"demo data               {time.perf_counter() - start:>8.1f} s   {counts}")
            start = time.perf_counter()
            result = export_bundle(office, bundle)
            print(
                f"export                  {time.perf_counter() - start:>8.1f} s   "
                f"{result.total:,} rows, {result.size / 1024**2:.1f} MB"
            )
            office.close()
        province = init_node(tmp / "empty.sqlite", role="province", province=38)
        cols = {t: columns(province, t) for t in SYNCED_TABLES}
        province.close()

        def fresh(name: str) -> str:
            """A copy of the empty province database with its data folder (its key)."""
            path = tmp / name
            shutil.copy(tmp / "empty.sqlite", path)
            shutil.copytree(data_folder(tmp / "empty.sqlite"), data_folder(path))
            return str(path)

        key = find_key(tmp / "empty.sqlite")

        idle = child(IDLE.format(db=fresh("idle.sqlite")))
        raw = child(
            RAW.format(
                db=fresh("raw.sqlite"),
                bundle=str(bundle),
                cols=cols,
                key_pragma=f'PRAGMA key = "{key.sql}"' if key else "SELECT 1",
            )
        )
        target = fresh("province.sqlite")
        app = child(IMPORT.format(db=target, bundle=str(bundle), trust=True))
        again = child(IMPORT.format(db=target, bundle=str(bundle), trust=False))
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        hostile = rewrite(bundle, tmp / "hostile.zip", sign_with=Ed25519PrivateKey.generate())
        refused = child(IMPORT.format(db=fresh("hostile.sqlite"), bundle=str(hostile), trust=False))

        print(
            f"products                {args.products:>8,}   bundle {bundle.stat().st_size / 1024**2:.1f} MB"
        )
        print(f"{'':24}{'seconds':>8}  {'peak MB':>8}")
        for label, r in (
            ("python + app, idle", idle),
            ("raw executemany", raw),
            ("import (app)", app),
            ("re-import (unchanged)", again),
            ("hostile, untrusted key", refused),
        ):
            print(f"{label:<24}{r['seconds']:>8.1f}  {r['peak_mb']:>8.0f}   {r['outcome']}")
        print(
            f"import / raw            {app['seconds'] / raw['seconds']:>8.1f} x time, "
            f"{app['peak_mb'] / raw['peak_mb']:.1f} x memory  (target: peak < 400 MB)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
