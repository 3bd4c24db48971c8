"""The four big lists as the core answers them: which row ids a filter selects and
in what order, how many, and the values of a block of rows asked for by id (the way
Anki's browser asks the collection for a row by id).

The GUI's lists (``gui/list_specs.py``, ``gui/lazy_model.py``) add titles and
formats and hold only row ids; every statement runs here.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocop_desktop import evaluations, producers, products, recognitions, search
from ocop_desktop.cert_status import product_status_sql
from ocop_desktop.db import open_connection, sqlite3
from ocop_desktop.store import Store

Query = tuple[str, Any]  # SQL and its parameters (a list, or a dict of named ones)


@dataclass(frozen=True)
class ListColumn:
    key: str  # the name the GUI knows the column by
    expr: str  # SQL expression in the row query
    order: str | None = None  # the service's order key (ascending); None: not sortable


class ListQuery:
    """One list: its columns' SQL, its id queries and its row query."""

    name: str = ""
    table: str = ""  # the record type of its rows
    default_order: str = ""
    columns: tuple[ListColumn, ...] = ()
    row_from = ""  # FROM and JOINs of the row query; its rows are ``alias.rid``
    alias = ""

    def column(self, key: str) -> ListColumn:
        return next(c for c in self.columns if c.key == key)

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> Query:
        raise NotImplementedError  # pragma: no cover - each list has its own

    def ids_plans(
        self, store: Store, filters: dict[str, Any], order: str
    ) -> list[tuple[Query, int | None]]:
        """Id queries selecting the same rows in the same order, each with the SQLite
        steps it may take before the next is tried (None: as many as it needs)."""
        return [(self.ids_query(store, filters, order), None)]

    def whole_count(self, store: Store) -> int | None:
        """How many rows the list has with no filter, when indexes tell it faster
        than counting the id query; None: count the id query."""
        return None

    def row_params(self, store: Store) -> dict[str, Any]:
        return {}

    def rows_query(self, store: Store, rids: list[int], keys: list[str]) -> Query:
        """SQL returning ``rid, id, <the columns named by keys…>`` for the row ids."""
        cols = ", ".join(self.column(k).expr for k in keys)
        a = self.alias
        return (
            f"SELECT {a}.rid, {a}.id, {cols} FROM {self.row_from} "
            f"WHERE {a}.rid IN (SELECT value FROM json_each(:rids))",
            {"rids": json.dumps(rids), **self.row_params(store)},
        )


