"""Keyboard-only entry: Tab goes round every field of a form, first to last and
back to the first, as an officer filling a form without the mouse expects."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ocop_desktop.gui.forms import form_class
from tests.gui.forms_helpers import show_form


def _tab_walk(form, steps: int) -> list:
    seen = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        seen.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return seen


@pytest.mark.parametrize("table", ["producers", "products", "recognitions", "evaluations"])
def test_tab_wraps_to_the_first_field_without_skipping_any(qtbot, sample, table):
    form = form_class(table)(sample, None, None)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    targets = [form.w(f).focusProxy() or form.w(f) for f in form.fields]
    reachable = [t for t in targets if t.isVisibleTo(form) and t.isEnabled()]
    reachable[0].setFocus()
    walk = _tab_walk(form, 60)
    rounds = [i for i, w in enumerate(walk) if w is reachable[0]]
    assert len(rounds) >= 3, "Tab never came back to the first field"
    for start, end in zip(rounds, rounds[1:], strict=False):
        one_round = [w for w in walk[start:end] if w in reachable]
        assert one_round == reachable, [w.objectName() for w in one_round]


@pytest.mark.parametrize("table", ["producers", "products", "recognitions", "evaluations"])
def test_a_new_form_takes_typing_in_its_first_field(qtbot, sample, table):
    form = form_class(table)(sample, None, None)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    first = form.w(form.fields[0])
    assert QApplication.focusWidget() is (first.focusProxy() or first)


def test_typing_a_set_number_on_the_product_set_combo_picks_it(qtbot, sample):
    form = form_class("products")(sample, None, None)
    qtbot.addWidget(form)
    combo = form.w("product_set")
    QTest.keyClicks(combo, "19")
    assert combo.currentData() == 19
    assert combo.currentText().startswith("19. ")


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("vi", "15/11/2025"),
        ("vi", "01/03/2025"),
        ("vi", "1/3/2025"),
        ("vi", "15.11.2025"),
        ("vi", "15112025"),
        ("en", "15/11/2025"),
        ("en", "01/03/2025"),
    ],
)
def test_a_date_typed_in_full_is_the_date_typed(qtbot, sample, lang, typed):
    from ocop_desktop import i18n

    i18n.set_language(lang)
    try:
        form = show_form(qtbot, form_class("recognitions")(sample, None, None))
        qtbot.waitUntil(form.isActiveWindow)
        field = form.w("decision_date")
        field.setFocus()
        QTest.keyClicks(field, typed)
        QTest.keyClick(field, Qt.Key.Key_Tab)
        day, month = (15, 11) if typed.startswith("15") else (1, 3)
        assert (field.date().year(), field.date().month(), field.date().day()) == (2025, month, day)
    finally:
        i18n.set_language("vi")


# Typed over the date shown: on 29 February, "30" is no day of that month for Qt.
@pytest.mark.today("2026-11-30")
def test_report_date_is_typed_the_same_way(qtbot, sample):
    from ocop_desktop.gui.pages.reports import ReportsPage

    page = ReportsPage(sample)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.as_of.setFocus()
    QTest.keyClicks(page.as_of, "30/06/2025")
    assert page.as_of.date().toString("yyyy-MM-dd") == "2025-06-30"
