"""The SQLite file: opening, pragmas, migrations, transactions, the change counter.

The file is encrypted with SQLCipher (``sqlcipher3``: the sqlite3 DB-API with
every page encrypted and authenticated on disk), keyed per database by
:mod:`ocop_desktop.keystore`. A plain file from an older version is converted on
its first writable open (:mod:`ocop_desktop.encrypt_existing`).

One connection per thread. ``isolation_level=None``: transactions are explicit
(``with transaction(db):``), so a refused write can roll back everything it did
and a bundle or an import applies as one unit.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3  # the sqlite3 API over SQLCipher

from ocop_desktop import keystore
from ocop_desktop.errors import UserError
from ocop_desktop.migrations import MIGRATIONS, SCHEMA_VERSION

PLAIN_HEADER = b"SQLite format 3\x00"
# A busy or locked database, a full disk: what a caller above the core may catch
# without importing the driver itself.
OperationalError = sqlite3.OperationalError
CACHE_KIB = -32768  # 32 MiB page cache for each connection
# The desktop window's one connection, kept for the whole session: SQLCipher
# decrypts and authenticates a page each time it enters the cache, so searches
# and lists over 100,000 products, which come back to ~60 MB of pages, would
# pay for them again at each keystroke with 32 MiB (1.9x plain; 1.06x with 64 MiB,
# bench/bench_crypto.py). Worth ~30 MB more only where the connection lives long.
WINDOW_CACHE_KIB = -65536
# 8 MiB while one pass reads or writes many rows (small_cache): enough to hold the
# index of the current certificates that the summary's pass over the products looks
# each product up in (~1,100 pages at 100,000 products); with 4 MiB those pages were
# evicted and decrypted again and again, and the pass took 1.6x as long.
PASS_CACHE_KIB = -8192
# How long a statement waits for another program's write lock before the user is
# told the database is busy.
BUSY_WAIT_S = 10


def _import_sqlite_utils():
    """Import sqlite-utils without letting it pull in pandas and numpy.

    sqlite-utils imports them at module level only to map their scalar types in
    inserts, which this app never passes; that costs ~0.25 s at every start of
    the CLI and the GUI. Pandas is imported later, where summaries need it.
    """
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    hidden = {name: sys.modules.get(name) for name in ("pandas", "numpy")}
    for name, module in hidden.items():
        if module is None:
            sys.modules[name] = None  # makes the import fail fast
    try:
        import sqlite_utils
    finally:
        for name, module in hidden.items():
            if module is None:
                del sys.modules[name]
    return sqlite_utils


class Database:
    """The open file: ``execute`` and ``conn`` straight on sqlite3, and the rest of
    the sqlite-utils ``Database`` API (``db["products"]``, ``db.tables``, …) through
    an instance made at first use.

    Importing sqlite-utils takes ~60 ms (click, dateutil, its plugin entry points),
    a quarter of the desktop app's start-up, while the hot paths only ever run SQL;
    so the library is loaded when something first asks for more than that.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils = None

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def table_names(self) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]

    @property
    def utils(self):
        """The sqlite-utils ``Database`` over the same connection."""
        if self._utils is None:
            self._utils = _import_sqlite_utils().Database(self.conn)
        return self._utils

    def __getitem__(self, table: str):
        return self.utils[table]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.utils, name)


def connect(path: Path | str, *, create: bool = True, readonly: bool = False) -> Database:
    """Open (and upgrade) the database at ``path``; a plain one is encrypted first."""
    path = Path(path)
    if not create and not path.exists():
        raise UserError("db.not_found", path=str(path))
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = None
    try:
        key = None if readonly else _key_for_writing(path)
        conn = open_connection(path, readonly=readonly, key=key)
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_S * 1000)}")
        # Pages are decrypted as they enter SQLite's cache: a cache that holds what
        # lists and searches come back to (not 2 MB) keeps them from paying twice.
        conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")
        db = Database(conn)
        if not readonly:
            migrate(db)
    except sqlite3.OperationalError:
        # A full disk, a locked or unreadable file: the file may be a fine database;
        # the CLI and the GUI say what went wrong instead of calling it "not a database".
        if conn is not None:
            conn.close()
        if not readonly and path.exists() and not _writable(path):
            raise UserError("db.read_only", path=str(path)) from None
        raise
    except sqlite3.DatabaseError as exc:
        raise UserError("db.not_a_database", path=str(path), detail=str(exc)) from exc
    return db


def keep_warm(db: Database) -> None:
    """Give the connection the desktop window keeps for its session the larger cache."""
    db.execute(f"PRAGMA cache_size = {WINDOW_CACHE_KIB}")


