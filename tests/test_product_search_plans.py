"""The list search gives the same rows whichever plan it picks (few or many matches)."""

from __future__ import annotations

import pytest

from ocop_desktop import evaluations, products, recognitions, search
from ocop_desktop.demo import generate
from ocop_desktop.text import search_key


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from ocop_desktop.store import init_node

    store = init_node(tmp_path_factory.mktemp("demo") / "demo.sqlite", role="office", office="401")
    generate(store, n_products=600, seed=3)
    yield store
    store.close()


def product_rids(store, text, **options) -> list[int]:
    sql, params = products.query(store, columns="p.rid", search=text, **options)
    return [r[0] for r in store.db.execute(sql, params).fetchall()]


def certificate_rids(store, text) -> list[int]:
    sql, params = recognitions.query(store, columns="r.rid", search=text)
    return [r[0] for r in store.db.execute(sql, params).fetchall()]


@pytest.mark.parametrize("text", ["mam", "hop tac", "dong tien", "Nga Sơn", "xyzq", "m", "ba l"])
def test_every_plan_finds_the_same_rows_in_order(demo, monkeypatch, text):
    rows = demo.db.execute(
        "SELECT p.rid, p.name_key, coalesce(pr.name_key, '') FROM products p "
        "LEFT JOIN producers pr ON pr.id = p.producer_id WHERE p.deleted = 0 "
        "ORDER BY p.name_key, p.rid"
    ).fetchall()
    words = search_key(text).split()
    wanted = [
        rid
        for rid, own, maker in rows
        if all(w in own for w in words) or all(w in maker for w in words)
    ]
    certificates = []
    # Few matches on both sides, many on both, and many on one side only.
    for many_in in ((), ("products", "producers"), ("products",), ("producers",)):

        def many(db, sub, params, _tables=many_in):
            return any(f"FROM {t}_fts" in sub for t in _tables)

        monkeypatch.setattr(search, "_many", many)
        assert product_rids(demo, text) == wanted, many_in
        assert product_rids(demo, text, search_from_matches=True) == wanted, many_in
        certificates.append(certificate_rids(demo, text))
    assert all(c == certificates[0] for c in certificates)
    assert (len(wanted) > 0) == (text != "xyzq")


def _plan(store, sql, params=()) -> str:
    return " | ".join(r[3] for r in store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_lists_and_overview_figures_read_indexes_not_rows_one_by_one(demo):
    """At 100,000 products these plans are the difference between 1 ms and 200 ms."""
    from ocop_desktop import producers

    def count(sql: str) -> str:  # as the lists count their rows
        return f"SELECT count(*) FROM ({sql.rsplit(' ORDER BY ', 1)[0]})"

    # First screenfuls: read in list order from the name index, not every row sorted.
    for sql, params in (
        producers.query(demo, columns="rid"),
        products.query(demo, columns="p.rid"),
        products.query(demo, columns="p.rid", kind="hop_tac_xa"),
        evaluations.query(demo, columns="e.rid"),
    ):
        assert "TEMP B-TREE FOR ORDER BY" not in _plan(demo, sql, params), sql
    # The whole lists in name order from the live rows' own index, without reading a
    # row: on an encrypted file every row page read is a page decrypted.
    for sql, params, index in (
        (*producers.query(demo, columns="rid"), "producers_live_name"),
        (*products.query(demo, columns="p.rid"), "products_live_name"),
        (*products.query(demo, columns="p.rid", order="p.name_key DESC"), "products_live_name"),
    ):
        assert f"COVERING INDEX {index}" in _plan(demo, sql, params), sql
        assert f"COVERING INDEX {index}" in _plan(demo, count(sql), params), sql
    # A filter starts from its own index, and another order never walks the name
    # index to read every row (four times a plain scan).
    commune = demo.db.execute("SELECT commune_code FROM products LIMIT 1").fetchone()[0]
    sql, params = products.query(demo, columns="p.rid", commune=commune)
    assert "INDEX products_commune (commune_code=?)" in _plan(demo, sql, params)
    for order in ("c.stars DESC", "p.updated_at DESC", "pr.name_key"):
        sql, params = products.query(demo, columns="p.rid", order=order)
        assert "live_name" not in _plan(demo, sql, params), order
    sql, params = producers.query(demo, columns="rid", order="updated_at DESC")
    assert "live_name" not in _plan(demo, sql, params)
    # The certificate list reads the recognitions table itself, or an index that holds
    # all it needs (the year's decisions, schema 9), never an index that sends it to
    # each row in turn; filtered by status too.
    for status in (None, "valid", "revoked", "superseded"):
        sql, params = recognitions.query(demo, columns="r.rid", status=status)
        for plan in (_plan(demo, sql, params), _plan(demo, count(sql), params)):
            first = plan.split(" | ")[0]
            assert first in ("SCAN r", "SCAN r USING COVERING INDEX recognitions_year"), plan
    # The overview's figures, each from one index.
    assert "COVERING INDEX producers_kind" in _plan(
        demo, "SELECT kind, count(*) FROM producers WHERE deleted = 0 GROUP BY kind"
    )
    assert "COVERING INDEX current_recognition_class" in _plan(
        demo,
        "SELECT stars, potential_5, count(*) FROM current_recognition "
        "WHERE revoked = 0 AND expiry_date >= '2026-01-01' GROUP BY 1, 2",
    )
    # "USING INDEX", or "USING COVERING INDEX" from SQLite 3.51 on (SQLCipher's build).
    assert "INDEX recognitions_new (decision_date>? AND decision_date<?)" in _plan(
        demo,
        "SELECT count(*) FROM recognitions r WHERE r.deleted = 0 AND r.kind = 'new' "
        "AND r.decision_date BETWEEN '2026-01-01' AND '2026-12-31'",
    )


def test_plan_counts_are_kept_only_a_few_seconds(demo, monkeypatch):
    """A count taken before an import must not steer keystrokes after it."""
    import time

    sub, params = search.match_ids("products", "mam")
    true_count = search._count(demo.db, sub, params, 10_000)
    search._counts[demo.db][(sub, tuple(params))] = (0, 10_000, time.monotonic())
    assert search._count(demo.db, sub, params, 10_000) == 0  # just taken: kept
    later = time.monotonic() + search.COUNTS_KEPT_S + 1
    monkeypatch.setattr(search.time, "monotonic", lambda: later)
    assert search._count(demo.db, sub, params, 10_000) == true_count > 0


def test_the_summary_counts_the_year_from_its_indexes(demo):
    """The year's results read that year's entries of two indexes (schema 9), not
    every decision: the summary's condition must be written as the index is."""
    from datetime import date

    from ocop_desktop import cert_status, summary

    scope = summary.resolve_scope(demo)
    source = summary._source(demo, scope, cert_status.as_of(demo.db, date(2026, 6, 30)), None)
    summary._scoped(demo, source)
    try:
        params = {"start": "2026-01-01", "end": "2026-06-30", "year": "2026"}
        plan = _plan(demo, summary._YEAR_SQL, params)
    finally:
        demo.db.execute(f"DROP TABLE {summary._SCOPED}")
    assert "COVERING INDEX recognitions_year (<expr>=? AND decision_date>? AND" in plan
    assert "COVERING INDEX recognitions_revoked (revoked_date>? AND" in plan
    assert "SCAN r" not in plan