class ProducerList(ListQuery):
    name = table = "producers"
    default_order = "name_key"
    row_from, alias = "producers pr", "pr"
    columns = (
        ListColumn("name", "pr.name", "name_key"),
        ListColumn("kind", "pr.kind", "kind, name_key"),
        ListColumn("commune", "pr.commune_code", "commune_code, name_key"),
        ListColumn("representative", "pr.representative"),
        ListColumn("phone", "pr.phone"),
        ListColumn("tax_code", "pr.tax_code"),
        ListColumn(
            "products",
            "(SELECT count(*) FROM products x WHERE x.producer_id = pr.id AND x.deleted = 0)",
        ),
        ListColumn("village", "pr.village"),
        ListColumn("founded_year", "pr.founded_year"),
        ListColumn("workers_total", "pr.workers_total"),
        ListColumn("incomplete", "pr.incomplete"),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> Query:
        if order.endswith(" DESC"):  # "kind, name_key DESC" -> "kind DESC, name_key"
            first, _, rest = order.removesuffix(" DESC").partition(",")
            order = f"{first} DESC" + (f",{rest}" if rest else "")
        return producers.query(
            store,
            search=filters.get("search"),
            commune=filters.get("commune"),
            kind=filters.get("kind"),
            order=order,
            columns="rid",
        )


class ProductList(ListQuery):
    name = table = "products"
    default_order = "p.name_key"
    row_from, alias = (
        "products p LEFT JOIN producers pr ON pr.id = p.producer_id "
        "LEFT JOIN current_recognition c ON c.product_id = p.id",
        "p",
    )
    columns = (
        ListColumn("name", "p.name", "p.name_key"),
        ListColumn("producer", "pr.name", "pr.name_key"),
        ListColumn("commune", "p.commune_code", "p.commune_code"),
        ListColumn("product_set", "p.product_set", "p.product_set"),
        ListColumn("stars", "c.stars", "c.stars"),
        ListColumn("expiry", "c.expiry_date", "c.expiry_date"),
        ListColumn("status", product_status_sql("c")),
        ListColumn("kind", "pr.kind"),
        ListColumn("price", "p.price"),
        ListColumn("unit", "p.unit"),
        ListColumn("incomplete", "p.incomplete"),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> Query:
        return products.query(store, order=order, columns="p.rid", **filters)

    def ids_plans(
        self, store: Store, filters: dict[str, Any], order: str
    ) -> list[tuple[Query, int | None]]:
        budget = search.matches_first_budget(store.db, filters.get("search") or "")
        if budget is None:
            return super().ids_plans(store, filters, order)
        return [
            (self.ids_query(store, filters, order), budget),
            (self.ids_query(store, {**filters, "search_from_matches": True}, order), None),
        ]

    def whole_count(self, store: Store) -> int:
        return products.count_live(store)

    def row_params(self, store: Store) -> dict[str, Any]:
        return dict(recognitions.status_params(store.db))


class CertificateList(ListQuery):
    name = "certificates"
    table = "recognitions"
    default_order = "r.expiry_date DESC"
    row_from, alias = (
        "recognitions r JOIN products p ON p.id = r.product_id "
        "LEFT JOIN producers pr ON pr.id = p.producer_id "
        "LEFT JOIN current_recognition c ON c.product_id = r.product_id "
        "AND c.recognition_id = r.id",
        "r",
    )
    columns = (
        ListColumn("decision_no", "r.decision_no", "r.decision_no"),
        ListColumn("decision_date", "r.decision_date", "r.decision_date"),
        ListColumn("product", "p.name", "p.name_key"),
        ListColumn("producer", "pr.name", "pr.name_key"),
        ListColumn("commune", "p.commune_code", "p.commune_code"),
        ListColumn("stars", "r.stars", "r.stars"),
        ListColumn("expiry", "r.expiry_date", "r.expiry_date"),
        ListColumn("status", recognitions.status_column_sql()),
        ListColumn("points", "r.points"),
        ListColumn("kind", "r.kind"),
        ListColumn("issuer", "r.issuer"),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> Query:
        return recognitions.query(store, order=order, columns="r.rid", **filters)

    def row_params(self, store: Store) -> dict[str, Any]:
        return dict(recognitions.status_params(store.db))


class EvaluationList(ListQuery):
    name = table = "evaluations"
    default_order = "e.eval_date DESC"
    row_from, alias = (
        "evaluations e JOIN products p ON p.id = e.product_id "
        "LEFT JOIN producers pr ON pr.id = p.producer_id",
        "e",
    )
    columns = (
        ListColumn("eval_date", "e.eval_date", "e.eval_date"),
        ListColumn("product", "p.name", "p.name_key"),
        ListColumn("producer", "pr.name", "pr.name_key"),
        ListColumn("commune", "p.commune_code", "p.commune_code"),
        ListColumn("level", "e.level", "e.level"),
        ListColumn("points", "e.points", "e.points"),
        ListColumn("stars", "e.stars", "e.stars"),
        ListColumn("points_a", "e.points_a"),
        ListColumn("points_b", "e.points_b"),
        ListColumn("points_c", "e.points_c"),
        ListColumn("council", "e.council"),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> Query:
        return evaluations.query(store, order=order, columns="e.rid", **filters)

    def whole_count(self, store: Store) -> int:
        return evaluations.count_live(store)


LISTS: dict[str, ListQuery] = {
    q.name: q for q in (ProducerList(), ProductList(), CertificateList(), EvaluationList())
}


# ---- running a list's queries ------------------------------------------------------


def _paged(query: Query, limit: int, offset: int) -> Query:
    sql, params = query
    if isinstance(params, dict):
        return sql + " LIMIT :lazy_limit OFFSET :lazy_offset", {
            **params,
            "lazy_limit": limit,
            "lazy_offset": offset,
        }
    return sql + " LIMIT ? OFFSET ?", [*params, limit, offset]


def ids(
    store: Store,
    query: Query,
    limit: int,
    offset: int = 0,
    steps: int | None = None,
    tick: int = 1000,
) -> list[int] | None:
    """A page of the id query's row ids; None when it took more than ``steps`` SQLite
    steps (looked at every ``tick`` steps), so a quicker plan can be tried."""
    sql, params = _paged(query, limit, offset)
    if steps is None:
        return [r[0] for r in store.db.execute(sql, params).fetchall()]
    conn = store.db.conn
    taken = 0
    mine = threading.get_ident()

    def look() -> bool:
        nonlocal taken
        if threading.get_ident() != mine:
            return False
        taken += tick
        return taken > steps  # True interrupts the statement

    conn.set_progress_handler(look, tick)
    try:
        return [r[0] for r in conn.execute(sql, params).fetchall()]
    except sqlite3.OperationalError:
        if taken > steps:
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _count_sql(sql: str) -> str:
    return f"SELECT count(*) FROM ({sql.rsplit(' ORDER BY ', 1)[0]})"


def count(store: Store, query: Query) -> int:
    """How many rows the id query selects (all of them, not a page)."""
    sql, params = query
    return int(store.db.execute(_count_sql(sql), params).fetchone()[0])


def count_on_own_connection(path: Path, query: Query) -> int:
    """``count`` over a read-only connection of its own (for a worker thread)."""
    sql, params = query
    conn = open_connection(path, readonly=True)
    try:
        return int(conn.execute(_count_sql(sql), params).fetchone()[0])
    finally:
        conn.close()


def rows(store: Store, lst: ListQuery, rids: list[int], keys: list[str]) -> list[tuple[Any, ...]]:
    """``(rid, id, value…)`` of the rows still there among ``rids``, values in the
    order of ``keys``."""
    sql, params = lst.rows_query(store, rids, keys)
    return [tuple(r) for r in store.db.execute(sql, params).fetchall()]


def rid_of(store: Store, lst: ListQuery, record_id: str) -> int | None:
    row = store.db.execute(f"SELECT rid FROM {lst.table} WHERE id = ?", [record_id]).fetchone()
    return None if row is None else int(row[0])


def selects(store: Store, query: Query, rid: int) -> bool:
    """Whether the id query keeps the row ``rid`` (one query, no rows read)."""
    sql, params = query
    sql = f"SELECT 1 FROM ({sql}) WHERE rid = "
    if isinstance(params, dict):
        found = store.db.execute(sql + ":lazy_rid", {**params, "lazy_rid": rid})
    else:
        found = store.db.execute(sql + "?", [*params, rid])
    return found.fetchone() is not None
