"""Who may decide what, and when: the recognising level of each star class per period.

The rules are data: ``resources/refdata/star_bands.csv`` has one column per
period, named ``recognizing_level_<decision>_<from>_to_<until>`` or
``recognizing_level_from_<decision>_<from>``, whose cells name the body that
recognises each star class (UBND cấp huyện, UBND cấp tỉnh, the ministry). A new
decision that moves the levels again is one more column, not new code.

Until 5 July 2025 (Decision 148/QĐ-TTg) the district people's committee
recognised 3 stars, the province 4 stars and proposed products of 90 points or
more to the ministry, which recognised 5 stars. From 6 July 2025 (Decision
1489/QĐ-TTg) there is no district level: the province recognises 3 and 4 stars
and the Ministry of Agriculture and Environment 5 stars. A decision is judged by
the rules of its own date, so a district's decision of 2024 stays valid and keeps
its issuer.

The district level itself ended on 1 July 2025 (the two-level local government):
from that day no district body exists, so the days 1–5 July, still under
Decision 148's column, take the province where that column names the district
(``DISTRICT_ABOLISHED``). No recognition is older than the programme itself,
begun by Decision 490/QĐ-TTg of 7 May 2018 (``PROGRAMME_START``). Both dates are
kept here, once.

An office never issues a recognition: it records the decisions of the province
(or the ministry) as received copies, with that body as issuer.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from ocop_desktop import refdata
from ocop_desktop.errors import ValidationError
from ocop_desktop.paths import resource
from ocop_desktop.text import search_key

DISTRICT, PROVINCE, CENTRAL = "district", "province", "central"
LEVELS = (DISTRICT, PROVINCE, CENTRAL)
# The commune's pre-check of a dossier is not a recognising level but is recorded
# as an evaluation in both periods.
PRE_CHECK = "commune"
# The first day without a district level (district people's committees were
# abolished on 1 July 2025); a rules column that still names the district after
# that day is read with the province in its place.
DISTRICT_ABOLISHED = date(2025, 7, 1)
# The OCOP programme began with Decision 490/QĐ-TTg of 7 May 2018.
PROGRAMME_START = date(2018, 5, 7)
PROGRAMME_DECISION = "490/QĐ-TTg"

_COLUMN = re.compile(
    r"^recognizing_level_(?:from_)?(?P<name>[A-Za-z]+\d+)_"
    r"(?:(?P<start>\d{4}(?:-\d\d-\d\d)?)_to_(?P<end>\d{4}-\d\d-\d\d)|(?P<from>\d{4}-\d\d-\d\d))$"
)
# The ministry by the name it had in each period (it was merged on 1 March 2025
# but kept signing as before until the new decision on levels).
MINISTRY = {
    "QD148": "Bộ Nông nghiệp và Phát triển nông thôn",
    "QD1489": "Bộ Nông nghiệp và Môi trường",
}


@dataclass(frozen=True)
class Period:
    """The rules of one decision on levels: from ``start`` to ``end`` (inclusive)."""

    decision: str  # "QD148", "QD1489"
    start: date | None
    end: date | None
    recogniser: dict[int, str]  # stars -> level
    # The days of a period after the district level ended (see DISTRICT_ABOLISHED).
    without_district: bool = False

    @property
    def title(self) -> str:
        """The decision as people write it: "QĐ 1489/QĐ-TTg"."""
        number = self.decision.removeprefix("QD")
        return f"{number}/QĐ-TTg"

    def covers(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels that recognise anything in this period, lowest first."""
        used = set(self.recogniser.values())
        return tuple(lvl for lvl in LEVELS if lvl in used)


