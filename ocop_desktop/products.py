"""Products: what a producer makes, in one of the 26 OCOP product sets."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from ocop_desktop import cert_status, records, refdata
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.recognitions import STATUSES, refresh_current
from ocop_desktop.search import product_or_producer_match
from ocop_desktop.store import Store
from ocop_desktop.text import search_key

TABLE = "products"
LIST_FIELDS = ("sales_channels", "ecommerce", "export_markets")
FIELDS = (
    "name",
    "producer_id",
    "product_set",
    "description",
    "raw_material",
    "packaging",
    "standards",
    "traceability",
    "trademark",
    "price",
    "unit",
    *LIST_FIELDS,
    "stage",
    "notes",
    "incomplete",
)
PUBLIC = ("id", *FIELDS, "commune_code", "version", "updated_at", "deleted")


def clean(store: Store, data: dict[str, Any], *, allow_incomplete: bool = False) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS) - {"id", "commune_code", "legacy_district_code"}
    if unknown:
        raise ValidationError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    out: dict[str, Any] = {}
    out["name"] = v.text(data.get("name"), "name", required=True, max_len=300)
    out["name_key"] = search_key(out["name"])
    producer_id = v.text(data.get("producer_id"), "producer_id", required=not allow_incomplete)
    out["producer_id"] = producer_id
    out["commune_code"] = data.get("commune_code") if allow_incomplete else None
    if producer_id is not None:
        row = store.db.execute(
            "SELECT commune_code FROM producers WHERE id = ? AND deleted = 0", [producer_id]
        ).fetchone()
        if row is None:
            raise ValidationError("validation.unknown_producer", "producer_id", id=producer_id)
        out["commune_code"] = row[0]
    if out["commune_code"] is not None and not store.in_area(out["commune_code"]):
        raise UserError("record.outside_area", id=producer_id)
    if data.get("legacy_district_code") is not None:
        # The former district an imported address named when its commune is unknown.
        code = v.integer(data["legacy_district_code"], "legacy_district_code", lo=1, hi=999)
        if not is_former_district(store, code):
            raise ValidationError(
                "validation.unknown_former_district", "legacy_district_code", value=code
            )
        out["legacy_district_code"] = code
    out["product_set"] = v.product_set(data.get("product_set"), required=not allow_incomplete)
    for f in (
        "description",
        "raw_material",
        "packaging",
        "standards",
        "traceability",
        "trademark",
        "unit",
        "notes",
        "incomplete",
    ):
        out[f] = v.text(data.get(f), f)
    out["price"] = v.number(data.get("price"), "price", lo=0, hi=1e12)
    for f in LIST_FIELDS:
        value = data.get(f)
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        items = v.string_list(value, f)
        out[f] = json.dumps(items, ensure_ascii=False) if items else None
    out["stage"] = v.integer(data.get("stage"), "stage", lo=1, hi=6)
    return out


def stored_list(value: Any) -> list[Any]:
    """A list column as stored (JSON); a value that is not a JSON list is shown as
    it is, as the only item, rather than stopping the list or export reading it."""
    if not value:
        return []
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    return items if isinstance(items, list) else [str(value)]


def _lists(row: dict[str, Any]) -> None:
    bad = [f for f in LIST_FIELDS if row.get(f) and not _parses(row[f])]
    for f in LIST_FIELDS:
        row[f] = stored_list(row[f])
    if bad:
        row["unreadable"] = bad


def _parses(value: Any) -> bool:
    try:
        return isinstance(json.loads(value), list)
    except (TypeError, ValueError):
        return False


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in PUBLIC}
    _lists(out)
    return out


def is_former_district(store: Store, code: Any) -> bool:
    """Whether ``code`` is a former district of this node's province, the 2023 units
    included (as imported addresses name them): what a product's
    ``legacy_district_code`` may hold."""
    ref = refdata.load()
    known = ref.legacy_districts.get(code) or ref.thanhhoa_districts_2023.get(code)
    return (
        type(code) is int and known is not None and known.province_code == store.node.province_code
    )


def add(
    store: Store,
    data: dict[str, Any],
    *,
    allow_incomplete: bool = False,
    record_id: str | None = None,
) -> str:
    with transaction(store.db):
        values = clean(store, data, allow_incomplete=allow_incomplete)
        return records.insert(store, TABLE, values, record_id=record_id)


def edit(store: Store, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    with transaction(store.db):
        current = get(store, record_id)
        if current["commune_code"] is not None and not store.in_area(current["commune_code"]):
            raise UserError("record.outside_area", id=record_id)
        merged = {k: current.get(k) for k in FIELDS} | changes
        if current.get("incomplete") and merged.get("producer_id") is None:
            merged["commune_code"] = current["commune_code"]
        values = clean(store, merged, allow_incomplete=bool(merged.get("incomplete")))
        return records.update(store, TABLE, record_id, values)


def delete(store: Store, record_id: str) -> None:
    """Move to the trash; its recognitions and evaluations go with it and come back with it."""
    with transaction(store.db):
        get(store, record_id)
        records.set_deleted(store, TABLE, record_id, True)
        refresh_current(store, [record_id])


def restore(store: Store, record_id: str) -> None:
    with transaction(store.db):
        row = records.get(store, TABLE, record_id, include_deleted=True)
        if row["producer_id"]:
            alive = store.db.execute(
                "SELECT deleted FROM producers WHERE id = ?", [row["producer_id"]]
            ).fetchone()
            if alive and alive[0]:
                raise UserError("product.producer_in_trash")
        records.set_deleted(store, TABLE, record_id, False)
        refresh_current(store, [record_id])


def get(store: Store, record_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
    return _public(records.get(store, TABLE, record_id, include_deleted=include_deleted))


# The orders a list may ask for: each column up and down, and the latest changes first.
ORDERS = {
    f"{column}{direction}"
    for column in (
        "p.name_key",
        "pr.name_key",
        "p.commune_code",
        "p.product_set",
        "c.stars",
        "c.expiry_date",
    )
    for direction in ("", " DESC")
} | {"p.updated_at DESC"}


def query(
    store: Store,
    *,
    search: str | None = None,
    search_from_matches: bool = False,
    commune: int | None = None,
    kind: str | None = None,
    product_set: int | None = None,
    group: str | None = None,
    stars: int | None = None,
    status: str | None = None,
    producer_id: str | None = None,
    deleted: bool = False,
    as_of: date | None = None,
    order: str = "p.name_key",
    columns: str = "p.id",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[str, dict[str, Any]]:
    """SQL selecting products for the filters; ``columns`` may use p (product),
    pr (producer) and c (current recognition). ``search_from_matches``: see
    ``search.matches_first_budget``."""
    if order not in ORDERS:
        order = "p.name_key"
    at = cert_status.as_of(store.db, as_of)
    params: dict[str, Any] = {"deleted": int(deleted), **at.params()}
    # In name order the live rows come from their own index (products_live_name,
    # migration 8). In any other order "+" keeps SQLite from walking that index to
    # read the rows in name order, which costs four times a plain scan.
    by_name = order in ("p.name_key", "p.name_key DESC")
    where = ["p.deleted = :deleted" if by_name else "+p.deleted = :deleted"]
    if search:
        condition, search_params = product_or_producer_match(
            search, db=store.db, from_matches=search_from_matches
        )
        where.append(condition)
        params.update(search_params)
    if commune is not None:
        where.append("p.commune_code = :commune")
        params["commune"] = commune
    if kind:
        # "+": read products in list order and test each one's producer, rather than
        # start from the producers of that kind and sort all their products.
        where.append("+pr.kind = :kind")
        params["kind"] = kind
    if product_set is not None:
        where.append("p.product_set = :product_set")
        params["product_set"] = product_set
    if group:
        where.append(refdata.load().product_set_condition(group))
    if stars is not None:
        where.append("c.stars = :stars")
        params["stars"] = stars
    if status:
        if status == "none":
            where.append("c.product_id IS NULL")
        elif status not in STATUSES:
            raise ValidationError(
                "validation.bad_choice", "status", value=status, options=", ".join(STATUSES)
            )
        else:
            where.append(f"{cert_status.product_status_sql('c')} = :status")
            params["status"] = status
    if producer_id:
        where.append("p.producer_id = :producer_id")
        params["producer_id"] = producer_id
    conditions = " AND ".join(where)
    used = f"{columns} {conditions} {order}"
    # Join only what is used: SQLite does not drop unused LEFT JOINs, and counting
    # 100,000 rows through two joins costs ten times a plain scan.
    joins = ""
    if re.search(r"\bpr\.", used):
        joins += "LEFT JOIN producers pr ON pr.id = p.producer_id "
    if re.search(r"\bc\.", used):
        # the certificate in force on the as-of date (the cache, for today)
        joins += f"LEFT JOIN {cert_status.certificates_on(store.db, at)} c ON c.product_id = p.id "
    sql = f"SELECT {columns} FROM products p {joins}WHERE {conditions} ORDER BY {order}, p.rid"
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        params["limit"], params["offset"] = limit, offset
    return sql, params


def list_(store: Store, **filters: Any) -> list[dict[str, Any]]:
    cols = ", ".join(f"p.{c}" for c in PUBLIC)
    sql, params = query(
        store,
        columns=f"{cols}, pr.name AS producer_name, c.stars AS stars, "
        f"c.potential_5 AS potential_5, c.expiry_date AS expiry_date, "
        f"CASE WHEN c.product_id IS NULL THEN NULL ELSE {cert_status.cached_status_sql('c')} END AS status",
        **filters,
    )
    cur = store.db.execute(sql, params)
    names = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(names, r, strict=True))
        _lists(row)
        out.append(row)
    return out


def count_live(store: Store) -> int:
    """How many products are not in the trash: every product less the few in the
    trash, two index reads (~3 ms at 100,000 products) where counting the live rows
    reads the table (~50 ms cold)."""
    return store.db.execute(
        "SELECT (SELECT count(*) FROM products) - (SELECT count(*) FROM products WHERE deleted = 1)"
    ).fetchone()[0]


def candidates(store: Store, text: str, *, pool: int = 300, limit: int = 20) -> list[tuple]:
    """Products whose name matches ``text`` for a picker, shortest names first: (id,
    name, producer's name), in one query. ``pool`` bounds the matches looked at."""
    from ocop_desktop.search import match_ids

    sub, params = match_ids("products", text)
    rows = store.db.execute(
        "SELECT p.id, p.name, pr.name, p.name_key "
        f"FROM (SELECT p.* FROM ({sub}) AS m JOIN products p ON p.rid = m.rid "
        "WHERE p.deleted = 0 LIMIT ?) AS p LEFT JOIN producers pr ON pr.id = p.producer_id",
        [*params, pool],
    ).fetchall()
    rows.sort(key=lambda r: (len(r[3]), r[3]))
    return [r[:3] for r in rows[:limit]]


def brief(store: Store, product_id: str) -> tuple | None:
    """(id, name, producer's name) of one product, for a picker's label."""
    return store.db.execute(
        "SELECT p.id, p.name, pr.name FROM products p "
        "LEFT JOIN producers pr ON pr.id = p.producer_id WHERE p.id = ?",
        [product_id],
    ).fetchone()
