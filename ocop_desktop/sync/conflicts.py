"""Concurrent edits kept for a person to review.

Resolving is a new local edit that restores the chosen side on top of the
current record, so the choice itself travels to the other nodes like any edit.
"""

from __future__ import annotations

import json
from typing import Any

from ocop_desktop import db as dbmod
from ocop_desktop import recognitions, records
from ocop_desktop.db import transaction
from ocop_desktop.errors import NotFound, UserError
from ocop_desktop.records import SYNC_FIELDS, now_iso
from ocop_desktop.store import Store

KEEP = ("mine", "theirs")
COLUMNS = (
    "id",
    "table_name",
    "record_id",
    "mine_version",
    "theirs_version",
    "winner",
    "mine_row",
    "theirs_row",
    "peer",
    "detected_at",
    "resolved_at",
    "resolution",
)


def _decode(row: tuple) -> dict[str, Any]:
    out = dict(zip(COLUMNS, row, strict=True))
    out["mine_row"] = json.loads(out["mine_row"])
    out["theirs_row"] = json.loads(out["theirs_row"])
    out["label"] = _label(out["mine_row"]) or _label(out["theirs_row"]) or out["record_id"]
    out["fields"] = differing_fields(out["mine_row"], out["theirs_row"])
    return out


def _label(row: dict[str, Any]) -> str | None:
    return row.get("name") or row.get("decision_no") or row.get("filename")


def differing_fields(mine: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    skip = set(SYNC_FIELDS) - {"deleted"}
    keys = [k for k in {**mine, **theirs} if k not in skip and not k.endswith("_key")]
    return [k for k in keys if mine.get(k) != theirs.get(k)]


def list_(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    rows = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM conflicts {where} ORDER BY detected_at DESC, id"
    ).fetchall()
    return [_decode(r) for r in rows]


def get(store: Store, conflict_id: str) -> dict[str, Any]:
    row = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM conflicts WHERE id = ?", [conflict_id]
    ).fetchone()
    if row is None:
        # Let people type the first characters of the id, as shown in lists.
        rows = store.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM conflicts WHERE id LIKE ? || '%'", [conflict_id]
        ).fetchall()
        if len(rows) != 1:
            raise NotFound("sync.conflict_not_found", id=conflict_id)
        row = rows[0]
    return _decode(row)


def resolve(store: Store, conflict_id: str, keep: str) -> dict[str, Any]:
    """Keep ``mine`` or ``theirs``; returns the fields that changed (none when the kept
    side is already the one in use)."""
    if keep not in KEEP:
        raise UserError("sync.bad_keep", keep=keep)
    conflict = get(store, conflict_id)
    if conflict["resolved_at"]:
        raise UserError("sync.conflict_resolved", id=conflict["id"])
    table = conflict["table_name"]
    chosen = conflict["mine_row"] if keep == "mine" else conflict["theirs_row"]
    diff: dict[str, Any] = {}
    with transaction(store.db):
        if keep != conflict["winner"]:
            current = records.get(store, table, conflict["record_id"], include_deleted=True)
            if current["deleted"] and not chosen.get("deleted"):
                records.set_deleted(store, table, conflict["record_id"], False)
            values = {k: v for k, v in chosen.items() if k not in SYNC_FIELDS and k in current}
            diff = records.update(store, table, conflict["record_id"], values)
            if chosen.get("deleted") and not current["deleted"]:
                records.set_deleted(store, table, conflict["record_id"], True)
            product = chosen.get("product_id") if table == "recognitions" else None
            if product:
                recognitions.refresh_current(store, [product])
        if not diff:
            _confirm(store, table, conflict["record_id"])
        # The record's history now holds both sides: the version that travels says
        # so, and closes the same conflict on the nodes that receive it.
        store.db.conn.executemany(
            "INSERT OR IGNORE INTO sync_ancestry (record_id, version) VALUES (?, ?)",
            [
                (conflict["record_id"], v)
                for v in (conflict["mine_version"], conflict["theirs_version"])
            ],
        )
        store.db.execute(
            "UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
            [now_iso(), keep, conflict["id"]],
        )
    return diff


def _confirm(store: Store, table: str, record_id: str) -> None:
    """Keeping the side already in use is still a decision the other nodes must
    hear of: a new version with the same values."""
    current = records.get(store, table, record_id, include_deleted=True)
    store.db.execute(
        f"UPDATE {table} SET version = ?, base_version = ?, origin = ?, seq = ?, updated_at = ?, "
        "updated_by = ? WHERE id = ?",
        [
            store.next_version(),
            current["version"],
            store.node.id,
            dbmod.next_seq(store.db),
            now_iso(),
            store.officer or None,
            record_id,
        ],
    )
    records.audit(store, table, record_id, "resolve")


def close_settled(store: Store, record_ids: list[str]) -> int:
    """Close open conflicts whose two sides are both in the history of the record as
    it now is: a person settled them on another node. Inside the import."""
    if not record_ids:
        return 0
    open_ids = {
        r[0] for r in store.db.execute("SELECT record_id FROM conflicts WHERE resolved_at IS NULL")
    }
    closed = 0
    for record_id in open_ids.intersection(record_ids):
        history = "(SELECT version FROM sync_ancestry WHERE record_id = :id)"
        closed += store.db.execute(
            "UPDATE conflicts SET resolved_at = :at, resolution = 'elsewhere' "
            f"WHERE resolved_at IS NULL AND record_id = :id AND mine_version IN {history} "
            f"AND theirs_version IN {history}",
            {"id": record_id, "at": now_iso()},
        ).rowcount
    return closed


def count_open(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL").fetchone()[
        0
    ]
