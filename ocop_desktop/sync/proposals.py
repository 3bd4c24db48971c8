"""An office's changes to records the province owns, kept for the province to decide.

When an office's bundle creates or changes a record the province owns (see
sync/authority.py), the province keeps its own row (restamped, so the office
takes it back with its next bundle) and the office's row here. Accepting makes
the office's values a new local edit at the province, which travels like any
edit; rejecting leaves the province's row (and, for a record the office
created, puts that record in the trash everywhere).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ocop_desktop import db as dbmod
from ocop_desktop import recognitions, records
from ocop_desktop.errors import NotFound, UserError
from ocop_desktop.records import SYNC_FIELDS, now_iso
from ocop_desktop.store import Store

DECISIONS = ("accept", "reject")
COLUMNS = (
    "id",
    "table_name",
    "record_id",
    "peer",
    "peer_name",
    "stored_version",
    "proposed_version",
    "proposed_row",
    "received_at",
    "resolved_at",
    "resolution",
)


def keep(
    store: Store, table: str, row: dict[str, Any], stored_version: str | None, peer: str
) -> bool:
    """Keep ``row`` as a proposal (inside the import's transaction); False when the
    same proposal was kept before (a bundle imported again)."""
    name = store.db.execute("SELECT name FROM sync_peers WHERE node_id = ?", [peer]).fetchone()
    cur = store.db.execute(
        "INSERT OR IGNORE INTO sync_proposals (id, table_name, record_id, peer, peer_name, "
        "stored_version, proposed_version, proposed_row, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            uuid.uuid4().hex,
            table,
            row["id"],
            peer,
            name[0] if name else None,
            stored_version or "",
            row["version"],
            json.dumps(
                {k: v for k, v in row.items() if not k.startswith("_")},
                ensure_ascii=False,
                sort_keys=True,
            ),
            now_iso(),
        ],
    )
    return cur.rowcount == 1


def _decode(row: tuple) -> dict[str, Any]:
    out = dict(zip(COLUMNS, row, strict=True))
    out["proposed_row"] = json.loads(out["proposed_row"])
    proposed = out["proposed_row"]
    out["label"] = proposed.get("decision_no") or proposed.get("name") or out["record_id"]
    out["new_record"] = not out["stored_version"]
    return out


def list_(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    rows = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM sync_proposals {where} ORDER BY received_at DESC, id"
    ).fetchall()
    out = [_decode(r) for r in rows]
    for p in out:
        p["fields"] = _changes(store, p)
    return out


def count_open(store: Store) -> int:
    return store.db.execute(
        "SELECT count(*) FROM sync_proposals WHERE resolved_at IS NULL"
    ).fetchone()[0]


def get(store: Store, proposal_id: str) -> dict[str, Any]:
    rows = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM sync_proposals WHERE id = ? OR id LIKE ? || '%'",
        [proposal_id, proposal_id],
    ).fetchall()
    exact = [r for r in rows if r[0] == proposal_id]
    if exact:
        rows = exact
    if len(rows) != 1 or not proposal_id:
        raise NotFound("sync.proposal_not_found", id=proposal_id)
    return _decode(rows[0])


def _current(store: Store, table: str, record_id: str) -> dict[str, Any] | None:
    try:
        return records.get(store, table, record_id, include_deleted=True)
    except NotFound:
        return None


def _changes(store: Store, proposal: dict[str, Any]) -> list[str]:
    current = _current(store, proposal["table_name"], proposal["record_id"]) or {}
    proposed = proposal["proposed_row"]
    skip = set(SYNC_FIELDS) - {"deleted"}
    return sorted(
        k
        for k in proposed
        if k not in skip and not k.endswith("_key") and proposed.get(k) != current.get(k)
    )


def decide(store: Store, proposal_id: str, decision: str) -> dict[str, Any]:
    """Accept or reject a proposal; returns it, with the fields that changed."""
    if decision not in DECISIONS:
        raise UserError("sync.bad_decision", decision=decision)
    proposal = get(store, proposal_id)
    if proposal["resolved_at"]:
        raise UserError("sync.proposal_resolved", id=proposal["id"])
    table, record_id = proposal["table_name"], proposal["record_id"]
    proposed = proposal["proposed_row"]
    with dbmod.transaction(store.db):
        current = _current(store, table, record_id)
        proposal["fields"] = _changes(store, proposal)
        if decision == "accept":
            if current is None:
                _insert_as_sent(store, table, proposed)
            else:
                if current["deleted"] and not proposed.get("deleted"):
                    records.set_deleted(store, table, record_id, False)
                values = {
                    k: v for k, v in proposed.items() if k not in SYNC_FIELDS and k in current
                }
                records.update(store, table, record_id, values)
                if proposed.get("deleted") and not current["deleted"]:
                    records.set_deleted(store, table, record_id, True)
        elif current is None:
            # The office holds a record the province does not want: the trash, everywhere.
            _insert_as_sent(store, table, proposed)
            records.set_deleted(store, table, record_id, True)
        if table == "recognitions" and proposed.get("product_id"):
            recognitions.refresh_current(store, [proposed["product_id"]])
        store.db.execute(
            "UPDATE sync_proposals SET resolved_at = ?, resolution = ? WHERE id = ?",
            [now_iso(), decision, proposal["id"]],
        )
    return proposal


def _insert_as_sent(store: Store, table: str, row: dict[str, Any]) -> None:
    """The office's record as it sent it: same id and version, so the office sees
    nothing new; a new change number here, so other offices receive it."""
    cols = [c for c in row if c not in ("rid", "seq") and not c.startswith("_")]
    store.db.execute(
        f"INSERT INTO {table} ({', '.join(cols)}, seq) VALUES ({', '.join('?' * (len(cols) + 1))})",
        [*(row[c] for c in cols), dbmod.next_seq(store.db)],
    )
    records.audit(store, table, row["id"], "accept", new=row["version"])
