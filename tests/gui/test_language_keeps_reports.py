"""Switching the language keeps what was entered on the Reports page, and its preview
(the signer is part of the document settings, kept in the database)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtPdf")

from PySide6.QtCore import QDate  # noqa: E402

from ocop_desktop.i18n import tr  # noqa: E402


def test_a_language_switch_keeps_number_date_and_preview(qtbot, window):
    page = window.show_page("reports")
    page.number.setText("125")
    page.as_of.setDate(page.as_of.date().addDays(-3))
    chosen = page.as_of.date()
    with qtbot.waitSignal(page.generated, timeout=60_000):
        page.generate_button.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10_000)
    pages = page.document.pageCount()
    assert pages > 0

    window.set_language("en")
    again = window.page("reports")
    assert again is not page
    assert again.generate_button.text() == tr("reports.generate", "en")
    assert again.number.text() == "125"
    assert again.as_of.date() == chosen and isinstance(chosen, QDate)
    assert again.document.pageCount() == pages
    assert again.print_button.isEnabled() and again.save_pdf_button.isEnabled()
    assert again.pdf_path is not None and again.pdf_path.exists()
