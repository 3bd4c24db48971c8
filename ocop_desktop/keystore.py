"""Where a database's key lives: the operating system's credential store, or a key file.

Each database has a random 32-byte key. It is kept in the credential store
(``keyring``: Windows Credential Manager, the Secret Service on Linux, the macOS
Keychain) under an id written beside the database (``<database>.d/database.key-id``,
not secret), so an officer types nothing. Where there is no credential store
(a headless machine, a bare Linux) the key is written to ``<database>.d/database.key``
instead, readable by the owner only; anyone who copies the whole data folder then
has the key too, which the app and the CLI say once.

``OCOP_KEY_STORE=file`` chooses the key file even where a credential store exists
(a portable install that moves between laptops).

An office that wants more sets a passphrase (``ocop key passphrase set``, or
Settings): the credential store (or key file) then holds the key wrapped by a
key derived from the passphrase (scrypt, a random salt, ChaCha20-Poly1305), so
the laptop's account alone, or a copy of the data folder, does not open the
database. The database key itself does not change: backups, bundles and the
recovery sheet keep working. The app asks for the passphrase once at start, the
CLI prompts for it or reads ``OCOP_PASSPHRASE``.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ocop_desktop.errors import UserError

SERVICE = "OCOP Desktop"
KEY_BYTES = 32
KEY_FILE = "database.key"
KEY_ID_FILE = "database.key-id"
NOTICE_FILE = "database.key-notice-shown"
IN_CREDENTIAL_STORE = "keyring"
IN_FILE = "file"

PASSPHRASE_ENV = "OCOP_PASSPHRASE"
MIN_PASSPHRASE = 8
WRAPPED = "scrypt1"  # what a wrapped key's stored text starts with
SCRYPT_LOG2_N = 15  # 2**15 × 8 × 128 bytes = 32 MiB and ~0.1 s per try
SCRYPT_R = 8
SCRYPT_P = 1
_WRAP_AAD = b"OCOP database key v1"

_cache: dict[Path, Key] = {}
_unlocked: dict[str, Key] = {}  # wrapped text -> the key it holds, once unlocked


@dataclass(frozen=True)
class Key:
    raw: bytes
    where: str  # IN_CREDENTIAL_STORE or IN_FILE

    @property
    def sql(self) -> str:
        """SQLCipher's raw key syntax: used as given, no PBKDF2 at each open."""
        return f"x'{self.raw.hex()}'"


def data_folder(db_path: Path) -> Path:
    """The folder holding the key (or its id): the database's own, and for a backup
    in ``<database>.d/backups/``, the database's it was made from."""
    db_path = Path(db_path)
    parent = db_path.parent
    if parent.name == "backups" and parent.parent.name.endswith(".d"):
        return parent.parent
    return db_path.with_name(db_path.name + ".d")


def find_key(db_path: Path) -> Key | None:
    """The key of the database at ``db_path``, or None if this machine has none.

    A key file is read at every call (one small read; a replaced file is seen at
    once); a key from the credential store is remembered for the process. A key
    under a passphrase not yet given (:func:`unlock`, ``OCOP_PASSPHRASE``)
    raises ``key.passphrase_needed``; a wrong one ``key.wrong_passphrase``.
    """
    folder = data_folder(db_path)
    key = _from_text(_read_key_file(folder), IN_FILE)
    if key is not None:
        return key
    cached = _cache.get(folder.resolve())
    if cached is not None:
        return cached
    key = _from_text(_read_credential_store(folder), IN_CREDENTIAL_STORE)
    if key is not None:
        _cache[folder.resolve()] = key
    return key


def knows_of_key(db_path: Path) -> bool:
    """The data folder says the database has a key (an id or a key file), found or not."""
    folder = data_folder(db_path)
    return (folder / KEY_ID_FILE).exists() or (folder / KEY_FILE).exists()


def create_key(db_path: Path) -> Key:
    """A new key for a database that has none yet (a new or a plain one), kept at once."""
    # os.urandom is what secrets.token_bytes calls, without loading hashlib at start.
    return store_key(db_path, os.urandom(KEY_BYTES))


def store_key(db_path: Path, raw: bytes) -> Key:
    """Keep ``raw`` as the key of the database at ``db_path`` (credential store if any),
    with no passphrase."""
    if len(raw) != KEY_BYTES:
        raise UserError("key.bad_length")
    return Key(raw, _keep(db_path, raw.hex()))


def _keep(db_path: Path, text: str) -> str:
    """Keep ``text`` (a key, or a wrapped key) for the database; returns where."""
    folder = data_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    key_id = _key_id(folder, create=True)  # also says, if the key goes missing, that one existed
    backend = _credential_store()
    where = IN_FILE
    if backend is not None:
        try:
            backend.set_password(SERVICE, key_id, text)
            (folder / KEY_FILE).unlink(missing_ok=True)
            where = IN_CREDENTIAL_STORE
        except Exception:  # noqa: BLE001 - a locked or refusing store: fall back to the file
            pass
    if where == IN_FILE:
        _write_key_file(folder, text)
    _cache.pop(folder.resolve(), None)
    return where


