"""The scoring sheet dialog, alone and from the evaluation form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QRadioButton

from ocop_desktop import evaluations, i18n, producers, products, rubric
from ocop_desktop.gui.forms.evaluation import EvaluationForm
from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog
from tests.gui.forms_helpers import answer_next_dialog, show_form


def best(sheet: rubric.Sheet) -> dict[str, int]:
    return {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria}


@pytest.fixture
def product(office, producer_data):
    producer = producers.add(office, producer_data)
    return products.add(
        office, {"name": "Gạo Nàng Hương Nga Sơn", "producer_id": producer, "product_set": 1}
    )


def _dialog(qtbot, choices=None) -> ScoringSheetDialog:
    dialog = ScoringSheetDialog(rubric.sheet(1), choices, product_name="Gạo Nàng Hương")
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    return dialog


def _choose(dialog: ScoringSheetDialog, choices: dict[str, int]) -> None:
    for key, option in choices.items():
        dialog.buttons[(key, option)].click()


def test_choosing_options_updates_the_totals_and_the_stars_with_the_cap(qtbot):
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Phiếu chấm điểm – Gạo Nàng Hương"
    assert "Phần A: 0/40" in dialog.totals.text()
    assert dialog.notes.text().startswith("Còn 32 tiêu chí chưa chọn")
    # The minimum requirement marks sit beside their options.
    a2 = dialog.findChild(type(dialog.scroll.widget()), "criterion_A2")
    texts = [label.text() for label in a2.findChildren(QLabel)]
    assert "≥5★" in texts and "3 điểm" in texts
    assert any(t.startswith("A2. b) Gia tăng giá trị") for t in texts)

    sheet = rubric.sheet(1)
    _choose(dialog, best(sheet))
    assert dialog.totals.text() == "Phần A: 40/40   Phần B: 25/25   Phần C: 35/35   Tổng: 100/100"
    assert dialog.stars.text() == "Hạng: 5 sao"
    assert dialog.notes.isHidden()

    _choose(dialog, {"A2": 2})  # machines, not advanced technology: 2 of 3 points
    assert "Tổng: 99/100" in dialog.totals.text()
    assert dialog.stars.text() == "Hạng: 4 sao"
    reason = dialog.notes.text()
    assert reason.startswith(
        "Theo điểm được 5 sao, nhưng chưa đạt yêu cầu tối thiểu của hạng 5 sao"
    )
    assert "A2 b) Gia tăng giá trị cần «Ứng dụng công nghệ tiên tiến" in reason


def test_keyboard_arrows_choose_tab_moves_on_enter_moves_on_esc_cancels(qtbot):
    dialog = _dialog(qtbot)
    first = dialog.buttons[("A1", 0)]
    assert dialog.focusWidget() is first
    QTest.keyClick(first, Qt.Key.Key_Down)  # nothing chosen yet: ↓ chooses the first
    assert first.isChecked()
    QTest.keyClick(first, Qt.Key.Key_Down)
    assert dialog.buttons[("A1", 1)].isChecked() and not first.isChecked()
    assert dialog.focusWidget() is dialog.buttons[("A1", 1)]
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Up)
    assert first.isChecked()
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    focused = dialog.focusWidget()
    assert isinstance(focused, QRadioButton) and focused.objectName().startswith("option_A2_")

    # Enter moves on to the next criterion, answered or not.
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.focusWidget().property("criterion") == "A3"

    # Enter on the last criterion with criteria left: the dialog stays and says what is left.
    last = rubric.sheet(1).criteria[-1].key
    dialog._focus_button(last).setFocus()
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.message.text().startswith("còn 31 tiêu chí chưa chọn phương án: A2, A3")
    assert dialog.focusWidget() is dialog.buttons[("A2", 0)]

    _choose(dialog, best(rubric.sheet(1)))
    assert dialog.message.isHidden()
    dialog._focus_button(last).setFocus()
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted

    other = _dialog(qtbot)
    QTest.keyClick(other.focusWidget(), Qt.Key.Key_Escape)
    assert other.result() == QDialog.DialogCode.Rejected


def test_the_whole_sheet_by_digits_and_enter(qtbot):
    """32 criteria, two keys each: the digit of the option, then Enter."""
    sheet = rubric.sheet(1)
    dialog = _dialog(qtbot)
    wanted = {}
    for i, criterion in enumerate(sheet.criteria):
        position = i % len(criterion.options)  # a different option here and there
        wanted[criterion.key] = criterion.options[position].key
        focused = dialog.focusWidget()
        assert focused.property("criterion") == criterion.key
        QTest.keyClick(focused, Qt.Key(Qt.Key.Key_1 + position))
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choices() == wanted
    assert len(wanted) == 32


def test_the_sheet_speaks_english_too(qtbot):
    i18n.set_language("en")
    dialog = _dialog(qtbot, {"A1": 3})
    assert dialog.windowTitle() == "Scoring sheet – Gạo Nàng Hương"
    assert dialog.totals.text().startswith("Part A: 5/40   Part B: 0/25")
    assert dialog.stars.text() == "Rank: 1 stars – not enough for recognition"
    assert dialog.notes.text().startswith("31 criteria not chosen yet")
    assert dialog.ok_button.text() == "OK"


def test_the_form_takes_the_sheet_saves_it_and_shows_it_again(qtbot, office, product):
    form = show_form(qtbot, EvaluationForm(office, None, None, product_id=product))
    form.w("level").setCurrentIndex(form.w("level").findData("province"))
    choice = best(rubric.sheet(1)) | {"A2": 2}

    def fill(dialog):
        _choose(dialog, choice)
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    answer_next_dialog(fill)
    form.sheet_button.click()
    assert [form.w(p).value() for p in ("points_a", "points_b", "points_c")] == [39, 25, 35]
    assert form.w("points_a").isReadOnly()
    assert form.total.text() == "99 / 100"
    assert form.stars.text().startswith("4 sao (theo phiếu chấm; điểm đủ 5 sao")
    assert form.save()
    saved = evaluations.get(office, form.saved_id)
    assert (saved["points"], saved["stars"]) == (99, 4)
    assert saved["options"] == {"product_set": 1, "choices": choice}

    again = show_form(qtbot, EvaluationForm(office, form.saved_id))
    assert again.w("points_a").isReadOnly() and again.stars.text().startswith("4 sao")
    seen = {}

    def look(dialog):
        seen["A2"] = dialog.buttons[("A2", 2)].isChecked()
        seen["choices"] = dialog.choices()
        dialog.clear_button.click()  # back to points typed by hand

    answer_next_dialog(look)
    again.sheet_button.click()
    assert seen == {"A2": True, "choices": choice}
    assert not again.w("points_a").isReadOnly()
    again.w("points_a").setValue(20)
    again.w("minimums_stated_by").setText("Lê Văn Sơn")  # typed points need who states the minimums
    assert again.save()
    saved = evaluations.get(office, again.saved_id)
    assert (saved["options"], saved["points"], saved["stars"]) == (None, 80, 4)


def test_the_sheet_needs_a_product_with_a_set(qtbot, office, producer_data):
    producer = producers.add(office, producer_data)
    pid = products.add(office, {"name": "Bánh gai", "producer_id": producer}, allow_incomplete=True)
    form = show_form(qtbot, EvaluationForm(office, None, None, product_id=pid))
    assert not form.open_sheet()
    assert "chưa có bộ sản phẩm" in form.error_text("product_id")
