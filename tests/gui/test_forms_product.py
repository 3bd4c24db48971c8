"""Product, recognition and evaluation forms; photos; history; the trash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDialog, QPushButton

from ocop_desktop import attachments, evaluations, producers, products, recognitions
from ocop_desktop.gui.forms import open_record
from ocop_desktop.gui.forms.evaluation import EvaluationForm
from ocop_desktop.gui.forms.product import ProductForm
from ocop_desktop.gui.forms.recognition import RecognitionForm
from ocop_desktop.gui.history import HistoryDialog
from ocop_desktop.gui.trash import TrashDialog
from ocop_desktop.gui.widgets.attachments_view import thumbnail
from tests.gui.forms_helpers import (
    answer_next_dialog,
    choose_popup_row,
    click_button,
    show_form,
    tab_sequence,
    type_text,
)


@pytest.fixture
def producer(office, producer_data):
    return producers.add(office, producer_data)


@pytest.fixture
def product(office, producer):
    return products.add(
        office, {"name": "Mắm tôm Ba Làng", "producer_id": producer, "product_set": 2}
    )


def _photo(path, color="#c0392b"):
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path), "PNG")
    return path


def _pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Giay chung nhan san pham OCOP")
    c.save()
    return path


def _choose(combo: QComboBox, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def _new_product_form(qtbot, office, producer) -> ProductForm:
    """A new product's form with what a product needs typed in."""
    form = show_form(qtbot, ProductForm(office))
    type_text(form.w("name"), "Mắm tôm")
    type_text(form.producer.edit, "dong tien")
    choose_popup_row(form.producer, lambda e: e.data["id"] == producer)
    _choose(form.w("product_set"), 7)
    return form


def test_create_a_product_with_photos_typing_vietnamese(qtbot, office, producer, tmp_path):
    form = show_form(qtbot, ProductForm(office))
    type_text(form.w("name"), "Nước mắm Ba Làng")
    type_text(form.producer.edit, "dong tien")
    choose_popup_row(form.producer, lambda e: e.data["id"] == producer)
    assert form.producer.edit.text() == "Hợp tác xã Đông Tiến"
    combo: QComboBox = form.w("product_set")
    headers = [combo.itemText(i) for i in range(combo.count()) if combo.itemData(i) is None]
    assert headers[1:] == [
        "I. Thực phẩm",
        "II. Đồ uống",
        "III. Dược liệu và sản phẩm từ dược liệu",
        "IV. Hàng thủ công mỹ nghệ",
        "V. Sinh vật cảnh",
        "VI. Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
    ]
    _choose(combo, 7)
    _choose(form.w("stage"), 5)
    type_text(form.w("price"), "150.000")
    type_text(form.w("unit"), "chai 500 ml")
    type_text(form.w("export_markets"), "Nga; Hàn Quốc; Đài Loan")
    type_text(form.w("ecommerce"), "Postmart; Shopee")
    photo = _photo(tmp_path / "chai nước mắm.png")
    copy = tmp_path / "copy.png"
    copy.write_bytes(photo.read_bytes())
    assert form.photos.add_files([photo, copy])
    assert form.photos.count() == 2
    assert not form.photos.list.item(0).icon().isNull()
    QTest.keyClick(form.w("unit"), Qt.Key.Key_Return)

    assert form.result() == QDialog.DialogCode.Accepted
    saved = products.get(office, form.saved_id)
    assert saved["name"] == "Nước mắm Ba Làng"
    assert saved["producer_id"] == producer and saved["product_set"] == 7 and saved["stage"] == 5
    assert saved["price"] == 150000 and saved["unit"] == "chai 500 ml"
    assert saved["export_markets"] == ["Nga", "Hàn Quốc", "Đài Loan"]
    assert saved["commune_code"] == 16171  # follows the producer
    stored = attachments.list_(office, "products", form.saved_id)
    assert len(stored) == 1  # the same picture twice is one attachment, one file
    assert stored[0]["path"].read_bytes() == photo.read_bytes()
    reopened = show_form(qtbot, ProductForm(office, form.saved_id))
    shown = reopened.photos.viewable_copy(reopened.photos.list.item(0))  # what a double-click opens
    assert shown.name == "chai nước mắm.png" and shown.read_bytes() == photo.read_bytes()


