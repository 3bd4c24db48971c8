"""The whole path a new user takes, through the main window and the forms:
a producer, its product, a certificate, finding them without accents, the
trash and back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox

from ocop_desktop import products
from tests.gui.forms_helpers import answer_next_dialog, choose_popup_row, type_text


def _rows(page) -> list[str]:
    return [page.model.display(r, 0) for r in range(page.model.rowCount())]


def _choose(combo: QComboBox, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def _must_save(form) -> None:
    if not form.save():
        message = form.message.text() or repr({f: form.error_text(f) for f in form.fields})
        form.discard()
        raise AssertionError(message)


@pytest.mark.today("2026-11-30")
def test_producer_product_certificate_find_and_trash(qtbot, window, sample):
    producers_page = window.show_page("producers")

    def new_producer(form):
        type_text(form.w("name"), "Hợp tác xã Mây tre đan Nga Thắng")
        _choose(form.w("kind"), "hop_tac_xa")
        type_text(form.commune.edit, "nga thang")
        choose_popup_row(form.commune, lambda e: e.data.get("code") == 16114)
        type_text(form.w("representative"), "Phạm Thị Duyên")
        _must_save(form)

    answer_next_dialog(new_producer)
    producers_page.new_record()
    producers_page.filter_edit.setText("may tre")
    assert _rows(producers_page) == ["Hợp tác xã Mây tre đan Nga Thắng"]

    products_page = window.show_page("products")

    def new_product(form):
        type_text(form.w("name"), "Giỏ mây đan thủ công")
        type_text(form.producer.edit, "may tre dan")
        choose_popup_row(form.producer, lambda e: True)
        _choose(form.w("product_set"), 20)
        _must_save(form)

    answer_next_dialog(new_product)
    products_page.new_record()
    products_page.filter_edit.setText("gio may")
    assert _rows(products_page) == ["Giỏ mây đan thủ công"]

    def add_certificate(product_form):
        def new_recognition(form):
            type_text(form.w("decision_no"), "2051/QĐ-UBND")
            form.w("decision_date").setDate(QDate(2025, 9, 12))
            _choose(form.w("stars"), 3)
            _must_save(form)

        answer_next_dialog(new_recognition)
        product_form._add_child("recognitions")
        assert product_form.table_widget.rowCount() == 1
        product_form.discard()

    answer_next_dialog(add_certificate)
    products_page.open_row(0)
    row = [products_page.model.display(0, c) for c in range(products_page.model.columnCount())]
    assert "Còn hiệu lực" in row and "12/09/2028" in row

    (product_id,) = [p["id"] for p in products.list_(sample, search="gio may")]

    def delete_it(form):
        answer_next_dialog(lambda box: next(b for b in box.buttons() if b.text() == "Xóa").click())
        form.delete()

    answer_next_dialog(delete_it)
    products_page.open_row(0)
    assert _rows(products_page) == []

    def restore_it(trash):
        assert trash.select_label("Giỏ mây đan thủ công")
        trash.restore_selected()
        trash.accept()

    answer_next_dialog(restore_it)
    window.open_trash()
    assert _rows(products_page) == ["Giỏ mây đan thủ công"]
    assert products.get(sample, product_id)["producer_id"]
