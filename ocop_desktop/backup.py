"""Backups with SQLite's online backup API: consistent even while the app writes.

A backup is encrypted with the database's own key (SQLCipher copies the pages as
they are, key and all), so a backup folder copied to a stick is as closed as the
database. Restore reads encrypted backups and plain ones from older versions, and
always puts an encrypted copy in place.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3  # the sqlite3 API over SQLCipher

from ocop_desktop import keystore
from ocop_desktop.db import export_encrypted, is_plain, open_connection
from ocop_desktop.errors import UserError, is_io
from ocop_desktop.migrations import SCHEMA_VERSION
from ocop_desktop.paths import node_dir

KEEP = 10


def backup_to(db_path: Path, out: Path, conn: sqlite3.Connection | None = None) -> Path:
    """Copy the live database to ``out`` (written beside it first, then renamed)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    src = conn or open_connection(db_path)
    try:
        tmp.unlink(missing_ok=True)
        dst = open_connection(tmp, key=_key(db_path))
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise UserError("backup.failed", detail=str(exc)) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError("backup.failed", detail=exc.strerror or str(exc)) from exc
    finally:
        if conn is None:
            src.close()
    tmp.replace(out)
    return out


def _key(db_path: Path) -> keystore.Key:
    key = keystore.find_key(db_path)
    if key is None:
        raise UserError("db.key_missing", path=str(db_path))
    return key


def backups_dir(db_path: Path) -> Path:
    d = node_dir(db_path) / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _new_backup_path(db_path: Path, reason: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backups_dir(db_path) / f"ocop-{stamp}-{reason}.sqlite"


def list_backups(db_path: Path) -> list[Path]:
    return sorted(backups_dir(db_path).glob("ocop-*.sqlite"), reverse=True)


def backup_now(
    db_path: Path, conn: sqlite3.Connection | None = None, reason: str = "manual"
) -> Path:
    out = backup_to(db_path, _new_backup_path(db_path, reason), conn)
    for old in list_backups(db_path)[KEEP:]:
        old.unlink(missing_ok=True)
    return out


def last_backup_time(db_path: Path) -> datetime | None:
    backups = list_backups(db_path)
    return datetime.fromtimestamp(backups[0].stat().st_mtime) if backups else None


def auto_backup(db_path: Path, conn: sqlite3.Connection | None = None) -> Path | None:
    """At start: back up when the newest backup is older than a day."""
    last = last_backup_time(db_path)
    if last is not None and datetime.now() - last < timedelta(days=1):
        return None
    return backup_now(db_path, conn, reason="auto")


# Tables every node database has: a file without them is no backup of one.
_NODE_TABLES = ("meta", "_migrations", "producers", "products", "recognitions", "evaluations")


def restore_from(db_path: Path, backup: Path) -> Path:
    """Replace the database with ``backup``; the current file is kept as a backup first.

    The backup (with its own WAL, if it has one) is first copied as files into a
    folder beside the database, so SQLite never opens it where it lies (a
    write-protected stick, a shared folder: it would need to write there, and left
    its -shm behind). From there it is copied with SQLite's backup API, the copy
    checked as the app would open it (a node of this version or older, whole), and
    only then put in place; until then the database is untouched. The caller must
    have closed its connections to it.
    """
    backup = Path(backup)
    tmp = Path(str(db_path) + ".restoring")
    staging = Path(f"{db_path}.restoring.d")
    try:
        _copy_checked(_stage(backup, staging), tmp, backup, _key(db_path))
        kept = _keep_current(db_path)
        _merge_wal(db_path)  # the live file whole on its own: the swap loses nothing
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        tmp.replace(db_path)
    except OSError as exc:  # a full disk; the file held open by another program
        raise UserError("backup.restore_failed", detail=exc.strerror or str(exc)) from exc
    except sqlite3.OperationalError as exc:  # the live file locked by another program
        raise UserError("backup.restore_failed", detail=str(exc)) from exc
    finally:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return kept


def _stage(backup: Path, staging: Path) -> Path:
    """A private copy of the backup file and its WAL (the name is only a name)."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    copy = staging / "backup.sqlite"
    try:
        shutil.copyfile(backup, copy)
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise UserError("backup.not_a_backup", path=str(backup)) from exc
    wal = Path(f"{backup}-wal")
    if wal.is_file():
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    return copy


def _keep_current(db_path: Path) -> Path:
    """The current database into the backups first; a file too damaged for SQLite
    to copy (the reason to restore, often) is kept as it is, with its WAL."""
    try:
        return backup_now(db_path, reason="before-restore")
    except UserError:
        kept = _new_backup_path(db_path, "before-restore-damaged")
        shutil.copyfile(db_path, kept)
        if Path(f"{db_path}-wal").is_file():
            shutil.copyfile(f"{db_path}-wal", f"{kept}-wal")
        return kept


def _copy_checked(staged: Path, tmp: Path, backup: Path, key: keystore.Key) -> None:
    """Copy the staged backup to ``tmp``, encrypted with ``key``, and check the copy."""
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        plain = is_plain(staged)
        try:
            src = open_connection(staged, key=None if plain else key)
        except UserError as exc:  # another database's key, or not a database at all
            raise UserError("backup.not_a_backup", path=str(backup)) from exc
        try:
            if plain:  # made by an older version
                export_encrypted(src, tmp, key)
            dst = open_connection(tmp, key=key)
            try:
                if not plain:
                    src.backup(dst)
                _check_node(dst, backup)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.OperationalError as exc:
        if is_io(exc):  # the copy could not be written: a full disk
            raise UserError("backup.restore_failed", detail=str(exc)) from exc
        raise UserError("backup.not_a_backup", path=str(backup)) from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database"
        raise UserError("backup.not_a_backup", path=str(backup)) from exc


def _check_node(conn: sqlite3.Connection, backup: Path) -> None:
    """Raise unless ``conn`` holds a whole node database this version can open."""
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise UserError("backup.not_a_backup", path=str(backup))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    node = None
    if set(_NODE_TABLES) <= tables:
        node = conn.execute("SELECT value FROM meta WHERE key = 'node_id'").fetchone()
    if not (node and node[0]):
        raise UserError("backup.not_a_backup", path=str(backup))
    version = conn.execute("SELECT max(version) FROM _migrations").fetchone()[0] or 0
    if version > SCHEMA_VERSION:
        # Restoring it would leave a database this version cannot open.
        raise UserError("db.too_new", found=version, supported=SCHEMA_VERSION)


def _merge_wal(db_path: Path) -> None:
    if Path(f"{db_path}-wal").exists():
        try:
            conn = open_connection(db_path)
        except UserError:  # a damaged file: kept as it was just above
            return
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.DatabaseError:  # a damaged file: kept as it was just above
            return
        finally:
            conn.close()
        if busy:  # another program still reads or writes it
            raise sqlite3.OperationalError("database is locked")
