"""A certificate's status and a product's star class, each defined once.

Lists, the overview, the summary (and so the PDF and the Excel workbook) and
sync status all ask this module, in SQL (``status_sql``, ``star_class_sql``)
or in Python (``status``, ``star_class``); a test checks that the two twins
agree on random data.

The rule, for a recognition on an as-of date:

1. *revoked*: a revocation is recorded, dated on or before the as-of date;
2. *superseded*: a later decision for the same product is in force instead;
3. *expired*: its expiry date is before the as-of date;
4. *expiring*: it expires within the warning window (``warning_days`` after
   the as-of date, inclusive); the issuer must warn the producer ahead of
   expiry, so lists, the overview and the reports all use this one window;
5. *valid*: otherwise, including a certificate whose expiry is not known yet
   (an imported list that gives only a year): it counts as in force until a
   date says otherwise.

"In force" means valid or expiring.

The star class is exclusive: ``5``, ``potential_5`` (4 stars proposed as a
potential 5-star product), ``4`` (the other 4-star products) and ``3``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ocop_desktop import clock

STATUSES = ("valid", "expiring", "expired", "revoked", "superseded")
IN_FORCE = ("valid", "expiring")
STAR_CLASSES = ("3", "4", "potential_5", "5")

DEFAULT_WARNING_DAYS = 90
MIN_WARNING_DAYS = 30  # the issuer warns the producer at least 30 days ahead
MAX_WARNING_DAYS = 365
WARNING_DAYS_META = "warning_days"


@dataclass(frozen=True)
class AsOf:
    """The date statuses are taken on, with the warning window in days."""

    day: date
    warning_days: int = DEFAULT_WARNING_DAYS

    @property
    def soon(self) -> date:
        """The last expiry date that counts as expiring."""
        return self.day + timedelta(days=self.warning_days)

    def params(self) -> dict[str, str]:
        """The ``:as_of`` and ``:soon`` parameters of ``status_sql``."""
        return {"as_of": self.day.isoformat(), "soon": self.soon.isoformat()}


def warning_days(db: Any) -> int:
    """The node's warning window in days (a setting kept in the database)."""
    from ocop_desktop.db import get_meta

    text = get_meta(db, WARNING_DAYS_META)
    try:
        days = int(text) if text else DEFAULT_WARNING_DAYS
    except ValueError:
        return DEFAULT_WARNING_DAYS
    return min(max(days, MIN_WARNING_DAYS), MAX_WARNING_DAYS)


def set_warning_days(db: Any, days: int) -> None:
    from ocop_desktop.db import set_meta
    from ocop_desktop.errors import ValidationError

    if not MIN_WARNING_DAYS <= int(days) <= MAX_WARNING_DAYS:
        raise ValidationError(
            "validation.warning_days", "warning_days", lo=MIN_WARNING_DAYS, hi=MAX_WARNING_DAYS
        )
    set_meta(db, WARNING_DAYS_META, str(int(days)))


def as_of(db: Any = None, day: date | None = None) -> AsOf:
    """Statuses as of ``day`` (default today) with the node's warning window."""
    days = warning_days(db) if db is not None else DEFAULT_WARNING_DAYS
    return AsOf(day or clock.today(), days)


def status(
    *,
    revoked_date: str | None,
    expiry_date: str | None,
    at: AsOf,
    current: bool = True,
) -> str:
    """The status of one recognition (the Python twin of ``status_sql``)."""
    today = at.day.isoformat()
    if revoked_date is not None and revoked_date <= today:
        return "revoked"
    if not current:
        return "superseded"
    if expiry_date is not None and expiry_date < today:
        return "expired"
    if expiry_date is not None and expiry_date <= at.soon.isoformat():
        return "expiring"
    return "valid"


def revoked_sql(revoked_date: str = "r.revoked_date") -> str:
    """True where a revocation is in force on ``:as_of``."""
    return f"({revoked_date} IS NOT NULL AND {revoked_date} <= :as_of)"


def status_sql(
    *,
    revoked: str | None = None,
    expiry_date: str = "r.expiry_date",
    current: str = "1",
) -> str:
    """SQL CASE giving the status; takes the ``:as_of`` and ``:soon`` parameters.

    ``revoked`` is a boolean expression (``revoked_sql()`` over a recognition's
    columns, or the current-recognition cache's ``revoked`` flag), ``current``
    true where the recognition is its product's latest."""
    revoked = revoked or revoked_sql()
    return (
        f"CASE WHEN {revoked} THEN 'revoked' "
        f"WHEN NOT ({current}) THEN 'superseded' "
        f"WHEN {expiry_date} < :as_of THEN 'expired' "
        f"WHEN {expiry_date} <= :soon THEN 'expiring' ELSE 'valid' END"
    )


