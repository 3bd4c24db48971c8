"""Evaluations: a council's scoring of a product (parts A/B/C → points → stars)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from ocop_desktop import records, refdata
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.store import Store

TABLE = "evaluations"
FIELDS = (
    "product_id",
    "eval_date",
    "level",
    "points_a",
    "points_b",
    "points_c",
    "options",
    "council",
    "notes",
)
PUBLIC = ("id", *FIELDS, "points", "stars", "version", "updated_at", "deleted")


def clean(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS) - {"id", "points", "stars"}
    if unknown:
        raise ValidationError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    out: dict[str, Any] = {}
    product_id = v.text(data.get("product_id"), "product_id", required=True)
    row = store.db.execute(
        "SELECT commune_code FROM products WHERE id = ? AND deleted = 0", [product_id]
    ).fetchone()
    if row is None:
        raise ValidationError("validation.unknown_product", "product_id", id=product_id)
    if row[0] is not None and not store.in_area(row[0]):
        raise UserError("record.outside_area", id=product_id)
    out["product_id"] = product_id
    out["eval_date"] = v.iso_date(
        data.get("eval_date"),
        "eval_date",
        required=True,
        not_after=date.today() + timedelta(days=1),
    )
    out["level"] = v.choice(data.get("level"), "level", v.EVALUATION_LEVELS, required=True)
    for part, hi in v.PART_MAX.items():
        f = f"points_{part}"
        out[f] = v.number(data.get(f), f, lo=0, hi=hi, required=True)
    out["points"] = round(out["points_a"] + out["points_b"] + out["points_c"], 2)
    out["stars"] = refdata.load().stars_for_points(out["points"])
    options = data.get("options")
    out["options"] = json.dumps(options, ensure_ascii=False) if options else None
    out["council"] = v.text(data.get("council"), "council")
    out["notes"] = v.text(data.get("notes"), "notes")
    return out


def add(store: Store, data: dict[str, Any]) -> str:
    with transaction(store.db):
        return records.insert(store, TABLE, clean(store, data))


def edit(store: Store, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    with transaction(store.db):
        current = get(store, record_id)
        merged = {k: current.get(k) for k in FIELDS} | changes
        return records.update(store, TABLE, record_id, clean(store, merged))


def delete(store: Store, record_id: str) -> None:
    with transaction(store.db):
        records.set_deleted(store, TABLE, record_id, True)


def restore(store: Store, record_id: str) -> None:
    with transaction(store.db):
        records.set_deleted(store, TABLE, record_id, False)


def get(store: Store, record_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
    row = records.get(store, TABLE, record_id, include_deleted=include_deleted)
    out = {k: row.get(k) for k in PUBLIC}
    out["options"] = json.loads(out["options"]) if out["options"] else None
    return out


def list_for_product(store: Store, product_id: str) -> list[dict[str, Any]]:
    ids = store.db.execute(
        "SELECT id FROM evaluations WHERE product_id = ? AND deleted = 0 ORDER BY eval_date DESC",
        [product_id],
    ).fetchall()
    return [get(store, r[0]) for r in ids]
