"""This node's Ed25519 key pair and fingerprints.

The private key lives in the node's data folder (``<database>.d/sync_key.pem``),
encrypted under the database key and owner-only (see ``private_keys``), and is
never written anywhere else: not into bundles, not into backups (which copy
only the database). It is created without hard links, which FAT32 and exFAT
sticks do not have.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ocop_desktop.store import Store
from ocop_desktop.sync import private_keys

KEY_FILE = "sync_key.pem"


def key_path(store: Store) -> Path:
    return store.data_dir / KEY_FILE


def private_key(store: Store) -> Ed25519PrivateKey:
    return private_keys.load(store, KEY_FILE, Ed25519PrivateKey, Ed25519PrivateKey.generate)


def public_key_b64(store: Store) -> str:
    raw = (
        private_key(store)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_b64: str) -> str:
    """SHA-256 of the raw public key, first 128 bits, in groups a person can read aloud."""
    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(store: Store, data: bytes) -> bytes:
    return private_key(store).sign(data)


def verify(public_b64: str, signature: bytes, data: bytes) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