def test_a_photo_whose_file_vanished_says_so_when_opened(qtbot, office, producer, tmp_path):
    form = _new_product_form(qtbot, office, producer)
    assert form.photos.add_files([_photo(tmp_path / "ảnh.png")])
    assert form.save()
    for stored in attachments.list_(office, "products", form.saved_id):
        stored["path"].unlink()  # deleted by hand, or lost with a disk
    reopened = show_form(qtbot, ProductForm(office, form.saved_id))
    reopened.photos.open_item(reopened.photos.list.item(0))
    assert not reopened.photos.error.isHidden()
    assert "ảnh.png" in reopened.photos.error.text()
    assert "không còn" in reopened.photos.error.text()


def test_saving_while_another_program_writes_says_so_and_keeps_the_form(qtbot, office, producer):
    from tests.key_helpers import connect

    form = _new_product_form(qtbot, office, producer)
    office.db.conn.execute("PRAGMA busy_timeout = 50")
    other = connect(office.path)
    other.execute("BEGIN IMMEDIATE")  # the CLI importing, say
    try:
        assert not form.save()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert form.isVisible() and form.message.isVisible()
    assert "đang bận" in form.message.text()
    assert products.list_(office) == []
    assert form.save()  # once the other program is done


def test_adding_a_recognition_to_a_new_product_saves_it_first_and_stays(qtbot, office, producer):
    form = _new_product_form(qtbot, office, producer)

    def fill(dialog):
        type_text(dialog.w("decision_no"), "88/QĐ-UBND")
        dialog.w("decision_date").setDate(QDate(2024, 3, 1))
        _choose(dialog.w("stars"), 3)
        assert dialog.save(), dialog.message.text()

    answer_next_dialog(fill)
    form.ui.findChild(QPushButton, "add_recognition").click()
    [saved] = products.list_(office)
    assert form.isVisible() and form.record_id == saved["id"]
    assert form.table_widget.rowCount() == 1
    assert "88/QĐ-UBND" in form.table_widget.item(0, 2).text()


def test_product_form_shows_required_fields_inline(qtbot, office):
    form = show_form(qtbot, ProductForm(office))
    type_text(form.w("name"), "Chiếu cói")
    assert not form.save()
    assert form.error_text("producer_id") == "bắt buộc phải nhập"
    assert office.db.execute("SELECT count(*) FROM products").fetchone()[0] == 0


def test_price_in_vietnamese_decimal_comma_and_a_bad_price(qtbot, office, product):
    form = show_form(qtbot, ProductForm(office, product))
    type_text(form.w("price"), "12,5")
    assert form.save()
    assert products.get(office, product)["price"] == 12.5
    form = show_form(qtbot, ProductForm(office, product))
    assert form.w("price").text() == "12,5"
    form.w("price").setText("mười nghìn")
    assert not form.save()
    assert "mười nghìn" in form.error_text("price")


def test_a_fake_pdf_is_refused_where_it_is_added(qtbot, office, product, tmp_path):
    form = show_form(qtbot, ProductForm(office, product))
    fake = tmp_path / "chung-nhan.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    assert not form.photos.add_files([fake])
    assert "không phải ảnh" in form.photos.error.text() and not form.photos.error.isHidden()
    assert form.photos.count() == 0
    real = _pdf(tmp_path / "chung-nhan-that.pdf")
    assert form.photos.add_files([real])
    assert form.photos.error.isHidden()
    icon = form.photos.list.item(0).icon()
    assert not icon.isNull()
    page = thumbnail(real, "application/pdf")  # page 1 drawn by QtPdf, not a file icon
    assert page is not None and page.height() == 128 and page.width() < 128
    assert form.is_dirty()
    assert form.save()
    assert [a["mime"] for a in attachments.list_(office, "products", product)] == [
        "application/pdf"
    ]


