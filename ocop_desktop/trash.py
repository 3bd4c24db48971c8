"""The trash: soft-deleted records, newest first, with restore."""

from __future__ import annotations

from typing import Any

from ocop_desktop import evaluations, producers, products, recognitions
from ocop_desktop.errors import NotFound
from ocop_desktop.store import Store

_RESTORE = {
    "producers": producers.restore,
    "products": products.restore,
    "recognitions": recognitions.restore,
    "evaluations": evaluations.restore,
}


def list_(store: Store, limit: int = 500) -> list[dict[str, Any]]:
    sql = """
        SELECT 'producers' AS tbl, id, name AS label, updated_at, updated_by FROM producers WHERE deleted = 1
        UNION ALL
        SELECT 'products', id, name, updated_at, updated_by FROM products WHERE deleted = 1
        UNION ALL
        SELECT 'recognitions', r.id, r.decision_no || ' – ' || p.name, r.updated_at, r.updated_by
          FROM recognitions r JOIN products p ON p.id = r.product_id WHERE r.deleted = 1
        UNION ALL
        SELECT 'evaluations', e.id, p.name || ' – ' || e.eval_date, e.updated_at, e.updated_by
          FROM evaluations e JOIN products p ON p.id = e.product_id WHERE e.deleted = 1
        ORDER BY updated_at DESC LIMIT ?
    """
    keys = ("table", "id", "label", "deleted_at", "deleted_by")
    return [dict(zip(keys, r, strict=True)) for r in store.db.execute(sql, [limit]).fetchall()]


def restore(store: Store, record_id: str) -> str:
    for table, fn in _RESTORE.items():
        row = store.db.execute(f"SELECT deleted FROM {table} WHERE id = ?", [record_id]).fetchone()
        if row is not None:
            fn(store, record_id)
            return table
    raise NotFound("record.not_found", id=record_id)
