"""A row's certificate: what the sheet says about the recognition of its product,
and what is missing from it.

A row with a star rank always gives a certificate. A missing decision number,
date or product set is flagged on it ("cần bổ sung …", ``recognitions.incomplete``),
not a reason to drop the rank; how the date was known is kept in
``recognitions.date_basis``. One decision number on many rows is one decision:
its date written on one row fills the others ("inferred"), and the rows of a
decision's annex take the decision named above the table.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from ocop_desktop import clock, refdata
from ocop_desktop import validation as v
from ocop_desktop.errors import ValidationError
from ocop_desktop.i18n import tr
from ocop_desktop.importer import values as val
from ocop_desktop.importer.table import Table
from ocop_desktop.text import search_key

DATA_LANG = "vi"  # reasons stored in the records' ``incomplete`` columns
# How good a decision date is: as written, inferred from its decision's other rows,
# only the year, none at all (recognitions.DATE_BASES).
BASIS_RANK = {None: 0, "inferred": 1, "year": 2, "unknown": 3}


def decision_dates(table: Table) -> dict[str, tuple[date, int]]:
    """Each decision number's date where the sheet gives it on one of its rows:
    {key: (date, row)}. A number written with two different dates is left alone."""
    seen: dict[str, set[date]] = {}
    first: dict[str, int] = {}
    for key, _issuer, decided, number in _dated_rows(table):
        seen.setdefault(key, set()).add(decided)
        first.setdefault(key, number)
    return {k: (next(iter(d)), first[k]) for k, d in seen.items() if len(d) == 1}


def decision_conflicts(table: Table) -> dict[tuple[str, str], list[tuple[date, int]]]:
    """Decisions (number and issuer) written with more than one date on the sheet:
    {(key, issuer key): [(date, first row with it), …]}. One number is one decision,
    so its rows are flagged rather than one date chosen."""
    dates: dict[tuple[str, str], dict[date, int]] = {}
    for key, issuer, decided, number in _dated_rows(table):
        dates.setdefault((key, issuer), {}).setdefault(decided, number)
    return {k: sorted(d.items()) for k, d in dates.items() if len(d) > 1}


def _dated_rows(table: Table) -> Iterator[tuple[str, str, date, int]]:
    """(decision key, issuer key, date, row number) of each row giving both."""
    for row in table.rows:
        if row.heading is not None or row.number in table.hidden_rows:
            continue
        try:
            number, decided = val.parse_decision(row.values.get("decision_no"))
        except val.Unclear:
            continue
        if not number:
            continue
        try:
            decided = val.parse_date(row.values.get("decision_date")) or decided
        except val.Unclear:
            pass
        if decided is None:
            continue
        issuer = search_key(val.clean_text(row.values.get("issuer")) or "")
        yield val.decision_key(number), issuer, decided, row.number


_TITLE_DECISION = re.compile(r"quyet dinh|\bqd\b")


def title_decision(table: Table) -> tuple[str, date | None] | None:
    """The decision a list is the annex of, from the lines above its table:
    "(Kèm theo Quyết định số 715/QĐ-UBND ngày 20/3/2026 của UBND tỉnh)"."""
    for line in table.titles:
        if not _TITLE_DECISION.search(search_key(line)):
            continue
        try:
            number, decided = val.parse_decision(line)
        except val.Unclear:
            continue
        if number:
            return number, decided
    return None


def stars_only(values: dict[str, Any], context: dict[str, Any]) -> int | None:
    """The star rank a row carries, if any (for rows that give no certificate)."""
    try:
        stars = _row_stars(values, context)
    except val.Unclear:
        return None
    return stars.stars if stars else None


def _row_stars(values: dict[str, Any], context: dict[str, Any]) -> val.Stars | None:
    stars = val.parse_stars(values.get("stars"))
    if stars is None:
        for n in (3, 4, 5):
            mark = values.get(f"stars_{n}")
            if mark not in (None, "") and search_key(str(mark)) not in ("0", "-", "khong"):
                stars = val.Stars(n)
    if stars is None and context.get("stars"):
        stars = val.Stars(context["stars"])
    return stars


def read_certificate(
    values: dict[str, Any],
    context: dict[str, Any],
    expected: bool,
    row_number: int,
    set_known: bool,
) -> tuple[dict[str, Any] | None, list[tuple[str, dict]], list[tuple[str, dict]]]:
    """The certificate a row records, the row's problems, and what the certificate
    lacks. A row with a star rank always gives a certificate: a missing decision
    number, date or product set is flagged on it ("cần bổ sung"), not a reason to
    drop the rank."""
    issues: list[tuple[str, dict]] = []
    missing: list[tuple[str, dict]] = []
    stars = None
    try:
        stars = _row_stars(values, context)
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    number = decided = None
    dated_only = None  # a decision cell that holds only its date ("Năm 2025", 20/3/2026)
    try:
        number, decided = val.parse_decision(values.get("decision_no"))
    except val.Unclear as exc:
        cell = values.get("decision_no")
        if _date_like(cell):
            dated_only = cell
        if not _date_like(cell) or re.search(r"\d", val.DATES.sub("", str(cell))):
            # "QĐ số 715 ngày 20/3/2026": the date is taken, the number said unread
            missing.append(("import.part.decision_no_unread", {"value": exc.params.get("value")}))
    basis: str | None = None
    raw_date = values.get("decision_date")
    year, unread = None, None
    in_number = decided  # a date written with the number ("Số 17/QĐ-UBND ngày 12/5/2023")
    impossible: val.Unclear | None = None
    for raw in (raw_date, values.get("decision_year"), dated_only):
        try:
            found = val.parse_date(raw)
        except val.Unclear as exc:
            if exc.key == "import.impossible_date":
                # 29/02/2026 is a typing error, not "only the year is known"
                impossible = impossible or exc
                continue
            year = year or val.year_in(raw)
            if year is None:
                unread = unread or val.clean_text(raw)
            continue
        conflicting = found is not None and in_number is not None and found != in_number
        if conflicting and not any(k == "import.date_conflict_row" for k, _ in issues):
            assert found is not None and in_number is not None
            issues.append(
                (
                    "import.date_conflict_row",
                    {
                        "decision": number or "",
                        "dates": f"{in_number:%d/%m/%Y}, {found:%d/%m/%Y}",
                    },
                )
            )
        decided = decided or found
    if decided is None and year is None and unread is not None:
        missing.append(("import.part.date_unread", {"value": unread}))
    expiry = None
    try:
        expiry = val.parse_date(values.get("expiry_date"))
    except val.Unclear as exc:
        issues.append(("import.expiry_unclear", {"detail": tr(exc.key, DATA_LANG, **exc.params)}))
    points = None
    try:
        points = val.parse_number(values.get("points"))
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    if impossible is not None:
        detail = ValidationError(
            "validation.bad_date", "decision_date", value=impossible.params["iso"]
        )
        issues.append(("import.certificate_invalid", {"detail": detail}))
        return None, issues, []
    if any(k == "import.date_conflict_row" for k, _ in issues):
        # Two dates for one decision on one row: neither is taken.
        return None, issues, []
    if stars is None:
        if number is not None or any(k == "import.part.decision_no_unread" for k, _ in missing):
            if not issues:
                issues.append(("import.no_stars", {}))
            issues.append(
                ("import.certificate_pending", _read_so_far(values, stars, number, raw_date))
            )
        elif expected and not issues:
            issues.append(("import.no_stars", {}))
        return None, issues, []
    notes = None
    if number is None and not missing and context.get("sheet_decision"):
        # The rows of a decision's annex are that decision, unless a row's own date
        # or year says otherwise.
        title_number, title_date = context["sheet_decision"]
        if title_date is None or (
            decided == title_date if decided else year in (None, title_date.year)
        ):
            number, decided = title_number, decided or title_date
            notes = tr("import.decision_from_title", DATA_LANG, decision=number)
    if number is None and not missing:
        missing.append(("import.part.decision_no", {}))
    if decided is None and number:
        inferred = context.get("decision_dates", {}).get(val.decision_key(number))
        if inferred and (year is None or inferred[0].year == year):
            decided, basis = inferred[0], "inferred"
            issues.append(
                (
                    "import.date_inferred",
                    {
                        "decision": number,
                        "date": inferred[0].strftime("%d/%m/%Y"),
                        "row": inferred[1],
                    },
                )
            )
            missing = [m for m in missing if not m[0].startswith("import.part.date")]
    if decided is None:
        if year is not None:
            decided, basis = date(year, 1, 1), "year"
            missing.append(("import.part.date_year", {"year": year}))
            if expiry is None:
                # The latest it can run to: a decision of 31 December of that year.
                expiry = date(year + 3, 12, 31)
        else:
            # No date at all: the rank is kept as a certificate dated the day of the
            # import (its expiry an upper bound, shown "chưa rõ"), flagged; it names
            # no issuer the list does not give and counts in no year's results.
            decided, basis = clock.today(), "unknown"
            if not any(k == "import.part.date_unread" for k, _ in missing):
                missing.append(("import.part.date", {}))
    elif number and basis is None:
        conflict = context.get("decision_conflicts", {}).get(
            (val.decision_key(number), search_key(val.clean_text(values.get("issuer")) or ""))
        )
        if conflict and len(conflict) > 1:
            others = "; ".join(
                f"{day:%d/%m/%Y} (dòng {row})" for day, row in conflict if day != decided
            )
            if others:
                missing.append(
                    ("import.part.date_conflict", {"decision": number, "others": others})
                )
    if not set_known:
        missing.append(("import.part.product_set", {}))
    data = {
        "decision_no": number or "",
        "decision_date": decided.isoformat() if decided else None,
        "date_basis": basis,
        "stars": stars.stars,
        "potential_5": int(stars.potential_5),
        "kind": "upgrade" if stars.upgrade else None,
        "points": points,
        "expiry_date": expiry.isoformat() if expiry else None,
        "issuer": val.clean_text(values.get("issuer")),
        "notes": notes,
    }
    problem = _check_recognition(data)
    if problem and points is not None:
        # Points that contradict the rank: keep the rank, flag the points.
        missing.append(("import.part.points", {"value": _num(points)}))
        data["points"] = None
        problem = _check_recognition(data)
    if problem and data["potential_5"]:
        # "3 sao (tiềm năng 5 sao)": the rank stands; the mark it cannot carry is said.
        issues.append(("import.potential_5_dropped", {"stars": stars.stars}))
        data["potential_5"] = 0
        problem = _check_recognition(data)
    if problem:
        return None, [*issues, problem], []
    data["incomplete"] = needs_text(missing)
    data["_missing"] = missing
    return data, issues, missing


def _date_like(value: Any) -> bool:
    """A decision cell holding a date or a year and no number ("Năm 2025", "20/3/2026")."""
    try:
        return val.parse_date(value) is not None
    except val.Unclear:
        return val.year_in(value) is not None and not re.search(r"\d+\s*/\s*[^\d\s]", str(value))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _read_so_far(
    values: dict[str, Any], stars: val.Stars | None, number: str | None, raw_date: Any = None
) -> dict:
    """What the sheet said about the certificate, kept in the reason so nothing is lost."""
    parts = []
    if stars is not None:
        parts.append(f"{stars.stars} sao" + (" (tiềm năng 5 sao)" if stars.potential_5 else ""))
    if number:
        parts.append(number)
    raw = val.clean_text(raw_date if raw_date is not None else values.get("decision_year"))
    if raw:
        parts.append(raw)
    return {"detail": ", ".join(parts)}


def _check_recognition(data: dict[str, Any]) -> tuple[str, dict] | None:
    """The certificate rules of recognitions.clean that need no product row."""
    ref = refdata.load()
    try:
        if data["decision_no"]:
            v.decision_no(data["decision_no"])
        if data["decision_date"] is not None:
            v.iso_date(data["decision_date"], "decision_date", not_after=clock.today())
        pts = v.points(data["points"])
        if pts is not None and data["stars"] > ref.stars_for_points(pts):
            raise ValidationError(
                "validation.stars_above_points",
                "stars",
                stars=data["stars"],
                points=pts,
                band=ref.stars_for_points(pts),
            )
        if data["potential_5"] and (data["stars"] < 4 or (pts is not None and pts < 90)):
            raise ValidationError("validation.potential_5_needs_90", "potential_5")
        if data["expiry_date"] and data["expiry_date"] <= (data["decision_date"] or ""):
            raise ValidationError("validation.expiry_before_decision", "expiry_date")
    except (ValidationError, ValueError) as exc:
        detail = exc if isinstance(exc, ValidationError) else str(exc)
        return ("import.certificate_invalid", {"detail": detail})
    return None


def certificate_fills(have: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """What a fuller row adds to a certificate recorded from a thinner list
    (``have``: the certificate as stored, with what this file already fills in)."""
    out: dict[str, Any] = {}
    if not have.get("decision_no") and incoming.get("decision_no"):
        out["decision_no"] = incoming["decision_no"]
    if BASIS_RANK[incoming.get("date_basis")] < BASIS_RANK[have.get("date_basis")]:
        out["decision_date"] = incoming["decision_date"]
        out["date_basis"] = incoming.get("date_basis")
        out["expiry_date"] = incoming.get("expiry_date")
        if incoming.get("issuer") and incoming["issuer"] != have.get("issuer"):
            out["issuer"] = incoming["issuer"]  # the list that dates the decision names its body
        elif have.get("date_basis") == "unknown" and have.get("issuer"):
            # Chosen for the day of an earlier import, not read from a list: the
            # body is the one the real date's rule names.
            out["issuer"] = None
    for f in ("points", "issuer"):
        if have.get(f) is None and f not in out and incoming.get(f) is not None:
            out[f] = incoming[f]
    if have.get("incomplete"):  # what is still missing once this row is taken in
        merged = have | out
        still = [
            part
            for part in incoming.get("_missing", [])
            if not (part[0] == "import.part.decision_no" and merged.get("decision_no"))
        ]
        if merged.get("date_basis") in (None, "inferred"):
            still = [p for p in still if p[0] not in _DATE_PARTS]
        text = needs_text(still)
        if text != have.get("incomplete"):
            out["incomplete"] = text
    return out


_DATE_PARTS = ("import.part.date", "import.part.date_year", "import.part.date_unread")


def describe_parts(missing: list[tuple[str, dict]]) -> str:
    return sys.intern("; ".join(tr(k, DATA_LANG, **p) for k, p in missing))


def needs_text(missing: list[tuple[str, dict]]) -> str | None:
    """The flag a certificate carries while parts of it are missing."""
    return (
        sys.intern(tr("import.certificate_needs", DATA_LANG, parts=describe_parts(missing)))
        if missing
        else None
    )
