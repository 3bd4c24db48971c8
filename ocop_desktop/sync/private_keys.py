"""This node's private keys (signing and sealing) on disk: locked by the database key.

Each private key is a PEM file in the node's data folder, encrypted (PKCS#8)
with a password derived from the database key. The database key is kept by the
operating system's credential store (or under the office's passphrase), so the
private keys are as closed as the database itself: another Windows account on a
shared laptop, or whoever copies the data folder to a stick, gets a file it
cannot use; and the recovery sheet, which restores the database key on a new
laptop, brings the node's identity with it (its peers keep trusting it).

The file is also owner-only (``keystore.protect``: mode 0600, or an ACL on
Windows, where 0600 means nothing) and created without hard links or any
reliance on ``chmod`` (FAT32 and exFAT sticks have neither). A plain PEM file
left by an older version is read once and rewritten locked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ocop_desktop import keystore
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store

PrivateKey = TypeVar("PrivateKey", Ed25519PrivateKey, X25519PrivateKey)
_INFO = b"OCOP private key file v1\x00"
# (file's bytes, password) -> key: a certificate list signs thousands of QR codes,
# and each read of an encrypted PEM runs its PBKDF2 again.
_loaded: dict[tuple[bytes, bytes], Ed25519PrivateKey | X25519PrivateKey] = {}


def password(store: Store, name: str) -> bytes:
    """The password of the key file ``name``: from the database key, never stored."""
    key = keystore.find_key(store.path)
    if key is None:
        raise UserError("db.key_missing", path=str(store.path))
    hkdf = HKDF(hashes.SHA256(), 32, salt=None, info=_INFO + name.encode("ascii"))
    return hkdf.derive(key.raw).hex().encode("ascii")


def _pem(key: Ed25519PrivateKey | X25519PrivateKey, secret: bytes | None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(secret)
        if secret is not None
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def load(
    store: Store, name: str, kind: type[PrivateKey], generate: Callable[[], PrivateKey]
) -> PrivateKey:
    """The private key kept as ``<data folder>/name``, made by ``generate`` the first time."""
    path = store.data_dir / name
    secret = password(store, name)
    if not path.exists():
        store.data_dir.mkdir(parents=True, exist_ok=True)
        # Another process that made the key meanwhile keeps theirs.
        keystore.write_once(path, _pem(generate(), secret))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError("sync.key_unreadable", path=str(path)) from exc
    known = _loaded.get((data, secret))
    if isinstance(known, kind):
        return known
    locked = b"ENCRYPTED PRIVATE KEY" in data
    try:
        key = serialization.load_pem_private_key(data, password=secret if locked else None)
    except (ValueError, TypeError) as exc:  # another database's key, or a damaged file
        raise UserError("sync.key_unreadable", path=str(path)) from exc
    if not isinstance(key, kind):
        raise UserError("sync.key_unreadable", path=str(path))
    if not locked:
        _lock_old_file(path, key, secret)
    else:
        _loaded[(data, secret)] = key
    return key


def _lock_old_file(path: Path, key: Ed25519PrivateKey | X25519PrivateKey, secret: bytes) -> None:
    """Rewrite a plain key file from an older version encrypted (same key)."""
    try:
        keystore.replace_private(path, _pem(key, secret))
    except OSError:
        pass  # held open on Windows: the next start does it
