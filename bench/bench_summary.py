"""Summary benchmark: `ocop summary --json` at 100,000 products against raw SQL
GROUP BYs over the same tables, measured in the same run.

All run as fresh processes, as an officer's command would, and each reports its
own peak memory (VmHWM). The raw baseline is the least a summary can cost: one
Python process that opens the file with SQLCipher (the key handed to it, so it
pays the decryption but not the key lookup) and runs one GROUP BY over each table
the summary reads, printing the rows as JSON:

- the products by commune, product set and star class of their current
  certificate (products and current_recognition), read in file order
  (NOT INDEXED: left to itself the planner walks them through the commune index,
  one random page and one decryption per product, five times slower);
- the producers by commune and kind;
- the reporting year's decisions by kind and star class.

The first alone is printed too, as "products only", for comparison with earlier
runs. The summary computes every figure of the report (classes, groups, sets,
communes, former districts, producers, the year's results, the expiring and
expired certificates listed one by one, exports and e-commerce). A third raw
run adds to the GROUP BYs the one thing a GROUP BY cannot give: those listed
certificates with their producers' names, printed as JSON lines. It shows what
the listing alone costs, which the 2x target leaves no room for.
Targets: summary ≤ 2× the raw GROUP BYs over the same tables, peak ≤ 150 MB.

    python bench/bench_summary.py [--products 100000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocop_desktop import keystore  # noqa: E402
from ocop_desktop.demo import generate  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402

# The process's own peak: VmHWM (Linux keeps ru_maxrss across exec, so a child
# would report this benchmark's own peak); ru_maxrss elsewhere.
PEAK = """
import resource, sys
try:
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
except OSError:
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(hwm, file=sys.stderr)
"""

RAW_PRODUCTS = """
import json, sys
from sqlcipher3 import dbapi2 as sqlite3
conn = sqlite3.connect(sys.argv[1])
if sys.argv[2]:
    conn.execute(f'PRAGMA key = "{sys.argv[2]}"')
rows = conn.execute(
    "SELECT p.commune_code, p.product_set, c.stars, c.potential_5, count(*) "
    "FROM products p NOT INDEXED LEFT JOIN current_recognition c ON c.product_id = p.id "
    "WHERE p.deleted = 0 GROUP BY 1, 2, 3, 4"
).fetchall()
"""

RAW = (
    RAW_PRODUCTS
    + """
rows += conn.execute(
    "SELECT commune_code, kind, count(*) FROM producers NOT INDEXED WHERE deleted = 0 "
    "GROUP BY 1, 2"
).fetchall()
rows += conn.execute(
    "SELECT kind, stars, potential_5, count(*) FROM recognitions WHERE deleted = 0 "
    "AND substr(decision_date, 1, 4) = strftime('%Y', 'now') "  # the year's index, as the summary
    "AND decision_date BETWEEN date('now', 'start of year') AND date('now') GROUP BY 1, 2, 3"
).fetchall()
print(json.dumps(rows))
"""
)

# What the summary prints that no GROUP BY gives: the certificates expiring within
# the warning window (90 days by default) and those expired, one by one with their
# producer's name, soonest first. Given its best plan, as the summary's is: one scan
# of the products with their certificate, then one of the producers (one look-up
# per certificate, a random page each, is slower).
RAW_LISTED = (
    RAW
    + """
listed = conn.execute(
    "WITH l AS MATERIALIZED (SELECT CASE WHEN c.expiry_date < date('now') THEN 'expired' "
    "ELSE 'expiring' END AS status, p.id, p.name, p.producer_id, p.commune_code, c.stars, "
    "c.potential_5, c.decision_no, c.decision_date, c.expiry_date "
    "FROM products p NOT INDEXED CROSS JOIN current_recognition c ON c.product_id = p.id "
    "WHERE p.deleted = 0 AND c.revoked = 0 AND c.expiry_date <= date('now', '+90 days')) "
    "SELECT l.status, l.id, l.name, pr.name, l.commune_code, l.stars, l.potential_5, "
    "l.decision_no, l.decision_date, l.expiry_date "
    "FROM producers pr NOT INDEXED CROSS JOIN l ON l.producer_id = pr.id ORDER BY 1, 10, 3"
).fetchall()
keys = ("status", "product_id", "product", "producer", "commune", "stars", "potential_5",
        "decision_no", "decision_date", "expiry_date")
for row in listed:
    print(json.dumps(dict(zip(keys, row)), ensure_ascii=False))
"""
)

SUMMARY = """
import sys
from ocop_desktop.cli import main
sys.argv = ["ocop", "--db", sys.argv[1], "summary", "--json"]
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
"""


def run(code: str, db: Path, key: str = "") -> tuple[float, int, str]:
    """Seconds, peak kB and stdout of a fresh Python process running ``code``."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code + "\n" + PEAK, str(db), key],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - t0
    peak_kb = int(out.stderr.strip().splitlines()[-1])
    return seconds, peak_kb, out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the database in DIR")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"province-{args.products}.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        store = init_node(db, role="province", province=38, officer="Bench")
        generate(store, n_products=args.products, seed=7)
        store.close()
        print(f"demo database: {args.products:,} products in {time.perf_counter() - t0:.1f} s")

    found = keystore.find_key(db)
    key = found.sql if found else ""
    raw_t, raw_kb, products_t, listed_t, summary_t, summary_kb = [], [], [], [], [], []
    for _ in range(args.runs):  # alternate, so all see the same machine load
        s, kb, _out = run(RAW, db, key)
        raw_t.append(s)
        raw_kb.append(kb)
        products_t.append(run(RAW_PRODUCTS, db, key)[0])
        listed_t.append(run(RAW_LISTED, db, key)[0])
        s, kb, out = run(SUMMARY, db)
        summary_t.append(s)
        summary_kb.append(kb)
    data = json.loads(out)
    raw, products, listed, summary = (
        statistics.median(t) for t in (raw_t, products_t, listed_t, summary_t)
    )
    print(
        f"summary --json: {data['products']['total']:,} products, "
        f"{data['products']['certified']:,} in force, "
        f"{data['expiring']['count'] + data['expired_without_renewal']['count']:,} listed"
    )
    print(
        f"raw GROUP BYs over the same tables (fresh process): median {raw * 1000:.0f} ms, "
        f"peak {max(raw_kb) / 1024:.0f} MB"
    )
    print(f"raw GROUP BY of the products only (fresh process): median {products * 1000:.0f} ms")
    print(
        "raw GROUP BYs and the listed certificates printed (fresh process): "
        f"median {listed * 1000:.0f} ms"
    )
    print(
        f"ocop summary --json (fresh process): median "
        f"{summary * 1000:.0f} ms, peak {max(summary_kb) / 1024:.0f} MB"
    )
    print(
        f"ratio summary / raw GROUP BYs: {summary / raw:.2f}× (target ≤ 2×); "
        f"summary / products only: {summary / products:.2f}×; peak target ≤ 150 MB"
    )
    print(
        f"ratio summary / raw GROUP BYs and listed certificates: {summary / listed:.2f}×; "
        f"the listing alone costs {(listed - raw) / raw:.2f}× the GROUP BYs"
    )


if __name__ == "__main__":
    main()