# --- the optional passphrase -----------------------------------------------


def has_passphrase(db_path: Path) -> bool:
    """The key of this database is kept under a passphrase (given yet or not)."""
    stored = _stored_text(data_folder(db_path))
    return stored is not None and _is_wrapped(stored[0])


def needs_passphrase(db_path: Path) -> bool:
    """A passphrase must be given (:func:`unlock`) before the database opens."""
    stored = _stored_text(data_folder(db_path))
    return stored is not None and _is_wrapped(stored[0]) and stored[0] not in _unlocked


def unlock(db_path: Path, passphrase: str) -> Key | None:
    """Give the passphrase of the database at ``db_path`` for this process.

    A wrong one raises ``key.wrong_passphrase`` and changes nothing.
    """
    folder = data_folder(db_path)
    stored = _stored_text(folder)
    if stored is None:
        return None
    text, where = stored
    if not _is_wrapped(text):
        return _from_text(text, where)
    return _unlock_text(text, where, passphrase)


def set_passphrase(db_path: Path, passphrase: str) -> Key:
    """Keep the database's key under ``passphrase`` (a new one replaces the old).

    The key must be at hand (the database open, or its passphrase given).
    """
    passphrase = unicodedata.normalize("NFC", passphrase)
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError("key.passphrase_short", n=MIN_PASSPHRASE)
    key = find_key(db_path)
    if key is None:
        raise UserError("db.key_missing", path=str(db_path))
    text = _wrap(key.raw, passphrase)
    kept = Key(key.raw, _keep(db_path, text))
    _unlocked[text] = kept
    return kept


def remove_passphrase(db_path: Path) -> Key:
    """Keep the key as it was before a passphrase (the passphrase given already)."""
    if not has_passphrase(db_path):
        raise UserError("key.no_passphrase")
    key = find_key(db_path)
    if key is None:
        raise UserError("db.key_missing", path=str(db_path))
    return store_key(db_path, key.raw)


