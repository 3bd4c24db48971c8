"""A report and a notice typed and printed end to end in the app: the document
settings and the report's sections typed in their dialogs, the PDF generated,
previewed and printed; the expiry notices written, logged and printed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdf")

from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from report_data import populate  # noqa: E402

from ocop_desktop import documents, i18n, narratives, renewals  # noqa: E402
from ocop_desktop.gui.pages.reports import ReportsPage  # noqa: E402

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pdf_text(path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages)


def shoot(widget, name: str) -> None:
    """README screenshots, refreshed with OCOP_SCREENSHOTS=1 (else the run leaves
    the repository as it was)."""
    if os.environ.get("OCOP_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / name))


@pytest.fixture
def page(qtbot, office):
    populate(office, n_products=40, seed=21)
    page = ReportsPage(office)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    yield page
    if page.is_busy():
        qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    page.close()


def print_all(page, path) -> int:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return page.print_to(printer)


def test_settings_and_sections_typed_then_report_printed(qtbot, page, office, tmp_path):
    assert page.settings_note.isVisible()  # an area is not a body: the page says so
    dialog = page.document_settings_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields["governing_body"].clear()
    dialog.issuing_body.setPlainText("ỦY BAN NHÂN DÂN\nXÃ NGA SƠN")
    dialog.fields["body_name"].setText("Ủy ban nhân dân xã Nga Sơn")
    dialog.fields["abbreviation"].clear()
    QTest.keyClicks(dialog.fields["abbreviation"], "UBND")
    dialog.to.setPlainText("Văn phòng Điều phối nông thôn mới tỉnh Thanh Hóa")
    dialog.recipients.setPlainText("Như trên;\nLưu: VT.")
    dialog.authority.setCurrentIndex(dialog.authority.findData("TM."))
    dialog.fields["on_behalf_of"].setText("ỦY BAN NHÂN DÂN")
    dialog.fields["signer_title"].setText("Chủ tịch")
    dialog.fields["signer_name"].setText("Nguyễn Văn Hùng")
    if i18n.language() == "vi":
        shoot(dialog, "document-settings.png")
    assert dialog.save()
    assert documents.load(office).abbreviation == "UBND"
    assert not page.settings_note.isVisible()

    page.number.setText("125")
    sections = page.narrative_dialog()
    qtbot.addWidget(sections)
    sections.show()
    sections.set_text("strengths", "Chiếu cói, mắm tôm được thị trường đón nhận.")
    sections.set_text("tasks", "Thông báo sớm cho chủ thể có giấy chứng nhận sắp hết hạn.")
    sections.tabs.setCurrentIndex(3)
    shoot(sections, "report-sections.png")
    assert sections.save()
    assert narratives.get(office, page.year.value(), "125")["tasks"].startswith("Thông báo")

    with qtbot.waitSignal(page.generated, timeout=60000):
        page.generate_button.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10000)
    text = pdf_text(page.pdf_path)
    for phrase in (
        "ỦY BAN NHÂN DÂN XÃ NGA SƠN",
        "Số: 125/BC-UBND",
        "Kính gửi: Văn phòng Điều phối nông thôn mới tỉnh Thanh Hóa",
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
        "Chiếu cói, mắm tôm được thị trường đón nhận.",
        "Thông báo sớm cho chủ thể có giấy chứng nhận sắp hết hạn.",
    ):
        assert phrase in text, phrase
    if os.environ.get("OCOP_SCREENSHOTS"):
        qtbot.wait(1500)  # the preview draws its pages asynchronously
    shoot(page, "reports-page.png")
    assert print_all(page, tmp_path / "printed.pdf") == page.document.pageCount()


def test_expiry_notices_written_logged_and_printed(qtbot, page, office, tmp_path):
    documents.save(
        office,
        {
            "issuing_body": "ỦY BAN NHÂN DÂN\nXÃ NGA SƠN",
            "body_name": "Ủy ban nhân dân xã Nga Sơn",
            "abbreviation": "UBND",
            "signer_title": "Chủ tịch",
            "authority": "TM.",
            "on_behalf_of": "ỦY BAN NHÂN DÂN",
        },
    )
    due = renewals.due(office)
    assert due, "the test data has certificates expiring within the window"
    dialog = page.renewal_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.due_table.rowCount() == len(due)
    assert str(renewals.window_days(office)) in dialog.summary.text()
    dialog.first_number.selectAll()
    QTest.keyClicks(dialog.first_number, "12")
    assert dialog.first_number.value() == 12
    shoot(dialog, "renewal-notices.png")
    path = dialog.write_notices()
    letters = renewals.letters(due)
    text = pdf_text(path)
    assert text.count("THÔNG BÁO") == len(letters)
    assert "Số: 12/TB-UBND" in text and f"Số: {11 + len(letters)}/TB-UBND" in text
    for c in due:
        assert c.product in text
    # logged: nothing left to notify, and the table says when each was sent
    assert not renewals.unnotified(renewals.due(office))
    assert not dialog.write_button.isEnabled()
    assert "12/TB-UBND" in dialog.due_table.item(0, 3).text()
    # a request recorded from the list
    dialog.due_table.selectRow(0)
    assert dialog.record_selected_request()
    assert renewals.due(office)[0].request is not None
    dialog.done(0)
    assert page.pdf_path == path and page.document.pageCount() >= len(letters)
    assert print_all(page, tmp_path / "notices.pdf") == page.document.pageCount()
    qtbot.keyClick(page, Qt.Key.Key_Escape)  # nothing modal left open