@pytest.mark.today("2026-06-01")
def test_recognition_expiry_is_computed_live_and_saved(qtbot, office, product):
    form = show_form(qtbot, RecognitionForm(office, None, None, product_id=product))
    assert form.product.value() == product
    type_text(form.w("decision_no"), "1114/QĐ-UBND")
    form.w("decision_date").setDate(QDate(2024, 3, 15))
    assert form.expiry.text().startswith("15/03/2027")
    assert form.status.text() == "Còn hiệu lực"
    form.w("decision_date").setDate(QDate(2023, 1, 31))
    assert form.expiry.text().startswith("31/01/2026")
    assert form.status.text() == "Hết hạn"
    form.w("decision_date").setDate(QDate(2024, 2, 29))
    assert form.expiry.text().startswith("28/02/2027")
    type_text(form.w("issuer"), "UBND tỉnh Thanh Hóa")
    type_text(form.w("points"), "72,5")
    assert form.w("stars").itemText(0) == "Theo điểm (4 sao)"
    assert form.save()
    saved = recognitions.get(office, form.saved_id)
    assert saved["stars"] == 4 and saved["points"] == 72.5
    assert saved["expiry_date"] == "2027-02-28"


def test_recognition_stars_above_points_is_shown_under_stars(qtbot, office, product):
    form = show_form(qtbot, RecognitionForm(office, None, None, product_id=product))
    type_text(form.w("decision_no"), "25/QĐ-UBND")
    type_text(form.w("points"), "65")
    _choose(form.w("stars"), 4)
    assert not form.save()
    assert "65 điểm chỉ đạt tối đa 3 sao" in form.error_text("stars")


def test_revoke_a_certificate(qtbot, office, product):
    rid = recognitions.add(
        office,
        {
            "product_id": product,
            "decision_no": "1114/QĐ-UBND",
            "decision_date": "2024-03-15",
            "stars": 3,
        },
    )
    form = show_form(qtbot, RecognitionForm(office, rid))
    assert form.revoke_button.isVisible()

    def fill(dialog):
        type_text(dialog.reason_edit, "Không duy trì chất lượng")
        dialog.accept()

    answer_next_dialog(fill)
    form.revoke()
    saved = recognitions.get(office, rid)
    assert saved["status"] == "revoked" and saved["revoke_reason"] == "Không duy trì chất lượng"
    assert form.status.text() == "Đã thu hồi"
    assert "Không duy trì chất lượng" in form.revocation.text()
    assert not form.revoke_button.isVisible()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("typed", ["25.5", "25,5"])
def test_points_take_either_decimal_sign(qtbot, office, product, lang, typed):
    """'25.5' typed in Vietnamese (or '25,5' in English) was read as 25, silently."""
    from ocop_desktop import i18n

    i18n.set_language(lang)
    try:
        form = show_form(qtbot, EvaluationForm(office, None, None, product_id=product))
        spin = form.w("points_a")
        spin.setFocus()
        spin.lineEdit().selectAll()
        QTest.keyClicks(spin, typed)  # as typed: to the box, which has the focus
        spin.interpretText()
        assert spin.value() == 25.5
    finally:
        i18n.set_language("vi")


def test_evaluation_total_and_stars_follow_the_points(qtbot, office, product):
    form = show_form(qtbot, EvaluationForm(office, None, None, product_id=product))
    assert form.w("points_a").maximum() == 40
    assert form.w("points_b").maximum() == 25
    assert form.w("points_c").maximum() == 35
    _choose(form.w("level"), "province")
    form.w("points_a").setValue(25)
    form.w("points_b").setValue(20)
    assert form.total.text() == "45 / 100"
    assert form.stars.text() == "2 sao – chưa đủ điều kiện công nhận"
    form.w("points_a").setValue(35)
    form.w("points_b").setValue(20.5)
    form.w("points_c").setValue(30)
    assert form.total.text() == "85,5 / 100"
    assert form.stars.text() == "4 sao"
    form.w("points_a").setValue(40)
    form.w("points_b").setValue(25)
    assert form.stars.text() == "5 sao"
    form.w("points_a").setValue(50)  # the spin box stops at the part's maximum
    assert form.w("points_a").value() == 40
    assert not form.save()  # a typed 95 needs who states the minimum requirements are met
    assert evaluations.list_for_product(office, product) == []
    type_text(form.w("minimums_stated_by"), "Lê Văn Sơn")
    assert form.save()
    saved = evaluations.get(office, form.saved_id)
    assert (saved["points"], saved["stars"], saved["level"]) == (95.0, 5, "province")


