"""The lists as a person uses them: typing to filter, combos, sorting, copying, opening."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.typing import type_text


def rows(page) -> list[str]:
    return [page.model.display(r, 0) for r in range(page.model.rowCount())]


def test_typing_without_diacritics_finds_vietnamese_names(qtbot, window):
    page = window.show_page("products")
    assert page.count_label.text() == "6 sản phẩm"
    qtbot.keyClicks(page.filter_edit, "mam tom")
    assert rows(page) == ["Mắm tôm Ba Làng"]
    assert page.count_label.text() == "1 sản phẩm"
    page.filter_edit.clear()
    qtbot.keyClicks(page.filter_edit, "dong tien")  # đ typed as d; finds by producer too
    assert rows(page) == ["Giò lụa Đông Tiến", "Nước mắm Đông Tiến"]


def test_typing_with_diacritics_finds_the_same(qtbot, window):
    page = window.show_page("producers")
    type_text(page.filter_edit, "Đông Tiến")
    assert page.filter_edit.text() == "Đông Tiến"
    assert rows(page) == ["Hợp tác xã Đông Tiến"]


def test_escape_clears_the_filter_and_ctrl_f_focuses_it(qtbot, window):
    page = window.show_page("products")
    window.activateWindow()
    qtbot.keyClicks(page.filter_edit, "coi")
    assert len(rows(page)) == 2
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""
    assert len(rows(page)) == 6
    page.view.setFocus()
    window.find()
    assert QApplication.focusWidget() is page.filter_edit


def test_filter_combos(window):
    page = window.show_page("products")
    page.set_combo("commune", 16114)  # Xã Nga Thắng: the sedge group
    assert sorted(rows(page)) == ["Chiếu cói Nga Sơn", "Thảm cói xuất khẩu"]
    assert page.combos["commune"].currentText() == "Xã Nga Thắng (Huyện Nga Sơn)"
    page.set_combo("stars", 4)
    assert rows(page) == ["Thảm cói xuất khẩu"]
    page.set_combo("commune", None)
    page.set_combo("stars", None)
    page.set_combo("status", "none")
    assert rows(page) == ["Bánh gai Đào"]
    page.set_combo("status", None)
    page.set_combo("set", "set:9")
    assert rows(page) == ["Mắm tôm Ba Làng", "Nước mắm Đông Tiến"]
    page.set_combo("set", "group:IV")
    assert len(rows(page)) == 2
    producers = window.show_page("producers")
    producers.set_combo("kind", "hop_tac_xa")
    assert rows(producers) == ["Hợp tác xã Đông Tiến"]
    certificates = window.show_page("certificates").certificates
    certificates.set_combo("status", "expiring")
    assert [certificates.model.display(r, 2) for r in range(certificates.model.rowCount())] == [
        "Nước mắm Đông Tiến"
    ]


def test_clicking_a_header_sorts(qtbot, window):
    page = window.show_page("products")
    header = page.view.horizontalHeader()
    stars = [c.key for c in page.spec.columns].index("stars")
    header.setSortIndicator(stars, Qt.SortOrder.DescendingOrder)
    assert page.model.order == "c.stars DESC"
    assert page.model.display(0, stars) == "4 ★"
    assert page.model.display(page.model.rowCount() - 1, stars) == ""


def test_copy_selected_cells_as_tab_separated_text(qtbot, window):
    page = window.show_page("products")
    model = page.model
    sel = page.view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select
    for col in (0, 1):
        for row in (0, 1):
            sel.select(model.index(row, col), flags)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        "Bánh gai Đào\tHộ kinh doanh Nguyễn Thị Đào\nChiếu cói Nga Sơn\tTổ hợp tác Cói Nga Sơn"
    )


def test_select_all_then_copy_takes_every_row_not_only_those_loaded(qtbot, window):
    page = window.show_page("products")
    page.model.CHUNK = 2  # as at 100,000 products: a screenful loaded, the rest later
    page.model.refresh()
    assert page.model.rowCount() == 2 and page.model.canFetchMore()
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == page.model.count() == 6


def test_column_chooser_hides_and_remembers(qtbot, window, sample):
    from ocop_desktop.gui.list_page import ListPage
    from ocop_desktop.gui.list_specs import SPECS

    page = window.show_page("products")
    header = page.view.horizontalHeader()
    menu = page._fill_columns_menu()
    price = [c.key for c in page.spec.columns].index("price")
    assert header.isSectionHidden(price)
    menu.actions()[price].setChecked(True)
    assert not header.isSectionHidden(price)
    menu.actions()[1].setChecked(False)  # producer
    assert header.isSectionHidden(1)
    again = ListPage(sample, SPECS["products"])
    qtbot.addWidget(again)
    assert again.view.horizontalHeader().isSectionHidden(1)
    assert not again.view.horizontalHeader().isSectionHidden(price)


def test_enter_and_double_click_open_the_record(qtbot, window, opened, sample):
    page = window.show_page("products")
    qtbot.keyClicks(page.filter_edit, "mam tom")
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Return)  # one match: opens it
    assert opened == [("products", sample.ids["Mắm tôm Ba Làng"])]
    page.filter_edit.clear()
    page.view.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened[-1] == ("products", sample.ids["Chiếu cói Nga Sơn"])
    rect = page.view.visualRect(page.model.index(2, 1))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened[-1] == ("products", sample.ids["Giò lụa Đông Tiến"])
    window.show_page("certificates")
    window.new_record()  # Ctrl+N opens a new record of the list's type
    assert opened[-1] == ("recognitions", None)


def test_delete_moves_to_trash_and_the_list_follows(window, sample, answers):
    from ocop_desktop import trash

    page = window.show_page("products")
    page.view.setCurrentIndex(page.model.index(0, 0))  # Bánh gai Đào
    page.delete_selected()
    assert "Bánh gai Đào" not in rows(page)
    assert [t["label"] for t in trash.list_(sample)] == ["Bánh gai Đào"]
    trash.restore(sample, sample.ids["Bánh gai Đào"])
    window.refresh_current()
    assert "Bánh gai Đào" in rows(page)


def test_a_change_on_one_page_shows_on_the_others(window, sample, monkeypatch):
    from ocop_desktop import producers

    overview = window.show_page("overview")
    before = [w.text() for w in overview.findChildren(QLabel, "cardValue")]
    page = window.show_page("producers")
    added = producers.add(
        sample, {"name": "Hộ bà Trịnh Thị Gấm", "kind": "ho_kinh_doanh", "commune_code": 16171}
    )
    page.refresh(added)
    page.changed.emit()  # as after a form saved
    assert page.model.record_id(page.view.currentIndex().row()) == added
    overview = window.show_page("overview")
    after = [w.text() for w in overview.findChildren(QLabel, "cardValue")]
    assert before[1] == "5" and after[1] == "6"  # producers card


def test_keyboard_shortcuts_and_tab_order(qtbot, window, opened):
    window.show_page("certificates")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.page("certificates").certificates
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.filter_edit
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.combos["commune"]  # then the filters, in order
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [("recognitions", None)]
    window.show_page("overview")
    qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened[-1] == ("products", None)  # from the overview: a new product


def test_evaluations_tab_lists_filters_and_opens_evaluations(qtbot, window, sample, opened):
    from datetime import timedelta

    from ocop_desktop import clock, evaluations

    def add(product, level, a, b, c, days_ago):
        return evaluations.add(
            sample,
            {
                "product_id": sample.ids[product],
                "eval_date": (clock.today() - timedelta(days=days_ago)).isoformat(),
                "level": level,
                "points_a": a,
                "points_b": b,
                "points_c": c,
                "minimums_stated_by": "Lê Văn Sơn",
            },
        )

    gio = add("Giò lụa Đông Tiến", "province", 30, 20, 25, 10)  # 75 points: 4 stars
    add("Chiếu cói Nga Sơn", "commune", 20, 15, 20, 40)  # 55 points: 3 stars
    page = window.show_page("certificates")
    assert [page.tabText(i) for i in range(page.count())] == [
        "Chứng nhận",
        "Đánh giá",
        "Đợt đánh giá",
    ]
    page.setCurrentWidget(page.evaluations)
    lst = page.evaluations
    assert window.current_list() is lst
    qtbot.waitUntil(lst.is_ready)
    assert [lst.model.display(r, 1) for r in range(lst.model.rowCount())] == [
        "Giò lụa Đông Tiến",
        "Chiếu cói Nga Sơn",
    ]  # newest first
    assert lst.model.display(0, 6) == "4 ★" and lst.count_label.text() == "2 lần đánh giá"
    lst.filter_edit.setText("gio lua dong tien")  # typed without diacritics
    assert lst.model.rowCount() == 1 and lst.model.record_id(0) == gio
    lst.filter_edit.clear()
    lst.set_combo("level", "commune")
    assert [lst.model.display(r, 1) for r in range(lst.model.rowCount())] == ["Chiếu cói Nga Sơn"]
    lst.set_combo("level", None)
    lst.open_row(0)
    assert opened[-1] == ("evaluations", gio)
    window.new_record()  # Ctrl+N on this tab: a new evaluation
    assert opened[-1] == ("evaluations", None)
    page.setCurrentWidget(page.certificates)
    window.new_record()
    assert opened[-1] == ("recognitions", None)


def test_the_evaluations_tab_stays_in_front_when_the_language_changes(window):
    page = window.show_page("certificates")
    page.setCurrentWidget(page.evaluations)
    window.set_language("en")
    page = window.show_page("certificates")
    assert page.current() is page.evaluations
    assert page.tabText(1) == "Evaluations"
    window.set_language("vi")
    assert window.show_page("certificates").tabText(1) == "Đánh giá"
