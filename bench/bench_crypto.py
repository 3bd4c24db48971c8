"""What encryption costs: lists, search, summary and sync on an encrypted database
(and sealed bundles) against the same code on a plain one, measured in one run;
then a plain database of that size converted and SIGKILLed at random moments.

Each side runs in its own process on the same demo data (same seed). The plain
side is the app's code with the key left out of every connection (and bundles
not sealed), so the difference is SQLCipher's page encryption and the seal.
Lists, search and summary are timed on a fresh connection (the first time a
window asks) and again on the same one (every later time). Target: every
figure within 1.3x of plain. Conversion: every kill leaves the
database plain and whole or encrypted and whole.

``--variants`` then copies the encrypted office under other SQLCipher settings
(page size, HMAC algorithm, and, for scale only, no HMAC at all) and times the
first lists and searches on a fresh connection against plain, in alternating
processes: what a change of the file format would buy.

    python bench/bench_crypto.py [--products 100000] [--rounds 5] [--kills 10] [--variants]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 1.3
QUERIES = ["mam tom", "nuoc mam", "hop tac xa", "gao nep", "che xanh", "mat ong", "nga son"]
ENV = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _leave_out_the_key() -> None:
    """The plain side: the same code, every connection opened without a key."""
    from ocop_desktop import backup, keystore
    from ocop_desktop import db as dbmod

    real = dbmod.open_connection
    dummy = keystore.Key(b"\0" * keystore.KEY_BYTES, keystore.IN_FILE)

    def plain_open(path, *, readonly=False, key=None):
        return real(path, readonly=readonly, key=None)

    dbmod.open_connection = backup.open_connection = plain_open
    dbmod._key_for_writing = lambda path: dummy
    keystore.find_key = lambda path: dummy


def open_lists(store, products: int) -> None:
    """What the window asks as the officer opens the producer and product lists
    (the first screenful of ids, their rows, the count) and then jumps halfway
    down the products."""
    from ocop_desktop import listing

    for lst in (listing.LISTS["producers"], listing.LISTS["products"]):
        query = lst.ids_query(store, {}, lst.default_order)
        first = listing.ids(store, query, 60)
        listing.rows(store, lst, first, [c.key for c in lst.columns])
        if lst.whole_count(store) is None:  # as the list's model counts
            listing.count(store, query)
    half = listing.ids(store, query, 60, products // 2)
    listing.rows(store, lst, half, [c.key for c in lst.columns])


def build(mode: str, folder: Path, products: int) -> None:
    """The demo office (same seed on both sides) and an empty province."""
    if mode == "plain":
        _leave_out_the_key()
    from ocop_desktop.demo import generate
    from ocop_desktop.store import init_node
    from ocop_desktop.sync import seal

    office = init_node(folder / f"office-{mode}.sqlite", role="office", office="401")
    generate(office, n_products=products, seed=7)
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    province = init_node(folder / f"province-{mode}.sqlite", role="province", province=38)
    if mode == "encrypted":  # its bundles are sealed to the province
        seal.use_province_key(office, seal.province_key_file(province, folder / "tinh.key"))
    province.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    office.close()
    province.close()


def measure(mode: str, folder: Path, products: int) -> dict[str, float]:
    """Each operation once, as the app does it: a fresh connection, seconds by name."""
    if mode == "plain":
        _leave_out_the_key()
    from ocop_desktop import summary
    from ocop_desktop.search import search
    from ocop_desktop.store import open_store
    from ocop_desktop.sync import export_bundle, import_bundle

    office_path = folder / f"office-{mode}.sqlite"
    out: dict[str, float] = {}

    def timed(name: str, path: Path, fn, warm: bool = False) -> object:
        store = open_store(path)
        if warm:  # what a window asks, on the connection it keeps (its larger cache)
            from ocop_desktop.db import keep_warm

            keep_warm(store.db)
        t0 = time.perf_counter()
        result = fn(store)
        out[name] = time.perf_counter() - t0
        if warm:  # again on the same connection, as the app's window does
            t0 = time.perf_counter()
            fn(store)
            out[name + " again"] = time.perf_counter() - t0
        store.close()
        return result

    def lists(store) -> None:
        open_lists(store, products)

    timed("lists", office_path, lists, warm=True)
    timed("search", office_path, lambda store: [search(store, q) for q in QUERIES], warm=True)
    timed("summary", office_path, summary.compute, warm=True)
    bundle = timed(
        "sync export", office_path, lambda store: export_bundle(store, folder / f"b-{mode}.zip")
    )
    assert bundle.sealed == (mode == "encrypted")
    work = folder / f"province-{mode}-work.sqlite"
    for suffix in ("", "-wal", "-shm", ".d"):
        target = Path(f"{work}{suffix}")
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    pristine = folder / f"province-{mode}.sqlite"
    shutil.copyfile(pristine, work)
    if Path(f"{pristine}.d").is_dir():  # its key, as the encrypted side keeps it
        shutil.copytree(f"{pristine}.d", f"{work}.d")
    timed("sync import", work, lambda store: import_bundle(store, bundle.path, trust_new=True))
    return out


# --- other SQLCipher settings -------------------------------------------------

VARIANTS = {
    "defaults": [],  # SQLCipher 4: 4 KiB pages, HMAC-SHA512 (the app's format)
    "16k pages": ["cipher_page_size = 16384"],
    "hmac sha256": ["cipher_hmac_algorithm = HMAC_SHA256"],
    "16k + sha256": ["cipher_page_size = 16384", "cipher_hmac_algorithm = HMAC_SHA256"],
    "no hmac (unsafe)": ["cipher_use_hmac = OFF"],
}


def make_variant(folder: Path, name: str) -> Path:
    """The encrypted office copied under the settings of ``name`` (same key)."""
    from ocop_desktop import keystore
    from ocop_desktop.db import open_connection

    src = folder / "office-encrypted.sqlite"
    dst = folder / f"variant-{name.replace(' ', '_')}.sqlite"
    shutil.copytree(f"{src}.d", f"{dst}.d", dirs_exist_ok=True)
    key = keystore.find_key(src)
    conn = open_connection(src, key=key)
    conn.execute("ATTACH DATABASE ? AS v KEY ?", [str(dst), key.sql])
    for pragma in VARIANTS[name]:
        conn.execute(f"PRAGMA v.{pragma}")
    conn.execute("SELECT sqlcipher_export('v')").fetchone()
    conn.execute("DETACH DATABASE v")
    conn.close()
    return dst


def first_use(name: str, folder: Path, products: int, times: int = 15) -> dict[str, float]:
    """Lists and searches on a fresh connection ``times`` times; the median of each."""
    from ocop_desktop import db as dbmod
    from ocop_desktop import keystore
    from ocop_desktop.search import search
    from ocop_desktop.store import open_store

    if name == "plain":
        _leave_out_the_key()
        path = folder / "office-plain.sqlite"
    else:
        from sqlcipher3 import dbapi2

        path = folder / f"variant-{name.replace(' ', '_')}.sqlite"

        def variant_open(p, *, readonly=False, key=None):
            key = key or keystore.find_key(p)
            conn = dbapi2.connect(str(p), isolation_level=None, check_same_thread=False)
            conn.execute(f'PRAGMA key = "{key.sql}"')
            for pragma in VARIANTS[name]:
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn

        dbmod.open_connection = variant_open
    seen: dict[str, list[float]] = {"lists": [], "search": []}
    for _ in range(times):
        store = open_store(path)
        t0 = time.perf_counter()
        open_lists(store, products)
        t1 = time.perf_counter()
        for q in QUERIES:
            search(store, q)
        seen["lists"].append(t1 - t0)
        seen["search"].append(time.perf_counter() - t1)
        store.close()
    return {k: statistics.median(v) for k, v in seen.items()}


def variants(run, rounds: int) -> None:
    names = ["plain", *VARIANTS]
    got: dict[str, list[dict[str, float]]] = {n: [] for n in names}
    for i in range(rounds):
        for name in names if i % 2 == 0 else reversed(names):
            got[name].append(json.loads(run("plain", "--first-use", name).strip().splitlines()[-1]))
    print(f"\nfirst use on a fresh connection, other SQLCipher settings ({rounds} rounds)")
    print(f"{'':20}{'lists':>10}{'ratio':>7}{'search':>10}{'ratio':>7}")
    base = {k: statistics.median(r[k] for r in got["plain"]) for k in ("lists", "search")}
    for name in names:
        row = {k: statistics.median(r[k] for r in got[name]) for k in ("lists", "search")}
        cells = "".join(
            f"{row[k] * 1000:>8.2f}ms{row[k] / base[k]:>6.2f}x" for k in ("lists", "search")
        )
        print(f"{name:20}{cells}")


# --- conversion, killed -------------------------------------------------------

CONVERT = """
import sys, time
from ocop_desktop import db
print("ready", flush=True)
t0 = time.perf_counter()
db.connect(sys.argv[1]).conn.close()
print(time.perf_counter() - t0, flush=True)
"""


def _counts(conn) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _state(path: Path, expected: dict[str, int]) -> str:
    from ocop_desktop.db import is_plain, open_connection

    plain = is_plain(path)
    conn = sqlite3.connect(path) if plain else open_connection(path)
    try:
        whole = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        same = _counts(conn) == expected
    finally:
        conn.close()
    kind = "plain" if plain else "encrypted"
    return f"{kind} and whole" if whole and same else f"{kind} and BROKEN"


def kills(plain_db: Path, folder: Path, n: int) -> None:
    pristine = folder / "pristine.sqlite"
    conn = sqlite3.connect(plain_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    expected = _counts(conn)
    conn.close()
    shutil.copyfile(plain_db, pristine)
    work = folder / "work.sqlite"

    def fresh() -> None:
        for p in folder.iterdir():
            if p.name.startswith("work.sqlite"):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        shutil.copyfile(pristine, work)

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", CONVERT, str(work)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**ENV, "PYTHONPATH": str(ROOT)},
        )
        assert proc.stdout.readline().strip() == "ready"
        return proc

    fresh()
    proc = start()
    duration = float(proc.stdout.readline())
    proc.wait()
    size = pristine.stat().st_size / 1024**2
    print(f"\nconversion of the plain database ({size:,.0f} MB): {duration:.2f} s")
    rng = random.Random(20261202)
    outcomes = []
    for i in range(n):
        fresh()
        proc = start()
        delay = rng.uniform(0, 1.1) * duration
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        state = _state(work, expected)
        from ocop_desktop.db import connect

        connect(work).conn.close()  # the next start
        after = _state(work, expected)
        outcomes.append(state)
        print(f"  kill {i + 1:>2} at {delay:5.2f} s: {state}; next start: {after}")
    broken = [o for o in outcomes if "BROKEN" in o]
    print(f"  {n - len(broken)}/{n} whole" + ("" if not broken else "  FAILED"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--side", choices=["plain", "encrypted"])
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--folder")
    ap.add_argument("--variants", action="store_true")
    ap.add_argument("--first-use")
    args = ap.parse_args()
    if args.first_use:
        print(json.dumps(first_use(args.first_use, Path(args.folder), args.products)))
        return
    if args.side:
        if args.build:
            build(args.side, Path(args.folder), args.products)
        else:
            print(json.dumps(measure(args.side, Path(args.folder), args.products)))
        return

    def run(mode: str, *extra: str) -> str:
        cmd = [sys.executable, __file__, "--side", mode, "--folder", tmp]
        cmd += ["--products", str(args.products), *extra]
        return subprocess.run(cmd, capture_output=True, text=True, env=ENV, check=True).stdout

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for mode in ("plain", "encrypted"):
            run(mode, "--build")
        rounds: dict[str, list[dict[str, float]]] = {"plain": [], "encrypted": []}
        for i in range(args.rounds):  # alternating, so a busy moment hits both sides
            for mode in ("plain", "encrypted") if i % 2 == 0 else ("encrypted", "plain"):
                rounds[mode].append(json.loads(run(mode).strip().splitlines()[-1]))
        print(f"{args.products:,} products; median of {args.rounds} alternating rounds")
        print(f"{'':20}{'plain':>10}{'encrypted':>12}{'ratio':>8}   target <= {TARGET}x")
        for name in rounds["plain"][0]:
            plain = statistics.median(r[name] for r in rounds["plain"])
            enc = statistics.median(r[name] for r in rounds["encrypted"])
            ratio = enc / plain
            flag = "" if ratio <= TARGET else "  TARGET MISSED"
            print(f"{name:20}{plain:>9.3f}s{enc:>11.3f}s{ratio:>7.2f}x{flag}")
        if args.variants:
            for name in VARIANTS:
                make_variant(folder, name)
            variants(run, args.rounds)
        if args.kills:
            kills(folder / "office-plain.sqlite", folder, args.kills)


if __name__ == "__main__":
    main()
