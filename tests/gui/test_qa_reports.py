"""The Reports page before anything is generated: it says what to do (the preview
is a blank grey area until then), and its date field works like the forms' ones."""

from __future__ import annotations

import pytest

from ocop_desktop import i18n
from ocop_desktop.gui.pages.reports import ReportsPage


@pytest.fixture(params=["vi", "en"])
def lang(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("vi")


def test_empty_page_says_how_to_get_a_preview(qtbot, sample, lang):
    page = ReportsPage(sample)
    qtbot.addWidget(page)
    assert page.status.text() == i18n.tr("reports.hint")
    assert i18n.tr("reports.generate") in page.status.text()
    assert page.generate_button.text() == i18n.tr("reports.generate")


def test_figures_date_reads_as_the_forms_date_fields(qtbot, sample, lang):
    from PySide6.QtCore import QDate

    page = ReportsPage(sample)
    qtbot.addWidget(page)
    page.as_of.setDate(QDate(2026, 11, 21))
    assert page.as_of.text() == "21/11/2026"  # typed as in the forms, month as a number