def cached_status_sql(alias: str = "c") -> str:
    """``status_sql`` over the current-recognition cache (a product's latest decision).

    The cache keeps a revoked flag rather than the date; a revocation cannot be
    dated after today (``recognitions.clean``), so for an as-of date from today on
    the flag says exactly what ``revoked_sql`` says. Reports as of an earlier date
    read the recognitions themselves."""
    return status_sql(revoked=f"{alias}.revoked", expiry_date=f"{alias}.expiry_date")


def product_status_sql(alias: str = "c") -> str:
    """A product's status from the current-recognition cache joined by LEFT JOIN:
    ``none`` for a product never recognised (no cache row), else ``cached_status_sql``.
    Without that first branch a product with no decision would fall through to
    'valid' (its expiry is NULL)."""
    return f"CASE WHEN {alias}.product_id IS NULL THEN 'none' ELSE {cached_status_sql(alias)} END"


def cached_condition_sql(which: str, alias: str = "c") -> str:
    """A condition on the cache equal to ``cached_status_sql`` being ``which``
    (``expired``, ``expiring``) or in force (``in_force``), written as ranges on
    the expiry so the cache's indexes serve the dashboard's counts. A test checks
    each against the CASE on random data."""
    expiry = f"{alias}.expiry_date"
    live = f"{alias}.revoked = 0"
    return {
        "in_force": f"{live} AND ({expiry} >= :as_of OR {expiry} IS NULL)",
        "expiring": f"{live} AND {expiry} BETWEEN :as_of AND :soon",
        "expired": f"{live} AND {expiry} < :as_of",
    }[which]


def decisions_on_sql() -> str:
    """Each product's latest decision on ``:as_of``, with the columns of the
    current-recognition cache: what was in force on an earlier date."""
    return (
        "(SELECT product_id, id AS recognition_id, stars, potential_5, decision_no, "
        f"decision_date, expiry_date, {revoked_sql('revoked_date')} AS revoked FROM ("
        "SELECT r.*, row_number() OVER (PARTITION BY r.product_id "
        "ORDER BY r.decision_date DESC, r.version DESC) AS k "
        "FROM recognitions r WHERE r.deleted = 0 AND r.decision_date <= :as_of) WHERE k = 1)"
    )


def certificates_on(db: Any, at: AsOf) -> str:
    """Where each product's certificate on ``at.day`` is read from, for a join
    (``LEFT JOIN {source} c ON c.product_id = …``): the current-recognition cache
    when it holds exactly that (the date is today or later, no decision is dated
    after it, and no revocation can be dated after today), else each product's
    latest decision on that date (``decisions_on_sql``, a pass over the decisions)."""
    if at.day < clock.today():
        return decisions_on_sql()
    later = db.execute(
        "SELECT 1 FROM current_recognition WHERE decision_date > ? LIMIT 1", [at.day.isoformat()]
    ).fetchone()
    return "current_recognition" if later is None else decisions_on_sql()


def dated_sql(alias: str = "r") -> str:
    """True where a decision's stored date is its own. A rank a list gave without
    any date is stored under the day of its import (``date_basis`` 'unknown'): it
    counts in no year's results. Written as the year's index is (schema 11), so
    that index serves the queries that use it."""
    return f"{alias}.date_basis IS NOT 'unknown'"


def star_class(stars: Any, potential_5: Any) -> str | None:
    """``3``, ``4``, ``potential_5`` or ``5`` (None without stars)."""
    if stars is None or stars != stars:  # None or NaN
        return None
    stars = int(stars)
    if stars == 4 and potential_5:
        return "potential_5"
    return str(stars)


def star_class_sql(stars: str = "r.stars", potential_5: str = "r.potential_5") -> str:
    """SQL twin of ``star_class``."""
    return (
        f"CASE WHEN {stars} IS NULL THEN NULL "
        f"WHEN {stars} = 4 AND {potential_5} THEN 'potential_5' "
        f"ELSE CAST({stars} AS TEXT) END"
    )


def star_label(stars: Any, potential_5: Any) -> str:
    """'3 sao', '4 sao', 'Tiềm năng 5 sao', '5 sao' ('' without stars)."""
    cls = star_class(stars, potential_5)
    return "" if cls is None else STAR_LABELS[cls]


STAR_LABELS = {"3": "3 sao", "4": "4 sao", "potential_5": "Tiềm năng 5 sao", "5": "5 sao"}
