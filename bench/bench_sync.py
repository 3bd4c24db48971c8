"""Sync benchmark: ~100,000 changed rows from an office to an empty province.

Prints export, import, re-import times and the bundle size, beside a raw
``executemany`` upsert of the very same rows into an empty database of the same
schema, measured in the same run. Targets: export <= 5 s, import <= 10 s and
<= 10x the raw upsert, re-import <= 3 s.

    /work/venv/bin/python bench/bench_sync.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocop_desktop.db import transaction  # noqa: E402
from ocop_desktop.demo import generate  # noqa: E402
from ocop_desktop.migrations import SYNCED_TABLES  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402
from ocop_desktop.sync import export_bundle, import_bundle, verify  # noqa: E402
from ocop_desktop.sync.export import columns  # noqa: E402

ROWS_PER_PRODUCT = 4.194  # producers + products + evaluations + recognitions, from demo data


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def raw_upsert(folder: Path, rows: dict[str, list[dict]]) -> float:
    """The same rows with one executemany upsert per table: the floor for an import."""
    store = init_node(folder / "raw.sqlite", role="province", province=38)
    cols = {t: columns(store, t) for t in SYNCED_TABLES}

    def run() -> None:
        with transaction(store.db):
            for table in SYNCED_TABLES:
                c = cols[table]
                sets = ", ".join(f"{x} = excluded.{x}" for x in c if x != "id")
                store.db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(c)}, seq) VALUES "
                    f"({', '.join('?' * (len(c) + 1))}) ON CONFLICT(id) DO UPDATE SET {sets}",
                    ([r.get(x) for x in c] + [i] for i, r in enumerate(rows.get(table, []))),
                )

    _, seconds = timed(run)
    store.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        office = init_node(folder / "office.sqlite", role="office", office="401")
        counts, t_demo = timed(
            lambda: generate(office, n_products=round(args.rows / ROWS_PER_PRODUCT))
        )
        total = sum(counts.values())
        province = init_node(folder / "province.sqlite", role="province", province=38)

        result, t_export = timed(lambda: export_bundle(office, folder / "bundle.zip"))
        applied, t_import = timed(lambda: import_bundle(province, result.path, trust_new=True))
        again, t_reimport = timed(lambda: import_bundle(province, result.path))
        rows = verify(province, result.path).rows
        t_raw = raw_upsert(folder, rows)

        print(f"rows changed            {total:>10,}  demo {counts}")
        print(f"rows in the bundle      {result.total:>10,}  (with this year's target)")
        print(f"demo data               {t_demo:>10.2f} s")
        print(f"export                  {t_export:>10.2f} s   (target <= 5 s)")
        print(f"bundle size             {result.size / 1024**2:>10.1f} MB")
        print(
            f"import, empty node      {t_import:>10.2f} s   (target <= 10 s)  "
            f"inserted {applied.inserted:,}"
        )
        print(
            f"re-import, same bundle  {t_reimport:>10.2f} s   (target <= 3 s)   "
            f"unchanged {again.unchanged:,}"
        )
        print(f"raw executemany upsert  {t_raw:>10.2f} s")
        print(f"import / raw            {t_import / t_raw:>10.1f} x  (target <= 10 x)")
        office.close()
        province.close()


if __name__ == "__main__":
    main()
