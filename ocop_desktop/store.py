"""The open database of one installation (node) and who is working in it.

A ``Store`` is what every service function takes: the connection, this node's
identity and area, the officer's name and the hybrid clock. It is made by
``open_store`` (existing node) or ``init_node`` (first run).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3  # the sqlite3 API over SQLCipher

from ocop_desktop import db as dbmod
from ocop_desktop import refdata
from ocop_desktop.errors import UserError
from ocop_desktop.hlc import Clock

ROLES = ("office", "province")
DEMO_KEY = "demo"  # meta key: "1" in a database made to try the app, never for real work


@dataclass
class Node:
    id: str
    role: str
    province_code: int
    office_code: str | None
    name: str
    area: frozenset[int]

    @property
    def is_province(self) -> bool:
        return self.role == "province"


@dataclass
class Store:
    db: dbmod.Database
    path: Path
    node: Node
    officer: str = ""
    clock: Clock = field(init=False)

    def __post_init__(self) -> None:
        self.clock = Clock(self.node.id, dbmod.get_meta(self.db, "hlc"))

    def next_version(self) -> str:
        """A new version, after every version this database has seen. Called inside
        the write's transaction: the stored clock is read there, so another
        process (a CLI import beside an open window) that moved it meanwhile is
        taken into account and an edit never sorts below what it replaces."""
        stored = dbmod.get_meta(self.db, "hlc")
        if stored:
            self.clock.observe(stored)
        version = self.clock.now()
        dbmod.set_meta(self.db, "hlc", self.clock.last)
        return version

    def observe_version(self, version: str) -> None:
        stored = dbmod.get_meta(self.db, "hlc")
        if stored:
            self.clock.observe(stored)
        self.clock.observe(version)
        dbmod.set_meta(self.db, "hlc", self.clock.last)

    @property
    def is_demo(self) -> bool:
        """Made as a demo database (``ocop init --demo``, the app's demo button)."""
        return dbmod.get_meta(self.db, DEMO_KEY) == "1"

    def in_area(self, commune_code: int) -> bool:
        return commune_code in self.node.area

    def last_sync_time(self) -> str | None:
        """When this node last exported or imported a bundle that went through (ISO
        8601, UTC), or None. Here, not in the sync package, so that the status bar
        does not load the whole sync machinery as the window opens (~40 ms)."""
        row = self.db.execute(
            "SELECT max(at) FROM sync_log WHERE status NOT IN ('failed', 'refused', 'error')"
        ).fetchone()
        return row[0] if row else None

    @property
    def data_dir(self) -> Path:
        from ocop_desktop.paths import node_dir

        return node_dir(self.path)

    @property
    def key(self) -> StoreKey:
        """What a worker thread needs to open its own connection to this database."""
        return StoreKey(self.path, self.officer)

    def catch_up(self) -> None:
        """After work on another connection (an import, a sync, a backup): this
        store's clock moves past every version written there and its node is read
        again, so the next edit here sorts after them."""
        try:
            stored = dbmod.get_meta(self.db, "hlc")
            node = read_node(self.db)
        except sqlite3.ProgrammingError:  # closed meanwhile (another database opened)
            return
        if stored:
            self.clock.observe(stored)
        self.node = node or self.node

    def close(self) -> None:
        self.db.conn.close()


@dataclass(frozen=True)
class StoreKey:
    """How to open a node's database again, without holding a connection.

    Background work receives this, never a ``Store``: it opens its own connection
    on its own thread (a SQLite connection never serves two threads) and closes it
    when done.
    """

    path: Path
    officer: str | None = None

    def open(self, *, readonly: bool = False) -> Store:
        """A new store on its own connection; ``readonly`` for work that must not write
        (a preview), which then never waits behind a writer."""
        db = dbmod.connect(self.path, create=False, readonly=True) if readonly else None
        return open_store(self.path, db=db, officer=self.officer)


def _peek_meta(path: Path, key: str) -> str | None:
    """A meta value of the file at ``path``, read over a read-only connection of its
    own (through the database's key, as every connection is)."""
    conn = dbmod.open_connection(path, readonly=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def is_node_file(path: Path) -> bool:
    """The file is an initialised node's database. A file that cannot be read counts
    as one: opening it (``open_store``) then says what is wrong with it."""
    if not path.exists():
        return False
    try:
        return bool(_peek_meta(path, "node_id"))
    except (sqlite3.Error, UserError):
        return True


def is_demo_file(path: Path) -> bool:
    """An existing database made as demo (its meta table says so)."""
    if not is_node_file(path):
        return False
    try:
        return _peek_meta(path, DEMO_KEY) == "1"
    except (sqlite3.Error, UserError):
        return False


def _area_for_district(district: int) -> list[int]:
    ref = refdata.load()
    communes = ref.communes_of_former_district.get(district)
    if not communes:
        raise UserError("node.unknown_district", "office", code=district)
    return communes


def init_node(
    path: Path | str,
    *,
    role: str,
    province: int | None = None,
    office: str | None = None,
    communes: list[int] | None = None,
    officer: str = "",
    name: str | None = None,
    demo: bool = False,
) -> Store:
    """Make this database a node: an office (an area of communes) or the province.

    ``demo`` marks it as a demo database: the app says so on every screen and its
    sync bundles carry a flag that real nodes refuse.
    """
    ref = refdata.load()
    if role not in ROLES:
        raise UserError("node.bad_role", "role", role=role)
    path = Path(path)
    db = dbmod.connect(path)
    if dbmod.get_meta(db, "node_id"):
        db.conn.close()
        raise UserError("node.already_initialised", path=str(path))
    if role == "province":
        if province is None or province not in ref.provinces:
            raise UserError("node.unknown_province", "province", code=province)
        area = ref.communes_by_province[province]
        office_code = None
        name = name or ref.provinces[province]
    else:
        if communes:
            unknown = [c for c in communes if c not in ref.communes]
            if unknown:
                raise UserError("node.unknown_communes", "communes", codes=_codes(unknown))
            area = sorted(set(communes))
            provinces = {ref.communes[c].province_code for c in area}
            if len(provinces) != 1:
                raise UserError("node.area_spans_provinces", "communes")
            province = provinces.pop()
            office_code = office or "area"
            if office and office.isdigit() and int(office) in ref.legacy_districts:
                name = name or ref.district_name(int(office))
            name = name or "Khu vực " + ", ".join(ref.commune_name(c) for c in area[:3])
        else:
            if not office or not office.isdigit():
                raise UserError("node.office_needed", "office")
            district = int(office)
            area = _area_for_district(district)
            province = ref.legacy_districts[district].province_code
            office_code = str(district)
            name = name or ref.district_name(district)
    import uuid

    node_id = uuid.uuid4().hex
    with dbmod.transaction(db):
        for key, value in {
            "node_id": node_id,
            "role": role,
            "province_code": str(province),
            "office_code": office_code,
            "office_name": name,
            "area": json.dumps(sorted(area)),
            "officer": officer,
            "refdata_version": ref.version,
            # The database's first history (see sync/lineage.py).
            "lineage": json.dumps([[uuid.uuid4().hex, 0]]),
            **({DEMO_KEY: "1"} if demo else {}),
        }.items():
            dbmod.set_meta(db, key, value)
    return open_store(path, db=db, officer=officer or None)


def _codes(codes: list[int]) -> str:
    return ", ".join(str(c) for c in codes)


_NODE_KEYS = ("node_id", "role", "province_code", "office_code", "office_name", "area")


def read_node(db: dbmod.Database) -> Node | None:
    meta = dict(
        db.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' for _ in _NODE_KEYS)})",
            _NODE_KEYS,
        ).fetchall()
    )
    if not meta.get("node_id"):
        return None
    return Node(
        id=meta["node_id"],
        role=meta.get("role") or "office",
        province_code=int(meta.get("province_code") or 0),
        office_code=meta.get("office_code"),
        name=meta.get("office_name") or "",
        area=frozenset(json.loads(meta.get("area") or "[]")),
    )


def open_store(
    path: Path | str, *, db: dbmod.Database | None = None, officer: str | None = None
) -> Store:
    """Open an initialised node's database (upgrading its schema if needed)."""
    path = Path(path)
    if db is None:
        if not path.exists():
            raise UserError("db.not_initialised", path=str(path))
        db = dbmod.connect(path)
    try:
        node = read_node(db)
    except sqlite3.OperationalError:
        db.conn.close()
        raise
    except sqlite3.DatabaseError as exc:  # a damaged page: say so, never a traceback
        db.conn.close()
        raise UserError("db.damaged", path=str(path), detail=str(exc)) from exc
    if node is None:
        db.conn.close()
        raise UserError("db.not_initialised", path=str(path))
    if officer is None:
        officer = dbmod.get_meta(db, "officer") or ""
    return Store(db=db, path=path, node=node, officer=officer)
