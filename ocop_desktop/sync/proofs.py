"""Proofs of the province's authorship: a row's word is not enough.

A row says who wrote it (``origin``, the node in its ``version``), but an office
holding a valid key can write anything there. Where the province has authority
(decisions, its council's evaluations, targets, rounds: ``PROOF_TABLES``) it
signs every row it wrote, as it sends it, with its identity key: an Ed25519
signature over :func:`payload` (the table and every column of the row, its id
and version included), carried in the row under ``_sig``. An office keeps the
signature with that version (``sync_proofs``) and sends it back with it. After a
restore the province takes a row an office sends back as its own, lost by the
restore, only when the signature holds with its own key for exactly that row;
anything else the office sends that the province owns is a proposal.

The same key signs, in each bundle's manifest, how far the sender's history has
gone (``sender.seq_proof``: node, incarnation, change number). The receiver
sends it back as ``ack_proof`` with its acknowledgement, so a node starts a new
history because of a peer's acknowledgement only when its own signature says it
had reached that change number (see sync/lineage.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.migrations import ROUND_TABLES
from ocop_desktop.store import Store
from ocop_desktop.sync import keys

PROOF_TABLES = ("evaluations", "recognitions", "targets", *ROUND_TABLES)
KEY = "_sig"
SIGNATURE_RE = re.compile(r"^[0-9a-f]{128}$")


def payload(table: str, row: dict[str, Any]) -> bytes:
    """The bytes a row's proof signs: the table and the row's columns (not the
    keys a bundle adds, ``_anc`` and ``_sig``), in one canonical JSON form."""
    body = {k: v for k, v in row.items() if not k.startswith("_")}
    return json.dumps(
        {"proof": "ocop-row-1", "table": table, "row": body},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def authored_by(node_id: str, row: dict[str, Any]) -> bool:
    """Whether ``row`` says ``node_id`` wrote it (origin and version's node)."""
    version = row.get("version")
    return (
        row.get("origin") == node_id
        and isinstance(version, str)
        and version.split("-", 2)[-1] == node_id
    )


class Signer:
    """Signs the rows an export carries that this node wrote, the key loaded once."""

    def __init__(self, store: Store):
        self.node_id = store.node.id
        self._key: Ed25519PrivateKey | None = None
        self._store = store

    def line(self, table: str, line: str) -> str:
        """A row's JSON line, with its proof when this node wrote it."""
        row = json.loads(line)
        if not authored_by(self.node_id, row):
            return line
        if self._key is None:
            self._key = keys.private_key(self._store)
        row[KEY] = self._key.sign(payload(table, row)).hex()
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def holds(public_b64: str, table: str, row: dict[str, Any]) -> bool:
    """Whether ``row`` carries a proof made with ``public_b64`` for exactly its content."""
    sig = row.get(KEY)
    if not isinstance(sig, str) or not SIGNATURE_RE.match(sig):
        return False
    return keys.verify(public_b64, bytes.fromhex(sig), payload(table, row))


def keep(store: Store, table: str, rows: list[dict[str, Any]], public_b64: str) -> None:
    """Keep the proofs the sender's rows carry for the versions now held here
    (inside the import's transaction). A proof that does not hold is not kept."""
    found = [
        (table, r["id"], r["version"], r[KEY])
        for r in rows
        if KEY in r and authored_by_sender(r) and holds(public_b64, table, r)
    ]
    if not found:
        return
    store.db.conn.executemany(
        f"INSERT OR REPLACE INTO sync_proofs (table_name, record_id, version, signature) "
        f"SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM {table} WHERE id = ? AND version = ?)",
        [(t, i, v, s, i, v) for t, i, v, s in found],
    )


def authored_by_sender(row: dict[str, Any]) -> bool:
    """The row's origin and version name the same node (a proof is only ever made
    by that node; whether it is the sender is what the signature shows)."""
    origin = row.get("origin")
    return isinstance(origin, str) and authored_by(origin, row)


def sql(table: str, alias: str = "t") -> str:
    """SQL for the proof this node keeps for the version of ``table``'s row it holds
    (NULL when none), to send back with it."""
    return (
        f"(SELECT p.signature FROM sync_proofs p WHERE p.table_name = '{table}' "
        f"AND p.record_id = {alias}.id AND p.version = {alias}.version)"
    )


# -- the history a node has reached, signed (see sync/lineage.py) -------------------


def _seq_payload(node_id: str, incarnation: str, seq: int) -> bytes:
    return json.dumps(
        {"proof": "ocop-seq-1", "node": node_id, "incarnation": incarnation, "seq": seq},
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")


def seq_proof(store: Store, incarnation: str, seq: int) -> str:
    """This node's signature that its history ``incarnation`` reached change ``seq``."""
    return keys.sign(store, _seq_payload(store.node.id, incarnation, seq)).hex()


def seq_signed_by(public_b64: str, node_id: str, proof: Any) -> bool:
    """Whether ``proof`` (``{"incarnation", "seq", "signature"}``) is a statement of
    ``node_id`` signed with ``public_b64``."""
    if not isinstance(proof, dict):
        return False
    incarnation, seq, sig = proof.get("incarnation"), proof.get("seq"), proof.get("signature")
    if (
        not isinstance(incarnation, str)
        or type(seq) is not int
        or not isinstance(sig, str)
        or not SIGNATURE_RE.match(sig)
    ):
        return False
    return keys.verify(public_b64, bytes.fromhex(sig), _seq_payload(node_id, incarnation, seq))


def seq_proven(store: Store, proof: Any, incarnation: str, seq: int) -> bool:
    """Whether ``proof`` (an ``ack_proof`` from a peer's manifest) is this node's own
    signature that its history ``incarnation`` reached at least change ``seq``."""
    return (
        isinstance(proof, dict)
        and proof.get("incarnation") == incarnation
        and type(proof.get("seq")) is int
        and proof["seq"] >= seq
        and seq_signed_by(keys.public_key_b64(store), store.node.id, proof)
    )
