"""Writing synchronised rows: every insert, edit, delete and restore goes through here.

Each write takes a fresh hybrid-clock version (remembering the one it replaced
as ``base_version``), a new node-local ``seq``, and lands in the audit log, all
inside the caller's transaction. Deletes are soft (``deleted = 1``), so a record
can come back from the trash and a delete travels in sync like any edit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ocop_desktop import db as dbmod
from ocop_desktop.errors import NotFound
from ocop_desktop.migrations import SYNCED_TABLES
from ocop_desktop.store import Store

SYNC_FIELDS = (
    "id",
    "version",
    "base_version",
    "origin",
    "deleted",
    "seq",
    "updated_at",
    "updated_by",
)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    import uuid  # here, not at start-up: it loads the platform module

    return uuid.uuid4().hex


def _check_table(table: str) -> None:
    # Table names are interpolated into SQL; only our own fixed names are allowed.
    if table not in SYNCED_TABLES:
        raise ValueError(f"not a synchronised table: {table}")


def get(store: Store, table: str, record_id: str, *, include_deleted: bool = False) -> dict:
    _check_table(table)
    row = store.db.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id]).fetchone()
    if row is None:
        raise NotFound("record.not_found", id=record_id)
    cols = [d[0] for d in store.db.execute(f"SELECT * FROM {table} LIMIT 0").description]
    data = dict(zip(cols, row, strict=True))
    if data["deleted"] and not include_deleted:
        raise NotFound("record.in_trash", id=record_id)
    data.pop("rid", None)
    return data


def _stamp(store: Store, base_version: str | None) -> dict[str, Any]:
    return {
        "version": store.next_version(),
        "base_version": base_version,
        "origin": store.node.id,
        "seq": dbmod.next_seq(store.db),
        "updated_at": now_iso(),
        "updated_by": store.officer or None,
    }


def audit(
    store: Store,
    table: str,
    record_id: str,
    action: str,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> None:
    store.db.execute(
        "INSERT INTO audit (at, officer, node, table_name, record_id, action, field, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now_iso(),
            store.officer,
            store.node.id,
            table,
            record_id,
            action,
            field,
            _text(old),
            _text(new),
        ],
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def insert(
    store: Store, table: str, values: dict[str, Any], *, record_id: str | None = None
) -> str:
    _check_table(table)
    record_id = record_id or new_id()
    row = {"id": record_id, **values, **_stamp(store, None), "deleted": 0}
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    store.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
    audit(store, table, record_id, "create", new={k: v for k, v in values.items() if v is not None})
    return record_id


def update(store: Store, table: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes``; returns the fields that really changed as {field: (old, new)}."""
    old = get(store, table, record_id)
    diff = {k: (old.get(k), v) for k, v in changes.items() if old.get(k) != v}
    if not diff:
        return {}
    row = {k: v for k, (_, v) in diff.items()} | _stamp(store, old["version"])
    sets = ", ".join(f"{k} = ?" for k in row)
    store.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*row.values(), record_id])
    for field, (before, after) in diff.items():
        if field.endswith("_key"):
            continue
        audit(store, table, record_id, "update", field, before, after)
    return diff


def set_deleted(store: Store, table: str, record_id: str, deleted: bool) -> None:
    old = get(store, table, record_id, include_deleted=True)
    if bool(old["deleted"]) == deleted:
        raise NotFound("record.in_trash" if deleted else "record.not_in_trash", id=record_id)
    row = {"deleted": int(deleted)} | _stamp(store, old["version"])
    sets = ", ".join(f"{k} = ?" for k in row)
    store.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*row.values(), record_id])
    audit(store, table, record_id, "delete" if deleted else "restore")


# The column that names a record of each table to a person.
LABELS = {"producers": "name", "products": "name", "recognitions": "decision_no"}


def label(store: Store, table: str, record_id: str) -> str | None:
    """What a person calls a record (a producer's or product's name, a decision's
    number), in the trash or not; None if there is no such record."""
    _check_table(table)
    row = store.db.execute(
        f"SELECT {LABELS[table]} FROM {table} WHERE id = ?", [record_id]
    ).fetchone()
    return row[0] if row else None


def label_of_any(store: Store, record_id: str) -> str | None:
    """The label of a record whose table is not known (an audit entry's record)."""
    for table in LABELS:
        found = label(store, table, record_id)
        if found is not None:
            return found
    return None


# A record as named in a question ("Delete …?", "Undo …"): with its product where
# the record's own name would not say which it is.
_NAMED_SQL = {
    "producers": "SELECT name FROM producers WHERE id = ?",
    "products": "SELECT name FROM products WHERE id = ?",
    "recognitions": "SELECT r.decision_no || ' – ' || p.name FROM recognitions r "
    "JOIN products p ON p.id = r.product_id WHERE r.id = ?",
    "evaluations": "SELECT p.name || ' – ' || e.eval_date FROM evaluations e "
    "JOIN products p ON p.id = e.product_id WHERE e.id = ?",
}


def named(store: Store, table: str, record_id: str) -> str:
    """How a person knows the record: a name, or a decision number with its product;
    "?" when there is no such record."""
    sql = _NAMED_SQL.get(table)
    row = store.db.execute(sql, [record_id]).fetchone() if sql else None
    return str(row[0]) if row and row[0] else "?"


def last_audit_id(store: Store) -> int:
    """The newest audit entry's id (0 when none): writes after it are newer."""
    return int(store.db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0])


def audit_since(store: Store, after: int) -> list[tuple[Any, ...]]:
    """``(id, at, table, record_id, action, field, old)`` of this node's audit entries
    after the id ``after``, oldest first (what undo can take back)."""
    return [
        tuple(r)
        for r in store.db.execute(
            "SELECT id, at, table_name, record_id, action, field, old FROM audit "
            "WHERE id > ? AND node = ? ORDER BY id",
            [after, store.node.id],
        ).fetchall()
    ]


def column_types(store: Store, table: str) -> dict[str, str]:
    """Each column's declared type (upper case) of a record table."""
    _check_table(table)
    return {r[1]: (r[2] or "").upper() for r in store.db.execute(f"PRAGMA table_info({table})")}


def history(store: Store, record_id: str) -> list[dict]:
    rows = store.db.execute(
        "SELECT at, officer, action, field, old, new FROM audit WHERE record_id = ? ORDER BY id",
        [record_id],
    ).fetchall()
    keys = ("at", "officer", "action", "field", "old", "new")
    return [dict(zip(keys, r, strict=True)) for r in rows]