def is_plain(path: Path) -> bool:
    """An unencrypted SQLite file (SQLCipher's first bytes are random salt)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except OSError:
        return False


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _key_for_writing(path: Path) -> keystore.Key:
    """The key, after finishing or doing the conversion of a plain file; a new key
    only for a new database (an encrypted one without its key is refused)."""
    from ocop_desktop import encrypt_existing

    encrypt_existing.finish_interrupted(path)
    if _has_content(path) and is_plain(path):
        return encrypt_existing.encrypt_in_place(path)
    key = keystore.find_key(path)
    if key is not None:
        return key
    if _has_content(path):
        raise _no_key(path)
    return keystore.create_key(path)


def _no_key(path: Path) -> UserError:
    """A file with content, not plain, and no key here: a database whose key this
    computer lacks (its data folder says it has one), or not a database at all."""
    if keystore.knows_of_key(path):
        return UserError("db.key_missing", path=str(path))
    return UserError(
        "db.not_a_database",
        path=str(path),
        detail="not a database, or encrypted with a key this computer does not have",
    )


_quiet = False


def open_connection(
    path: Path | str, *, readonly: bool = False, key: keystore.Key | None = None
) -> sqlite3.Connection:
    """A connection to ``path`` with its key applied and checked.

    ``key=None`` looks the key up (a plain file, met only before its conversion,
    is opened as it is). A key that does not open the file raises ``db.wrong_key``
    before anything is written; a missing one ``db.key_missing``.
    """
    global _quiet
    path = Path(path)
    if key is None and not is_plain(path) and _has_content(path):
        key = keystore.find_key(path)
        if key is None:
            raise _no_key(path)
    uri = f"{path.resolve().as_uri()}?mode=ro" if readonly else str(path)
    # A connection serves the thread that opened it, and sqlite3 refuses any other:
    # work off the UI thread opens its own (``StoreKey.open``).
    conn = sqlite3.connect(uri, uri=readonly, isolation_level=None, timeout=BUSY_WAIT_S)
    try:
        if not _quiet:  # SQLCipher would print each failed page check on stderr
            conn.execute("PRAGMA cipher_log_level = NONE")
            _quiet = True
        if key is not None:
            conn.execute(f'PRAGMA key = "{key.sql}"')
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:  # "file is not a database": not this key
        conn.close()
        raise UserError("db.wrong_key", path=str(path)) from exc
    return conn


def export_encrypted(conn: sqlite3.Connection, dest: Path, key: keystore.Key) -> None:
    """Write everything ``conn`` holds into a new file ``dest`` encrypted with ``key``."""
    conn.execute("ATTACH DATABASE ? AS encrypted_copy KEY ?", [str(dest), key.sql])
    try:
        conn.execute("SELECT sqlcipher_export('encrypted_copy')").fetchone()
    finally:
        conn.execute("DETACH DATABASE encrypted_copy")


def _writable(path: Path) -> bool:
    """The file and its folder (where SQLite puts the WAL) can be written."""
    import os

    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def schema_version(db: Database) -> int:
    if "_migrations" not in db.table_names():
        return 0
    row = db.execute("SELECT max(version) FROM _migrations").fetchone()
    return row[0] or 0


def migrate(db: Database) -> int:
    """Apply the numbered migrations this database has not had yet. Returns the new version."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise UserError("db.too_new", found=current, supported=SCHEMA_VERSION)
    for version, step in MIGRATIONS:
        if version <= current:
            continue
        with transaction(db):
            step(db.conn)
            db.execute(
                "INSERT INTO _migrations (version, applied_at) VALUES (?, datetime('now'))",
                [version],
            )
    return schema_version(db)


_savepoints = itertools.count(1)


@contextmanager
def small_cache(db: Database) -> Iterator[Database]:
    """A small page cache while one pass over many rows runs (a summary, a large
    import): the connection's own cache would fill with decrypted pages that pass
    never comes back to, tens of MB at 100,000 products. Restored afterwards."""
    before = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(f"PRAGMA cache_size = {PASS_CACHE_KIB}")
    try:
        yield db
    finally:
        db.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception. Nests as a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O)
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        # After SQLITE_FULL or an I/O error SQLite has already rolled back; a second
        # ROLLBACK would raise and hide the error the user needs to see.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_meta(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(db: Database, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def next_seq(db: Database, count: int = 1) -> int:
    """Bump the node-local change counter by ``count``; returns the last number taken."""
    row = db.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'seq' RETURNING value",
        [count],
    ).fetchone()
    return int(row[0])


def check_file(path: Path | str, stop: Callable[[], bool] | None = None) -> list[str]:
    """:func:`integrity_check` (quick) on a connection of its own, read-only: what
    the app runs beside its window as it opens a database (about 2 s per 100 MB).
    ``stop()`` turning true (the app closing) ends it early, with no answer."""
    try:
        conn = open_connection(path, readonly=True)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    if stop is not None:
        conn.set_progress_handler(lambda: 1 if stop() else 0, 20_000)
    try:
        problems = integrity_check(Database(conn), quick=True)
        return [] if stop is not None and stop() else problems
    finally:
        conn.close()


def integrity_check(db: Database, *, quick: bool = False) -> list[str]:
    """What is wrong with the database (empty when nothing is). ``quick`` checks
    the pages and the tables' structure only (``PRAGMA quick_check``), not the
    indexes' contents nor the foreign keys: fast enough to run as the app opens."""
    try:
        rows = db.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        # One row may hold many lines; the "*** in database main ***" heading is none.
        problems = [
            line
            for r in rows
            for line in str(r[0]).splitlines()
            if line != "ok" and not line.startswith("***")
        ]
        if not problems and not quick:
            problems += [
                f"foreign key: {r[0]} rowid {r[1]} -> {r[2]}"
                for r in db.execute("PRAGMA foreign_key_check").fetchall()
            ]
    except sqlite3.DatabaseError as exc:  # too damaged to be checked: that is the answer
        return [str(exc)]
    except MemoryError:
        # SQLCipher reports a page whose authentication fails as "out of memory"
        # once its connection has met one: a damaged page, not a lack of memory.
        return ["a page cannot be decrypted (damaged)"]
    return problems
