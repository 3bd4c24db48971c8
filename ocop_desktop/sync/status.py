"""What the sync page and ``ocop sync status`` show: identity, peers, waiting rows, history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ocop_desktop import db as dbmod
from ocop_desktop.migrations import SYNCED_TABLES
from ocop_desktop.store import Store
from ocop_desktop.sync import conflicts, keys, peers, proposals, scope
from ocop_desktop.sync.export import changed
from ocop_desktop.sync.peers import Peer

REFUSED_LOG = "sync-refused.jsonl"


def whoami(store: Store) -> dict[str, Any]:
    node = store.node
    public = keys.public_key_b64(store)
    return {
        "node": node.id,
        "role": node.role,
        "office_code": node.office_code,
        "province_code": node.province_code,
        "name": node.name,
        "fingerprint": keys.fingerprint(public),
        "public_key": public,
    }


def waiting(store: Store, peer: Peer | None) -> int:
    """Rows the next bundle to ``peer`` would carry."""
    since = peer.acked_seq if peer else 0
    filters, params = scope.bundle_filters(store, peer)
    params |= {
        "since": since,
        "recipient": peer.node_id if peer else None,
        "resend_until": peer.resend_until if peer else 0,
    }
    total = 0
    for table in SYNCED_TABLES:
        total += store.db.execute(
            f"SELECT count(*) FROM {table} t WHERE {changed(peer)} AND ({filters[table]})",
            params,
        ).fetchone()[0]
    return total


def resent(store: Store, peer: Peer) -> dict[str, Any]:
    """What went to ``peer`` again since its database was last seen going back in
    time: the bundles sent since, the change number the first of them started
    after (the sender's count cut back to what the restored copy still holds) and
    how many rows they carried. No bundle yet: ``since`` is where the next starts."""
    # The import that noticed the restore logged it (sync/apply.py); what went out
    # after that entry is what was sent again.
    noticed = store.db.execute(
        "SELECT max(id) FROM sync_log WHERE direction = 'in' AND peer = ? "
        "AND message LIKE 'restored:%'",
        [peer.node_id],
    ).fetchone()[0]
    rows = store.db.execute(
        "SELECT since_seq, rows FROM sync_log WHERE direction = 'out' AND peer = ? "
        "AND status = 'ok' AND (id > ? OR (? IS NULL AND at >= ?)) ORDER BY id",
        [peer.node_id, noticed, noticed, peer.restored_at],
    ).fetchall()
    return {
        "since": rows[0][0] if rows else peer.acked_seq,
        "bundles": len(rows),
        "rows": sum(r[1] or 0 for r in rows),
    }


def status(store: Store) -> dict[str, Any]:
    me = whoami(store)
    me.pop("public_key")
    out_peers = []
    known = peers.all_peers(store)
    for p in known:
        d = p.as_dict()
        d.pop("public_key")
        d.pop("area")
        d.pop("lineage")
        d["waiting"] = waiting(store, p)
        if p.restored_at:
            d["resent"] = resent(store, p)
        out_peers.append(d)
    result = {
        "node": me,
        "seq": int(dbmod.get_meta(store.db, "seq") or 0),
        "peers": out_peers,
        "open_conflicts": conflicts.count_open(store),
        "open_proposals": proposals.count_open(store),
        "restored_at": dbmod.get_meta(store.db, "rolled_back_at"),
        "restored_seq": int(dbmod.get_meta(store.db, "rolled_back_seq") or 0),
    }
    if not store.node.is_province and not any(p.role == "province" for p in known):
        result["waiting_for_province"] = waiting(store, None)
    return result


def history(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    """Every bundle in and out (newest first), with refused files from the side log."""
    cur = store.db.execute(
        "SELECT at, direction, peer, peer_name, file_name, since_seq, max_seq, rows, inserted, "
        "updated, unchanged, conflicts, status, message FROM sync_log ORDER BY id DESC LIMIT ?",
        [limit],
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    rows += refused(store)
    rows.sort(key=lambda r: r["at"] or "", reverse=True)
    return rows[:limit]


def refused_log_path(store: Store) -> Path:
    return store.data_dir / REFUSED_LOG


def note_refused(store: Store, file_name: str, message: str, at: str) -> None:
    """Refusals are written beside the database, never into it: a refused bundle
    leaves the database byte-identical."""
    entry = {
        "at": at,
        "direction": "in",
        "file_name": file_name,
        "status": "refused",
        "message": message,
    }
    try:
        with open(refused_log_path(store), "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        pass


def refused(store: Store) -> list[dict[str, Any]]:
    path = refused_log_path(store)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines()[-500:]:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
