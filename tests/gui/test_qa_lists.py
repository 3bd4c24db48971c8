"""After saving, the officer sees the record just saved selected in the list, even
when it sorts after the rows loaded so far."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from ocop_desktop.gui.lazy_model import LazyTableModel
from ocop_desktop.gui.list_specs import SPECS
from tests.gui.forms_helpers import answer_next_dialog, choose_popup_row, type_text


@pytest.fixture
def demo(tmp_path):
    from ocop_desktop.gui.setup_dialog import make_demo

    store = make_demo(tmp_path / "ocop-demo.sqlite", products=700)
    yield store
    store.close()


@pytest.fixture
def demo_window(qtbot, demo, answers):
    from ocop_desktop.gui.main_window import MainWindow

    w = MainWindow(demo)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def test_new_producer_sorting_last_is_selected_after_enter_saves(qtbot, demo_window):
    page = demo_window.show_page("producers")
    assert page.model.canFetchMore()  # the list holds more producers than it loaded

    def fill(form):
        type_text(form.w("name"), "Tổ hợp tác Ươm tơ Xuân Vinh")  # "Tổ …" sorts near the end
        form.w("kind").setCurrentIndex(form.w("kind").findData("to_hop_tac"))
        type_text(form.commune.edit, "nga son")
        choose_popup_row(form.commune, lambda e: True)
        QTest.keyClick(form.w("representative"), Qt.Key.Key_Return)  # Enter saves

    answer_next_dialog(fill)
    QTest.keyClick(demo_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.view.currentIndex().isValid())
    row = page.view.currentIndex().row()
    assert row >= LazyTableModel.CHUNK
    assert page.model.display(row, 0) == "Tổ hợp tác Ươm tơ Xuân Vinh"


def test_a_record_the_filter_leaves_out_loads_nothing_more(demo):
    model = LazyTableModel(demo, SPECS["products"])
    model.filters["stars"] = 3
    model.refresh()
    loaded = model.rowCount()
    assert model.canFetchMore()
    other = demo.db.execute(
        "SELECT p.id FROM products p JOIN current_recognition c ON c.product_id = p.id "
        "WHERE c.stars = 4 AND p.deleted = 0"
    ).fetchone()[0]
    assert model.row_of(other) == -1
    assert model.rowCount() == loaded


@pytest.fixture(params=["vi", "en"])
def window_in(request, qtbot, sample, answers):
    from ocop_desktop import i18n
    from ocop_desktop.gui.main_window import MainWindow

    i18n.set_language(request.param)
    w = MainWindow(sample)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    i18n.set_language("vi")


@pytest.mark.parametrize("name", ["producers", "products", "certificates", "evaluations"])
def test_filters_read_whole_and_columns_fit_1366_pixels(qtbot, window_in, name):
    if name in ("certificates", "evaluations"):  # the two tabs of one page
        tabs = window_in.show_page("certificates")
        tabs.setCurrentWidget(tabs.lists[name])
        page = tabs.lists[name]
    else:
        page = window_in.show_page(name)
    qtbot.waitUntil(page.is_ready)
    for combo in page.combos.values():
        text = combo.itemText(0)  # "All groups and sets" was cut to "All groups and set"
        room = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            _combo_option(combo),
            QStyle.SubControl.SC_ComboBoxEditField,
            combo,
        )
        assert combo.fontMetrics().horizontalAdvance(text) <= room.width(), text
    assert page.view.horizontalScrollBar().maximum() == 0  # no column cut at the right


def _combo_option(combo):
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return option


def test_navigation_keeps_its_width_from_page_to_page(qtbot, window_in):
    widths = set()
    for name in ("overview", "producers", "products", "certificates", "reports", "settings"):
        window_in.show_page(name)
        qtbot.wait(10)
        widths.add(window_in.nav.width())
    assert len(widths) == 1, widths  # it jumped by 60 pixels on the product list
