"""The certificate status and the star class: the SQL twin and the Python twin agree."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop_desktop import cert_status
from ocop_desktop.errors import ValidationError

DAYS = st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31))
MAYBE_DAY = st.none() | DAYS


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@settings(max_examples=300, deadline=None)
@given(
    revoked=MAYBE_DAY,
    expiry=MAYBE_DAY,
    current=st.booleans(),
    day=DAYS,
    window=st.integers(cert_status.MIN_WARNING_DAYS, cert_status.MAX_WARNING_DAYS),
)
def test_sql_status_equals_python_status(revoked, expiry, current, day, window):
    at = cert_status.AsOf(day, window)
    conn = sqlite3.connect(":memory:")
    sql = cert_status.status_sql(
        revoked=cert_status.revoked_sql(":revoked"), expiry_date=":expiry", current=":current"
    )
    row = conn.execute(
        f"SELECT {sql}",
        {**at.params(), "revoked": _iso(revoked), "expiry": _iso(expiry), "current": current},
    ).fetchone()
    python = cert_status.status(
        revoked_date=_iso(revoked), expiry_date=_iso(expiry), at=at, current=current
    )
    assert row[0] == python


@settings(max_examples=300, deadline=None)
@given(revoked=st.booleans(), expiry=MAYBE_DAY, day=DAYS, window=st.integers(30, 365))
def test_the_cache_conditions_say_what_the_status_says(revoked, expiry, day, window):
    """The dashboard counts with index-friendly conditions; each must pick exactly the
    certificates the status rule gives that status."""
    at = cert_status.AsOf(day, window)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE c (revoked INTEGER, expiry_date TEXT)")
    conn.execute("INSERT INTO c VALUES (?, ?)", [int(revoked), _iso(expiry)])
    status = conn.execute(
        f"SELECT {cert_status.cached_status_sql('c')} FROM c", at.params()
    ).fetchone()[0]
    for which, holds in (
        ("in_force", status in cert_status.IN_FORCE),
        ("expiring", status == "expiring"),
        ("expired", status == "expired"),
    ):
        sql = f"SELECT count(*) FROM c WHERE {cert_status.cached_condition_sql(which, 'c')}"
        assert conn.execute(sql, at.params()).fetchone()[0] == int(holds), which


@given(stars=st.sampled_from([None, 1, 2, 3, 4, 5]), potential=st.sampled_from([0, 1, None]))
def test_sql_star_class_equals_python_star_class(stars, potential):
    conn = sqlite3.connect(":memory:")
    sql = cert_status.star_class_sql(":stars", ":potential")
    row = conn.execute(f"SELECT {sql}", {"stars": stars, "potential": potential}).fetchone()
    assert row[0] == cert_status.star_class(stars, potential)


def test_the_rule_at_its_edges():
    at = cert_status.AsOf(date(2026, 12, 2), 90)
    soon = (date(2026, 12, 2) + timedelta(days=90)).isoformat()

    def status(**kw):
        return cert_status.status(at=at, **{"revoked_date": None, **kw})

    assert status(expiry_date="2026-12-01") == "expired"
    assert status(expiry_date="2026-12-02") == "expiring"  # the last day it holds
    assert status(expiry_date=soon) == "expiring"
    assert status(expiry_date="2027-03-03") == "valid"
    assert status(expiry_date=None) == "valid"  # a list that gives only a year
    assert status(expiry_date="2027-06-01", revoked_date="2026-12-02") == "revoked"
    assert status(expiry_date="2027-06-01", revoked_date="2026-12-03") == "valid"
    assert status(expiry_date="2020-01-01", current=False) == "superseded"
    assert cert_status.star_class(4, 1) == "potential_5"
    assert cert_status.star_class(4, 0) == "4"


def test_the_warning_window_is_one_setting_with_bounds(office):
    assert cert_status.warning_days(office.db) == 90
    cert_status.set_warning_days(office.db, 120)
    assert cert_status.as_of(office.db, date(2026, 1, 1)).soon == date(2026, 5, 1)
    with pytest.raises(ValidationError):
        cert_status.set_warning_days(office.db, 7)
    assert cert_status.warning_days(office.db) == 120
