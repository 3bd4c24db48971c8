"""Backups with SQLite's online backup API: consistent even while the app writes."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from ocop_desktop.errors import UserError
from ocop_desktop.migrations import SCHEMA_VERSION
from ocop_desktop.paths import node_dir

KEEP = 10


def backup_to(db_path: Path, out: Path, conn: sqlite3.Connection | None = None) -> Path:
    """Copy the live database to ``out`` (written beside it first, then renamed)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    src = conn or sqlite3.connect(str(db_path))
    try:
        dst = sqlite3.connect(str(tmp))
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


def backups_dir(db_path: Path) -> Path:
    d = node_dir(db_path) / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


def list_backups(db_path: Path) -> list[Path]:
    return sorted(backups_dir(db_path).glob("ocop-*.sqlite"), reverse=True)


def backup_now(
    db_path: Path, conn: sqlite3.Connection | None = None, reason: str = "manual"
) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    out = backup_to(db_path, backups_dir(db_path) / f"ocop-{stamp}-{reason}.sqlite", conn)
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


def restore_from(db_path: Path, backup: Path) -> Path:
    """Replace the database with ``backup``; the current file is kept as a backup first.

    The caller must have closed its connections to ``db_path``.
    """
    backup = Path(backup)
    try:
        # as_uri(): a "#", "?" or "%" in the file name is part of the name, not of the URI.
        check = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        has_meta = check.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'meta'"
        ).fetchone()[0]
        schema = check.execute("SELECT max(version) FROM _migrations").fetchone()[0] or 0
        check.close()
    except sqlite3.DatabaseError as exc:
        raise UserError("backup.not_a_backup", path=str(backup)) from exc
    if not ok or not has_meta:
        raise UserError("backup.not_a_backup", path=str(backup))
    if schema > SCHEMA_VERSION:
        # Restoring it would leave a database this version cannot open.
        raise UserError("db.too_new", found=schema, supported=SCHEMA_VERSION)
    kept = backup_now(db_path, reason="before-restore")
    tmp = Path(str(db_path) + ".restoring")
    try:
        # Copy first: if the disk fills up, the database and its WAL are still whole.
        shutil.copyfile(backup, tmp)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError("backup.restore_failed", detail=exc.strerror or str(exc)) from exc
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    tmp.replace(db_path)
    return kept
