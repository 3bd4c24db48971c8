"""Yearly targets of an office (or the province): new recognitions, upgrades, …"""

from __future__ import annotations

from typing import Any

from ocop_desktop import records, refdata
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store

TABLE = "targets"
NUMBERS = ("new_products", "four_star", "potential_five", "upgrades", "renewals")


def office_key(store: Store) -> str:
    return "province" if store.node.is_province else (store.node.office_code or "area")


def set_target(store: Store, year: int, values: dict[str, Any], office: str | None = None) -> str:
    office = office or office_key(store)
    _check_office(store, office)
    clean = {"office_code": office, "year": v.integer(year, "year", lo=2018, hi=2100)}
    for f in NUMBERS:
        clean[f] = v.integer(values.get(f), f, lo=0, hi=1_000_000)
    clean["notes"] = v.text(values.get("notes"), "notes")
    with transaction(store.db):
        row = store.db.execute(
            "SELECT id FROM targets WHERE office_code = ? AND year = ? AND deleted = 0",
            [office, clean["year"]],
        ).fetchone()
        if row:
            records.update(store, TABLE, row[0], clean)
            return row[0]
        return records.insert(store, TABLE, clean)


def _check_office(store: Store, office: str) -> None:
    """An office sets its own targets; the province its own and its former districts'.

    Another office's target would never be sent (sync keeps each office to its own),
    and a district code that does not exist would be a target nobody reports against.
    """
    if office == office_key(store):
        return
    if store.node.is_province and office.isdigit():
        district = refdata.load().legacy_districts.get(int(office))
        if district is not None and district.province_code == store.node.province_code:
            return
    raise UserError("target.not_this_office", "district", office=office)


def get_target(store: Store, year: int, office: str | None = None) -> dict[str, Any] | None:
    office = office or office_key(store)
    cur = store.db.execute(
        "SELECT * FROM targets WHERE office_code = ? AND year = ? AND deleted = 0", [office, year]
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))
