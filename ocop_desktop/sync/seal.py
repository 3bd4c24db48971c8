"""Bundles sealed to their recipient: an encrypted layer around the finished, signed zip.

A bundle travels by USB stick, e-mail and Zalo, whose servers keep a copy. So
the zip (signed as before) is encrypted to the recipient's X25519 key: an
ephemeral X25519 key agrees a secret with it, HKDF-SHA256 turns that into a
ChaCha20-Poly1305 key, and the zip is encrypted in 1 MiB chunks, each bound to
the header, to its number and to whether it is the last (so no chunk can be
swapped, dropped or appended). Only the recipient's private key opens it; any
altered byte is refused before the zip is looked at.

The sealed file starts with a readable header (who it is from and for whom), so
a person, or the app, can tell which office a stray file belongs to.

Each node has its X25519 key beside its Ed25519 signing key
(``<database>.d/seal_key.pem``, locked like it: see ``private_keys``) and publishes the public half in every bundle's
signed manifest (``sender.seal_key``); a node remembers the seal keys of peers
whose bundles it applied. An office's first bundle, before it has heard from
the province, is sealed to the province key file the province hands out
(``ocop sync province-key``), or goes out signed only, with a warning.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ocop_desktop import db as dbmod
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store
from ocop_desktop.sync import private_keys, workspace

MAGIC = b"OCOP-SEALED-BUNDLE\n"
FORMAT = 1
KEY_FILE = "seal_key.pem"
CHUNK = 1 << 20
TAG = 16
MAX_HEADER = 64 * 1024
PROVINCE_KEY_KIND = "ocop-province-seal-key"
_PEER_META = "seal_key:"
_PROVINCE_META = "province_seal_key"
_INFO = b"OCOP bundle seal v1"


def refuse(reason: str, **params: Any) -> UserError:
    return UserError(f"sync.refused.{reason}", **params)


# --- this node's key ---------------------------------------------------------


def _private_key(store: Store) -> X25519PrivateKey:
    return private_keys.load(store, KEY_FILE, X25519PrivateKey, X25519PrivateKey.generate)


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(store: Store) -> str:
    """This node's seal key, as published in its bundles."""
    return base64.b64encode(_raw(_private_key(store).public_key())).decode("ascii")


def _load_public(b64: str) -> X25519PublicKey | None:
    try:
        raw = base64.b64decode(b64, validate=True)
        return X25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError):
        return None


# --- the keys of others ------------------------------------------------------


def remember_sender(store: Store, manifest: dict[str, Any]) -> None:
    """Keep the seal key a trusted sender published (its manifest was verified)."""
    sender = manifest.get("sender") or {}
    key, node = sender.get("seal_key"), sender.get("node")
    if isinstance(key, str) and isinstance(node, str) and _load_public(key) is not None:
        with dbmod.transaction(store.db):
            dbmod.set_meta(store.db, _PEER_META + node, key)


def province_key_file(store: Store, out: Path | str) -> Path:
    """The file a province hands to its offices, so their first bundles are sealed too."""
    node = store.node
    if not node.is_province:
        raise UserError("seal.province_only")
    from ocop_desktop.sync import keys

    data = {
        "kind": PROVINCE_KEY_KIND,
        "node": node.id,
        "province_code": node.province_code,
        "name": node.name,
        "seal_key": public_key_b64(store),
        "public_key": keys.public_key_b64(store),
    }
    out = Path(out)
    tmp = workspace.part_path(out)
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    workspace.publish(tmp, out)
    return out


