"""Every list model passes Qt's model tester, on all rows and filtered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ocop_desktop.gui.lazy_model import LazyTableModel
from ocop_desktop.gui.list_specs import SPECS
from ocop_desktop.text import search_key


def _evaluate_every_product(store) -> None:
    """The sample has no evaluations: one for each product, at the province level."""
    from datetime import timedelta

    from ocop_desktop import clock, evaluations

    for (product_id,) in store.db.execute("SELECT id FROM products WHERE deleted = 0").fetchall():
        evaluations.add(
            store,
            {
                "product_id": product_id,
                "eval_date": (clock.today() - timedelta(days=30)).isoformat(),
                "level": "province",
                "points_a": 30,
                "points_b": 18,
                "points_c": 25,
                "minimums_stated_by": "Lê Văn Sơn",
            },
        )


@pytest.mark.parametrize("name", sorted(SPECS))
def test_model_passes_qt_model_tester(qtmodeltester, sample, name):
    if name == "evaluations":
        _evaluate_every_product(sample)
    model = LazyTableModel(sample, SPECS[name])
    model.refresh()
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    # The tester stays connected and checks every reset these cause.
    model.set_filter("search", "dong tien")
    assert 0 < model.rowCount() < 6
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_filter("search", "khong co gi nhu the")
    assert model.rowCount() == 0
    model.set_filter("search", None)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_products_model_reads_rows_on_demand(sample):
    model = LazyTableModel(sample, SPECS["products"])
    model.refresh()
    assert model._cache == {}  # ids only until a row is asked for
    names = [model.display(r, 0) for r in range(model.rowCount())]
    assert names == sorted(names, key=search_key)
    assert "Mắm tôm Ba Làng" in names


def test_a_plan_over_its_steps_gives_way_to_the_next_with_the_same_rows(sample, monkeypatch):
    """Typing a common word: reading the list in name order stops once sorting the
    matches would have been quicker, and the list shows the same rows from them."""
    from ocop_desktop import search

    monkeypatch.setattr(search, "_many", lambda *_a: True)  # read in list order first
    model = LazyTableModel(sample, SPECS["products"])
    model.set_filter("search", "mam")
    in_order, in_order_sql = list(model._rids), model._sql
    assert in_order and "+p.rid IN" in in_order_sql

    monkeypatch.setattr(search, "STEPS_PER_PRODUCT", 0)  # no steps to spare
    monkeypatch.setattr(search, "STEPS_PER_PRODUCER", 0)
    monkeypatch.setattr(LazyTableModel, "TICK", 1)
    model.refresh()
    assert model._rids == in_order
    assert "+p.rid IN" not in model._sql
    assert model.count() == len(in_order)
    assert model.store.db.execute("SELECT 1").fetchone() == (1,)  # the handler is gone


def test_certificate_status_and_filters(sample):
    model = LazyTableModel(sample, SPECS["certificates"])
    model.set_filter("status", "expired")
    assert model.rowCount() == 1
    status_col = [c.key for c in model.spec.columns].index("status")
    assert model.display(0, status_col) == "Hết hạn"
    assert model.display(0, 2) == "Thảm cói xuất khẩu"
    model.set_filter("status", None)
    model.set_filter("stars", 4)
    assert model.rowCount() == 2
    model.set_filter("stars", None)
    model.set_filter("group", "IV")  # handicrafts: the two sedge products
    assert {model.display(r, 2) for r in range(model.rowCount())} == {
        "Chiếu cói Nga Sơn",
        "Thảm cói xuất khẩu",
    }


def test_sorting_happens_in_sql(sample):
    model = LazyTableModel(sample, SPECS["producers"])
    model.refresh()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    names = [model.display(r, 0) for r in range(model.rowCount())]
    assert names[0] == "Tổ hợp tác Cói Nga Sơn"
    assert names[-1] == "Công ty TNHH Mắm Ba Làng"
    model.sort(2, Qt.SortOrder.AscendingOrder)  # by commune: a missing one first
    assert model.display(0, 0) == "Hộ ông Lê Văn Bình"


def test_rows_arrive_in_chunks_and_the_total_is_counted(qtmodeltester, qtbot, sample):
    model = LazyTableModel(sample, SPECS["products"])
    model.CHUNK = 2
    counts = []
    model.countChanged.connect(counts.append)
    model.refresh()
    assert model.rowCount() == 2 and model.canFetchMore()
    assert counts == [6]  # the whole list: counted from an index at once
    model.set_filter("search", "a")
    assert model.rowCount() == 2 and model.total is None  # counted once typing pauses
    matching = model.store.db.execute(
        "SELECT count(*) FROM products p LEFT JOIN producers pr ON pr.id = p.producer_id "
        "WHERE p.deleted = 0 AND (p.name_key LIKE '%a%' OR pr.name_key LIKE '%a%')"
    ).fetchone()[0]
    assert matching > 2
    qtbot.waitUntil(lambda: counts == [6, matching])
    model.set_filter("search", "")
    assert counts == [6, matching, 6]
    model.fetchMore()
    assert model.rowCount() == 4
    qtmodeltester.check(model, force_py=True)  # fetches the rest, checking the inserts
    model.fetch_all()
    assert model.rowCount() == 6 and not model.canFetchMore()
    assert [model.display(r, 0) for r in range(6)] == sorted(
        (model.display(r, 0) for r in range(6)), key=search_key
    )
    # (pytest-qt's tester runs its checks before it notes the end of a reset, so a
    # reset of a model that can fetch more is checked on a fresh model.)
    model = LazyTableModel(sample, SPECS["products"])
    model.CHUNK = 2
    model.set_filter("search", "d")  # short words: tested row by row, still a LIMIT query
    model.fetch_all()
    names = {model.display(r, 0) for r in range(model.rowCount())}
    assert "Bánh gai Đào" in names and "Giò lụa Đông Tiến" in names
    assert model.count() == len(names)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_whole_list_count_leaves_out_the_trash(sample, name):
    from ocop_desktop import evaluations, producers, products, recognitions

    if name == "evaluations":
        _evaluate_every_product(sample)
    service = {
        "producers": producers,
        "products": products,
        "certificates": recognitions,
        "evaluations": evaluations,
    }[name]
    table = SPECS[name].table
    unused = (
        " AND id NOT IN (SELECT producer_id FROM products WHERE producer_id IS NOT NULL)"
        if name == "producers"
        else ""
    )
    first = sample.db.execute(
        f"SELECT id FROM {table} WHERE deleted = 0{unused} LIMIT 1"
    ).fetchone()[0]
    service.delete(sample, first)
    live = sample.db.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
    if table in ("recognitions", "evaluations"):  # a trashed product's leave with it
        products.delete(sample, sample.ids["Mắm tôm Ba Làng"])
        live = sample.db.execute(
            f"SELECT count(*) FROM {table} r JOIN products p ON p.id = r.product_id "
            "WHERE r.deleted = 0 AND p.deleted = 0"
        ).fetchone()[0]
    model = LazyTableModel(sample, SPECS[name])
    counts = []
    model.countChanged.connect(counts.append)
    model.refresh()
    assert counts == [live] and model.total == live
    model.fetch_all()
    assert model.rowCount() == live
