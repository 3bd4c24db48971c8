"""Producers (chủ thể OCOP): enterprises, cooperatives, cooperative groups, households."""

from __future__ import annotations

from typing import Any

from ocop_desktop import clock, communes, records
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.search import match_ids
from ocop_desktop.store import Store
from ocop_desktop.text import search_key

TABLE = "producers"
FIELDS = (
    "name",
    "kind",
    "commune_code",
    "legacy_commune_code",
    "village",
    "address",
    "representative",
    "representative_female",
    "representative_ethnic",
    "phone",
    "tax_code",
    "founded_year",
    "workers_total",
    "workers_women",
    "notes",
    "incomplete",
)
PUBLIC = ("id", *FIELDS, "legacy_district_code", "version", "updated_at", "deleted")


def clean(store: Store, data: dict[str, Any], *, allow_incomplete: bool = False) -> dict[str, Any]:
    """Validate a whole producer; returns the columns to store."""
    unknown = set(data) - set(FIELDS) - {"id", "legacy_district_code"}
    if unknown:
        raise ValidationError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    out: dict[str, Any] = {}
    out["name"] = v.text(data.get("name"), "name", required=True, max_len=300)
    out["name_key"] = search_key(out["name"])
    out["kind"] = v.choice(
        data.get("kind"), "kind", v.PRODUCER_KINDS, required=not allow_incomplete
    )
    place = communes.resolve(store, data.get("commune_code"), data.get("legacy_commune_code"))
    if place is None and not allow_incomplete:
        raise ValidationError("validation.required", "commune_code")
    out["commune_code"] = place.commune_code if place else None
    out["legacy_commune_code"] = place.legacy_commune_code if place else None
    out["legacy_district_code"] = place.legacy_district_code if place else None
    for f in ("village", "address", "representative", "notes", "incomplete"):
        out[f] = v.text(data.get(f), f)
    out["representative_female"] = v.flag(
        data.get("representative_female"), "representative_female"
    )
    out["representative_ethnic"] = v.flag(
        data.get("representative_ethnic"), "representative_ethnic"
    )
    out["phone"] = v.phone(data.get("phone"))
    out["tax_code"] = v.tax_code(data.get("tax_code"))
    out["founded_year"] = v.integer(
        data.get("founded_year"), "founded_year", lo=1900, hi=clock.today().year
    )
    out["workers_total"] = v.integer(data.get("workers_total"), "workers_total", lo=0, hi=1_000_000)
    out["workers_women"] = v.integer(data.get("workers_women"), "workers_women", lo=0, hi=1_000_000)
    if (out["workers_women"] or 0) > (out["workers_total"] or out["workers_women"] or 0):
        raise ValidationError("validation.women_exceed_total", "workers_women")
    return out


def duplicates(store: Store, data: dict[str, Any], exclude_id: str | None = None) -> list[dict]:
    """Live producers with the same tax code, or the same name in the same commune."""
    rows = []
    tax = data.get("tax_code")
    key = search_key(data.get("name") or "")
    params: list[Any] = [key, data.get("commune_code")]
    sql = "SELECT id, name, tax_code, commune_code FROM producers WHERE deleted = 0 AND ((name_key = ? AND commune_code IS ?)"
    if tax:
        sql += " OR tax_code = ?"
        params.append(tax)
    sql += ")"
    for r in store.db.execute(sql, params).fetchall():
        if r[0] != exclude_id:
            rows.append({"id": r[0], "name": r[1], "tax_code": r[2], "commune_code": r[3]})
    return rows


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
        if "commune_code" in changes and "legacy_commune_code" not in changes:
            merged["legacy_commune_code"] = None
        values = clean(
            store,
            merged,
            allow_incomplete=current.get("incomplete") is not None
            or changes.get("incomplete") is not None,
        )
        diff = records.update(store, TABLE, record_id, values)
        if "commune_code" in diff:
            # Products follow their producer's commune (they are counted there).
            for (pid,) in store.db.execute(
                "SELECT id FROM products WHERE producer_id = ? AND deleted = 0", [record_id]
            ).fetchall():
                records.update(store, "products", pid, {"commune_code": values["commune_code"]})
        return diff


def delete(store: Store, record_id: str) -> None:
    with transaction(store.db):
        get(store, record_id)
        n = store.db.execute(
            "SELECT count(*) FROM products WHERE producer_id = ? AND deleted = 0", [record_id]
        ).fetchone()[0]
        if n:
            raise UserError("producer.has_products", count=n)
        records.set_deleted(store, TABLE, record_id, True)


def restore(store: Store, record_id: str) -> None:
    with transaction(store.db):
        records.set_deleted(store, TABLE, record_id, False)


def get(store: Store, record_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
    row = records.get(store, TABLE, record_id, include_deleted=include_deleted)
    return {k: row.get(k) for k in PUBLIC}


# The orders a list may ask for: each column up and down (then by name), and the
# latest changes first.
ORDERS = {
    f"{column}{direction}{then}"
    for column, then in (("name_key", ""), ("commune_code", ", name_key"), ("kind", ", name_key"))
    for direction in ("", " DESC")
} | {"updated_at DESC"}


def query(
    store: Store,
    *,
    search: str | None = None,
    commune: int | None = None,
    kind: str | None = None,
    deleted: bool = False,
    order: str = "name_key",
    limit: int | None = None,
    offset: int = 0,
    columns: str = "id",
) -> tuple[str, list[Any]]:
    """SQL selecting producers for the filters (ids by default: the GUI's lazy model)."""
    if order not in ORDERS:
        order = "name_key"
    # In name order from producers_live_name; not in any other (see products.query).
    where = ["deleted = ?" if order.startswith("name_key") else "+deleted = ?"]
    params: list[Any] = [int(deleted)]
    if search:
        sub, sub_params = match_ids("producers", search)
        where.append(f"rid IN ({sub})")
        params += sub_params
    if commune is not None:
        where.append("commune_code = ?")
        params.append(commune)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    sql = f"SELECT {columns} FROM producers WHERE {' AND '.join(where)} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return sql, params


def list_(store: Store, **filters: Any) -> list[dict[str, Any]]:
    sql, params = query(store, columns=", ".join(PUBLIC), **filters)
    rows = store.db.execute(sql, params).fetchall()
    return [dict(zip(PUBLIC, r, strict=True)) for r in rows]


def candidates(store: Store, text: str, *, pool: int = 300, limit: int = 20) -> list[tuple]:
    """Producers whose name matches ``text`` for a picker, shortest names first: (id,
    name, kind, commune code). ``pool`` bounds the matches looked at."""
    from ocop_desktop.search import match_ids

    sub, params = match_ids("producers", text)
    rows = store.db.execute(
        "SELECT p.id, p.name, p.kind, p.commune_code, p.name_key "
        f"FROM ({sub}) AS m JOIN producers p ON p.rid = m.rid WHERE p.deleted = 0 LIMIT ?",
        [*params, pool],
    ).fetchall()
    rows.sort(key=lambda r: (len(r[4]), r[4]))
    return [r[:4] for r in rows[:limit]]


def brief(store: Store, producer_id: str) -> tuple | None:
    """(id, name, kind, commune code) of one producer, for a picker's label."""
    return store.db.execute(
        "SELECT id, name, kind, commune_code FROM producers WHERE id = ?", [producer_id]
    ).fetchone()
