"""Databases go back in time: this node's incarnation and lineage.

A node's change numbers (``seq``) only mean something within one history of its
database. When the database goes back in time (a backup restored, an old copy
put in place, a laptop re-imaged) the numbers after that point are reused for
different changes, so acknowledgements that counted them are wrong.

Each history is an *incarnation*: a random id kept in the database, replaced by
a new one whenever the database is found to have gone back. The *lineage* lists
every incarnation the database descends from with the ``seq`` at which the next
one began (its fork point). Bundles carry the sender's incarnation and lineage,
and every acknowledgement names the incarnation it counts in, so (as CouchDB's
replication checkpoints do) a count made in a history that has since been left
is cut back to the fork point, or to zero when the history is unknown, and
both sides send again what the other may have lost.

A rollback is found two ways: every exchange writes a fresh token into the
database and into a small state file beside it (not in it, so restoring the
file does not restore the state file): a database whose token differs is an
older copy. And when a whole disk image brings both back, a peer acknowledges
a change number this database has not reached, with this database's own
signature that it did reach it (``ack_proof``, see sync/proofs.py): a bare
number from a peer starts nothing.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from ocop_desktop import db as dbmod
from ocop_desktop.store import Store
from ocop_desktop.sync import proofs
from ocop_desktop.sync.peers import Peer

STATE_FILE = "sync-state.json"


def _seq(store: Store) -> int:
    return int(dbmod.get_meta(store.db, "seq") or 0)


def lineage(store: Store) -> list[tuple[str, int]]:
    """``[(incarnation, fork_seq), ...]``, oldest first; the last is the current one."""
    raw = dbmod.get_meta(store.db, "lineage")
    if raw:
        try:
            return [(str(i), int(s)) for i, s in json.loads(raw)]
        except (ValueError, TypeError):
            pass
    return []


def current(store: Store) -> str:
    """This database's incarnation, made on first use (inside the caller's transaction
    if there is one)."""
    found = lineage(store)
    if found:
        return found[-1][0]
    return _begin(store, [], 0)


def _begin(store: Store, before: list[tuple[str, int]], fork_seq: int) -> str:
    incarnation = uuid.uuid4().hex
    chain = [*before, (incarnation, fork_seq)]
    with dbmod.transaction(store.db):
        dbmod.set_meta(store.db, "lineage", json.dumps(chain))
        if before:
            dbmod.set_meta(store.db, "rolled_back_at", _now())
            dbmod.set_meta(store.db, "rolled_back_seq", str(fork_seq))
    return incarnation


def fork(store: Store) -> str:
    """Start a new incarnation: this database went back in time. The new history
    shares with the old one at least every change this copy had sent (``sent_seq``);
    later numbers may since have been used for other changes."""
    current(store)
    return _begin(store, lineage(store), sent_seq(store))


def sent_seq(store: Store) -> int:
    """The highest change number this database has put in a bundle."""
    return int(dbmod.get_meta(store.db, "sent_seq") or 0)


def note_sent(store: Store, max_seq: int) -> None:
    """Inside the export's transaction."""
    dbmod.set_meta(store.db, "sent_seq", str(max(sent_seq(store), max_seq)))


def valid_count(chain: list[tuple[str, int]], incarnation: str | None, seq: int) -> int:
    """How much of a count of ``seq`` changes made in ``incarnation`` still holds in
    the history ``chain`` describes: all of it up to each later fork point, none of
    it if ``chain`` does not descend from that incarnation."""
    if incarnation is None:
        return seq  # a bundle of format 1: no histories to compare
    names = [i for i, _ in chain]
    if incarnation not in names:
        return 0
    for _, fork_seq in chain[names.index(incarnation) + 1 :]:
        seq = min(seq, fork_seq)
    return max(seq, 0)


def valid_ack(store: Store, incarnation: str | None, seq: int) -> int:
    """What a peer's acknowledgement of our changes is worth in our current history."""
    return min(valid_count(lineage(store) or [(current(store), 0)], incarnation, seq), _seq(store))


def state_path(store: Store) -> Path:
    return store.data_dir / STATE_FILE


def _read_state(store: Store) -> dict | None:
    try:
        data = json.loads(state_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("node") != store.node.id:
        return None
    return data


def behind_state(store: Store) -> bool:
    """Whether the database is not the one that last sent or received a bundle, as
    the state file beside it tells (it has gone back in time since). Reads only."""
    state = _read_state(store)
    if state is None:
        return False
    names = [i for i, _ in lineage(store)]
    if state.get("incarnation") not in names:
        return True  # the file now in place is from another history (or none yet)
    return state.get("token") != dbmod.get_meta(store.db, "sync_token")  # an older copy


def keep_seq_proof(store: Store, node_id: str, public_b64: str, manifest: dict) -> None:
    """Keep a peer's signed statement of how far its history has gone (its bundle's
    ``sender.seq_proof``), to send back as ``ack_proof`` with the acknowledgement
    of that bundle (inside the import's transaction)."""
    info = manifest.get("sender") or {}
    proof, incarnation, seq = info.get("seq_proof"), info.get("incarnation"), manifest["max_seq"]
    if not isinstance(proof, str) or not isinstance(incarnation, str):
        return
    signed = {"incarnation": incarnation, "seq": seq, "signature": proof}
    if not proofs.seq_signed_by(public_b64, node_id, signed):
        return
    dbmod.set_meta(store.db, f"ack_proof:{node_id}", json.dumps(signed))


def ack_proof(store: Store, peer: Peer | None) -> dict | None:
    """The peer's own signature of the history our acknowledgement counts in, when
    we hold one for its current incarnation."""
    if peer is None or peer.incarnation is None:
        return None
    raw = dbmod.get_meta(store.db, f"ack_proof:{peer.node_id}")
    try:
        found = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(found, dict) or found.get("incarnation") != peer.incarnation:
        return None
    return found


def acknowledged_beyond(
    store: Store, incarnation: str | None, seq: int, proof: object, seq_before: int
) -> bool:
    """Whether a peer's acknowledgement shows that this database went back in time:
    it counts in our current history, past the change numbers we hold, and comes
    with our own signature that this history did reach that far. A number a peer
    writes is not enough: an office could make the province believe it was
    restored (and send everything again to everyone)."""
    return (
        incarnation is not None
        and incarnation == current(store)
        and seq > seq_before
        and proofs.seq_proven(store, proof, incarnation, seq)
    )


def check(store: Store) -> bool:
    """Compare the database with the state file beside it; start a new incarnation if
    the database is not the one that last sent or received a bundle (it has gone
    back in time). Call inside the sync operation's transaction. Returns True when
    it had gone back."""
    current(store)
    rolled_back = behind_state(store)
    if rolled_back:
        fork(store)
    return rolled_back


def touch(store: Store) -> None:
    """Mark this state of the database as the one that took part in an exchange
    (inside the exchange's transaction; :func:`remember` after it)."""
    dbmod.set_meta(store.db, "sync_token", uuid.uuid4().hex)


def remember(store: Store) -> None:
    """After the sync operation's transaction: note beside the database which state
    of it took part in the last exchange. Written atomically."""
    path = state_path(store)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    state = {
        "node": store.node.id,
        "incarnation": current(store),
        "token": dbmod.get_meta(store.db, "sync_token"),
        "seq": _seq(store),
    }
    try:
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _now() -> str:
    from ocop_desktop.records import now_iso

    return now_iso()
