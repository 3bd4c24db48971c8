"""After saving, the officer sees the record just saved selected in the list, even
when it sorts after the rows loaded so far."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

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
