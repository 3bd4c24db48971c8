"""Applying a verified bundle: backup, then one transaction.

For each incoming row, against the stored one:
  unknown                           -> insert
  same version                      -> unchanged
  newer, and ours is its ancestor   -> take it
  older, and it is our ancestor     -> unchanged (an old bundle again)
  otherwise (concurrent edits)      -> the higher version wins (the clock makes
                                       that "later, then node id"); the other
                                       side is kept in ``conflicts``
Versions come from a hybrid logical clock that every node moves past what it
receives, so a descendant always sorts after its ancestors: every node ends
with the same winner whatever the order in which bundles arrive.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlite3  # the sqlite3 API over SQLCipher

from ocop_desktop import backup, recognitions
from ocop_desktop import db as dbmod
from ocop_desktop.migrations import SYNCED_TABLES
from ocop_desktop.records import now_iso
from ocop_desktop.store import Store
from ocop_desktop.sync import conflicts as conflicts_mod
from ocop_desktop.sync import identity, lineage, members, peers, proofs, seal, values
from ocop_desktop.sync import proposals as proposals_mod
from ocop_desktop.sync.export import columns
from ocop_desktop.sync.verify import Bundle, bad_values, refuse

Progress = Callable[[int, int], None]
CHUNK = 900


@dataclass
class ApplyResult:
    sender: str
    fingerprint: str = ""
    newly_trusted: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    proposals: int = 0  # an office's changes to the province's records, kept for review
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    backup: str | None = None
    peer_restored: bool = False  # the sender's database went back in time: re-sending
    self_restored: bool = False  # ours had, found by the sender's acknowledgement

    def as_dict(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "fingerprint": self.fingerprint,
            "newly_trusted": self.newly_trusted,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "proposals": self.proposals,
            "tables": self.tables,
            "backup": self.backup,
            "peer_restored": self.peer_restored,
            "self_restored": self.self_restored,
        }


@dataclass
class _Plan:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    takes: list[tuple[dict[str, Any], tuple]] = field(default_factory=list)  # (row, stored)
    unchanged: int = 0
    kept: list[tuple[dict[str, Any], tuple]] = field(default_factory=list)  # ours wins
    protected: list[tuple[dict[str, Any], tuple]] = field(default_factory=list)  # see scope
    proposed: list[tuple[dict[str, Any], tuple | None]] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.inserts or self.takes)


def _stored(store: Store, table: str, ids: list[str]) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in store.db.execute(
            f"SELECT id, version FROM {table} WHERE id IN ({marks})", chunk
        ).fetchall():
            found[r[0]] = r
    return found


def _is_ancestor(store: Store, record_id: str, version: str) -> bool:
    return (
        store.db.execute(
            "SELECT 1 FROM sync_ancestry WHERE record_id = ? AND version = ?", [record_id, version]
        ).fetchone()
        is not None
    )


def _plan(
    store: Store,
    table: str,
    rows: list[dict[str, Any]],
    protected: set[str] = frozenset(),
    proposals: set[str] = frozenset(),
) -> _Plan:
    plan = _Plan()
    stored = _stored(store, table, [r["id"] for r in rows])
    for row in rows:
        have = stored.get(row["id"])
        if row["id"] in proposals and (have is None or row["version"] > have[1]):
            plan.proposed.append((row, have))
        elif row["id"] in protected and have is not None and have[1] != row["version"]:
            plan.protected.append((row, have))
        elif have is None:
            plan.inserts.append(row)
        elif have[1] == row["version"]:
            plan.unchanged += 1
        elif row["version"] > have[1]:
            plan.takes.append((row, have))
        else:
            plan.unchanged += 1
            if row.get("base_version") != have[1] and not _is_ancestor(
                store, row["id"], row["version"]
            ):
                plan.kept.append((row, have))
    return plan


def _full_row(store: Store, table: str, record_id: str) -> dict[str, Any]:
    cur = store.db.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id])
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone(), strict=True))
    row.pop("rid", None)
    row.pop("seq", None)
    return row


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("_anc", proofs.KEY)}


def _conflict(
    store: Store,
    table: str,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    winner: str,
    peer: str,
) -> int:
    """Keep the losing side, once per losing version (a replay records nothing new)."""
    loser = mine if winner == "theirs" else theirs
    exists = store.db.execute(
        "SELECT 1 FROM conflicts WHERE table_name = ? AND record_id = ? "
        "AND ((winner = 'theirs' AND mine_version = ?) OR (winner = 'mine' AND theirs_version = ?))",
        [table, mine["id"], loser["version"], loser["version"]],
    ).fetchone()
    if exists:
        return 0
    store.db.execute(
        "INSERT OR IGNORE INTO conflicts (id, table_name, record_id, mine_version, theirs_version, "
        "winner, mine_row, theirs_row, peer, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            uuid.uuid4().hex,
            table,
            mine["id"],
            mine["version"],
            theirs["version"],
            winner,
            json.dumps(mine, ensure_ascii=False, sort_keys=True),
            json.dumps(_public(theirs), ensure_ascii=False, sort_keys=True),
            peer,
            now_iso(),
        ],
    )
    return 1


def _write_attachments(store: Store, result: Bundle, plain: Path) -> None:
    """Content-addressed files, each checked again as it is written; an unused
    file is harmless, so this happens before the database transaction."""
    if not result.attachments:
        return
    folder = store.data_dir / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(plain) as zf:
        for sha in result.attachments:
            target = folder / sha
            if target.exists():
                continue
            data = zf.read(f"attachments/{sha}")
            if hashlib.sha256(data).hexdigest() != sha:
                raise refuse("bad_hash", name=f"attachments/{sha}")
            tmp = folder / f".{sha}.{os.getpid()}.part"
            tmp.write_bytes(data)
            tmp.replace(target)


def apply_bundle(store: Store, result: Bundle, progress: Progress | None = None) -> ApplyResult:
    """Apply a bundle that :func:`verify` (or :func:`inspect` plus a person's trust) passed."""
    sender = result.sender
    out = ApplyResult(
        sender=sender.name or sender.node_id,
        fingerprint=sender.fingerprint,
        newly_trusted=not result.known,
    )
    replay = result.known and result.manifest["max_seq"] <= sender.received_seq
    if not replay:  # a bundle seen before changes nothing: no backup needed for it
        out.backup = str(backup.backup_now(store.path, store.db.conn, reason="before-sync"))
    # A sealed bundle is decrypted once more (authenticated, so the same bytes the
    # check read, or refused); a plain one is read in place.
    with seal.opened(store, result.path) as plain:
        _write_attachments(store, result, plain)
        try:
            _apply_all(store, result, plain, out, progress)
        except (sqlite3.IntegrityError, OverflowError) as exc:  # rolled back: as before
            raise refuse("apply_failed", detail=str(exc)) from exc
    lineage.remember(store)
    if progress:
        progress(result.total, result.total)
    return out


def _apply_all(
    store: Store, result: Bundle, plain: Path, out: ApplyResult, progress: Progress | None
) -> None:
    sender = result.sender
    total = max(result.total, 1)
    done = 0
    with dbmod.transaction(store.db):
        lineage.check(store)  # inside: a killed import leaves no trace
        seq_before = _seq(store)
        seal.remember_sender(store, result.manifest)  # with the rows: all or nothing
        if not result.known:
            # Checked again under the write lock: the same first bundle imported twice
            # at once was trusted by the other import meanwhile.
            already = peers.get(store, sender.node_id)
            if already is None:
                if result.office_choice == "replacement":  # the old computer is retired
                    for old in identity.same_office(store, sender):
                        store.db.execute("DELETE FROM sync_peers WHERE node_id = ?", [old.node_id])
                sender.trusted_at = now_iso()
                peers.add(store, sender)
            elif already.public_key != sender.public_key:
                raise refuse(
                    "key_changed",
                    name=already.name or already.node_id,
                    known=already.fingerprint,
                    found=sender.fingerprint,
                )
        touched_products: set[str] = set()
        newest = result.newest
        for table in SYNCED_TABLES:
            meta = result.members.get(table)
            if not meta or not meta["rows"]:
                continue
            counts = dict.fromkeys(
                ("inserted", "updated", "unchanged", "conflicts", "proposals"), 0
            )
            for rows in members.reread(plain, meta, table, shown=result.path.name):
                plan = _plan(store, table, rows, result.protected, result.proposals)
                if table != "attachments":  # checked with their files, before (verify)
                    checked = (
                        plan.inserts + [r for r, _ in plan.takes] + [r for r, _ in plan.proposed]
                    )
                    bad = values.problems(store, table, checked)
                    if bad:  # parents of this bundle are in place by now: checked like a save
                        raise bad_values(bad)
                for key, n in _apply_table(store, table, plan, sender.node_id).items():
                    counts[key] += n
                if sender.role == "province" and table in proofs.PROOF_TABLES:
                    proofs.keep(store, table, rows, sender.public_key)
                if table == "recognitions":
                    touched_products |= {r["product_id"] for r in plan.inserts}
                    touched_products |= {r["product_id"] for r, _ in plan.takes}
                done += len(rows)
                if progress:
                    progress(done, total)
            out.tables[table] = counts
            out.inserted += counts["inserted"]
            out.updated += counts["updated"]
            out.unchanged += counts["unchanged"]
            out.conflicts += counts["conflicts"]
            out.proposals += counts["proposals"]
        if newest:
            store.observe_version(newest)
        if touched_products:
            recognitions.refresh_current(
                store, sorted(touched_products) if len(touched_products) < 5000 else None
            )
        _record(store, result, out, seq_before)


def _apply_table(store: Store, table: str, plan: _Plan, peer: str) -> dict[str, int]:
    db = store.db
    cols = columns(store, table)
    conflicts = 0
    for row, _have in plan.kept:
        conflicts += _conflict(store, table, _full_row(store, table, row["id"]), row, "mine", peer)
    for row, have in plan.takes:
        if have[1] not in row.get("_anc", []) and row.get("base_version") != have[1]:
            conflicts += _conflict(
                store, table, _full_row(store, table, row["id"]), row, "theirs", peer
            )
    for row, have in plan.protected:
        conflicts += _conflict(store, table, _full_row(store, table, row["id"]), row, "mine", peer)
        _restamp(store, table, row, have[1], peer)
    proposals = 0
    for row, have in plan.proposed:
        if proposals_mod.keep(store, table, row, have[1] if have else None, peer):
            proposals += 1
            if have is not None:  # ours stays, as a version the office will take
                _restamp(store, table, row, have[1], peer)
    changed = len(plan.inserts) + len(plan.takes)
    if changed:
        last = dbmod.next_seq(db, changed)
        seqs = iter(range(last - changed + 1, last + 1))
        # Rows from an older schema lack newer columns: those keep their
        # defaults (insert) or stored values (update).
        for present, rows in _by_columns(plan.inserts, cols):
            pick = itemgetter(*present)
            db.conn.executemany(
                f"INSERT INTO {table} ({', '.join(present)}, seq) "
                f"VALUES ({', '.join('?' * (len(present) + 1))})",
                ((*pick(r), next(seqs)) for r in rows),
            )
        for present, rows in _by_columns([r for r, _ in plan.takes], cols):
            fields = [c for c in present if c != "id"]
            pick = itemgetter(*fields)
            db.conn.executemany(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in fields)}, seq = ? WHERE id = ?",
                ((*pick(r), next(seqs), r["id"]) for r in rows),
            )
        applied = plan.inserts + [r for r, _ in plan.takes]
        db.conn.executemany(
            "INSERT OR IGNORE INTO sync_ancestry (record_id, version) VALUES (?, ?)",
            ((r["id"], v) for r in applied for v in r.get("_anc") or ()),
        )
        conflicts_mod.close_settled(store, [r["id"] for r, _ in plan.takes])
        at = now_iso()
        db.conn.executemany(
            "INSERT INTO audit (at, officer, node, table_name, record_id, action, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, 'sync', NULL, ?, ?)",
            [(at, store.officer, peer, table, r["id"], None, r["version"]) for r in plan.inserts]
            + [
                (at, store.officer, peer, table, r["id"], h[1], r["version"]) for r, h in plan.takes
            ],
        )
    return {
        "inserted": len(plan.inserts),
        "updated": len(plan.takes),
        "unchanged": plan.unchanged + len(plan.protected) + len(plan.proposed) - proposals,
        "conflicts": conflicts,
        "proposals": proposals,
    }


