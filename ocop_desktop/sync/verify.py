"""Checking a bundle completely before the database is touched.

Order: the file (size), the zip's directory (member names, sizes, compression
ratios: nothing is decompressed before these pass), the manifest's signature,
format and schema versions, sender (its area from this node's records) and
recipient, trust (no member is read for a sender nobody trusted), every
member's size and SHA-256 as it streams, then the rows a batch at a time: shape,
scope and authority against the rows this node holds, parents, clock, and
attachment rows. Any failure raises a ``UserError`` whose key names the reason;
the database is only read. Values are checked as the import applies each batch
(sync/values.py), once their parents are in place.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from operator import countOf
from pathlib import Path
from typing import Any

from ocop_desktop import attachments, records
from ocop_desktop.errors import UserError
from ocop_desktop.migrations import SCHEMA_VERSION, SYNCED_TABLES
from ocop_desktop.store import Store
from ocop_desktop.sync import authority, bundle, identity, keys, members, peers, proofs, seal
from ocop_desktop.sync.export import columns
from ocop_desktop.sync.peers import Peer
from ocop_desktop.sync.scope import PROVINCE_TARGET, Placer

# How far ahead of this computer's clock a version may be. Beyond, the computer
# that made it has a wrong date, and its edits would win every later conflict.
CLOCK_SLACK_S = 24 * 3600
# What an SQLite INTEGER holds: a larger number in a manifest or a row is no
# number this app wrote (and would stop the import with an overflow).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
VERSION_RE = re.compile(r"^\d{13}-\d{5}-[0-9A-Za-z]{1,64}$")
# A record id as the app makes it (records.new_id, the demo data): a UUID in
# lowercase hex. Any other id (``../../x``, a name) is no record this app wrote.
ID_RE = re.compile(r"[0-9a-f]{32}\Z")
# Columns that name another record: empty, or an id as above.
REFERENCES = ("producer_id", "product_id", "owner_id", "round_id", "evaluation_id", "batch_id")
# ``updated_at`` as records.now_iso writes it (UTC, to the second).
STAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


@dataclass
class Bundle:
    """A verified bundle, ready to apply."""

    path: Path
    sha256: str
    manifest: dict[str, Any]
    sender: Peer  # as trusted, or as it would be trusted on first contact
    known: bool  # the sender was already a trusted peer
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> manifest entry
    attachments: list[str] = field(default_factory=list)
    attachment_rows: list[dict[str, Any]] = field(default_factory=list)
    newest: str | None = None  # the newest version the bundle carries
    attachment_types: dict[str, str] = field(default_factory=dict)  # sha256 -> by content
    attachment_sizes: dict[str, int] = field(default_factory=dict)  # sha256 -> bytes
    # Rows of an office that would overwrite records now outside its area.
    protected: set[str] = field(default_factory=set)
    # An office's new records and changes that the province owns (kept, not applied).
    proposals: set[str] = field(default_factory=set)
    # False: from a sender not yet trusted, checked only as far as its signed
    # manifest; members are read once a person trusts it (see apply_checked).
    complete: bool = True
    declared_rows: dict[str, int] = field(default_factory=dict)
    # A new sender's office already has trusted computers: a person says whether
    # this one is a second laptop or a replacement (identity.CHOICES).
    same_office: list[Peer] = field(default_factory=list)
    office_choice: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.declared_rows)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def refuse(reason: str, **params: Any) -> UserError:
    return UserError(f"sync.refused.{reason}", **params)


def verify(
    store: Store, path: Path | str, *, trust_new: bool = False, office_choice: str | None = None
) -> Bundle:
    """Verify ``path`` for this node. An unknown sender passes only with ``trust_new``
    (and, if its office has a trusted computer already, ``office_choice``); call
    :func:`inspect` to look at a bundle from an unknown sender first."""
    result = inspect(store, path, read_untrusted=False)
    if not result.known:
        if not trust_new:
            raise UserError(
                "sync.untrusted",
                name=result.sender.name or result.sender.node_id,
                fingerprint=result.sender.fingerprint,
            )
        identity.check_choice(result.same_office, result.sender, office_choice)
        result = inspect(store, path, read_untrusted=True)
        result.office_choice = office_choice
    return result


def inspect(store: Store, path: Path | str, *, read_untrusted: bool = False) -> Bundle:
    """Check ``path`` for this node. The signature and the sender's trust are
    checked on the manifest before any member is read: a bundle from an unknown
    sender is read further only with ``read_untrusted`` (a person trusts it), so a
    hostile file costs no more than its manifest."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError("cli.file_missing", path=str(path)) from exc
    if not path.is_file():
        raise UserError("cli.file_missing", path=str(path))
    if size > bundle.MAX_FILE_BYTES:
        raise refuse("too_large", size=_mb(size), limit=_mb(bundle.MAX_FILE_BYTES))
    try:
        with seal.opened(store, path) as plain, zipfile.ZipFile(plain) as zf:
            return _inspect_zip(store, path, zf, read_untrusted)
    except zipfile.BadZipFile as exc:
        raise refuse("damaged", detail=str(exc)) from exc
    except (
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:  # what a damaged zip raises while being read
        raise refuse("damaged", detail=str(exc)) from exc


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def _inspect_zip(store: Store, path: Path, zf: zipfile.ZipFile, read_untrusted: bool) -> Bundle:
    infos = zf.infolist()
    if len(infos) > bundle.MAX_MEMBERS:
        raise refuse("too_many_members", count=len(infos))
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if (
            name.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", name)
            or ".." in name.replace("\\", "/").split("/")
        ):
            raise refuse("bad_member", name=name)
        if name in by_name:
            raise refuse("duplicate_member", name=name)
        if name not in (bundle.MANIFEST, bundle.SIGNATURE) and bundle.member_kind(name) is None:
            raise refuse("bad_member", name=name)
        if info.file_size > bundle.RATIO_FLOOR and info.file_size > bundle.MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise refuse("bomb", name=name)
        total += info.file_size
        by_name[name] = info
    if total > bundle.MAX_TOTAL_BYTES:
        raise refuse("bomb", name=path.name)
    if bundle.MANIFEST not in by_name or bundle.SIGNATURE not in by_name:
        raise refuse("no_manifest")
    if by_name[bundle.MANIFEST].file_size > bundle.MAX_MANIFEST_BYTES:
        raise refuse("bomb", name=bundle.MANIFEST)
    raw = _read(zf, by_name[bundle.MANIFEST], bundle.MAX_MANIFEST_BYTES)
    sig_text = _read(zf, by_name[bundle.SIGNATURE], 1024)
    try:
        manifest = json.loads(raw)
        sender_info = manifest["sender"]
        public_key = sender_info["public_key"]
        signature = bytes.fromhex(sig_text.decode("ascii").strip())
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise refuse("bad_manifest") from exc
    if not isinstance(public_key, str) or not keys.verify(public_key, signature, raw):
        raise refuse("bad_signature")
    _check_versions(manifest)
    if manifest.get("demo") is True and not store.is_demo:
        raise refuse("demo", name=str(sender_info.get("name")))
    sender, known = _check_sender(store, manifest)
    _check_recipient(store, manifest)
    declared = _declared_members(manifest)
    present = set(by_name) - {bundle.MANIFEST, bundle.SIGNATURE}
    if set(declared) != present:
        missing = sorted(set(declared) ^ present)
        raise refuse("members_differ", names=", ".join(missing[:5]))
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    result = Bundle(
        path=path, sha256=digest.hexdigest(), manifest=manifest, sender=sender, known=known
    )
    if not known:
        result.same_office = identity.same_office(store, sender)
    for name, meta in declared.items():
        kind, what = bundle.member_kind(name)  # type: ignore[misc]
        if kind == "attachment":
            result.attachments.append(what)
        else:
            result.declared_rows[what] = meta["rows"]
            result.members[what] = meta
    if not known and not read_untrusted:
        result.complete = False
        return result
    for name, meta in declared.items():
        info = by_name[name]
        if info.file_size != meta["size"]:
            raise refuse("bad_hash", name=name)
        kind, what = bundle.member_kind(name)  # type: ignore[misc]
        if kind == "attachment":
            if what != meta["sha256"]:
                raise refuse("bad_hash", name=name)
            mime, size = _check_attachment(zf, info, what)
            result.attachment_types[what] = mime
            result.attachment_sizes[what] = size
        elif members.hash_member(zf, info, meta["size"]) != meta["sha256"]:
            raise refuse("bad_hash", name=name)
    checker = _Checker(store, result)
    for table in SYNCED_TABLES:  # parents before children, whatever the manifest's order
        meta = result.members.get(table)
        if meta is None:
            continue
        allowed = set(columns(store, table))
        if table in proofs.PROOF_TABLES:
            allowed.add(proofs.KEY)  # the province's proof of a row it wrote
        seen: set[str] = set()
        for first, rows in members.batches(zf, by_name[meta["name"]], meta, table):
            _check_shape(rows, allowed, table, first, seen)
            checker.batch(table, rows)
    checker.finish()
    return result


def _check_attachment_rows(store: Store, result: Bundle) -> None:
    """Attachment rows as a local save writes them: of the type and size their
    file's content has (the file in the bundle, or the copy this node already
    holds). A row whose file is in neither place is kept, its file shown missing
    until a bundle brings it: the sender's export leaves out a copy it has lost
    or finds damaged rather than pass it on, and refusing the row would hold back
    every other change of that office until someone attached the file again."""
    bad = []
    folder = store.data_dir / "attachments"
    for row in result.attachment_rows:
        field = attachments.row_problem(row)
        if field is None:
            sha = row["sha256"]
            found = result.attachment_types.get(sha)
            size = result.attachment_sizes.get(sha)
            if found is None and (folder / sha).is_file():
                found = attachments.file_type(folder / sha) or "?"
                size = (folder / sha).stat().st_size
            if found is None:
                continue  # nothing here to check it against
            if found != row["mime"]:
                field = "mime"
            elif size != row["size"]:
                field = "size"
        if field is not None:
            bad.append(f"{row['id']} ({field})")
    if bad:
        raise bad_values(bad)


def bad_values(items: list[str]) -> UserError:
    """The refusal of rows a local save would not store, naming ids and fields."""
    return refuse(
        "bad_values",
        count=len(items),
        items="; ".join(items[:5]),
        more="…" if len(items) > 5 else "",
    )


def _check_attachment(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sha: str) -> tuple[str, int]:
    """Hash an attached file as it streams (never whole in memory), under the local
    size limit, and read its type from its content; returns the type and size."""
    if info.file_size > attachments.MAX_BYTES:
        raise refuse(
            "attachment_too_large",
            name=info.filename,
            size=_mb(info.file_size),
            limit=_mb(attachments.MAX_BYTES),
        )
    digest = hashlib.sha256()
    head = b""
    size = 0
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            if len(head) < attachments.HEAD_BYTES:
                head += chunk[: attachments.HEAD_BYTES - len(head)]
            size += len(chunk)
            if size > attachments.MAX_BYTES:
                raise refuse("bomb", name=info.filename)
            digest.update(chunk)
    if digest.hexdigest() != sha:
        raise refuse("bad_hash", name=info.filename)
    mime = attachments.sniff(head)
    if mime is None:
        raise refuse("attachment_type", name=info.filename)
    return mime, size


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read one member, never more than ``limit`` bytes whatever its header claims."""
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise refuse("bomb", name=info.filename)
    return bytes(out)


def _check_versions(manifest: dict[str, Any]) -> None:
    fmt = manifest.get("format")
    schema = manifest.get("schema_version")
    if not isinstance(fmt, int) or not isinstance(schema, int):
        raise refuse("bad_manifest")
    if fmt > bundle.FORMAT or schema > SCHEMA_VERSION:
        raise refuse(
            "too_new", app=str(manifest.get("app_version")), schema=schema, ours=SCHEMA_VERSION
        )
    if fmt < 1:
        raise refuse("bad_manifest")
    for key in ("since_seq", "max_seq", "ack_seq"):
        if type(manifest.get(key)) is not int or not 0 <= manifest[key] <= INT_MAX:
            raise refuse("bad_manifest")
    if fmt >= 2:
        sender = manifest.get("sender")
        chain = sender.get("lineage") if isinstance(sender, dict) else None
        if (
            not isinstance(sender, dict)
            or not _is_id(sender.get("incarnation"))
            or not isinstance(chain, list)
            or not chain
            or not all(
                isinstance(x, list)
                and len(x) == 2
                and _is_id(x[0])
                and type(x[1]) is int
                and 0 <= x[1] <= INT_MAX
                for x in chain
            )
            or chain[-1][0] != sender["incarnation"]
            or not (manifest.get("ack_incarnation") is None or _is_id(manifest["ack_incarnation"]))
        ):
            raise refuse("bad_manifest")


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


def _check_sender(store: Store, manifest: dict[str, Any]) -> tuple[Peer, bool]:
    info = manifest["sender"]
    node = store.node
    try:
        node_id = str(info["node"])
        role = info["role"]
        province = int(info["province_code"])
        public_key = str(info["public_key"])
        area = frozenset(int(c) for c in info.get("area") or [])
    except (KeyError, TypeError, ValueError) as exc:
        raise refuse("bad_manifest") from exc
    if node_id == node.id:
        raise refuse("from_self")
    if province != node.province_code:
        raise refuse("other_province", province=province)
    if role == node.role or role not in ("office", "province"):
        raise refuse("not_a_peer", role=role)
    fingerprint = keys.fingerprint(public_key)
    known = peers.get(store, node_id)
    if known is not None:
        if known.public_key != public_key:
            raise refuse(
                "key_changed",
                name=known.name or node_id,
                known=known.fingerprint,
                found=fingerprint,
            )
        return known, True
    if role == "province":
        other = peers.province_peer(store)
        if other is not None:
            raise refuse(
                "key_changed",
                name=other.name or other.node_id,
                known=other.fingerprint,
                found=fingerprint,
            )
    if role == "office":
        # One key, one office: a key this node trusts already for another node of
        # another office is not a "new" computer of this one.
        for other in peers.all_peers(store):
            if other.public_key == public_key and str(other.office_code) != str(
                info.get("office_code")
            ):
                raise refuse(
                    "key_of_other_office",
                    fingerprint=fingerprint,
                    office=str(other.office_code),
                    name=other.name or other.node_id,
                )
        # The area comes from the office code (or the province's assignment),
        # never from what the bundle claims.
        area = identity.office_area(store, info.get("office_code"))
        if area is None:
            raise refuse("office_area_unknown", office=str(info.get("office_code")))
        if not area <= node.area:
            raise refuse("area_outside")
    sender = Peer(
        node_id=node_id,
        role=role,
        office_code=info.get("office_code"),
        province_code=province,
        name=info.get("name"),
        area=area if role == "office" else frozenset(),
        public_key=public_key,
        fingerprint=fingerprint,
        trusted_at="",
    )
    return sender, False


def _check_recipient(store: Store, manifest: dict[str, Any]) -> None:
    rec = manifest.get("recipient")
    if not isinstance(rec, dict):
        raise refuse("bad_manifest")
    node = store.node
    if rec.get("node") == node.id:
        return
    if (
        rec.get("node") is None
        and node.is_province
        and rec.get("role") == "province"
        and rec.get("province_code") == node.province_code
    ):
        return  # an office's first bundle, addressed to "the province"
    raise refuse("other_recipient", node=rec.get("node") or rec.get("role"))


def _declared_members(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    members = manifest.get("members")
    if not isinstance(members, list):
        raise refuse("bad_manifest")
    out = {}
    for m in members:
        if not isinstance(m, dict):
            raise refuse("bad_manifest")
        name = m.get("name")
        if not isinstance(name, str) or bundle.member_kind(name) is None:
            raise refuse("bad_member", name=str(name))
        if name in out:
            raise refuse("duplicate_member", name=name)
        if not isinstance(m.get("size"), int) or not isinstance(m.get("rows"), int):
            raise refuse("bad_manifest")
        if not isinstance(m.get("sha256"), str):
            raise refuse("bad_manifest")
        out[name] = m
    return out


_SCALARS = frozenset({str, int, float, type(None)})


def _check_shape(
    rows: list[Any], allowed: set[str], table: str, first: int, seen: set[str]
) -> None:
    """Every row of a batch is a record of ``table`` as this app writes it, and no
    id comes twice in the member."""
    if not _all_valid(rows, allowed):
        _find_bad_row(rows, allowed, table, first)  # raises, naming the line
    before = len(seen)
    seen.update(r["id"] for r in rows)
    if len(seen) != before + len(rows):
        _find_bad_row(rows, allowed, table, first, seen_before=seen)


def _strings_matching(values: list[Any], pattern: re.Pattern[str]) -> bool:
    return set(map(type, values)) <= {str} and all(map(pattern.match, values))


def _all_valid(rows: list[Any], allowed: set[str]) -> bool:
    """The row checks of :func:`_find_bad_row`, over whole columns at once."""
    if not rows:
        return True
    if set(map(type, rows)) != {dict}:
        return False
    if set().union(*map(dict.keys, rows)) - allowed - {"_anc"}:
        return False
    value_types = set(map(type, chain.from_iterable(map(dict.values, rows))))
    if not value_types <= _SCALARS | {list}:
        return False
    if int in value_types:
        ints = [v for v in chain.from_iterable(map(dict.values, rows)) if type(v) is int]
        if min(ints) < INT_MIN or max(ints) > INT_MAX:
            return False
    ancs = [r.get("_anc") for r in rows]
    lists = countOf(map(type, chain.from_iterable(map(dict.values, rows))), list)
    if lists != countOf(map(type, ancs), list):
        return False  # a list anywhere but in _anc
    if not _strings_matching(list(chain.from_iterable(a for a in ancs if a)), VERSION_RE):
        return False
    ids = [r.get("id") for r in rows]
    if not _strings_matching(ids, ID_RE) or len(set(ids)) != len(ids):
        return False
    refs = [r[k] for r in rows for k in REFERENCES if r.get(k) is not None]
    if not _strings_matching(refs, ID_RE):
        return False
    if not _stamps([r.get("updated_at") for r in rows]):
        return False
    if not _strings_matching([r.get("version") for r in rows], VERSION_RE):
        return False
    bases = [r.get("base_version") for r in rows]
    if not _strings_matching([b for b in bases if b is not None], VERSION_RE):
        return False
    if not {r.get("deleted") for r in rows} <= {0, 1}:
        return False
    return set(map(type, [r.get("origin") for r in rows])) == {str}


def _stamps(values: list[Any]) -> bool:
    """Whether every value is a time as ``records.now_iso`` writes it, and a real one."""
    if not _strings_matching(values, STAMP_RE):
        return False
    try:
        for value in set(values):
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def _find_bad_row(
    rows: list[Any],
    allowed: set[str],
    table: str,
    first: int = 1,
    seen_before: set[str] | None = None,
) -> None:
    seen: set[str] = set()
    if seen_before is not None:  # ids of earlier batches: those of this one removed
        seen = seen_before - {r["id"] for r in rows}
    for n, row in enumerate(rows, first):
        if type(row) is not dict:
            raise refuse("bad_rows", table=table, line=n)
        anc = row.get("_anc")
        if anc is not None and (
            type(anc) is not list or not all(type(v) is str and VERSION_RE.match(v) for v in anc)
        ):
            raise refuse("bad_rows", table=table, line=n)
        unknown = row.keys() - allowed - {"_anc"}
        if unknown:
            raise refuse("unknown_columns", table=table, columns=", ".join(sorted(unknown)))
        if not {type(v) for k, v in row.items() if k != "_anc"} <= _SCALARS:
            raise refuse("bad_rows", table=table, line=n)
        if any(type(v) is int and not INT_MIN <= v <= INT_MAX for v in row.values()):
            raise refuse("bad_rows", table=table, line=n)
        record_id, version, base = row.get("id"), row.get("version"), row.get("base_version")
        if (
            type(record_id) is not str
            or not ID_RE.match(record_id)
            or record_id in seen
            or not _strings_matching([row[k] for k in REFERENCES if row.get(k) is not None], ID_RE)
            or not _stamps([row.get("updated_at")])
            or type(version) is not str
            or not VERSION_RE.match(version)
            or (base is not None and (type(base) is not str or not VERSION_RE.match(base)))
            or row.get("deleted") not in (0, 1)
            or type(row.get("origin")) is not str
        ):
            raise refuse("bad_rows", table=table, line=n)
        seen.add(record_id)
    raise refuse("bad_rows", table=table, line=0)


def _bad_line(data: bytes) -> int:
    for n, line in enumerate(data.splitlines(), 1):
        try:
            json.loads(line)
        except ValueError:
            return n
    return 0


class _Checker:
    """Scope, authority, parents and clock, checked a batch of rows at a time,
    each against the rows this node holds; refusals name the records."""

    def __init__(self, store: Store, result: Bundle):
        self.store = store
        self.result = result
        sender = result.sender
        node = store.node
        if sender.role == "office":
            self.area, self.targets = sender.area, {sender.office_code or ""}
        else:
            self.area = node.area
            self.targets = {node.office_code or "", PROVINCE_TARGET}
        self.from_office = sender.role == "office"
        self.from_province = sender.role == "province"
        # Rows this node lost in a restore that an office sends back are its own,
        # not proposals, when they carry its signature (sync/proofs.py).
        self.own_key = keys.public_key_b64(store) if self.from_office else ""
        self.placer = Placer(store)
        self.outside: list[str] = _Found()
        self.moved: list[str] = _Found()
        self.missing: list[str] = _Found()
        # New producers the bundle sends already in the trash, and the live products
        # it hangs on them: a state no save makes (a producer with live products
        # cannot be deleted, nor a product restored under one in the trash). A
        # producer this node holds may have been deleted by one side while the
        # other added a product: a concurrent change, not judged here.
        self.trashed: set[str] = set()
        self.under_trashed: list[str] = _Found()

    def batch(self, table: str, rows: list[dict[str, Any]]) -> None:
        result, placer = self.result, self.placer
        ids = [r["id"] for r in rows]
        placer.add(table, rows)
        placer.prefetch(table, ids)
        if self.from_office:
            placer.prefetch_held(table, ids)
        top = max(r["version"] for r in rows)
        if result.newest is None or top > result.newest:
            result.newest = top
        if table == "attachments":
            result.attachment_rows += rows
        for row in rows:
            where = placer.place(
                table, row, self.area, self.targets, from_province=self.from_province
            )
            if (
                where == "protected"
                and self.from_office
                and not _moved_away(self.store, row["id"], self.area)
            ):
                where = "outside"  # never the sender's: not a record the province moved
            if where == "inside" and self.from_office:
                where = _authority(self.store, placer, table, row, self.area, self.own_key)
            if (
                table == "products"
                and self.from_office
                and where in ("inside", "proposal")
                and not _parent_inside(placer, row, self.area)
            ):
                where = "outside"  # hung on another office's producer
            if where == "outside":
                _note(self.outside, _describe(row))
            elif where == "protected":
                result.protected.add(row["id"])
            elif where == "proposal":
                result.proposals.add(row["id"])
            elif where.startswith("moved:"):
                _note(self.moved, f"{_describe(row)}: {where[6:]}")
            parent = _parent(table, row)
            if parent and placer.row(*parent) is None:
                _note(self.missing, row["id"])
            if (
                table == "producers"
                and row.get("deleted") == 1
                and placer.stored("producers", row["id"]) is None
            ):
                self.trashed.add(row["id"])
            elif table == "products" and not row.get("deleted"):
                if row.get("producer_id") in self.trashed:
                    _note(self.under_trashed, _describe(row))
        placer.forget(table, ids)

    def finish(self) -> None:
        _check_clock(self.store, self.result)
        _check_attachment_rows(self.store, self.result)
        for key, found in (
            ("out_of_scope", self.outside),
            ("owner_moved", self.moved),
            ("missing_parent", self.missing),
            ("producer_in_trash", self.under_trashed),
        ):
            if found:
                count = found.count  # type: ignore[attr-defined]
                sep = "; " if key == "owner_moved" else ", "
                raise refuse(
                    key, count=count, ids=sep.join(found[:5]), more="…" if count > 5 else ""
                )


class _Found(list):
    """The first few records a refusal names, and how many there were."""

    count = 0


def _note(found: list[str], what: str) -> None:
    if not isinstance(found, _Found):
        return
    found.count += 1
    if len(found) < 5:
        found.append(what)


def _parent_inside(placer: Placer, row: dict[str, Any], area: frozenset[int]) -> bool:
    """Whether an office's product hangs on a producer of its own area (or one not
    placed yet), as the bundle or this node holds it: a product under another
    office's producer changes that office's record in effect."""
    producer = placer.row("producers", row.get("producer_id"))
    commune = placer.commune("producers", producer)
    return commune is None or commune in area


def _moved_away(store: Store, record_id: str, area: frozenset[int]) -> bool:
    """Whether the province moved this record out of ``area`` (so the office that
    sends an edit of it had it before)."""
    found = store.db.execute(
        "SELECT 1 FROM sync_moves WHERE record_id = ? AND from_commune IN "
        "(SELECT value FROM json_each(?))",
        [record_id, json.dumps(sorted(area))],
    ).fetchone()
    return found is not None


def _authority(
    store: Store,
    placer: Placer,
    table: str,
    row: dict[str, Any],
    area: frozenset[int],
    own_key: str = "",
) -> str:
    """An office's row against the row this node holds (see sync/authority.py):
    ``"inside"``, ``"outside"`` (the held record is not in the office's area),
    ``"moved:<columns>"`` (the row gives it another owner) or ``"proposal"``."""
    held = placer.held(table, row["id"])
    if held is not None:
        if table not in ("producers", "products", "targets"):
            commune = placer.held_commune(table, held)
            if commune is not None and commune not in area:
                return "outside"
        changed = authority.moved_owner(table, held, row)
        if changed:
            return "moved:" + ", ".join(changed)
        newer = row["version"] > held["version"]
        if (
            newer
            and row.get("deleted") == 1
            and not held.get("deleted")
            and _holds_province_decisions(store, table, row["id"])
        ):
            # The office owns the product, not the decisions on it: a delete would
            # take the province's decisions out of its figures. The province decides.
            return "proposal"
        owned = authority.province_owns(table, held) or authority.province_owns(table, row)
        if (
            newer
            and owned
            and not _proven_ours(store, table, row, own_key)
            and not _same_values(store, table, row)
        ):
            return "proposal"
        return "inside"
    if authority.province_owns(table, row) and not _proven_ours(store, table, row, own_key):
        return "proposal"
    return "inside"


def _holds_province_decisions(store: Store, table: str, record_id: str) -> bool:
    """Whether a product (or a producer's live products), as this node holds it,
    carries a decision the province owns that is not in the trash."""
    if table == "products":
        where = "product_id = ?"
    elif table == "producers":
        where = "product_id IN (SELECT id FROM products WHERE producer_id = ? AND deleted = 0)"
    else:
        return False
    found = store.db.execute(
        f"SELECT stars, decision_date, potential_5 FROM recognitions WHERE deleted = 0 AND {where}",
        [record_id],
    ).fetchall()
    return any(
        authority.province_owns("recognitions", {"stars": s, "decision_date": d, "potential_5": p})
        for s, d, p in found
    )


def _same_values(store: Store, table: str, row: dict[str, Any]) -> bool:
    """Whether ``row`` holds the values this node holds for that record (only its
    version and stamps differ: an edit undone, a copy sent again). Nothing for
    the province to decide: the row is taken like any, its values unchanged."""
    cur = store.db.execute(f"SELECT * FROM {table} WHERE id = ?", [row["id"]])
    found = cur.fetchone()
    if found is None:
        return False
    names = [d[0] for d in cur.description]
    held = dict(zip(names, found, strict=True))
    skip = {*records.SYNC_FIELDS, "rid"} - {"deleted"}
    return all(row.get(k) == v for k, v in held.items() if k not in skip and k in row)


def _proven_ours(store: Store, table: str, row: dict[str, Any], own_key: str) -> bool:
    """A version this node wrote (a decision, or a later version of one), lost in a
    restore and sent back by the office that kept it: ours, not a proposal. The
    row's word (its ``origin``, its version's node) proves nothing, since an
    office writes those as it likes: only this node's signature over exactly this
    row (sync/proofs.py) does. No restore needs to have been noticed: a version
    we signed and no longer hold was lost, whenever that happened, and one we
    still hold (or an older one) changes nothing."""
    return (
        bool(own_key)
        and proofs.authored_by(store.node.id, row)
        and proofs.holds(own_key, table, row)
    )


def _describe(row: dict[str, Any]) -> str:
    """How a person recognises a record: its name or decision number, and its id."""
    label = row.get("name") or row.get("decision_no") or row.get("filename")
    return f"{label} ({row['id']})" if label else str(row["id"])


def _check_clock(store: Store, result: Bundle) -> None:
    """Versions far ahead of this computer's clock come from a computer whose date
    is wrong; the refusal names it (the sender, or the office whose edit the
    province forwards) and both dates, so a person can see which clock to fix."""
    limit = (time.time() + CLOCK_SLACK_S) * 1000
    newest = result.newest
    if newest and int(newest[:13]) > limit:
        when = datetime.fromtimestamp(int(newest[:13]) / 1000, UTC)
        maker = newest.split("-", 2)[2]
        if maker == result.sender.node_id:
            who = result.sender.name or maker
        else:
            known = peers.get(store, maker)
            who = (known.name if known else None) or maker[:8]
        raise refuse(
            "clock_ahead",
            who=who,
            date=when.strftime("%d/%m/%Y %H:%M"),
            ours=datetime.now(UTC).strftime("%d/%m/%Y %H:%M"),
        )


def _parent(table: str, row: dict[str, Any]) -> tuple[str, str] | None:
    if table == "products" and row.get("producer_id"):
        return "producers", row["producer_id"]
    if table == "attachments" and row.get("owner_table") in attachments.OWNERS:
        return row["owner_table"], row.get("owner_id")
    if table in ("evaluations", "recognitions"):
        return "products", row.get("product_id")
    return None
