"""The Reports page generates a PDF off the UI thread, previews it, prints it,
and saves the PDF and the workbook."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtPdf")

from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from report_data import populate  # noqa: E402

from ocop_desktop.gui.pages.reports import ReportsPage  # noqa: E402


@pytest.fixture
def page(qtbot, office):
    populate(office, n_products=40, seed=21)
    page = ReportsPage(office)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    yield page
    if page.is_busy():
        qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    page.close()


def test_generate_preview_print_and_save(qtbot, page, tmp_path):
    assert not page.print_button.isEnabled()
    page.number.setText("125")
    with qtbot.waitSignal(page.generated, timeout=60000):
        page.generate_button.click()
        assert page.is_busy()  # the work runs in a thread; the UI is free meanwhile
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10000)
    assert page.document.status() == QPdfDocument.Status.Ready
    assert page.document.pageCount() >= 5
    assert page.view.document() is page.document
    assert page.print_button.isEnabled() and page.save_pdf_button.isEnabled()
    first = page.document.render(0, page.document.pagePointSize(0).toSize())
    assert not first.isNull()

    saved = page.save_pdf(tmp_path / "bao-cao.pdf")
    text = PdfReader(str(saved)).pages[0].extract_text()
    # an office named after an area has no issuing body until one is set
    assert "HUYỆN NGA SƠN" not in text and "Số: 125/BC" in text

    # Saving where it cannot be written: a message, and the file already there kept.
    page.hide()  # no modal warning in the test
    assert page.save_pdf(tmp_path / "no such folder" / "x.pdf") is None
    assert "không tồn tại" in page.status.text() and "no such folder" in page.status.text()
    saved.chmod(0o444)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "bao-cao.pdf").write_bytes(b"%PDF-1.4 old")
    (tmp_path / "locked").chmod(0o555)
    try:
        result = page.save_pdf(tmp_path / "locked" / "bao-cao.pdf")
    finally:
        (tmp_path / "locked").chmod(0o755)
    if result is None:  # root may write anywhere
        assert (tmp_path / "locked" / "bao-cao.pdf").read_bytes() == b"%PDF-1.4 old"
        assert list((tmp_path / "locked").iterdir()) == [tmp_path / "locked" / "bao-cao.pdf"]
    page.show()

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert page.print_to(printer) == page.document.pageCount()
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == page.document.pageCount()


def test_save_excel_in_background(qtbot, page, tmp_path):
    out = tmp_path / "so-lieu.xlsx"
    with qtbot.waitSignal(page.saved, timeout=60000) as blocker:
        page.save_excel(out)
    assert blocker.args == ["xlsx", str(out)]
    wb = load_workbook(out)
    assert "Sản phẩm" in wb.sheetnames
    assert wb["Sản phẩm"].max_row == 41


def test_province_scope_lists_former_districts(qtbot, province):
    page = ReportsPage(province)
    qtbot.addWidget(page)
    names = [page.scope.itemText(i) for i in range(page.scope.count())]
    assert names[0] == "Tỉnh Thanh Hóa"
    assert "Huyện Nga Sơn" in names and len(names) == 27
    page.close()


def test_year_follows_the_as_of_date(qtbot, office):
    from PySide6.QtCore import QDate

    page = ReportsPage(office)
    qtbot.addWidget(page)
    page.as_of.setDate(QDate(2024, 6, 30))
    assert page.year.value() == 2024 and page.year.maximum() == 2024
    page.close()


def test_saving_a_workbook_into_a_missing_folder_says_so_plainly(qtbot, page, tmp_path):
    page.hide()  # the message goes to the status line only, no modal warning
    page.save_excel(tmp_path / "gone" / "so-lieu.xlsx")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60000)
    assert "không tồn tại" in page.status.text()
    assert "Error" not in page.status.text() and "Errno" not in page.status.text()
