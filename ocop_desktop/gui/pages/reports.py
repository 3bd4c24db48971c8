"""Reports page: choose scope, date, year and number; set who issues and signs
(document settings) and type the report's assessment, tasks and proposals;
generate the PDF in the background; preview its pages; print them; save the PDF
or the Excel workbook. The renewal notices are written from here too.

Generation is a job of ``gui.workers`` (``report_job``): it opens its own
connection on the worker thread (SQLite connections are not shared between
threads) and writes into a temporary folder;
"Save PDF" copies that file, so what is saved is exactly what was previewed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRectF, QSize, Signal, Slot
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import clock, refdata
from ocop_desktop.errors import explain
from ocop_desktop.gui import file_dialogs
from ocop_desktop.gui.forms.fields import setup_date_edit
from ocop_desktop.gui.workers import Task, start
from ocop_desktop.i18n import tr
from ocop_desktop.progress import Progress
from ocop_desktop.store import Store, StoreKey

PRINT_DPI = 300


@dataclass
class ReportRequest:
    kind: str  # "pdf" | "xlsx"
    out: Path
    as_of: date
    year: int
    district: int | None
    number: str = ""


def report_job(request: ReportRequest) -> Callable[[StoreKey, Progress], tuple[str, str]]:
    """The job that writes a report: summary, then the PDF or the workbook, on a
    store of its own; progress in percent (the summary a fifth of the way)."""

    def job(key: StoreKey, progress: Progress) -> tuple[str, str]:
        from ocop_desktop.summary import compute

        r = request
        store = key.open()
        try:
            weights = {"summary": (0, 20), "pdf": (20, 80), "xlsx": (20, 80)}

            def report(stage: str, fraction: float) -> None:
                first, span = weights.get(stage, (0, 100))
                progress(int(first + span * max(0.0, min(1.0, fraction))), 100)

            summary = compute(
                store, as_of=r.as_of, year=r.year, district=r.district, progress=report
            )
            if r.kind == "pdf":
                from ocop_desktop import documents, narratives
                from ocop_desktop.reports.pdf import ReportOptions, build

                options = ReportOptions(
                    number=r.number,
                    settings=documents.load(store),
                    narrative=narratives.get(store, summary.year, r.number) or {},
                )
                build(summary, r.out, options, progress=report)
            else:
                from ocop_desktop.reports.xlsx import build as build_xlsx

                build_xlsx(store, summary, r.out, progress=report)
            progress(100, 100)
            return r.kind, str(r.out)
        finally:
            store.close()

    return job


class ReportsPage(QWidget):
    """The Reports page the main window shows."""

    generated = Signal(str)  # path of the previewed PDF
    saved = Signal(str, str)  # kind, path

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._tmp = tempfile.TemporaryDirectory(prefix="ocop-report-")
        self._task: Task | None = None
        self._pending_save: tuple[str, Path] | None = None
        self.pdf_path: Path | None = None
        self._build_ui()

    # ---- layout ----------------------------------------------------------------

    def _build_ui(self) -> None:
        self.scope = QComboBox()
        self.scope.addItem(self.store.node.name, None)
        if self.store.node.is_province:
            ref = refdata.load()
            districts = sorted(
                {ref.former_district_of[c] for c in self.store.node.area},
                key=lambda d: ref.district_name(d),
            )
            for d in districts:
                self.scope.addItem(ref.district_name(d), d)
        today = clock.today()
        self.as_of = QDateEdit(QDate(today.year, today.month, today.day))
        setup_date_edit(self.as_of)  # 22/11/2026 (22 Nov 2026 in English), typed like a form's
        self.year = QSpinBox()
        self.year.setRange(2018, 2100)
        self.year.setValue(today.year)
        self.year.setMaximum(today.year)
        self.as_of.dateChanged.connect(self._as_of_changed)
        self.number = QLineEdit()
        self.number.setPlaceholderText("125")

        form = QFormLayout()
        form.addRow(tr("reports.scope"), self.scope)
        form.addRow(tr("reports.as_of"), self.as_of)
        form.addRow(tr("reports.year"), self.year)
        form.addRow(tr("reports.number"), self.number)

        self.settings_button = QPushButton(tr("reports.document_settings"))
        self.settings_button.clicked.connect(self.edit_document_settings)
        self.narrative_button = QPushButton(tr("reports.narrative"))
        self.narrative_button.clicked.connect(self.edit_narrative)
        self.renewal_button = QPushButton(tr("reports.renewal"))
        self.renewal_button.clicked.connect(self.open_renewals)
        self.settings_note = QLabel()
        self.settings_note.setWordWrap(True)
        self.settings_note.setStyleSheet("color: #8a5a00")
        self._update_settings_note()

        self.generate_button = QPushButton(tr("reports.generate"))
        self.generate_button.setDefault(True)
        self.print_button = QPushButton(tr("reports.print"))
        self.save_pdf_button = QPushButton(tr("reports.save_pdf"))
        self.save_excel_button = QPushButton(tr("reports.save_excel"))
        self.generate_button.clicked.connect(self.generate)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_pdf_button.clicked.connect(self.save_pdf_dialog)
        self.save_excel_button.clicked.connect(self.save_excel_dialog)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel(tr("reports.hint"))  # the preview is empty until then
        self.status.setWordWrap(True)

        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.settings_button)
        side.addWidget(self.narrative_button)
        side.addWidget(self.settings_note)
        side.addWidget(self.generate_button)
        side.addWidget(self.progress)
        side.addWidget(self.status)
        side.addSpacing(12)
        for b in (self.print_button, self.save_pdf_button, self.save_excel_button):
            side.addWidget(b)
        side.addSpacing(12)
        side.addWidget(self.renewal_button)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMinimumWidth(320)
        side_widget.setMaximumWidth(380)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        row = QHBoxLayout(self)
        row.addWidget(side_widget)
        row.addWidget(self.view, 1)
        self._update_buttons()

    def keep_state(self) -> dict[str, Any]:
        """What was entered and the preview, for this page made again in another language."""
        state = {
            "scope": self.scope.currentIndex(),
            "as_of": self.as_of.date(),
            "year": self.year.value(),
            "number": self.number.text(),  # the signer is in the document settings
            "pdf": self.pdf_path,
            "tmp": self._tmp,  # the previewed file's folder goes with it
        }
        self._tmp = tempfile.TemporaryDirectory(prefix="ocop-report-")
        return state

    def restore_state(self, state: dict[str, Any]) -> None:
        self.scope.setCurrentIndex(state["scope"])
        self.as_of.setDate(state["as_of"])
        self.year.setValue(state["year"])
        self.number.setText(state["number"])
        self._tmp.cleanup()
        self._tmp = state["tmp"]
        if state["pdf"] is not None:
            self.pdf_path = Path(state["pdf"])
            self.document.load(str(self.pdf_path))
            self.status.setText(tr("reports.ready", pages=self.document.pageCount()))
        self._update_buttons()

    def _as_of_changed(self, d: QDate) -> None:
        # a reporting year cannot start after the as-of date
        self.year.setMaximum(d.year())
        self.year.setValue(d.year())

    def _update_buttons(self) -> None:
        busy = self.is_busy()
        ready = self.pdf_path is not None and self.document.pageCount() > 0
        self.generate_button.setEnabled(not busy)
        self.save_excel_button.setEnabled(not busy)
        self.print_button.setEnabled(ready and not busy)
        self.save_pdf_button.setEnabled(ready and not busy)

    # ---- generation --------------------------------------------------------------

    def request(self, kind: str, out: Path) -> ReportRequest:
        d = self.as_of.date()
        return ReportRequest(
            kind=kind,
            out=out,
            as_of=date(d.year(), d.month(), d.day()),
            year=self.year.value(),
            district=self.scope.currentData(),
            number=self.number.text().strip(),
        )

    # ---- document settings, typed sections, renewal notices -------------------------

    def _update_settings_note(self) -> None:
        from ocop_desktop import documents

        missing = documents.missing(documents.load(self.store))
        names = ", ".join(tr(f"documents.{m}") for m in missing)
        self.settings_note.setText(tr("reports.settings_missing", fields=names) if missing else "")
        self.settings_note.setVisible(bool(missing))

    def document_settings_dialog(self):  # noqa: ANN201 (a dialog the caller may drive)
        from ocop_desktop.gui.pages.report_dialogs import DocumentSettingsDialog

        dialog = DocumentSettingsDialog(self.store, self)
        dialog.finished.connect(lambda _result: self._update_settings_note())
        return dialog

    @Slot()
    def edit_document_settings(self) -> None:
        self.document_settings_dialog().exec()

    def narrative_dialog(self):  # noqa: ANN201
        from ocop_desktop.gui.pages.report_dialogs import NarrativeDialog

        return NarrativeDialog(self.store, self.year.value(), self.number.text().strip(), self)

    @Slot()
    def edit_narrative(self) -> None:
        self.narrative_dialog().exec()

    def renewal_dialog(self):  # noqa: ANN201
        from ocop_desktop.gui.pages.report_dialogs import RenewalDialog

        dialog = RenewalDialog(self.store, Path(self._tmp.name), self)
        dialog.finished.connect(lambda _result: self.show_pdf(dialog.pdf_path))
        return dialog

    @Slot()
    def open_renewals(self) -> None:
        self.renewal_dialog().exec()

    def show_pdf(self, path: Path | None) -> None:
        """Preview a PDF written outside the worker (the notices), ready to print."""
        if path is None:
            return
        self.document.close()
        self.pdf_path = Path(path)
        self.document.load(str(path))
        self.status.setText(tr("reports.ready", pages=self.document.pageCount()))
        self._update_buttons()

    @Slot()
    def generate(self) -> None:
        """Build the PDF in the background and show it."""
        out = Path(self._tmp.name) / f"bao-cao-{self.as_of.date().toString('yyyyMMdd')}.pdf"
        self._start(self.request("pdf", out))

    def save_excel(self, path: Path | str) -> None:
        self._start(self.request("xlsx", Path(path)))

    def _start(self, request: ReportRequest) -> None:
        if self.is_busy():
            return
        if request.kind == "pdf":
            # release the previous file before it is overwritten
            self.document.close()
            self.pdf_path = None
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(tr("report.generating"))
        self._task = start(
            self.store,
            report_job(request),
            lambda done: self._on_finished(*done),
            self._on_error,
            lambda done, _total: self.progress.setValue(done),
        )
        self._update_buttons()

    def _on_finished(self, kind: str, path: str) -> None:
        self._task = None
        self.progress.setVisible(False)
        if kind == "pdf":
            self.pdf_path = Path(path)
            self.document.load(path)
            self.status.setText(tr("reports.ready", pages=self.document.pageCount()))
            self.generated.emit(path)
        else:
            self.status.setText(tr("reports.saved", path=path))
            self.saved.emit(kind, path)
        self._update_buttons()

    def _on_error(self, exc: BaseException) -> None:
        # shown to the user; the page stays usable
        self._task = None
        self._update_buttons()
        self._on_failed(explain(exc) or f"{type(exc).__name__}: {exc}")

    def _on_failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.status.setText(message)
        if self.isVisible():
            QMessageBox.warning(self, tr("reports.failed"), message)

    def is_busy(self) -> bool:
        return self._task is not None and self._task.running

    # ---- saving and printing -----------------------------------------------------

    @Slot()
    def save_pdf_dialog(self) -> None:
        if self.pdf_path is None:
            return
        path = file_dialogs.save_path(
            self, tr("reports.save_pdf"), self.pdf_path.name, "PDF (*.pdf)"
        )
        if path:
            self.save_pdf(path)

    def save_pdf(self, path: Path | str) -> Path | None:
        """Copy the previewed PDF to ``path`` (whole, or not at all: a file already
        there stays as it was when the copy fails). None, with a message, on failure."""
        if self.pdf_path is None:
            raise RuntimeError("no report generated yet")
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            shutil.copyfile(self.pdf_path, part)
            part.replace(target)
        except OSError as exc:  # no such folder, no permission, a full disk, open in a viewer
            if exc.filename != str(part):
                exc.filename = str(target)
            part.unlink(missing_ok=True)
            self._on_failed(explain(exc) or str(exc))
            return None
        self.status.setText(tr("reports.saved", path=str(target)))
        self.saved.emit("pdf", str(target))
        return target

    @Slot()
    def save_excel_dialog(self) -> None:
        name = f"so-lieu-ocop-{self.as_of.date().toString('yyyyMMdd')}.xlsx"
        path = file_dialogs.save_path(self, tr("reports.save_excel"), name, "Excel (*.xlsx)")
        if path:
            self.save_excel(path.with_suffix(".xlsx"))

    @Slot()
    def print_dialog(self) -> None:
        if self.document.pageCount() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.pdf_path.name if self.pdf_path else "OCOP")
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Render each page of the previewed PDF onto ``printer``; returns pages printed."""
        count = self.document.pageCount()
        first, last = 1, count
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage():
            first, last = printer.fromPage(), min(printer.toPage() or count, count)
        self._orient(printer, first - 1)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        printed = 0
        try:
            for index in range(first - 1, last):
                if printed:
                    # the appendix is landscape: turn the paper where the printer allows
                    self._orient(printer, index)
                    printer.newPage()
                self._paint_page(painter, printer, index)
                printed += 1
        finally:
            painter.end()
        return printed

    def _orient(self, printer: QPrinter, index: int) -> None:
        size = self.document.pagePointSize(index)
        landscape = size.width() > size.height()
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )

    def _paint_page(self, painter: QPainter, printer: QPrinter, index: int) -> None:
        """The page as an image at up to 300 dpi, fitted and centred on the paper."""
        points = self.document.pagePointSize(index)
        target = printer.pageRect(QPrinter.Unit.DevicePixel)
        scale = min(target.width() / points.width(), target.height() / points.height())
        dpi_scale = min(PRINT_DPI / 72.0, scale)
        image = self.document.render(
            index, QSize(int(points.width() * dpi_scale), int(points.height() * dpi_scale))
        )
        w, h = points.width() * scale, points.height() * scale
        x = (target.width() - w) / 2
        y = (target.height() - h) / 2
        painter.drawImage(QRectF(x, y, w, h), image)

    # ---- clean-up ------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        if self.is_busy():
            from ocop_desktop.gui.workers import db_pool

            db_pool().waitForDone(30000)
        self.document.close()
        self._tmp.cleanup()
        super().closeEvent(event)


__all__ = ["ReportRequest", "ReportsPage", "report_job"]