@pytest.mark.today("2024-06-01")
def test_product_form_lists_certificates_and_opens_a_new_one(qtbot, office, product):
    evaluations.add(
        office,
        {
            "product_id": product,
            "eval_date": "2024-02-01",
            "level": "province",
            "points_a": 30,
            "points_b": 18,
            "points_c": 25,
            "minimums_stated_by": "Lê Văn Sơn",
        },
    )
    form = show_form(qtbot, ProductForm(office, product))
    assert form.table_widget.rowCount() == 1
    assert "73 điểm" in form.table_widget.item(0, 2).text()

    def fill(dialog):
        type_text(dialog.w("decision_no"), "88/QĐ-UBND")
        dialog.w("decision_date").setDate(QDate(2024, 3, 1))
        _choose(dialog.w("stars"), 3)
        if not dialog.save():
            dialog.discard()

    answer_next_dialog(fill)
    form._add_child("recognitions")
    assert form.table_widget.rowCount() == 2
    assert form.table_widget.item(0, 1).text() == "01/03/2024"
    assert "88/QĐ-UBND – 3 sao – Còn hiệu lực" == form.table_widget.item(0, 2).text()

    # Keyboard: Enter on a row opens it (the form stays open), Tab leaves the table.
    opened = []
    answer_next_dialog(
        lambda dialog: (opened.append(dialog.w("decision_no").text()), dialog.discard())
    )
    form.table_widget.setFocus()
    form.table_widget.setCurrentCell(0, 0)
    QTest.keyClick(form.table_widget, Qt.Key.Key_Return)
    assert opened == ["88/QĐ-UBND"]
    assert form.isVisible() and form.result() == 0
    QTest.keyClick(form.table_widget, Qt.Key.Key_Tab)
    assert not form.table_widget.hasFocus()


def test_history_shows_translated_fields(qtbot, office, product):
    products.edit(office, product, {"price": 50000, "unit": "hũ"})
    dialog = HistoryDialog(office, product)
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    assert rows[0][2] == "Tạo mới" and "Tên: Mắm tôm Ba Làng" in rows[0][5]
    assert "Chủ thể: Hợp tác xã Đông Tiến" in rows[0][5]  # a name, not an id
    assert rows[0][1] == "Lê Thị Hoa"
    changed = {r[3]: (r[4], r[5]) for r in rows[1:]}
    assert changed["Giá bán"] == ("", "50.000")
    assert changed["Đơn vị tính"] == ("", "hũ")
    assert rows[0][0][2] == "/" and rows[0][0][5] == "/"  # dd/mm/yyyy hh:mm


def test_history_names_communes_districts_and_product_sets():
    """Not 16159, 401 and 10 with a raw field name."""
    from ocop_desktop.gui.history import field_label, value_text

    assert value_text("legacy_commune_code", 16159) == "Xã Nga Liên (Huyện Nga Sơn)"
    assert field_label("legacy_district_code") == "Huyện (trước 7/2025)"
    assert value_text("legacy_district_code", 401) == "Huyện Nga Sơn"
    assert value_text("product_set", 10).startswith("10 · Gia vị")
    assert value_text("commune_code", 16171) == "Xã Ba Đình"


def test_delete_from_the_form_and_restore_from_the_trash(qtbot, office, product):
    form = show_form(qtbot, ProductForm(office, product))
    asked = answer_next_dialog(click_button("Xóa"))
    form.delete_button.click()
    assert "Mắm tôm Ba Làng" in asked[0]
    assert form.deleted and not form.isVisible()
    assert products.list_(office) == []

    trash = TrashDialog(office)
    qtbot.addWidget(trash)
    trash.show()
    assert trash.table.rowCount() == 1
    assert [trash.table.item(0, c).text() for c in (0, 1, 3)] == [
        "Sản phẩm",
        "Mắm tôm Ba Làng",
        "Lê Thị Hoa",
    ]
    assert trash.restore_button.isEnabled()  # the newest entry is chosen at once
    assert trash.select_label("Mắm tôm Ba Làng")
    trash.restore_button.click()
    assert trash.table.rowCount() == 0
    assert trash.info.text() == "Đã khôi phục “Mắm tôm Ba Làng”."
    assert [p["name"] for p in products.list_(office)] == ["Mắm tôm Ba Làng"]
    assert trash.restored == [product]


