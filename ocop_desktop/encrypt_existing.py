"""Encrypting a plain database from an older version, safely, on its first start.

Steps (``ocop.sqlite`` stands for the database):

1. the plain file's WAL is merged into it, so the file is whole on its own;
2. a plain copy is kept beside it (``ocop.sqlite.plain-backup``);
3. an encrypted copy is written beside it (``ocop.sqlite.encrypting``), synced to
   disk and checked: it opens with the key, passes ``integrity_check`` and holds
   the same number of rows in every table;
4. the encrypted copy replaces the database in one rename;
5. the plain copy is removed, and so are plain backups in the data folder
   (each replaced by an encrypted one).

Killed at any moment, the database file is either the plain one, untouched, or
the checked encrypted one: never a mix, never missing. Leftovers are cleared at
the next start (:func:`finish_interrupted`), which then converts again if the
file is still plain.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3

from ocop_desktop import keystore
from ocop_desktop.errors import UserError

ENCRYPTING = ".encrypting"
PLAIN_BACKUP = ".plain-backup"


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        _beside(path, suffix).unlink(missing_ok=True)


def finish_interrupted(path: Path) -> None:
    """Clear what a conversion killed half-way left behind.

    The encrypted copy is only a copy until its rename, so it goes; the plain
    backup goes once the database in place is the encrypted one (it was checked
    before the rename), and stays otherwise (the database is then that plain file).
    """
    from ocop_desktop.db import is_plain

    encrypting = _beside(path, ENCRYPTING)
    backup = _beside(path, PLAIN_BACKUP)
    if not (encrypting.exists() or backup.exists()):
        return
    _remove_with_journals(encrypting)
    if backup.exists() and path.exists() and not is_plain(path):
        _encrypt_plain_backups(path)
        _remove_with_journals(backup)
    elif backup.exists():
        _remove_with_journals(backup)  # the database is the plain original, whole


def encrypt_in_place(path: Path) -> keystore.Key:
    """Encrypt the plain database at ``path``; returns its key (kept before any write)."""
    from ocop_desktop.db import export_encrypted, open_connection

    path = Path(path)
    key = keystore.find_key(path) or keystore.create_key(path)
    encrypting = _beside(path, ENCRYPTING)
    backup = _beside(path, PLAIN_BACKUP)
    _remove_with_journals(encrypting)
    plain = open_connection(path, key=None)
    try:
        busy = plain.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise UserError("db.convert_busy", path=str(path))
        _copy_synced(path, backup)
        export_encrypted(plain, encrypting, key)
        counts = _row_counts(plain)
    finally:
        plain.close()
    _fsync(encrypting)
    _check(encrypting, key, counts)
    try:
        for suffix in ("-wal", "-shm"):  # empty after the checkpoint: the plain file's
            _beside(path, suffix).unlink(missing_ok=True)
        os.replace(encrypting, path)
    except PermissionError as exc:  # Windows: another program holds the file open
        _remove_with_journals(encrypting)
        raise UserError("db.convert_busy", path=str(path)) from exc
    _fsync_folder(path.parent)
    _encrypt_plain_backups(path)
    _remove_with_journals(backup)
    return key


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM main."{t}"').fetchone()[0] for t in tables}


def _check(encrypted: Path, key: keystore.Key, counts: dict[str, int]) -> None:
    from ocop_desktop.db import open_connection

    conn = open_connection(encrypted, key=key)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not ok or _row_counts(conn) != counts:
            raise UserError("db.convert_failed", path=str(encrypted))
    finally:
        conn.close()


def _copy_synced(src: Path, dest: Path) -> None:
    tmp = _beside(dest, ".part")
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        while chunk := fin.read(1 << 20):
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dest)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder for syncing; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _encrypt_plain_backups(path: Path) -> None:
    """Backups an older version wrote beside the database are plain too: replace each."""
    from ocop_desktop.db import export_encrypted, is_plain, open_connection

    folder = keystore.data_folder(path) / "backups"
    if not folder.is_dir():
        return
    key = keystore.find_key(path)
    if key is None:
        return
    for backup in sorted(folder.glob("ocop-*.sqlite")):
        if not is_plain(backup):
            continue
        encrypting = _beside(backup, ENCRYPTING)
        _remove_with_journals(encrypting)
        try:
            conn = open_connection(backup, key=None)
            try:
                export_encrypted(conn, encrypting, key)
            finally:
                conn.close()
        except (sqlite3.Error, UserError):
            _remove_with_journals(encrypting)
            continue  # a damaged old backup stays as it is
        _fsync(encrypting)
        mtime = backup.stat().st_mtime
        os.replace(encrypting, backup)
        os.utime(backup, (mtime, mtime))  # its age still says when it was made
        for suffix in ("-wal", "-shm"):
            _beside(backup, suffix).unlink(missing_ok=True)
