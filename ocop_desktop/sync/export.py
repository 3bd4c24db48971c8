"""Writing a bundle for a peer: every row it has not acknowledged, within its scope."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ocop_desktop import __version__, refdata
from ocop_desktop import db as dbmod
from ocop_desktop.errors import UserError
from ocop_desktop.migrations import SCHEMA_VERSION, SYNCED_TABLES
from ocop_desktop.paths import refuse_overwriting_data
from ocop_desktop.store import Store
from ocop_desktop.sync import bundle, keys, lineage, peers, proofs, scope, seal, workspace
from ocop_desktop.sync.peers import Peer

Progress = Callable[[int, int], None]


def changed(peer: Peer | None, alias: str = "t") -> str:
    """SQL (parameters ``since``, ``recipient``, ``resend_until``) for the rows a
    peer has not acknowledged. Its own rows are not sent back to it, except,
    after its database went back in time, all we hold of them up to
    ``resend_until`` (see sync/lineage.py), until it acknowledges past that."""
    t = alias
    plain = f"({t}.seq > :since AND {t}.origin IS NOT :recipient)"
    if peer is None or peer.resend_until <= peer.acked_seq:
        return plain
    return f"({plain} OR ({t}.origin IS :recipient AND {t}.seq <= :resend_until))"


def _sent_ids(table: str, column: str, peer: Peer | None, where: str = "") -> str:
    """SQL for ``column`` of the rows of ``table`` a bundle to ``peer`` carries."""
    alias = f"sent_{table}"
    extra = f" AND {alias}.{where}" if where else ""
    return (
        f"SELECT {alias}.{column} FROM {table} {alias} "
        f"WHERE {changed(peer, alias)} AND {alias}.seq <= :max{extra}"
    )


def parents_of_sent(table: str, peer: Peer | None) -> str | None:
    """SQL for the ids of ``table``'s rows that rows sent in the same bundle refer to
    (a product's producer, a decision's or an evaluation's product, an attachment's
    owner), or None for a table no row refers to.

    They travel with their children even when the peer has acknowledged them: a
    peer whose database went back in time may have lost them, and it cannot tell
    us so before it reads this bundle. A row it still holds changes nothing there.
    """
    if table not in ("producers", "products"):
        return None
    owned = _sent_ids("attachments", "owner_id", peer, f"owner_table = '{table}'")
    if table == "producers":
        products = parents_of_sent("products", peer)
        return (
            f"{owned} UNION {_sent_ids('products', 'producer_id', peer)} UNION "
            f"SELECT producer_id FROM products WHERE id IN ({products})"
        )
    graded = [_sent_ids(child, "product_id", peer) for child in ("evaluations", "recognitions")]
    return " UNION ".join([owned, *graded])


@dataclass
class ExportResult:
    path: Path
    peer: str | None
    since: int
    max_seq: int
    rows: dict[str, int] = field(default_factory=dict)
    attachments: int = 0
    size: int = 0
    sealed: bool = False  # encrypted to the recipient; else signed only

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def columns(store: Store, table: str) -> list[str]:
    """The columns a bundle carries: all but the node-local ``rid`` and ``seq``."""
    cur = store.db.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cur.description if d[0] not in ("rid", "seq")]


def sender_label(store: Store) -> str:
    node = store.node
    if node.is_province:
        return f"tinh-{node.province_code}"
    return f"{bundle.slug(node.office_code)}-{bundle.slug(node.name)}"


def recipient_label(store: Store, peer: Peer | None) -> str:
    if peer is None or peer.role == "province":
        return f"tinh-{store.node.province_code}"
    return f"{bundle.slug(peer.office_code)}-{peer.node_id[:4]}"


def suggested_name(store: Store, peer: Peer | None) -> str:
    number = int(dbmod.get_meta(store.db, "sync_bundle_no") or 0) + 1
    return bundle.file_name(sender_label(store), recipient_label(store, peer), number)


def free_name(path: Path) -> Path:
    """``path``, or the first of ``name-2.zip``, ``name-3.zip`` … not yet taken in
    its folder. A file there is never replaced: after a restore the bundle numbers
    start again from the backup's, and the earlier bundle on the stick may be the
    only copy of work the restore took away."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _recipient(store: Store, peer: Peer | None) -> dict:
    if peer is None:
        # An office's first bundle, made before the province's node is known.
        return {"node": None, "role": "province", "province_code": store.node.province_code}
    return {
        "node": peer.node_id,
        "role": peer.role,
        "office_code": peer.office_code,
        "province_code": peer.province_code,
    }