def _kek(passphrase: str, salt: bytes, log2_n: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    normal = unicodedata.normalize("NFC", passphrase)  # Vietnamese typed either way
    return Scrypt(salt=salt, length=32, n=1 << log2_n, r=SCRYPT_R, p=SCRYPT_P).derive(
        normal.encode("utf-8")
    )


def _wrap(raw: bytes, passphrase: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = ChaCha20Poly1305(_kek(passphrase, salt, SCRYPT_LOG2_N)).encrypt(nonce, raw, _WRAP_AAD)
    return f"{WRAPPED}:{SCRYPT_LOG2_N}:{salt.hex()}:{(nonce + sealed).hex()}"


def _unwrap(text: str, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    try:
        _, log2_n, salt_hex, blob_hex = text.split(":")
        salt, blob, n = bytes.fromhex(salt_hex), bytes.fromhex(blob_hex), int(log2_n)
    except ValueError as exc:
        raise UserError("key.wrapped_damaged") from exc
    if not 10 <= n <= 22 or len(blob) != 12 + KEY_BYTES + 16:
        raise UserError("key.wrapped_damaged")
    try:
        return ChaCha20Poly1305(_kek(passphrase, salt, n)).decrypt(blob[:12], blob[12:], _WRAP_AAD)
    except InvalidTag:
        raise UserError("key.wrong_passphrase") from None


def _from_text(text: str | None, where: str) -> Key | None:
    """The key a stored text holds: as it is, or unwrapped with the passphrase."""
    if text is None:
        return None
    text = text.strip()
    if not _is_wrapped(text):
        raw = _from_hex(text)
        return Key(raw, where) if raw else None
    known = _unlocked.get(text)
    if known is not None:
        return known
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        raise UserError("key.passphrase_needed")
    return _unlock_text(text, where, passphrase)


def _is_wrapped(text: str) -> bool:
    """The stored text is a key under a passphrase, not the key itself."""
    return text.startswith(WRAPPED + ":")


def _unlock_text(text: str, where: str, passphrase: str) -> Key:
    """The key a wrapped text holds, remembered for this process (a wrong passphrase
    raises ``key.wrong_passphrase``)."""
    key = Key(_unwrap(text, passphrase), where)
    _unlocked[text] = key
    return key


def _stored_text(folder: Path) -> tuple[str, str] | None:
    """What is kept for the database (a key or a wrapped key), and where."""
    text = _read_key_file(folder)
    if text is not None and (_is_wrapped(text) or _from_hex(text)):
        return text, IN_FILE
    text = _read_credential_store(folder)
    if text is not None:
        return text, IN_CREDENTIAL_STORE
    return None


def forget_cached() -> None:
    """Drop the keys this process has read or unlocked (after a key is replaced or
    restored; a passphrase is asked again)."""
    _cache.clear()
    _unlocked.clear()


def weak_notice_due(db_path: Path) -> bool:
    """True once per database whose key is a file: the caller then says it is weaker."""
    try:
        key = find_key(db_path)
    except UserError:
        return False
    if key is None or key.where != IN_FILE:
        return False
    marker = data_folder(db_path) / NOTICE_FILE
    if marker.exists():
        return False
    try:
        marker.write_text("shown\n", encoding="utf-8")
    except OSError:
        return False
    return True


# --- the credential store --------------------------------------------------


def _credential_store():
    """The keyring back-end, or None where there is none (or a key file is asked for)."""
    if os.environ.get("OCOP_KEY_STORE") == IN_FILE:
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return None
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return None
    return backend


def _key_id(folder: Path, *, create: bool) -> str | None:
    path = folder / KEY_ID_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if text or not create:
        return text or None
    write_once(path, f"database-{os.urandom(16).hex()}\n".encode("ascii"))
    return path.read_text(encoding="ascii").strip()


def _read_credential_store(folder: Path) -> str | None:
    key_id = _key_id(folder, create=False)
    if key_id is None:
        return None
    backend = _credential_store()
    if backend is None:
        return None
    try:
        stored = backend.get_password(SERVICE, key_id)
    except Exception:  # noqa: BLE001 - a locked store is a missing key here
        return None
    return stored.strip() if stored else None


# --- the key file ----------------------------------------------------------


def _read_key_file(folder: Path) -> str | None:
    try:
        return (folder / KEY_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _write_key_file(folder: Path, text: str) -> None:
    replace_private(folder / KEY_FILE, text.encode("ascii") + b"\n")


def _from_hex(text: str | None) -> bytes | None:
    try:
        raw = bytes.fromhex((text or "").strip())
    except ValueError:
        return None
    return raw if len(raw) == KEY_BYTES else None


# --- files only their owner may read, on any file system -------------------


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) owner-only, then write ``data`` into it:
    the secret never lies in a file with the folder's inherited access."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        protect(path)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_private(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` (new or replaced) through an owner-only temporary
    file beside it; the owner-only access goes with the file. Nothing is left
    behind if it fails."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        write_private(tmp, data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


LOCK_STALE_S = 30.0


def write_once(path: Path, data: bytes) -> bool:
    """Create ``path`` holding ``data`` unless it exists; True if this call made it.

    Works where hard links do not (FAT32 and exFAT sticks, some network shares):
    a lock folder (``mkdir`` is atomic everywhere) lets one process write the file
    beside it and rename it into place, so another process starting at the same
    moment keeps the first file instead of replacing it.
    """
    path = Path(path)
    lock = path.with_name(f".{path.name}.lock")
    deadline = time.monotonic() + 2 * LOCK_STALE_S
    while True:
        if path.exists():
            return False
        try:
            lock.mkdir()
            break
        except FileExistsError:
            try:
                if time.time() - lock.stat().st_mtime > LOCK_STALE_S:
                    lock.rmdir()  # left by a process that died while making the file
                    continue
            except OSError:
                continue
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        if path.exists():
            return False
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        write_private(tmp, data)
        os.replace(tmp, path)  # the owner-only access goes with the file
        return True
    finally:
        lock.rmdir()


PLATFORM = sys.platform  # tests run the Windows branch with "win32" here


def windows_account(environ: Mapping[str, str] | None = None) -> str | None:
    """The Windows account running the app, as ``icacls`` names it: ``DOMAIN\\user``
    (the computer's name for a local account), or the user name alone."""
    env = os.environ if environ is None else environ
    user = env.get("USERNAME")
    if not user:
        return None
    domain = env.get("USERDOMAIN")
    return f"{domain}\\{user}" if domain else user


def owner_only_command(path: Path, user: str) -> list[str]:
    """The ``icacls`` call that leaves ``path`` readable by ``user`` alone on Windows.

    ``/inheritance:r`` drops the rights the folder passes down (Users, Everyone),
    ``/grant:r`` replaces any grant with full control for the owner.
    """
    return ["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:(F)"]


def protect(path: Path, platform: str | None = None) -> None:
    """Owner-only access: POSIX mode 0600, or an ACL on Windows (where 0600 means nothing).

    Never relied upon for the file to be made: FAT32 and exFAT sticks have neither
    modes nor ACLs, and the key is then as safe as the stick.
    """
    platform = platform or PLATFORM
    if platform != "win32":
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass
        return
    user = windows_account()
    if not user:
        return
    import subprocess

    creation = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        subprocess.run(
            owner_only_command(path, user),
            check=False,
            capture_output=True,
            creationflags=creation,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        pass  # no icacls, or it hung: the file stays as the folder made it
