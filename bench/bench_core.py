"""Foundation benchmark: 100,000-product demo database, reference data, search.

Prints: demo time and file size; reference-data load time (fresh process);
search latency p50/p95 over queries typed without diacritics, beside a naive
baseline measured in the same run (LIKE '%…%' over the un-normalised names,
which is also what an Excel user's Ctrl+F does). Targets: demo ≤ 60 s, search
p95 ≤ 30 ms, reference data ≤ 50 ms.

    python bench/bench_core.py [--products 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocop_desktop.demo import generate  # noqa: E402
from ocop_desktop.search import search  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402

QUERIES = [
    "mam tom",
    "nuoc mam",
    "nem chua",
    "hop tac xa",
    "dong tien",
    "gao nep",
    "ruou",
    "che xanh",
    "banh gai",
    "mat ong",
    "chieu coi",
    "tinh dau",
    "cong ty tnhh",
    "hoang long",
    "ba lang",
    "tra hoa cuc",
    "ho kinh doanh nguyen van",
    "thuy san",
    "du lich cong dong",
    "mam tep",
    "cha tom",
    "bun kho",
    "nga son",
    "huong",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def refdata_load_ms(runs: int = 7) -> list[tuple[float, float]]:
    code = (
        "import time; t0=time.perf_counter(); from ocop_desktop import refdata;"
        "t1=time.perf_counter(); r=refdata.load(); r.communes_of_former_district;"
        "t2=time.perf_counter(); print((t2-t0)*1000, (t2-t1)*1000)"
    )
    root = str(Path(__file__).resolve().parent.parent)
    out = []
    for _ in range(runs):
        res = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
        )
        out.append(tuple(float(x) for x in res.stdout.split()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--keep", help="folder to keep the database in")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="ocop-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{args.products}.sqlite"
    for p in folder.glob(path.name + "*"):
        p.unlink()
    store = init_node(path, role="office", office="401", officer="bench")

    t = time.perf_counter()
    counts = generate(store, n_products=args.products, seed=1)
    demo_s = time.perf_counter() - t
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_mb = path.stat().st_size / 1e6
    print(f"demo: {counts} in {demo_s:.1f} s (target ≤ 60 s); file {size_mb:.1f} MB")

    loads = refdata_load_ms()
    print(
        f"reference data ready (fresh process): median {statistics.median(x[1] for x in loads):.1f}"
        f" ms to load all tables (target ≤ 50 ms); {statistics.median(x[0] for x in loads):.1f} ms"
        f" including the module import"
    )

    fast, naive, hits = [], [], []
    for rounds in range(2):
        for q in QUERIES:
            t = time.perf_counter()
            rows = search(store, q, limit=50)
            fast.append((time.perf_counter() - t) * 1000)
            if rounds == 0:
                hits.append(len(rows))
            t = time.perf_counter()
            store.db.execute(
                "SELECT id, name FROM producers WHERE deleted = 0 AND name LIKE ? LIMIT 50",
                [f"%{q}%"],
            ).fetchall()
            store.db.execute(
                "SELECT id, name FROM products WHERE deleted = 0 AND name LIKE ? LIMIT 50",
                [f"%{q}%"],
            ).fetchall()
            naive.append((time.perf_counter() - t) * 1000)
    print(
        f"search ({len(fast)} queries without diacritics, {sum(h > 0 for h in hits)}/"
        f"{len(QUERIES)} found something):"
    )
    print(
        f"  normalised trigram index: p50 {pct(fast, 0.5):.1f} ms, p95 {pct(fast, 0.95):.1f} ms"
        f" (target p95 ≤ 30 ms)"
    )
    print(
        f"  naive LIKE on raw names:  p50 {pct(naive, 0.5):.1f} ms, p95 {pct(naive, 0.95):.1f} ms"
        f" (finds only exact diacritics)"
    )
    print(f"  ratio p95 index / naive: {pct(fast, 0.95) / pct(naive, 0.95):.2f}")
    store.close()


if __name__ == "__main__":
    main()
