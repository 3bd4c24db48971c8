"""Evaluations: a council's scoring of a product (parts A/B/C → points → stars).

Points are typed per part, or come from the options chosen on the product set's
scoring sheet (``options``: criterion key → option key, see ``rubric``); then the
stars also respect the sheet's minimum requirements. They are stored with the
set they were chosen on: ``{"product_set": 9, "choices": {"A1": 2, ...}}``.
"""

from __future__ import annotations

import json
from typing import Any

from ocop_desktop import authority, clock, records, refdata, rubric
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
    "minimums_stated_by",
    "round_id",
)
PUBLIC = ("id", *FIELDS, "points", "stars", "version", "updated_at", "deleted")


def clean(store: Store, data: dict[str, Any], *, record_id: str | None = None) -> dict[str, Any]:
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
        not_after=clock.today(),
    )
    out["level"] = v.choice(data.get("level"), "level", v.EVALUATION_LEVELS, required=True)
    if not (
        record_id and _unchanged(store, record_id, level=out["level"], eval_date=out["eval_date"])
    ):
        authority.check_evaluation_level(out["level"], out["eval_date"])
    options = data.get("options")
    stated_by = v.text(data.get("minimums_stated_by"), "minimums_stated_by", max_len=200)
    round_id = v.text(data.get("round_id"), "round_id")
    if round_id and not options:
        out |= _from_round(store, round_id, product_id)
    elif options:
        out |= _from_sheet(store, product_id, options)
        out["minimums_stated_by"] = None
    else:
        for part, hi in v.PART_MAX.items():
            f = f"points_{part}"
            out[f] = v.number(data.get(f), f, lo=0, hi=hi, required=True)
        out["points"] = round(out["points_a"] + out["points_b"] + out["points_c"], 2)
        out["stars"] = refdata.load().stars_for_points(out["points"])
        out["options"] = None
        # Points alone do not rank a product: without the sheet, someone must state
        # that the minimum requirements of the class are met, and is named for it.
        if out["stars"] >= rubric.STAR_CLASSES[0] and stated_by is None:
            raise ValidationError(
                "evaluation.minimums_not_stated", "minimums_stated_by", stars=out["stars"]
            )
        out["minimums_stated_by"] = stated_by
    out["round_id"] = round_id
    out["council"] = v.text(data.get("council"), "council")
    out["notes"] = v.text(data.get("notes"), "notes")
    return out


def _unchanged(store: Store, record_id: str, **values: Any) -> bool:
    """The stored evaluation already holds these values (an edit that leaves them
    alone is not judged again by rules that came after it)."""
    cols = ", ".join(values)  # our own column names only
    row = store.db.execute(f"SELECT {cols} FROM {TABLE} WHERE id = ?", [record_id]).fetchone()
    return row is not None and tuple(row) == tuple(values.values())


def _from_round(store: Store, round_id: str, product_id: str) -> dict[str, Any]:
    """Points and stars of a council round: the members' averages, with the minimum
    requirements met by a majority of members (see ``rounds``)."""
    from ocop_desktop import rounds

    result = rounds.result_for(store, round_id, product_id)
    return {
        "points_a": result.parts["A"],
        "points_b": result.parts["B"],
        "points_c": result.parts["C"],
        "points": result.total,
        "stars": result.stars,
        "options": None,
        "minimums_stated_by": None,
    }


def _from_sheet(store: Store, product_id: str, options: Any) -> dict[str, Any]:
    """Points and stars from the options chosen on the product set's scoring sheet.

    The council's sheet is the source of truth: points typed beside it are
    replaced, and the stars respect the sheet's minimum requirements.
    """
    if isinstance(options, str):
        try:
            options = json.loads(options)
        except json.JSONDecodeError:
            raise ValidationError("rubric.not_a_choice", "options") from None
    product_set = store.db.execute(
        "SELECT product_set FROM products WHERE id = ?", [product_id]
    ).fetchone()[0]
    if product_set is None:
        raise ValidationError("rubric.no_product_set", "options")
    # As stored: {"product_set": 9, "choices": {...}}; the same keys ("A1": 2) mean
    # other things on another set's sheet, so a choice made on one is not read on another.
    if isinstance(options, dict) and "choices" in options:
        chosen_on = options.get("product_set")
        if chosen_on is not None and chosen_on != product_set:
            raise ValidationError(
                "rubric.other_set", "options", chosen_on=chosen_on, product_set=product_set
            )
        options = options["choices"]
    sheet = rubric.sheet(int(product_set))
    choices = rubric.normalise_choices(sheet, options)
    result = rubric.score(sheet, choices)
    return {
        "points_a": result.parts.get("A", 0.0),
        "points_b": result.parts.get("B", 0.0),
        "points_c": result.parts.get("C", 0.0),
        "points": result.total,
        "stars": result.stars,
        "options": json.dumps(
            {"product_set": int(product_set), "choices": choices}, ensure_ascii=False
        ),
    }


def add(store: Store, data: dict[str, Any]) -> str:
    with transaction(store.db):
        return records.insert(store, TABLE, clean(store, data))


def edit(store: Store, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    with transaction(store.db):
        current = get(store, record_id)
        merged = {k: current.get(k) for k in FIELDS} | changes
        return records.update(store, TABLE, record_id, clean(store, merged, record_id=record_id))


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


ORDERS = (
    "e.eval_date",
    "e.level",
    "e.points",
    "e.stars",
    "p.name_key",
    "pr.name_key",
    "p.commune_code",
)


def query(
    store: Store,
    *,
    search: str | None = None,
    commune: int | None = None,
    level: str | None = None,
    stars: int | None = None,
    group: str | None = None,
    order: str = "e.eval_date DESC",
    columns: str = "e.id",
) -> tuple[str, dict[str, Any]]:
    """SQL selecting the live evaluations of live products for the filters, for lazy
    lists; ``columns`` may use e (evaluation), p (product) and pr (producer)."""
    params: dict[str, Any] = {}
    where = ["e.deleted = 0", "p.deleted = 0"]
    if search:
        from ocop_desktop.search import product_or_producer_match

        condition, search_params = product_or_producer_match(search, db=store.db)
        where.append(condition)
        params.update(search_params)
    # "+": read evaluations newest first and test each one's product, rather than
    # start from the products of a commune or group and sort all their evaluations.
    if commune is not None:
        where.append("+p.commune_code = :commune")
        params["commune"] = commune
    if level:
        where.append("e.level = :level")
        params["level"] = v.choice(level, "level", v.EVALUATION_LEVELS, required=True)
    if stars is not None:
        where.append("e.stars = :stars")
        params["stars"] = int(stars)
    if group:
        where.append(refdata.load().product_set_condition(group, "+p.product_set"))
    if order.removesuffix(" DESC") not in ORDERS:
        order = "e.eval_date DESC"
    return (
        f"SELECT {columns} FROM evaluations e JOIN products p ON p.id = e.product_id "
        "LEFT JOIN producers pr ON pr.id = p.producer_id "
        f"WHERE {' AND '.join(where)} ORDER BY {order}, e.rid",
        params,
    )


def count_live(store: Store) -> int:
    """How many evaluations the list shows with no filter (live ones of live products),
    from indexes: every evaluation, less those in the trash and those whose product
    is in the trash."""
    return store.db.execute(
        "SELECT (SELECT count(*) FROM evaluations) "
        "- (SELECT count(*) FROM evaluations WHERE deleted = 1) "
        "- (SELECT count(*) FROM evaluations WHERE deleted = 0 "
        "   AND product_id IN (SELECT id FROM products WHERE deleted = 1))"
    ).fetchone()[0]