def _restamp(store: Store, table: str, row: dict[str, Any], ours: str, peer: str) -> None:
    """Keep our row over an office's edit of a record that has left its area, as a
    new version descending from both, so the office takes it without a conflict."""
    store.observe_version(row["version"])
    version = store.next_version()
    store.db.execute(
        f"UPDATE {table} SET version = ?, base_version = ?, origin = ?, seq = ?, "
        "updated_at = ?, updated_by = ? WHERE id = ?",
        [
            version,
            row["version"],
            store.node.id,
            dbmod.next_seq(store.db),
            now_iso(),
            store.officer or None,
            row["id"],
        ],
    )
    store.db.conn.executemany(
        "INSERT OR IGNORE INTO sync_ancestry (record_id, version) VALUES (?, ?)",
        [(row["id"], v) for v in {ours, row["version"], *(row.get("_anc") or ())}],
    )
    store.db.execute(
        "INSERT INTO audit (at, officer, node, table_name, record_id, action, field, old, new) "
        "VALUES (?, ?, ?, ?, ?, 'sync', 'scope', ?, ?)",
        [now_iso(), store.officer, peer, table, row["id"], row["version"], version],
    )


def _by_columns(
    rows: list[dict[str, Any]], cols: list[str]
) -> list[tuple[list[str], list[dict[str, Any]]]]:
    """Rows grouped by which of ``cols`` they carry (normally one group: all)."""
    if all(len(r) - ("_anc" in r) - (proofs.KEY in r) == len(cols) for r in rows):
        return [(cols, rows)] if rows else []
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(tuple(c for c in cols if c in r), []).append(r)
    return [(list(k), v) for k, v in groups.items()]


