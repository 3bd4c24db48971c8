"""The producer form, driven through its widgets like an officer would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel

from ocop_desktop import producers
from ocop_desktop.gui.forms.producer import ProducerForm
from ocop_desktop.store import init_node
from tests.gui.forms_helpers import (
    answer_next_dialog,
    choose_popup_row,
    click_button,
    show_form,
    tab_sequence,
    type_text,
)


@pytest.fixture
def form(qtbot, office):
    return show_form(qtbot, ProducerForm(office))


def _choose_kind(form, kind: str) -> None:
    combo: QComboBox = form.w("kind")
    combo.setCurrentIndex(combo.findData(kind))


def test_create_a_producer_typing_vietnamese_and_a_legacy_commune(form, office):
    type_text(form.w("name"), "Hợp tác xã Đông Tiến")
    _choose_kind(form, "hop_tac_xa")
    type_text(form.commune.edit, "nga vinh")
    choose_popup_row(form.commune, lambda e: e.data.get("legacy") == 16099)
    assert form.commune.value() == (16171, 16099)
    assert form.commune.edit.text() == "Xã Ba Đình"
    hint = form.commune.hint.text()
    assert "Xã Nga Vịnh" in hint and "Xã Ba Đình" in hint and "Huyện Nga Sơn" in hint
    type_text(form.w("representative"), "Mai Thị Hằng")
    form.w("representative_female").click()
    type_text(form.w("phone"), "0912 345 678")
    type_text(form.w("tax_code"), "2801234567")
    type_text(form.w("workers_total"), "25")
    type_text(form.w("workers_women"), "18")
    QTest.keyClick(form.w("tax_code"), Qt.Key.Key_Return)  # Enter saves

    assert form.result() == QDialog.DialogCode.Accepted
    saved = producers.get(office, form.saved_id)
    assert saved["name"] == "Hợp tác xã Đông Tiến"
    assert saved["kind"] == "hop_tac_xa"
    assert (saved["commune_code"], saved["legacy_commune_code"]) == (16171, 16099)
    assert saved["representative"] == "Mai Thị Hằng" and saved["representative_female"] == 1
    assert saved["phone"] == "0912345678"
    assert (saved["workers_total"], saved["workers_women"]) == (25, 18)


def test_bad_tax_code_shows_inline_and_saves_nothing(form, office):
    type_text(form.w("name"), "Hộ kinh doanh Lê Văn Bắc")
    _choose_kind(form, "ho_kinh_doanh")
    type_text(form.commune.edit, "ba dinh")
    choose_popup_row(form.commune, lambda e: e.data.get("code") == 16171)
    type_text(form.w("tax_code"), "28012345")
    QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S

    assert form.isVisible()
    message = form.error_text("tax_code")
    assert "28012345" in message and "mã số thuế" in message
    assert form.findChild(QLabel, "error_tax_code").isVisible()
    assert office.db.execute("SELECT count(*) FROM producers").fetchone()[0] == 0
    form.w("tax_code").clear()
    type_text(form.w("tax_code"), "2801234567-001")
    assert form.save()
    assert form.error_text("tax_code") == ""


def test_commune_outside_the_area_is_refused_inline(form, office):
    type_text(form.w("name"), "Công ty TNHH Hạc Thành")
    _choose_kind(form, "doanh_nghiep")
    type_text(form.commune.edit, "hac thanh")
    labels = [form.commune.model.item(r).text() for r in range(form.commune.model.rowCount())]
    assert labels and all("ngoài địa bàn" in label for label in labels)
    choose_popup_row(form.commune, lambda e: e.data.get("code") == 14797)
    assert not form.save()
    assert "ngoài địa bàn" in form.error_text("commune_code")
    assert "Huyện Nga Sơn" in form.error_text("commune_code")
    assert office.db.execute("SELECT count(*) FROM producers").fetchone()[0] == 0


def test_typed_commune_not_chosen_is_flagged(form):
    type_text(form.w("name"), "Tổ hợp tác Nga An")
    _choose_kind(form, "to_hop_tac")
    type_text(form.commune.edit, "khong co xa nay")
    form.commune.completer.popup().hide()
    assert not form.save()
    assert form.error_text("commune_code") == "chưa chọn được xã từ danh sách"


def test_a_split_legacy_commune_asks_which_new_commune(qtbot, tmp_path):
    store = init_node(
        tmp_path / "thieu-hoa.sqlite", role="office", office="398", officer="Hà Văn Nam"
    )
    form = show_form(qtbot, ProducerForm(store))
    type_text(form.commune.edit, "thi tran thieu hoa")

    def pick_second(dialog):
        assert "Thị trấn Thiệu Hóa" in dialog.findChildren(type(form.banner))[0].text()
        dialog.list.setCurrentRow(1)
        dialog.accept()

    answer_next_dialog(pick_second)
    choose_popup_row(form.commune, lambda e: e.data.get("legacy") == 15772)
    assert form.commune.value() == (15796, 15772)
    assert "Xã Thiệu Quang" in form.commune.hint.text()
    form.discard()
    store.close()


def test_unsaved_changes_ask_before_closing(qtbot, office, producer_data):
    pid = producers.add(office, producer_data)
    form = show_form(qtbot, ProducerForm(office, pid))
    assert not form.is_dirty()
    type_text(form.w("notes"), "Đã tập huấn năm 2025")
    assert form.is_dirty()

    asked = answer_next_dialog(click_button("Hủy"))
    QTest.keyClick(form.w("name"), Qt.Key.Key_Escape)
    assert asked == ["Bạn đã sửa bản ghi này nhưng chưa lưu. Lưu trước khi đóng?"]
    assert form.isVisible()

    answer_next_dialog(click_button("Lưu"))
    form.close()
    assert not form.isVisible()
    assert form.result() == QDialog.DialogCode.Accepted
    assert producers.get(office, pid)["notes"] == "Đã tập huấn năm 2025"


def test_a_commune_typed_but_not_chosen_counts_as_unsaved(qtbot, office):
    form = show_form(qtbot, ProducerForm(office))
    assert not form.is_dirty()
    type_text(form.commune.edit, "nga")  # Esc now would have lost it without a word
    assert form.is_dirty()


def test_a_product_form_left_with_text_typed_does_not_make_its_producer_unsaved(
    qtbot, office, producer_data
):
    form = show_form(qtbot, ProducerForm(office, producers.add(office, producer_data)))

    def leave(dialog):
        type_text(dialog.producer.edit, "zz")
        dialog.discard()

    answer_next_dialog(leave)
    form.add_product.click()
    assert not form.is_dirty()


def test_discarding_unsaved_changes_keeps_the_record(qtbot, office, producer_data):
    pid = producers.add(office, producer_data)
    form = show_form(qtbot, ProducerForm(office, pid))
    type_text(form.w("village"), "Xóm Đông")
    answer_next_dialog(click_button("Không lưu"))
    form.reject()
    assert not form.isVisible()
    assert producers.get(office, pid)["village"] is None


def test_esc_closes_an_unchanged_form_without_asking(form):
    QTest.keyClick(form.w("name"), Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert not form.isVisible()
    assert form.result() == QDialog.DialogCode.Rejected


def test_duplicate_warning_offers_to_open_the_existing_producer(form, office, producer_data):
    existing = producers.add(office, producer_data)
    type_text(form.w("name"), "hop tac xa dong tien")  # same name, typed without accents
    form.w("name").editingFinished.emit()
    assert not form.banner.isVisible()  # not yet: commune unknown
    type_text(form.commune.edit, "ba dinh")
    choose_popup_row(form.commune, lambda e: e.data.get("code") == 16171)
    assert form.banner.isVisible()
    assert "Hợp tác xã Đông Tiến" in form.banner.text()
    _choose_kind(form, "hop_tac_xa")

    asked = answer_next_dialog(click_button("Mở chủ thể đã có"))
    assert not form.save()
    assert "Hợp tác xã Đông Tiến" in asked[0]
    assert form.open_instead == existing
    assert not form.isVisible()
    assert office.db.execute("SELECT count(*) FROM producers").fetchone()[0] == 1


def test_same_tax_code_warns_and_can_be_saved_anyway(form, office, producer_data):
    producers.add(office, producer_data)
    type_text(form.w("name"), "Chi nhánh HTX Đông Tiến")
    _choose_kind(form, "hop_tac_xa")
    type_text(form.commune.edit, "nga thang")
    choose_popup_row(form.commune, lambda e: e.data.get("code") == 16114)
    type_text(form.w("tax_code"), producer_data["tax_code"])
    form.w("tax_code").editingFinished.emit()
    assert form.banner.isVisible()
    answer_next_dialog(click_button("Vẫn lưu"))
    assert form.save()
    assert office.db.execute("SELECT count(*) FROM producers").fetchone()[0] == 2


def test_tab_visits_the_fields_in_reading_order(form):
    assert tab_sequence(form) == list(form.fields)


def test_tab_out_of_the_commune_takes_the_only_match(form):
    type_text(form.commune.edit, "nga vinh")
    assert form.commune.completer.popup().isVisible()
    QTest.keyClick(form.commune.completer.popup(), Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert form.commune.value() == (16171, 16099)
    assert form.focusWidget() is form.w("village")


@pytest.mark.parametrize("typed", ["nga an", "Xã Nga An"])
def test_tab_out_of_a_commune_typed_in_full_takes_it(form, typed):
    """Today's commune and the pre-2025 one of the same name that became it are two
    lines in the list but one commune."""
    type_text(form.commune.edit, typed)
    QTest.keyClick(form.commune.completer.popup(), Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert form.commune.value() == (16144, None)


def test_editing_other_fields_of_a_known_duplicate_does_not_ask_again(qtbot, office, producer_data):
    first = producers.add(office, producer_data)
    second = producers.add(office, producer_data | {"tax_code": None})
    form = show_form(qtbot, ProducerForm(office, second))
    assert form.banner.isVisible()  # still shown, as information
    type_text(form.w("village"), "Xóm Nam")
    assert form.save()  # no question: name, tax code and commune did not change
    assert producers.get(office, second)["village"] == "Xóm Nam"
    assert producers.get(office, first)["village"] is None


def test_after_a_refused_save_the_message_follows_the_edits(form):
    type_text(form.w("name"), "Hộ kinh doanh Trịnh Văn Đức")
    _choose_kind(form, "ho_kinh_doanh")
    form.commune.set_value(16144)
    type_text(form.w("phone"), "09123")
    assert not form.save()
    assert "09123" in form.error_text("phone")
    type_text(form.w("phone"), "45678")
    form.w("phone").editingFinished.emit()
    assert form.error_text("phone") == ""
    assert form.save()


def test_the_producer_form_lists_and_adds_its_products(qtbot, office, producer_data):
    from ocop_desktop import products

    pid = producers.add(office, producer_data)
    products.add(office, {"name": "Mắm tôm Ba Làng", "producer_id": pid, "product_set": 2})
    form = show_form(qtbot, ProducerForm(office, pid))
    assert [form.products_list.item(i).text() for i in range(form.products_list.count())] == [
        "Mắm tôm Ba Làng – Chưa công nhận"
    ]

    def new_product(product_form):
        assert product_form.producer.value() == pid  # the producer is filled in
        type_text(product_form.w("name"), "Nước mắm Đông Tiến")
        product_form.w("product_set").setCurrentIndex(product_form.w("product_set").findData(7))
        if not product_form.save():
            product_form.discard()

    answer_next_dialog(new_product)
    form.add_product.click()
    assert form.products_list.count() == 2
    assert not form.is_dirty()


def test_adding_a_product_to_a_new_producer_saves_it_first_and_stays(form, office):
    """Once meant three trips: save (the form closed), find it again, reopen it."""
    assert form.add_product.isEnabled()
    assert form.products_hint.text() == "Thêm sản phẩm sẽ lưu chủ thể trước."
    form.add_product.click()  # nothing typed yet: the form says what is missing
    assert producers.list_(office) == [] and form.isVisible()
    assert form.error_text("name") == "bắt buộc phải nhập"

    type_text(form.w("name"), "Hợp tác xã Đông Tiến")
    _choose_kind(form, "hop_tac_xa")
    type_text(form.commune.edit, "nga vinh")
    choose_popup_row(form.commune, lambda e: e.data.get("legacy") == 16099)
    seen = []

    def add_product(dialog):
        seen.append(dialog.producer.value())
        type_text(dialog.w("name"), "Chiếu cói")
        dialog.w("product_set").setCurrentIndex(dialog.w("product_set").findData(7))
        assert dialog.save(), dialog.message.text()

    answer_next_dialog(add_product)
    form.add_product.click()
    [saved] = producers.list_(office)
    assert seen == [saved["id"]]  # the product form came with its producer
    assert form.isVisible() and form.record_id == saved["id"]
    assert [form.products_list.item(i).text() for i in range(form.products_list.count())]
    assert not form.is_dirty()
