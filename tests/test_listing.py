"""The lists' queries, as the core answers them without any window: a page of row
ids in order, the count, the rows of a block of ids, and whether a filter keeps a row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ocop_desktop import clock, evaluations, listing
from tests.gui.sample_data import populate


@pytest.fixture
def sample(office):
    populate(office)
    product = office.db.execute("SELECT id FROM products LIMIT 1").fetchone()[0]
    evaluations.add(
        office,
        {
            "product_id": product,
            "eval_date": (clock.today() - timedelta(days=30)).isoformat(),
            "level": "province",
            "points_a": 30,
            "points_b": 20,
            "points_c": 25.5,
            "minimums_stated_by": "Trần Văn Bình, Chủ tịch Hội đồng",
        },
    )
    return office


@pytest.mark.parametrize("name", sorted(listing.LISTS))
def test_every_list_pages_counts_and_reads_its_rows(sample, name):
    lst = listing.LISTS[name]
    query = lst.ids_query(sample, {}, lst.default_order)
    rids = listing.ids(sample, query, limit=1000)
    assert rids and listing.count(sample, query) == len(rids)
    assert listing.count_on_own_connection(sample.path, query) == len(rids)
    assert listing.ids(sample, query, limit=2, offset=1) == rids[1:3]
    keys = [c.key for c in lst.columns]
    rows = listing.rows(sample, lst, rids[:5], keys)
    assert sorted(r[0] for r in rows) == sorted(rids[:5])
    assert all(len(r) == 2 + len(keys) for r in rows)
    record_id = rows[0][1]
    assert listing.rid_of(sample, lst, record_id) == rows[0][0]
    assert listing.selects(sample, query, rows[0][0])
    assert listing.rid_of(sample, lst, "no-such-id") is None


def test_a_filter_keeps_only_its_rows(sample):
    lst = listing.LISTS["products"]
    everything = lst.ids_query(sample, {}, lst.default_order)
    found = lst.ids_query(sample, {"search": "chieu coi"}, lst.default_order)
    kept = listing.ids(sample, found, limit=1000)
    name = lst.columns.index(lst.column("name"))
    names = [r[2 + name] for r in listing.rows(sample, lst, kept, [c.key for c in lst.columns])]
    assert names and all("Chiếu cói" in n for n in names)
    others = set(listing.ids(sample, everything, limit=1000)) - set(kept)
    assert others and not any(listing.selects(sample, found, rid) for rid in others)


def test_a_plan_over_its_steps_says_so(sample):
    lst = listing.LISTS["products"]
    query = lst.ids_query(sample, {}, lst.default_order)
    assert listing.ids(sample, query, limit=1000, steps=0, tick=1) is None
    assert sample.db.execute("SELECT 1").fetchone() == (1,)  # the handler is gone
