"""Every value arriving in a bundle passes the validation of a local save.

A signed bundle from a trusted peer can still carry values the app would never
store (9 stars, a date that is not a date, a price in words, a list that is not
JSON): each row is run through the same ``clean`` as a form or the CLI, and a
value that ``clean`` refuses or would store differently makes the whole bundle
refused, naming the records and fields. Checks that are sync's own business
(the area, parents that exist) are left to the scope check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ocop_desktop import evaluations, producers, products, recognitions, refdata, targets
from ocop_desktop import validation as v
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.store import Store

# Errors about links to other records and about areas: the scope check decides
# on those (a parent may be in the trash here while the child was made elsewhere).
_LINKS = frozenset(
    {
        "validation.unknown_producer",
        "validation.unknown_product",
        "validation.unknown_evaluation",
        "record.not_found",  # a round or batch the same bundle brings
        "record.outside_area",
        "validation.commune_outside_area",  # the province moving a record away
        # Typed totals must now name who stated the minimum requirements; evaluations
        # typed before that rule carry no name and still travel (they are not forged
        # values: the rule asks the person saving, it cannot be met after the fact).
        "evaluation.minimums_not_stated",
        # A decision's kind is judged against the history the sender holds: here
        # part of it may wait as proposals, so the history here cannot overrule it.
        "recognition.kind_contradicts_history",
    }
)
# Columns a local save derives from others or from the database as it is then.
_DERIVED = {
    "producers": {"legacy_commune_code", "legacy_district_code"},
    "products": {"commune_code"},
    "recognitions": {"kind"},
}
_FIELDS = {
    "producers": (*producers.FIELDS, "legacy_district_code"),
    "products": (*products.FIELDS, "commune_code", "legacy_district_code"),
    "evaluations": evaluations.FIELDS,
    "recognitions": recognitions.FIELDS,
}


def _clean_targets(store: Store, row: dict[str, Any]) -> dict[str, Any]:
    out = {
        "office_code": v.text(row.get("office_code"), "office_code", required=True, max_len=64),
        "year": v.integer(row.get("year"), "year", lo=2018, hi=2100),
        "notes": v.text(row.get("notes"), "notes"),
    }
    for f in targets.NUMBERS:
        out[f] = v.integer(row.get(f), f, lo=0, hi=1_000_000)
    return out


def _cleaner(table: str) -> Callable[[Store, dict[str, Any], dict[str, Any]], dict[str, Any]]:
    def run(store: Store, data: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
        incomplete = row.get("incomplete") is not None
        if table == "producers":
            return producers.clean(store, data, allow_incomplete=incomplete)
        if table == "products":
            return products.clean(store, data, allow_incomplete=incomplete)
        if table == "evaluations":
            return evaluations.clean(store, data)
        if table == "recognitions":
            return recognitions.clean(store, data, record_id=row["id"])
        return _clean_targets(store, row)

    return run


def problem(store: Store, table: str, row: dict[str, Any]) -> str | None:
    """The first field of ``row`` a local save would refuse or store differently."""
    if table == "attachments":
        from ocop_desktop.attachments import row_problem

        return row_problem(row)
    if table not in _FIELDS and table != "targets":
        return None
    derived = _derived_problem(table, row)
    if derived is not None:
        return derived
    data = {k: row[k] for k in _FIELDS.get(table, ()) if k in row}
    try:
        clean = _cleaner(table)(store, data, row)
    except ValidationError as exc:
        if exc.key in _LINKS:
            return None
        return exc.field or exc.key
    except UserError as exc:
        if exc.key in _LINKS:
            return None
        raise
    skip = _DERIVED.get(table, set())
    for key, value in clean.items():
        if key in row and key not in skip and not _same(value, row[key]):
            return key
    return None


def _derived_problem(table: str, row: dict[str, Any]) -> str | None:
    """A producer's former district a local save would never store: it is derived
    from the producer's former commune (none without one), so ``clean`` does not
    see it. (A product's, named by an imported address, is judged by
    ``products.clean``.) Reports group unplaced records by it."""
    if table != "producers" or row.get("legacy_district_code") is None:
        return None
    old = refdata.load().legacy_communes.get(row.get("legacy_commune_code"))  # type: ignore[arg-type]
    expected = old.district_code if old is not None else None
    value = row["legacy_district_code"]
    return None if type(value) is int and value == expected else "legacy_district_code"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b and type(a) is type(b)


def problems(store: Store, table: str, rows: list[dict[str, Any]]) -> list[str]:
    """``"<id> (<field>)"`` for each row a local save would refuse."""
    out = []
    for row in rows:
        field = problem(store, table, row)
        if field is not None:
            out.append(f"{_label(row)} ({field})")
    return out


def _label(row: dict[str, Any]) -> str:
    return str(row["id"])