def _record(store: Store, result: Bundle, out: ApplyResult, seq_before: int) -> None:
    manifest = result.manifest
    sender = result.sender
    peer = peers.get(store, sender.node_id)
    assert peer is not None
    info = manifest["sender"]
    theirs = info.get("incarnation")  # None: a bundle of format 1
    chain = [(str(i), int(n)) for i, n in info.get("lineage") or []]
    known_chain = [(str(i), int(n)) for i, n in json.loads(peer.lineage or "[]")]
    message = None
    if (
        theirs is not None
        and peer.incarnation not in (None, theirs)
        and theirs in dict(known_chain)
    ):
        # A bundle from a history the sender has since left (made before its
        # restore, delivered late): its rows were applied like any, the counts stay.
        _log(store, result, out, "old_history", None)
        return
    ack_inc = manifest.get("ack_incarnation")
    if lineage.acknowledged_beyond(
        store, ack_inc, manifest["ack_seq"], manifest.get("ack_proof"), seq_before
    ):
        # The peer has changes of ours this database no longer holds, and our own
        # signature says we made them: it went back in time without the state file
        # noticing (a laptop restored from an image). The acknowledgement now
        # counts in the history just left: cut at the fork.
        lineage.fork(store)
        out.self_restored = True
    ack = lineage.valid_ack(store, ack_inc, manifest["ack_seq"])
    received, acked = peer.received_seq, max(peer.acked_seq, ack)
    resend_until, restored_at = peer.resend_until, peer.restored_at
    if theirs is not None and peer.incarnation is not None and theirs != peer.incarnation:
        # The sender's database went back in time: what we counted from its old
        # history holds only up to the fork point, and what it lost of ours (and
        # of its own, that we hold) goes to it again.
        received = lineage.valid_count(chain, peer.incarnation, received)
        acked = ack
        # A number of its own, so no bundle made before this one counts as the resend.
        resend_until = dbmod.next_seq(store.db)
        restored_at = now_iso()
        message = f"restored: resend from {acked}"
        out.peer_restored = True
    replay = (
        message is None and manifest["max_seq"] <= received and not (out.inserted or out.updated)
    )
    if replay and theirs in (None, peer.incarnation) and ack <= peer.acked_seq:
        _log(store, result, out, "replay", None)  # a bundle seen before changes nothing
        return
    if manifest["since_seq"] <= received:
        received = max(received, manifest["max_seq"])
    if received >= manifest["max_seq"]:
        lineage.keep_seq_proof(store, sender.node_id, sender.public_key, manifest)
    lineage.touch(store)
    store.db.execute(
        "UPDATE sync_peers SET received_seq = ?, acked_seq = ?, last_received_at = ?, "
        "incarnation = coalesce(?, incarnation), lineage = coalesce(?, lineage), "
        "resend_until = ?, restored_at = ? WHERE node_id = ?",
        [
            received,
            min(acked, _seq(store)),
            now_iso(),
            theirs,
            json.dumps(chain) if chain else None,
            resend_until,
            restored_at,
            sender.node_id,
        ],
    )
    _log(store, result, out, "ok", message)


def _log(store: Store, result: Bundle, out: ApplyResult, status: str, message: str | None) -> None:
    manifest = result.manifest
    sender = result.sender
    store.db.execute(
        "INSERT INTO sync_log (at, direction, peer, peer_name, file_name, sha256, since_seq, "
        "max_seq, rows, inserted, updated, unchanged, conflicts, status, message) "
        "VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now_iso(),
            sender.node_id,
            sender.name,
            result.path.name,
            result.sha256,
            manifest["since_seq"],
            manifest["max_seq"],
            result.total,
            out.inserted,
            out.updated,
            out.unchanged,
            out.conflicts,
            status,
            message,
        ],
    )


def _seq(store: Store) -> int:
    return int(dbmod.get_meta(store.db, "seq") or 0)