def use_province_key(store: Store, path: Path | str) -> dict[str, Any]:
    """Keep the province key file an office was given; returns what it names."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError("seal.bad_province_key", path=str(path)) from exc
    if (
        not isinstance(data, dict)
        or data.get("kind") != PROVINCE_KEY_KIND
        or not isinstance(data.get("seal_key"), str)
        or _load_public(data["seal_key"]) is None
        or not isinstance(data.get("node"), str)
    ):
        raise UserError("seal.bad_province_key", path=str(path))
    if data.get("province_code") != store.node.province_code or store.node.is_province:
        raise UserError("seal.other_province", province=data.get("province_code"))
    keep = {k: data.get(k) for k in ("node", "province_code", "name", "seal_key")}
    with dbmod.transaction(store.db):
        dbmod.set_meta(store.db, _PROVINCE_META, json.dumps(keep, ensure_ascii=False))
    return keep


def recipient_key(store: Store, peer_node: str | None) -> tuple[str, dict[str, Any]] | None:
    """(seal key, who) for a bundle to ``peer_node`` (None: the province), or None."""
    if peer_node is not None:
        key = dbmod.get_meta(store.db, _PEER_META + peer_node)
        if key:
            from ocop_desktop.sync import peers

            peer = peers.get(store, peer_node)
            return key, {"node": peer_node, "name": peer.name if peer else None}
    province = dbmod.get_meta(store.db, _PROVINCE_META)
    if province and (peer_node is None or json.loads(province).get("node") == peer_node):
        info = json.loads(province)
        return info["seal_key"], {"node": info["node"], "name": info.get("name")}
    return None


# --- sealing and opening ------------------------------------------------------


def _cipher(shared: bytes, ephemeral: bytes, recipient: bytes) -> ChaCha20Poly1305:
    key = HKDF(hashes.SHA256(), 32, salt=None, info=_INFO + ephemeral + recipient).derive(shared)
    return ChaCha20Poly1305(key)


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal_to(store: Store, plain: Path, out: Path, recipient_b64: str, to: dict) -> None:
    """Write ``plain`` (a finished bundle zip) to ``out`` sealed to ``recipient_b64``."""
    recipient = _load_public(recipient_b64)
    if recipient is None:
        raise UserError("seal.bad_province_key", path=recipient_b64)
    ephemeral = X25519PrivateKey.generate()
    eph_raw, rec_raw = _raw(ephemeral.public_key()), _raw(recipient)
    cipher = _cipher(ephemeral.exchange(recipient), eph_raw, rec_raw)
    node = store.node
    header = json.dumps(
        {
            "format": FORMAT,
            "from": {
                "node": node.id,
                "name": node.name,
                "role": node.role,
                "office_code": node.office_code,
                "province_code": node.province_code,
            },
            "to": to,
            "recipient_key": recipient_b64,
            "ephemeral_key": base64.b64encode(eph_raw).decode("ascii"),
            "chunk": CHUNK,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    prefix = MAGIC + struct.pack(">I", len(header)) + header
    with open(plain, "rb") as fin, open(out, "wb") as fout:
        fout.write(prefix)
        index = 0
        chunk = fin.read(CHUNK)
        while True:
            following = fin.read(CHUNK)
            last = not following
            fout.write(cipher.encrypt(_nonce(index, last), chunk, prefix))
            if last:
                break
            chunk, index = following, index + 1
        fout.flush()
        os.fsync(fout.fileno())


def read_header(path: Path | str) -> tuple[dict[str, Any], bytes] | None:
    """The readable header of a sealed bundle and its raw bytes, or None if not sealed."""
    with open(path, "rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            return None
        size_bytes = fh.read(4)
        if len(size_bytes) != 4:
            raise refuse("damaged", detail="sealed header cut short")
        (size,) = struct.unpack(">I", size_bytes)
        if size > MAX_HEADER:
            raise refuse("damaged", detail="sealed header too large")
        raw = fh.read(size)
    try:
        header = json.loads(raw)
    except ValueError as exc:
        raise refuse("damaged", detail="sealed header unreadable") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise refuse("damaged", detail="sealed header unreadable")
    return header, MAGIC + size_bytes + raw


@contextmanager
def opened(store: Store, path: Path | str) -> Iterator[Path]:
    """The bundle zip inside ``path``: the file itself if not sealed, else a private
    decrypted copy in the node's data folder (``incoming/``, owner-only, never the
    system temp folder), removed when the block ends.

    A bundle sealed to another node is refused by name; an altered one (header
    or any chunk) is refused before the zip is read.
    """
    path = Path(path)
    workspace.sweep(store.data_dir / workspace.INCOMING)  # what a killed import left
    found = read_header(path)
    if found is None:
        yield path
        return
    header, prefix = found
    mine = _private_key(store)
    my_raw = _raw(mine.public_key())
    to = header.get("to") or {}
    if header.get("recipient_key") != base64.b64encode(my_raw).decode("ascii"):
        name = to.get("name") or to.get("node") or "?"
        raise refuse("sealed_for_other", name=name)
    eph = _load_public(str(header.get("ephemeral_key")))
    if eph is None:
        raise refuse("damaged", detail="sealed header unreadable")
    cipher = _cipher(mine.exchange(eph), _raw(eph), my_raw)
    plain = workspace.plain_file(store, workspace.INCOMING)
    try:
        _decrypt(path, len(prefix), prefix, cipher, plain)
        yield plain
    finally:
        plain.unlink(missing_ok=True)


def _decrypt(path: Path, start: int, prefix: bytes, cipher: ChaCha20Poly1305, out: Path) -> None:
    step = CHUNK + TAG
    with open(path, "rb") as fin, open(out, "wb") as fout:
        fin.seek(start)
        index = 0
        block = fin.read(step)
        try:
            while True:
                following = fin.read(step)
                last = not following
                fout.write(cipher.decrypt(_nonce(index, last), block, prefix))
                if last:
                    break
                block, index = following, index + 1
        except InvalidTag as exc:
            raise refuse("damaged", detail="sealed content altered") from exc


def finish(store: Store, peer_node: str | None, zip_path: Path, out: Path) -> bool:
    """Write the finished bundle zip to ``out``: sealed (True) when the recipient's
    key is known, else a synced copy as it is (False: signed only, which the caller
    says). ``zip_path`` stays where it is; the caller removes it."""
    found = recipient_key(store, peer_node)
    if found is None:
        workspace.copy_synced(zip_path, out)
        return False
    seal_to(store, zip_path, out, *found)
    return True
