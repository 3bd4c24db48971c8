"""The nodes this node exchanges bundles with, and whom it trusts.

An office has one peer, its province. The province has one peer per office
laptop (two laptops of one office are two peers with the same office code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store

COLUMNS = (
    "node_id",
    "role",
    "office_code",
    "province_code",
    "name",
    "area",
    "public_key",
    "fingerprint",
    "trusted_at",
    "received_seq",
    "sent_seq",
    "acked_seq",
    "last_received_at",
    "last_sent_at",
    "incarnation",
    "lineage",
    "resend_until",
    "restored_at",
)


@dataclass
class Peer:
    node_id: str
    role: str
    office_code: str | None
    province_code: int | None
    name: str | None
    area: frozenset[int]
    public_key: str
    fingerprint: str
    trusted_at: str
    received_seq: int = 0
    sent_seq: int = 0
    acked_seq: int = 0
    last_received_at: str | None = None
    last_sent_at: str | None = None
    incarnation: str | None = None  # of the peer's database, as last seen
    lineage: str | None = None  # JSON [[incarnation, fork_seq], ...] as last seen
    resend_until: int = 0  # our rows of the peer's own origin up to here are sent again
    restored_at: str | None = None  # when we last saw its database go back in time

    def as_dict(self) -> dict[str, Any]:
        out = {c: getattr(self, c) for c in COLUMNS}
        out["area"] = sorted(self.area)
        return out


def _from_row(row: tuple) -> Peer:
    data = dict(zip(COLUMNS, row, strict=True))
    data["area"] = frozenset(json.loads(data["area"] or "[]"))
    return Peer(**data)


def all_peers(store: Store) -> list[Peer]:
    rows = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM sync_peers ORDER BY office_code, name, node_id"
    ).fetchall()
    return [_from_row(r) for r in rows]


def get(store: Store, node_id: str) -> Peer | None:
    row = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM sync_peers WHERE node_id = ?", [node_id]
    ).fetchone()
    return _from_row(row) if row else None


def province_peer(store: Store) -> Peer | None:
    row = store.db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM sync_peers WHERE role = 'province' LIMIT 1"
    ).fetchone()
    return _from_row(row) if row else None


def find(store: Store, ref: str | None) -> Peer | None:
    """The peer an export goes to. An office needs no ``ref``: its only peer is the
    province, and before the province is known the answer is None (a first bundle)."""
    if not store.node.is_province:
        if ref and ref not in ("province", "tinh"):
            found = get(store, ref)
            if found is None or found.role != "province":
                raise UserError("sync.office_only_to_province", peer=ref)
            return found
        return province_peer(store)
    if not ref:
        raise UserError("sync.peer_needed")
    found = get(store, ref)
    if found:
        return found
    matches = [p for p in all_peers(store) if p.office_code == ref]
    if not matches:
        raise UserError("sync.unknown_peer", peer=ref)
    if len(matches) > 1:
        raise UserError(
            "sync.ambiguous_peer", peer=ref, nodes=", ".join(p.node_id for p in matches)
        )
    return matches[0]


def add(store: Store, peer: Peer) -> None:
    data = peer.as_dict()
    data["area"] = json.dumps(sorted(peer.area))
    store.db.execute(
        f"INSERT INTO sync_peers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        [data[c] for c in COLUMNS],
    )


def forget(store: Store, ref: str) -> Peer:
    """Stop trusting a peer (a computer replaced or reinstalled): its next bundle
    needs a person's confirmation again, and the next bundle to it carries
    everything in its scope. Records and history stay."""
    found = get(store, ref)
    if found is None:
        matches = [
            p
            for p in all_peers(store)
            if p.office_code == ref or (ref == "province" and p.role == "province")
        ]
        if len(matches) > 1:
            raise UserError(
                "sync.ambiguous_peer", peer=ref, nodes=", ".join(p.node_id for p in matches)
            )
        if not matches:
            raise UserError("sync.unknown_peer", peer=ref)
        found = matches[0]
    with transaction(store.db):
        store.db.execute("DELETE FROM sync_peers WHERE node_id = ?", [found.node_id])
    return found


def label(peer: Peer | None) -> str:
    if peer is None:
        return "province"
    if peer.role == "province":
        return f"province-{peer.province_code}"
    return f"{peer.office_code or 'office'}"