def level_of_text(text: str) -> str | None:
    """The level a cell of the star bands (or an issuer's name) speaks of, if any.

    "UBND cấp huyện", "UBND huyện Nga Sơn", "UBND thị xã Bỉm Sơn" → district;
    "UBND tỉnh Thanh Hóa", "Ủy ban nhân dân thành phố Hà Nội" → province;
    "Bộ NN&PTNT", "Bộ Nông nghiệp và Môi trường" → central; an office → None.
    """
    key = _spelled_out(search_key(text or ""))
    if not key.strip(" -"):
        return None
    if re.match(r"^(bo|bo truong)\b", key) or "bo nong nghiep" in key or "bo nn" in key:
        return CENTRAL
    # Below the ministry only a people's committee recognises: an office, a
    # department or a council is not an issuer.
    if not re.search(r"\b(ubnd|uy ban nhan dan)\b", key):
        return None
    if re.search(r"\b(huyen|quan|thi xa)\b", key):
        return DISTRICT
    if re.search(r"\btinh\b", key):
        return PROVINCE
    city = re.search(r"\bthanh pho\s+(.+)$", key)
    if city:
        name = city.group(1).strip()
        provinces = {search_key(n).removeprefix("thanh pho ") for n in _province_names()}
        return PROVINCE if name in provinces else DISTRICT
    return None


# The usual abbreviations in issuers' names: "UBND TP Thanh Hóa", "UBND TX. Nghi
# Sơn", "UBND H. Nga Sơn", "UBND T. Thanh Hóa", "UBND Q. 1", "TP. HCM".
_ABBREVIATIONS = (
    (r"\btp\b\.?", "thanh pho"),
    (r"\btx\b\.?", "thi xa"),
    (r"\bh\b\.", "huyen"),
    (r"\bt\b\.", "tinh"),
    (r"\bq\b\.", "quan"),
    (r"\bhcm\b", "ho chi minh"),
)


def _spelled_out(key: str) -> str:
    for pattern, words in _ABBREVIATIONS:
        key = re.sub(pattern, words, key)
    return key


def issuer_key(issuer: str) -> str:
    """An issuer as compared: without marks or case, "Ủy ban nhân dân" as "ubnd",
    "TP"/"TX" spelled out, and the chair who signs for the committee left out
    ("Chủ tịch UBND tỉnh Thanh Hóa" is the committee's decision)."""
    key = _spelled_out(search_key(issuer or ""))
    key = re.sub(r"\buy ban nhan dan\b", "ubnd", key)
    key = re.sub(r"^(pho )?chu tich\s+", "", key)
    return re.sub(r"[\s.]+", " ", key).strip()


def _province_names() -> list[str]:
    ref = refdata.load()
    return [*ref.provinces.values(), *ref.legacy_provinces.values()]