def test_restore_refused_while_the_producer_is_in_the_trash(qtbot, office, producer, product):
    products.delete(office, product)
    producers.delete(office, producer)
    trash = TrashDialog(office)
    qtbot.addWidget(trash)
    assert trash.select_label("Mắm tôm Ba Làng")
    trash.restore_selected()
    assert "khôi phục chủ thể trước" in trash.info.text()
    assert trash.table.rowCount() == 2


def test_open_record_returns_the_saved_id(qtbot, office, producer):
    def fill(dialog):
        type_text(dialog.w("name"), "Chiếu cói Nga Sơn")
        dialog.producer.set_value(producer)
        _choose(dialog.w("product_set"), 20)
        if not dialog.save():
            dialog.discard()

    answer_next_dialog(fill)
    new_id = open_record(None, office, "products")
    assert products.get(office, new_id)["name"] == "Chiếu cói Nga Sơn"
    answer_next_dialog(lambda d: d.reject())
    assert open_record(None, office, "products", new_id) is None


def test_a_deleted_evaluation_comes_back_from_the_trash(qtbot, office, product):
    eid = evaluations.add(
        office,
        {
            "product_id": product,
            "eval_date": "2024-02-01",
            "level": "province",
            "points_a": 30,
            "points_b": 18,
            "points_c": 25,
            "minimums_stated_by": "Lê Văn Sơn",
        },
    )
    form = show_form(qtbot, EvaluationForm(office, eid))
    answer_next_dialog(click_button("Xóa"))
    form.delete_button.click()
    assert evaluations.list_for_product(office, product) == []
    trash = TrashDialog(office)
    qtbot.addWidget(trash)
    assert trash.table.item(0, 0).text() == "Đánh giá"
    assert trash.select_label("Mắm tôm Ba Làng – 2024-02-01")
    trash.restore_selected()
    assert [e["id"] for e in evaluations.list_for_product(office, product)] == [eid]


def test_an_imported_product_with_gaps_is_completed_in_the_form(qtbot, office, producer):
    pid = products.add(
        office,
        {"name": "Bánh gai Tứ Trụ", "producer_id": producer, "incomplete": "thiếu bộ sản phẩm"},
        allow_incomplete=True,
    )
    form = show_form(qtbot, ProductForm(office, pid))
    assert "thiếu bộ sản phẩm" in form.message.text()
    type_text(form.w("unit"), "hộp")
    QTest.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    assert form.result() == QDialog.DialogCode.Accepted
    assert products.get(office, pid)["incomplete"] == "thiếu bộ sản phẩm"  # still a gap

    form = show_form(qtbot, ProductForm(office, pid))
    _choose(form.w("product_set"), 1)
    assert form.save()
    saved = products.get(office, pid)
    assert saved["product_set"] == 1 and saved["incomplete"] is None and saved["unit"] == "hộp"


@pytest.mark.parametrize("form_type", [RecognitionForm, EvaluationForm])
def test_tab_order_of_the_certificate_forms(qtbot, office, product, form_type):
    form = show_form(qtbot, form_type(office, None, None, product_id=product))
    assert tab_sequence(form) == list(form.fields)


def test_tab_order_of_the_product_form_general_tab(qtbot, office):
    form = show_form(qtbot, ProductForm(office))
    general = [f for f in form.fields if f not in products.LIST_FIELDS][:9]
    assert tab_sequence(form)[:9] == general


@pytest.mark.parametrize(
    "lang, typed, read",
    [
        ("vi", "150.000", 150000),
        ("vi", "1.250.000,5", 1250000.5),
        ("vi", "12,5", 12.5),
        ("vi", "150,000", "150,000"),  # thousands typed the English way? the core asks
        ("en", "150,000", 150000),
        ("en", "12.5", 12.5),
        ("en", "150.000", "150.000"),  # was read as 150
        ("vi", "0.500", "0.500"),  # no thousands start with 0: the core asks
        ("en", "0,500", "0,500"),
        ("vi", "0,5", 0.5),
    ],
)
def test_prices_are_read_the_language_s_way_or_asked_about(lang, typed, read):
    from ocop_desktop import i18n
    from ocop_desktop.gui.forms.fields import parse_number

    i18n.set_language(lang)
    try:
        assert parse_number(typed) == read
    finally:
        i18n.set_language("vi")
