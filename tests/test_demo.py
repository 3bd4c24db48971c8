from collections import Counter

import pytest

from ocop_desktop import products
from ocop_desktop.db import integrity_check
from ocop_desktop.demo import generate
from ocop_desktop.store import init_node
from tests.conftest import NGA_SON_COMMUNES


def _names(store):
    return [r[0] for r in store.db.execute("SELECT name FROM producers ORDER BY id")]


def test_demo_is_deterministic_per_seed(tmp_path):
    a = init_node(tmp_path / "a.sqlite", role="office", office="401")
    b = init_node(tmp_path / "b.sqlite", role="office", office="401")
    generate(a, n_products=120, seed=7)
    generate(b, n_products=120, seed=7)
    assert _names(a) == _names(b)
    c = init_node(tmp_path / "c.sqlite", role="office", office="401")
    generate(c, n_products=120, seed=8)
    assert _names(a) != _names(c)


# The demo is drawn around today; its shares are checked for the day they were tuned on.
@pytest.mark.today("2026-11-30")
def test_demo_fills_the_area_with_plausible_records(office):
    counts = generate(office, n_products=2000, seed=3)
    assert counts["products"] == 2000
    assert integrity_check(office.db) == []
    rows = products.list_(office)
    assert {r["commune_code"] for r in rows} == set(NGA_SON_COMMUNES)
    stars = Counter(r["stars"] for r in rows)
    assert 0.82 < stars[3] / 2000 < 0.93
    assert 0.07 < stars[4] / 2000 < 0.16
    assert stars[5] / 2000 < 0.02
    statuses = Counter(r["status"] for r in rows)
    assert statuses["valid"] and statuses["expired"] and statuses["expiring"]
    kinds = dict(office.db.execute("SELECT kind, count(*) FROM producers GROUP BY kind").fetchall())
    assert set(kinds) == {"doanh_nghiep", "hop_tac_xa", "to_hop_tac", "ho_kinh_doanh"}
    prefixes = {
        "doanh_nghiep": ("Công ty", "DNTN"),
        "hop_tac_xa": ("Hợp tác xã",),
        "to_hop_tac": ("Tổ hợp tác",),
        "ho_kinh_doanh": ("Hộ kinh doanh",),
    }
    for kind, name in office.db.execute("SELECT kind, name FROM producers"):
        assert name.startswith(prefixes[kind])
    # Every demo row is a normal synchronised row with its own change number.
    seqs = [r[0] for r in office.db.execute("SELECT seq FROM products")]
    assert len(set(seqs)) == len(seqs)
    assert office.db.execute("SELECT count(*) FROM audit").fetchone()[0] >= 2000


@pytest.mark.parametrize("today", ["2025-07-03", "2026-11-30", "2028-02-29"])
def test_demo_decisions_are_lawful(tmp_path, today):
    """Every demo decision passes the rules a typed one must: issuer of its date's
    level, not before the programme or its producer, not after today, 36 months'
    validity, one date per number of an issuer in a year."""
    from ocop_desktop import authority, clock, recognitions

    clock.pin(today)
    store = init_node(tmp_path / "p.sqlite", role="province", province=38)
    generate(store, n_products=1500, seed=11)
    rows = store.db.execute(
        "SELECT r.decision_no, r.decision_date, r.issuer, r.stars, r.expiry_date, "
        "pr.founded_year FROM recognitions r JOIN products p ON p.id = r.product_id "
        "JOIN producers pr ON pr.id = p.producer_id"
    ).fetchall()
    dates: dict[tuple, set] = {}
    for number, decided, issuer, stars, expiry, founded in rows:
        authority.check_issuer(issuer, decided, stars)
        authority.check_programme_date(decided)
        assert int(decided[:4]) >= founded and decided <= today
        assert expiry in recognitions.expiries_allowed(decided)
        dates.setdefault((number, issuer, decided[:4]), set()).add(decided)
    assert len(rows) > 1500 and all(len(d) == 1 for d in dates.values())
