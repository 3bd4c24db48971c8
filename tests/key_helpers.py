"""Tests copy databases as a person copies them: the file, and its key with it."""

from __future__ import annotations

import shutil
from pathlib import Path

from ocop_desktop.db import open_connection
from ocop_desktop.keystore import KEY_FILE, data_folder


def copy_key(src: Path | str, dst: Path | str) -> None:
    """Give the database at ``dst`` the key of the one at ``src`` (a key file in tests)."""
    folder = data_folder(Path(dst))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data_folder(Path(src)) / KEY_FILE, folder / KEY_FILE)


def copy_database(src: Path | str, dst: Path | str) -> None:
    shutil.copyfile(src, dst)
    copy_key(src, dst)


def connect(path: Path | str, *, readonly: bool = False):
    """A keyed connection, for tests that look at the file from outside the app."""
    return open_connection(Path(path), readonly=readonly)


def dump_lines(conn):
    """The schema and every row, in order (SQLCipher's driver has no ``iterdump``)."""
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
    ).fetchall():
        yield sql
        if sql.startswith("CREATE TABLE"):
            yield from sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"').fetchall()))


def mistyped_check(words: str) -> str:
    """The recovery words with the last one (a check byte) replaced by another real
    word, so the check fails; a fixed word would be the right one for one key in 256."""
    first, last = words.rsplit(" ", 1)
    return first + " " + next(w for w in ("ba", "be") if w != last.lower())
