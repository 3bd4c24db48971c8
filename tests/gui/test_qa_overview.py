"""The overview at the province: every commune bar keeps its name, and the charts
print counts the way the rest of the app does (vi 1.371, en 1,371)."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QChartView, QValueAxis

from ocop_desktop import demo, i18n
from ocop_desktop.gui.pages.overview import CHART_BARS, OverviewPage, _nice_max, _tick_count
from ocop_desktop.store import init_node


@pytest.fixture(scope="module")
def province_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("province") / "ocop.sqlite"
    store = init_node(path, role="province", province=38, officer="Nguyễn Văn An")
    demo.generate(store, n_products=1600)
    store.close()
    return path


@pytest.fixture
def province(province_path):
    from ocop_desktop.store import open_store

    store = open_store(province_path)
    yield store
    store.close()
    i18n.set_language("vi")


def _charts(page):
    return {view.chart().title(): view.chart() for view in page.findChildren(QChartView)}


def test_commune_chart_shows_only_as_many_communes_as_have_room_for_their_names(qtbot, province):
    page = OverviewPage(province)
    qtbot.addWidget(page)
    chart = _charts(page)[i18n.tr("overview.chart.communes")]
    (axis,) = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    assert len(axis.categories()) == CHART_BARS <= 8
    assert all(name.startswith(("Xã", "Phường", "Thị trấn")) for name in axis.categories())


@pytest.mark.parametrize(("lang", "text"), [("vi", "1.371"), ("en", "1,371")])
def test_chart_counts_follow_the_language(qtbot, province, lang, text):
    i18n.set_language(lang)
    page = OverviewPage(province)
    qtbot.addWidget(page)
    for chart in _charts(page).values():
        assert chart.localizeNumbers()
        assert chart.locale().toString(1371) == text
        (counts,) = [a for a in chart.axes() if isinstance(a, QValueAxis)]
        assert counts.labelFormat() != "%d"  # a localised chart draws no "%d" labels


def test_axis_leaves_room_for_the_count_after_the_longest_bar():
    for value in (4, 24, 81, 268, 1371, 45_000):
        top = _nice_max(value)
        assert top >= value * 1.1
        assert top <= value * 2.5 or value <= 5
        step = top / (_tick_count(top) - 1)
        assert step == int(step)


@pytest.mark.parametrize(("lang", "food"), [("vi", "Thực phẩm"), ("en", "Food")])
def test_group_names_follow_the_language(qtbot, province, lang, food):
    from ocop_desktop.gui.list_page import ListPage
    from ocop_desktop.gui.list_specs import SPECS

    i18n.set_language(lang)
    page = OverviewPage(province)
    qtbot.addWidget(page)
    chart = _charts(page)[i18n.tr("overview.chart.groups")]
    (axis,) = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    assert food in axis.categories()
    products = ListPage(province, SPECS["products"])
    qtbot.addWidget(products)
    combo = products.combos["set"]
    assert combo.itemText(combo.findData("group:I")) == f"I. {food}"