def _select(store: Store, table: str, where: str, peer: Peer | None) -> str:
    cols = columns(store, table)
    pairs = ", ".join(f"'{c}', t.{c}" for c in cols)
    anc = (
        "CASE WHEN t.base_version IS NULL THEN json('[]') ELSE (SELECT json_group_array(a.version) "
        "FROM sync_ancestry a WHERE a.record_id = t.id) END"
    )
    sent = changed(peer)
    parents = parents_of_sent(table, peer)
    if parents:
        sent = f"({sent} OR t.id IN ({parents}))"
    if table in proofs.PROOF_TABLES:
        # The province's proof of a row it wrote, kept here: sent back with that
        # version (json_patch drops the key when there is none).
        return (
            f"SELECT json_patch(json_object({pairs}, '_anc', json({anc})), "
            f"json_object('{proofs.KEY}', {proofs.sql(table)})) FROM {table} t "
            f"WHERE {sent} AND t.seq <= :max AND ({where}) "
            "ORDER BY t.seq"
        )
    return (
        f"SELECT json_object({pairs}, '_anc', json({anc})) FROM {table} t "
        f"WHERE {sent} AND t.seq <= :max AND ({where}) "
        "ORDER BY t.seq"
    )


class _HashingWriter:
    def __init__(self, fh):
        self.fh = fh
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.size += len(data)
        self.fh.write(data)