@lru_cache(maxsize=1)
def periods() -> tuple[Period, ...]:
    """The periods of ``star_bands.csv``, oldest first."""
    path = resource("refdata", "star_bands.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for column in rows[0]:
        m = _COLUMN.match(column)
        if not m:
            continue
        start = m.group("from") or m.group("start")
        end = m.group("end")
        recogniser = {}
        for row in rows:
            level = level_of_text(row[column])
            if level is not None:
                recogniser[int(row["stars"])] = level
        out.append(
            Period(
                decision=m.group("name").upper(),
                start=date.fromisoformat(start) if start and len(start) == 10 else None,
                end=date.fromisoformat(end) if end else None,
                recogniser=recogniser,
            )
        )
    out.sort(key=lambda p: p.start or date.min)
    return tuple(_without_district_after_reform(out))


def _without_district_after_reform(found: list[Period]) -> list[Period]:
    """Split a period that names the district and runs past ``DISTRICT_ABOLISHED``:
    up to the day before, as written; from that day, the province in its place."""
    out: list[Period] = []
    for p in found:
        if DISTRICT not in p.recogniser.values() or not p.covers(DISTRICT_ABOLISHED):
            out.append(p)
            continue
        if p.start is None or p.start < DISTRICT_ABOLISHED:
            out.append(replace(p, end=DISTRICT_ABOLISHED - timedelta(days=1)))
        without = {s: PROVINCE if lvl == DISTRICT else lvl for s, lvl in p.recogniser.items()}
        out.append(replace(p, start=DISTRICT_ABOLISHED, recogniser=without, without_district=True))
    return out


def period_for(day: date | str) -> Period:
    if isinstance(day, str):
        day = date.fromisoformat(day)
    for p in periods():
        if p.covers(day):
            return p
    # Before the oldest rules the data holds: the oldest apply.
    return periods()[0]


def recognising_level(stars: int, day: date | str) -> str:
    return period_for(day).recogniser[stars]


def proposal_points() -> float:
    """Points from which a province proposes a product to the ministry (the 5-star band)."""
    return refdata.load().band(5).min_points


def check_issuer(issuer: str, decided: str, stars: int) -> None:
    """Refuse an issuer whose level may not recognise ``stars`` on ``decided``."""
    period = period_for(decided)
    expected = period.recogniser[stars]
    level = level_of_text(issuer)
    if level == expected:
        return
    raise ValidationError(
        "authority.wrong_issuer",
        "issuer",
        issuer=issuer,
        stars=stars,
        date=date.fromisoformat(decided).strftime("%d/%m/%Y"),
        expected=_level_name(expected),
        rule=_rule(period),
    )


def check_programme_date(
    day: str, field: str = "decision_date", *, year_only: bool = False
) -> None:
    """Refuse a date before the OCOP programme began (``PROGRAMME_START``); a date
    known only by its year (stored as 1 January) is judged by the year."""
    first = str(PROGRAMME_START.year) if year_only else PROGRAMME_START.isoformat()
    if day[: len(first)] < first:
        raise ValidationError(
            "authority.before_programme",
            field,
            date=date.fromisoformat(day).strftime("%d/%m/%Y"),
            start=PROGRAMME_START.strftime("%d/%m/%Y"),
            decision=PROGRAMME_DECISION,
        )


def check_evaluation_level(level: str, day: str, date_field: str = "eval_date") -> None:
    """A council of a level that does not exist (any more) on ``day`` is refused, and
    so is any council before the programme began."""
    check_programme_date(day, date_field)
    period = period_for(day)
    if level == PRE_CHECK or level in period.levels:
        return
    raise ValidationError(
        "authority.no_such_level",
        "level",
        level=_level_name(level),
        date=date.fromisoformat(day).strftime("%d/%m/%Y"),
        rule=_rule(period),
        levels=", ".join(_level_name(lvl) for lvl in (PRE_CHECK, *period.levels)),
    )


def _rule(period: Period) -> str:
    """The rule a refusal cites: the decision, and the end of the district level
    where that decision's column still names it."""
    if not period.without_district:
        return period.title
    from ocop_desktop.i18n import tr

    return tr(
        "authority.rule_without_district",
        rule=period.title,
        date=DISTRICT_ABOLISHED.strftime("%d/%m/%Y"),
    )


def _level_name(level: str) -> str:
    from ocop_desktop.i18n import tr

    return tr(f"authority.level.{level}")


def default_issuer(
    decided: str, stars: int, *, province_code: int, district_code: int | None
) -> str | None:
    """The body that issues a ``stars`` decision on ``decided``, by name: what an
    office records a received copy under when the issuer is left blank."""
    ref = refdata.load()
    period = period_for(decided)
    level = period.recogniser[stars]
    if level == CENTRAL:
        return MINISTRY.get(period.decision)
    if level == PROVINCE:
        name = ref.provinces.get(province_code) or ref.legacy_provinces.get(province_code)
        return f"UBND {_lower_kind(name)}" if name else None
    name = ref.district_name(district_code)
    return f"UBND {_lower_kind(name)}" if name else None


def _lower_kind(name: str) -> str:
    """ "Tỉnh Thanh Hóa" → "tỉnh Thanh Hóa", "Huyện Nga Sơn" → "huyện Nga Sơn"."""
    for kind in ("Tỉnh", "Thành phố", "Huyện", "Thị xã", "Quận"):
        if name.startswith(kind + " "):
            return kind.lower() + name[len(kind) :]
    return name
