"""Nodes, records and database fingerprints shared by the sync tests."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from ocop_desktop import producers, products, recognitions
from ocop_desktop.store import Store, init_node

NGA_SON = "401"
NHU_XUAN = "402"
COMMUNES = {
    NGA_SON: (16093, 16108, 16114, 16138, 16144, 16171),
    NHU_XUAN: (16174, 16177, 16186, 16213, 16222, 16225),
}
DATA_TABLES = ("producers", "products", "evaluations", "recognitions", "targets", "attachments")


def make_province(folder: Path, name: str = "province") -> Store:
    return init_node(folder / f"{name}.sqlite", role="province", province=38, officer="Tỉnh")


def make_office(folder: Path, office: str, name: str | None = None) -> Store:
    return init_node(
        folder / f"{name or 'office-' + office}.sqlite",
        role="office",
        office=office,
        officer="Cán bộ " + office,
    )


def add_producer(store: Store, name: str, commune: int) -> str:
    return producers.add(store, {"name": name, "kind": "hop_tac_xa", "commune_code": commune})


def add_product(store: Store, producer_id: str, name: str, product_set: int = 1) -> str:
    return products.add(
        store, {"name": name, "producer_id": producer_id, "product_set": product_set}
    )


def add_recognition(store: Store, product_id: str, number: str, stars: int = 4) -> str:
    return recognitions.add(
        store,
        {
            "product_id": product_id,
            "decision_no": number,
            "decision_date": "2025-03-01",
            "stars": stars,
        },
    )


def fill(store: Store, office: str, n: int, prefix: str = "") -> list[str]:
    """``n`` producers with one product each in ``office``'s area; returns product ids."""
    ids = []
    for i in range(n):
        commune = COMMUNES[office][i % len(COMMUNES[office])]
        pid = add_producer(store, f"{prefix}Hợp tác xã Đông Tiến {office}-{i}", commune)
        ids.append(add_product(store, pid, f"{prefix}Nước mắm Ba Đình {office}-{i}"))
    return ids


def table_hash(path: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """A hash of every table's full contents (all rows, all columns)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        out = {}
        for name in names:
            if name in exclude or name.startswith("sqlite_"):
                continue
            h = hashlib.sha256()
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"')):
                h.update(row.encode())
            out[name] = h.hexdigest()
        return out
    finally:
        conn.close()


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    data = path.read_bytes()
    wal = Path(str(path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def live_rows(store: Store, table: str, commune_area: frozenset[int] | None = None) -> dict:
    """id -> (version, deleted) for comparing nodes."""
    rows = store.db.execute(f"SELECT id, version, deleted FROM {table}").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}