def export_bundle(
    store: Store,
    out: Path | str,
    to: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the bundle for peer ``to`` (an office code or node id; none for an office).

    ``out`` may be a folder: the file then gets its descriptive name there.
    """
    peer = peers.find(store, to)
    out = Path(out)
    if out.is_dir():
        out = free_name(out / suggested_name(store, peer))
    if not out.parent.is_dir():
        raise UserError("sync.no_folder", path=str(out.parent))
    refuse_overwriting_data(store.path, out)
    with dbmod.transaction(store.db):
        lineage.check(store)  # a database gone back in time starts a new history first
    if peer is not None:
        peer = peers.get(store, peer.node_id) or peer
    since = peer.acked_seq if peer else 0
    filters, params = scope.bundle_filters(store, peer)
    number = int(dbmod.get_meta(store.db, "sync_bundle_no") or 0) + 1
    # The plain zip lies only in the node's own data folder, owner-only; what is
    # written beside ``out`` (often a USB stick) is already sealed.
    plain = workspace.plain_file(store, workspace.OUTGOING)
    part = workspace.part_path(out)
    conn = store.db.conn
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")  # one consistent snapshot for the whole bundle
    try:
        max_seq = int(dbmod.get_meta(store.db, "seq") or 0)
        params |= {
            "since": since,
            "max": max_seq,
            "recipient": peer.node_id if peer else None,
            "resend_until": peer.resend_until if peer else 0,
        }
        received = peer.received_seq if peer else 0
        result = ExportResult(
            path=out, peer=peer.node_id if peer else None, since=since, max_seq=max_seq
        )
        members = []
        try:
            with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                signer = proofs.Signer(store) if store.node.is_province else None
                for i, table in enumerate(SYNCED_TABLES):
                    name = bundle.data_member(table)
                    count = 0
                    sign = signer is not None and table in proofs.PROOF_TABLES
                    with zf.open(name, "w", force_zip64=True) as raw:
                        fh = _HashingWriter(raw)
                        cur = conn.execute(_select(store, table, filters[table], peer), params)
                        while batch := cur.fetchmany(2000):
                            lines = [r[0] for r in batch]
                            if sign:
                                assert signer is not None
                                lines = [signer.line(table, line) for line in lines]
                            fh.write(("\n".join(lines) + "\n").encode("utf-8"))
                            count += len(batch)
                    result.rows[table] = count
                    members.append(
                        {"name": name, "sha256": fh.sha.hexdigest(), "size": fh.size, "rows": count}
                    )
                    if progress:
                        progress(i + 1, len(SYNCED_TABLES) + 1)
                members += _attachments(store, zf, filters["attachments"], params, peer)
                result.attachments = sum(1 for m in members if m["name"].startswith("attach"))
                manifest = _manifest(store, peer, since, max_seq, received, number, members)
                zf.writestr(bundle.MANIFEST, manifest)
                zf.writestr(bundle.SIGNATURE, keys.sign(store, manifest).hex())
            # Sealed to the recipient (when its key is known) beside ``out``, then
            # published under the final name only once the export is recorded.
            result.sealed = seal.finish(store, peer.node_id if peer else None, plain, part)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        finally:
            plain.unlink(missing_ok=True)
    finally:
        if own_txn:
            conn.execute("COMMIT")
    _publish(store, peer, result, number, part)
    lineage.remember(store)
    if progress:
        progress(len(SYNCED_TABLES) + 1, len(SYNCED_TABLES) + 1)
    return result


def _attachments(
    store: Store, zf: zipfile.ZipFile, where: str, params: dict, peer: Peer | None
) -> list[dict]:
    folder = store.data_dir / "attachments"
    shas = {
        r[0]
        for r in store.db.execute(
            f"SELECT DISTINCT t.sha256 FROM attachments t WHERE {changed(peer)} "
            f"AND t.seq <= :max AND t.deleted = 0 AND ({where})",
            params,
        ).fetchall()
    }
    members = []
    for sha in sorted(shas):
        path = folder / sha
        if not bundle.member_kind(bundle.attachment_member(sha)) or not path.is_file():
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            continue  # a damaged local copy is not passed on
        zf.writestr(bundle.attachment_member(sha), data)
        members.append(
            {"name": bundle.attachment_member(sha), "sha256": sha, "size": len(data), "rows": 0}
        )
    return members


def _manifest(
    store: Store,
    peer: Peer | None,
    since: int,
    max_seq: int,
    received: int,
    number: int,
    members: list[dict],
) -> bytes:
    node = store.node
    incarnation = lineage.current(store)
    manifest = {
        "format": bundle.FORMAT,
        "app_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "refdata_version": refdata.load().version,
        "created_at": bundle.now_iso(),
        "bundle_no": number,
        "sender": {
            "node": node.id,
            "role": node.role,
            "office_code": node.office_code,
            "province_code": node.province_code,
            "name": node.name,
            "area": sorted(node.area) if not node.is_province else [],
            "public_key": keys.public_key_b64(store),
            "incarnation": incarnation,
            "lineage": [list(x) for x in lineage.lineage(store)],
            "seal_key": seal.public_key_b64(store),
            # Signed: the recipient sends it back with its acknowledgement
            # (ack_proof), the only acknowledgement that can start a new history here.
            "seq_proof": proofs.seq_proof(store, incarnation, max_seq),
        },
        "recipient": _recipient(store, peer),
        "since_seq": since,
        "max_seq": max_seq,
        "ack_seq": received,
        "ack_incarnation": peer.incarnation if peer else None,
        "members": members,
    }
    ack_proof = lineage.ack_proof(store, peer)
    if ack_proof is not None:
        manifest["ack_proof"] = ack_proof
    if store.is_demo:  # a real node refuses it (verify.py)
        manifest["demo"] = True
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _publish(
    store: Store, peer: Peer | None, result: ExportResult, number: int, part: Path
) -> None:
    """Record the export and put the file under its final name as one unit: a bundle
    whose export could not be recorded (the database busy, the disk full) never
    appears under its final name, and a recorded one always does."""
    out = result.path
    result.size = part.stat().st_size
    published = False
    try:
        with dbmod.transaction(store.db):
            _record(store, peer, result, number)
            lineage.note_sent(store, result.max_seq)
            lineage.touch(store)
            workspace.publish(part, out)
            published = True
    except BaseException:
        if published:
            out.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
        raise


def _record(store: Store, peer: Peer | None, result: ExportResult, number: int) -> None:
    dbmod.set_meta(store.db, "sync_bundle_no", str(number))
    if peer is not None:
        store.db.execute(
            "UPDATE sync_peers SET sent_seq = max(sent_seq, ?), last_sent_at = ? WHERE node_id = ?",
            [result.max_seq, bundle.now_iso(), peer.node_id],
        )
    store.db.execute(
        "INSERT INTO sync_log (at, direction, peer, peer_name, file_name, since_seq, max_seq, "
        "rows, status) VALUES (?, 'out', ?, ?, ?, ?, ?, ?, 'ok')",
        [
            bundle.now_iso(),
            peer.node_id if peer else None,
            peer.name if peer else f"province {store.node.province_code}",
            result.path.name,
            result.since,
            result.max_seq,
            result.total,
        ],
    )
