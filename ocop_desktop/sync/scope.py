"""Which records belong to whom.

A record's place is a current commune: a producer's own, a product's (or its
producer's), an evaluation's or recognition's product's, an attachment's
owner's. An office's scope is its area of communes, plus the province's
targets; a target belongs to the office whose code it carries. The province's
scope is everything.

Records without a commune (incomplete entries) are accepted from the office
that made them but are not forwarded to other offices: there is no area to
route them by.

A producer or product the province moves to another area (``sync_moves``,
filled by a trigger) is still sent to the office it left, once, so that office
learns the move; after that it no longer follows the record.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ocop_desktop.migrations import ROUND_TABLES
from ocop_desktop.store import Store

if TYPE_CHECKING:
    from ocop_desktop.sync.peers import Peer

PROVINCE_TARGET = "province"


def export_filters(
    area: Iterable[int], office_code: str | None, *, own: bool = False
) -> tuple[dict[str, str], dict]:
    """SQL WHERE fragments (alias ``t``) that keep a table's rows within an office's scope.

    For the province writing to an office (``own=False``): rows placed in the
    office's area, plus producers and products that have left it (so it learns
    the move). For an office writing to the province (``own=True``): rows placed
    in its own area or not placed at all, never records that have left it.
    """
    params = {"area": json.dumps(sorted(area)), "office": office_code or ""}
    in_area = "IN (SELECT value FROM json_each(:area))"

    def placed(expr: str) -> str:
        return f"({expr} {in_area} OR {expr} IS NULL)" if own else f"{expr} {in_area}"

    product_place = "coalesce(p.commune_code, pp.commune_code)"
    product = (
        "SELECT p.id FROM products p LEFT JOIN producers pp ON pp.id = p.producer_id "
        f"WHERE {placed(product_place)}"
    )
    producer = f"SELECT id FROM producers WHERE {placed('commune_code')}"
    moved = (
        ""
        if own
        else f" OR t.id IN (SELECT record_id FROM sync_moves WHERE from_commune {in_area})"
    )
    own_place = (
        "coalesce(t.commune_code, (SELECT commune_code FROM producers pp "
        "WHERE pp.id = t.producer_id))"
    )
    filters = {
        "producers": placed("t.commune_code") + moved,
        "products": placed(own_place) + moved,
        "evaluations": f"t.product_id IN ({product})",
        "recognitions": f"t.product_id IN ({product})",
        "targets": "t.office_code = :office"
        if own
        else f"t.office_code IN (:office, '{PROVINCE_TARGET}')",
        "attachments": (
            f"(t.owner_table = 'producers' AND t.owner_id IN ({producer})) OR "
            f"(t.owner_table = 'products' AND t.owner_id IN ({product})) OR "
            f"(t.owner_table = 'evaluations' AND t.owner_id IN "
            f"(SELECT id FROM evaluations WHERE product_id IN ({product}))) OR "
            f"(t.owner_table = 'recognitions' AND t.owner_id IN "
            f"(SELECT id FROM recognitions WHERE product_id IN ({product})))"
        ),
        # A council round travels to the offices whose products it scored.
        "rounds": f"t.id IN (SELECT round_id FROM round_products WHERE product_id IN ({product}))",
        "round_products": f"t.product_id IN ({product})",
        "member_sheets": f"t.product_id IN ({product})",
        "batch_decisions": (
            f"t.round_id IN (SELECT round_id FROM round_products WHERE product_id IN ({product}))"
        ),
    }
    return filters, params


def bundle_filters(store: Store, peer: Peer | None) -> tuple[dict[str, str], dict]:
    """The scope of a bundle to ``peer`` (None: the province not yet known): an
    office's area when the province writes to it, otherwise all this office holds
    of its own area."""
    if peer is not None and peer.role == "office":
        return export_filters(peer.area, peer.office_code)
    return export_filters(store.node.area, store.node.office_code, own=True)


# The columns that place a stored row in an area (directly or through its parent).
PLACE_COLUMNS = {
    "producers": "commune_code",
    "products": "commune_code, producer_id",
    "evaluations": "product_id",
    "recognitions": "product_id",
    "attachments": "owner_table, owner_id",
    "targets": "office_code",
    "rounds": "id, level",
    "round_products": "product_id",
    "member_sheets": "product_id",
    "batch_decisions": "round_id",
}


CACHE_LIMIT = 20_000  # stored rows kept between batches (parents of later rows)

# What a bundle's row tells about where its children lie.
SLIM = {
    "producers": ("commune_code",),
    "products": ("commune_code", "producer_id"),
    "evaluations": ("product_id",),
    "recognitions": ("product_id",),
}


def _shared(value: Any) -> Any:
    return sys.intern(value) if isinstance(value, str) else value


class Placer:
    """Finds the commune of rows arriving in a bundle, from the bundle itself or
    from the database as it is now (read only)."""

    def __init__(self, store: Store, rows: dict[str, list[dict[str, Any]]] | None = None):
        self.store = store
        # Of the bundle's rows, only what places their children: a bundle is read a
        # batch at a time, and 100,000 products must not stay in memory whole.
        self.bundle: dict[str, dict[str, tuple]] = {}
        self._cache: dict[tuple, Any] = {}
        for table, batch in (rows or {}).items():
            self.add(table, batch)

    def add(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Remember where a batch of the bundle's rows lies, for their children."""
        cols = SLIM.get(table)
        if cols is None:
            return
        known = self.bundle.setdefault(table, {})
        for r in rows:
            known[sys.intern(r["id"])] = tuple(_shared(r.get(c)) for c in cols)

    def forget(self, table: str, ids: list[str]) -> None:
        """Drop what was looked up for a batch once it has been checked; parents
        looked up for it go too once there are many (they are read again if needed)."""
        for record_id in ids:
            self._cache.pop((table, record_id), None)
            self._cache.pop(("held", table, record_id), None)
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()

    def row(self, table: str, record_id: str | None) -> dict[str, Any] | None:
        if record_id is None:
            return None
        found = self.bundle.get(table, {}).get(record_id)
        if found is not None:
            return dict(zip(SLIM[table], found, strict=True))
        return self.stored(table, record_id)

    def stored(self, table: str, record_id: str) -> dict[str, Any] | None:
        key = (table, record_id)
        if key not in self._cache:
            cols = PLACE_COLUMNS[table]
            cur = self.store.db.execute(f"SELECT {cols} FROM {table} WHERE id = ?", [record_id])
            found = cur.fetchone()
            names = [d[0] for d in cur.description]
            self._cache[key] = dict(zip(names, found, strict=True)) if found else None
        return self._cache[key]

    def commune(self, table: str, row: dict[str, Any] | None, depth: int = 0) -> int | None:
        if row is None or depth > 3:
            return None
        if table == "producers":
            return row.get("commune_code")
        if table == "products":
            if row.get("commune_code") is not None:
                return row["commune_code"]
            return self.commune("producers", self.row("producers", row.get("producer_id")))
        if table in ("evaluations", "recognitions", "round_products", "member_sheets"):
            return self.commune("products", self.row("products", row.get("product_id")), depth + 1)
        if table == "attachments":
            owner = row.get("owner_table")
            if owner not in ("producers", "products", "evaluations", "recognitions"):
                return None
            return self.commune(owner, self.row(owner, row.get("owner_id")), depth + 1)
        return None

    def held(self, table: str, record_id: str | None) -> dict[str, Any] | None:
        """The row as this node holds it (what authority is checked against)."""
        if record_id is None:
            return None
        key = ("held", table, record_id)
        if key not in self._cache:
            self._fetch_held(table, [record_id])
        return self._cache[key]

    def _fetch_held(self, table: str, ids: list[str]) -> None:
        from ocop_desktop.sync.authority import AUTHORITY_COLUMNS

        cols = ", ".join(("id", "version", "origin", "deleted", *AUTHORITY_COLUMNS[table]))
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            for record_id in chunk:
                self._cache[("held", table, record_id)] = None
            marks = ",".join("?" * len(chunk))
            cur = self.store.db.execute(f"SELECT {cols} FROM {table} WHERE id IN ({marks})", chunk)
            names = [d[0] for d in cur.description]
            for found in cur.fetchall():
                self._cache[("held", table, found[0])] = dict(zip(names, found, strict=True))

    def held_commune(self, table: str, row: dict[str, Any] | None, depth: int = 0) -> int | None:
        """The commune of a stored row, through its stored parents only."""
        if row is None or depth > 3:
            return None
        if table == "producers":
            return row.get("commune_code")
        if table == "products":
            if row.get("commune_code") is not None:
                return row["commune_code"]
            return self.held_commune("producers", self.held("producers", row.get("producer_id")))
        if table in ("evaluations", "recognitions"):
            product = self.held("products", row.get("product_id"))
            return self.held_commune("products", product, depth + 1)
        if table == "attachments":
            owner = row.get("owner_table")
            if owner not in ("producers", "products", "evaluations", "recognitions"):
                return None
            return self.held_commune(owner, self.held(owner, row.get("owner_id")), depth + 1)
        return None

    def prefetch_held(self, table: str, ids: list[str]) -> None:
        """Look up, in a few queries, the stored rows a batch would replace."""
        self._fetch_held(table, ids)

    def prefetch(self, table: str, ids: list[str]) -> None:
        """Look up, in a few queries, the stored places of the rows a batch overwrites."""
        if table not in ("producers", "products", "targets"):
            return  # only these are checked against their stored place
        cols = PLACE_COLUMNS
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            for record_id in chunk:
                self._cache[(table, record_id)] = None
            marks = ",".join("?" * len(chunk))
            cur = self.store.db.execute(
                f"SELECT id, {cols[table]} FROM {table} WHERE id IN ({marks})", chunk
            )
            names = [d[0] for d in cur.description][1:]
            for found in cur.fetchall():
                self._cache[(table, found[0])] = dict(zip(names, found[1:], strict=True))

    def place(
        self,
        table: str,
        row: dict[str, Any],
        area: frozenset[int],
        targets: set[str],
        *,
        from_province: bool = False,
    ) -> str:
        """Where an incoming row lands with respect to the sender's scope:

        ``"inside"``;
        ``"outside"``: the row itself lies outside (the bundle is refused);
        ``"moved_out"``: the province moves one of our records to another area
        (accepted: the province decides where records belong);
        ``"protected"``: an office writes a record that now lies outside its area
        (moved away by the province since): the stored row is kept, a conflict
        recorded, and it is sent back so the office follows.

        ``targets`` are the office codes whose targets the sender may write.
        """
        if table in ROUND_TABLES and not from_province:
            # Councils' rounds are the province's; an office sends only its own
            # district council's (before the reform).
            council = row if table == "rounds" else self.row("rounds", row.get("round_id"))
            if council is None or council.get("level") != "district":
                return "outside"
        if table == "targets":
            stored = self.stored(table, row["id"])
            bad = row.get("office_code") not in targets or (
                stored is not None and stored["office_code"] not in targets
            )
            return "outside" if bad else "inside"
        code = self.commune(table, row)
        before = None
        if table in ("producers", "products"):
            stored = self.stored(table, row["id"])
            if stored is not None:
                before = self.commune(table, dict(stored, id=row["id"]))
        if code is not None and code not in area:
            if from_province and before is not None and before in area:
                return "moved_out"
            return "outside"
        if before is not None and before not in area:
            return "protected"
        return "inside"
