"""Which records belong to whom.

A record's place is a current commune: a producer's own, a product's (or its
producer's), an evaluation's or recognition's product's, an attachment's
owner's. An office's scope is its area of communes, plus the province's
targets; a target belongs to the office whose code it carries. The province's
scope is everything.

Records without a commune (incomplete entries) are accepted from the office
that made them but are not forwarded to other offices: there is no area to
route them by.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ocop_desktop.store import Store

PROVINCE_TARGET = "province"


def export_filters(area: Iterable[int], office_code: str | None) -> tuple[dict[str, str], dict]:
    """SQL WHERE fragments (alias ``t``) that keep a table's rows within an office's scope."""
    params = {"area": json.dumps(sorted(area)), "office": office_code or ""}
    in_area = "IN (SELECT value FROM json_each(:area))"
    product = (
        "SELECT p.id FROM products p LEFT JOIN producers pp ON pp.id = p.producer_id "
        f"WHERE coalesce(p.commune_code, pp.commune_code) {in_area}"
    )
    producer = f"SELECT id FROM producers WHERE commune_code {in_area}"
    filters = {
        "producers": f"t.commune_code {in_area}",
        "products": (
            f"coalesce(t.commune_code, (SELECT commune_code FROM producers pp "
            f"WHERE pp.id = t.producer_id)) {in_area}"
        ),
        "evaluations": f"t.product_id IN ({product})",
        "recognitions": f"t.product_id IN ({product})",
        "targets": f"t.office_code IN (:office, '{PROVINCE_TARGET}')",
        "attachments": (
            f"(t.owner_table = 'producers' AND t.owner_id IN ({producer})) OR "
            f"(t.owner_table = 'products' AND t.owner_id IN ({product})) OR "
            f"(t.owner_table = 'evaluations' AND t.owner_id IN "
            f"(SELECT id FROM evaluations WHERE product_id IN ({product}))) OR "
            f"(t.owner_table = 'recognitions' AND t.owner_id IN "
            f"(SELECT id FROM recognitions WHERE product_id IN ({product})))"
        ),
    }
    return filters, params


class Placer:
    """Finds the commune of rows arriving in a bundle, from the bundle itself or
    from the database as it is now (read only)."""

    def __init__(self, store: Store, rows: dict[str, list[dict[str, Any]]]):
        self.store = store
        self.bundle = {t: {r["id"]: r for r in rs} for t, rs in rows.items()}
        self._cache: dict[tuple[str, str], Any] = {}

    def _row(self, table: str, record_id: str | None) -> dict[str, Any] | None:
        if record_id is None:
            return None
        row = self.bundle.get(table, {}).get(record_id)
        if row is not None:
            return row
        return self.stored(table, record_id)

    def stored(self, table: str, record_id: str) -> dict[str, Any] | None:
        key = (table, record_id)
        if key not in self._cache:
            cols = {
                "producers": "commune_code",
                "products": "commune_code, producer_id",
                "evaluations": "product_id",
                "recognitions": "product_id",
                "attachments": "owner_table, owner_id",
                "targets": "office_code",
            }[table]
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
            return self.commune("producers", self._row("producers", row.get("producer_id")))
        if table in ("evaluations", "recognitions"):
            return self.commune("products", self._row("products", row.get("product_id")), depth + 1)
        if table == "attachments":
            owner = row.get("owner_table")
            if owner not in ("producers", "products", "evaluations", "recognitions"):
                return None
            return self.commune(owner, self._row(owner, row.get("owner_id")), depth + 1)
        return None

    def prefetch(self) -> None:
        """Look up, in a few queries, the stored rows the bundle's rows will overwrite."""
        cols = {
            "producers": "commune_code",
            "products": "commune_code, producer_id",
            "evaluations": "product_id",
            "recognitions": "product_id",
            "attachments": "owner_table, owner_id",
            "targets": "office_code",
        }
        for table, rows in self.bundle.items():
            if table not in ("producers", "products", "targets"):
                continue  # only these are checked against their stored place
            ids = list(rows)
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

    def outside(
        self, table: str, row: dict[str, Any], area: frozenset[int], targets: set[str]
    ) -> bool:
        """True when ``row`` (or the stored record it overwrites) lies outside the scope.

        ``targets`` are the office codes whose targets the sender may write.
        """
        if table == "targets":
            allowed = targets
            stored = self.stored(table, row["id"])
            return row.get("office_code") not in allowed or (
                stored is not None and stored["office_code"] not in allowed
            )
        code = self.commune(table, row)
        if code is not None and code not in area:
            return True
        if table in ("producers", "products"):
            stored = self.stored(table, row["id"])
            if stored is not None:
                before = self.commune(table, dict(stored, id=row["id"]))
                if before is not None and before not in area:
                    return True
        return False
