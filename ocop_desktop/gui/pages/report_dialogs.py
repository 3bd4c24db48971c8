"""Dialogs of the Reports page: the document settings (who issues and signs),
the report's typed sections, and the renewal notices. Each reads and writes
through the core (``documents``, ``narratives``, ``renewals``); a refused value
shows its one-line message in the dialog and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import documents, narratives, renewals
from ocop_desktop.errors import explain
from ocop_desktop.gui.workers import run_with_progress
from ocop_desktop.i18n import format_date, tr
from ocop_desktop.store import Store


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020")
    return label


class DocumentSettingsDialog(QDialog):
    """Governing and issuing body, abbreviation, place, recipients and signer."""

    TEXT_FIELDS = (
        "governing_body",
        "body_name",
        "abbreviation",
        "place",
        "on_behalf_of",
        "signer_title",
        "signer_name",
    )

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(tr("documents.title"))
        settings = documents.load(store)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in ("governing_body",):
            self.fields[name] = QLineEdit(getattr(settings, name))
            form.addRow(tr(f"documents.{name}"), self.fields[name])
        self.issuing_body = QPlainTextEdit(settings.issuing_body)
        self.issuing_body.setFixedHeight(56)
        form.addRow(tr("documents.issuing_body"), self.issuing_body)
        for name in ("body_name", "abbreviation", "place"):
            self.fields[name] = QLineEdit(getattr(settings, name))
            form.addRow(tr(f"documents.{name}"), self.fields[name])
        self.to = QPlainTextEdit("\n".join(settings.to))
        self.to.setFixedHeight(56)
        form.addRow(tr("documents.to"), self.to)
        self.recipients = QPlainTextEdit("\n".join(settings.recipients))
        self.recipients.setFixedHeight(72)
        form.addRow(tr("documents.recipients"), self.recipients)
        self.authority = QComboBox()
        for value in documents.AUTHORITIES:
            self.authority.addItem(value or tr("documents.authority_none"), value)
        self.authority.setCurrentIndex(documents.AUTHORITIES.index(settings.authority))
        form.addRow(tr("documents.authority"), self.authority)
        for name in ("on_behalf_of", "signer_title", "signer_name"):
            self.fields[name] = QLineEdit(getattr(settings, name))
            form.addRow(tr(f"documents.{name}"), self.fields[name])
        self.fields["abbreviation"].setPlaceholderText("VPĐP")
        self.fields["on_behalf_of"].setPlaceholderText("ỦY BAN NHÂN DÂN")
        self.hint = QLabel(tr("documents.hint"))
        self.hint.setWordWrap(True)
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def values(self) -> dict:
        out = {name: field.text() for name, field in self.fields.items()}
        out["issuing_body"] = self.issuing_body.toPlainText()
        out["to"] = self.to.toPlainText().splitlines()
        out["recipients"] = self.recipients.toPlainText().splitlines()
        out["authority"] = self.authority.currentData()
        return out

    def save(self) -> bool:
        try:
            documents.save(self.store, self.values())
        except Exception as exc:  # a refused value: say which, keep the dialog open
            message = explain(exc)
            if message is None:
                raise
            self.error.setText(message)
            return False
        self.accept()
        return True


class NarrativeDialog(QDialog):
    """The typed parts of the report, saved with its year and number."""

    def __init__(self, store: Store, year: int, number: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.year, self.number = store, year, number
        self.setWindowTitle(tr("narrative.title", year=year, number=number or "…"))
        sections = narratives.starting_point(store, year, number)
        self.edits: dict[str, QPlainTextEdit] = {}
        tabs = QTabWidget()
        for key in narratives.SECTIONS:
            edit = QPlainTextEdit(sections[key])
            edit.setPlaceholderText(tr(f"narrative.{key}.hint"))
            self.edits[key] = edit
            tabs.addTab(edit, tr(f"narrative.{key}"))
        self.tabs = tabs
        saved = narratives.get(store, year, number) is not None
        self.origin = QLabel(tr("narrative.saved" if saved else "narrative.starting_point"))
        self.origin.setWordWrap(True)
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.origin)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def set_text(self, key: str, text: str) -> None:
        self.edits[key].setPlainText(text)

    def save(self) -> bool:
        sections = {key: edit.toPlainText() for key, edit in self.edits.items()}
        try:
            narratives.save(self.store, self.year, self.number, sections)
        except Exception as exc:
            message = explain(exc)
            if message is None:
                raise
            self.error.setText(message)
            return False
        self.accept()
        return True


class RenewalDialog(QDialog):
    """Certificates expiring within the warning window: write the notices (one
    PDF, logged as sent), record re-evaluation requests, see what to revoke."""

    COLUMNS = ("product", "producer", "expiry", "notified", "request")

    def __init__(self, store: Store, out_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.out_dir = out_dir
        self.pdf_path: Path | None = None
        self.setWindowTitle(tr("renewal.title"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.due_table = self._table()
        self.revoke_table = self._table()
        tabs = QTabWidget()
        tabs.addTab(self.due_table, tr("renewal.tab_due"))
        tabs.addTab(self.revoke_table, tr("renewal.tab_revoke"))
        self.tabs = tabs
        self.first_number = QSpinBox()
        self.first_number.setRange(0, 99999)
        self.first_number.setSpecialValueText(tr("renewal.by_hand"))
        self.write_button = QPushButton(tr("renewal.write"))
        self.write_button.clicked.connect(self.write_notices)
        self.request_button = QPushButton(tr("renewal.record_request"))
        self.request_button.clicked.connect(self.record_selected_request)
        self.error = _error_label()
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("renewal.first_number")))
        row.addWidget(self.first_number)
        row.addStretch(1)
        row.addWidget(self.request_button)
        row.addWidget(self.write_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(tabs, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(900, 520)
        self.refresh()

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, len(self.COLUMNS))
        table.setHorizontalHeaderLabels([tr(f"renewal.col.{c}") for c in self.COLUMNS])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        table.setColumnWidth(0, 240)
        table.setColumnWidth(1, 240)
        return table

    def refresh(self) -> None:
        self.due = renewals.due(self.store)
        self.revoke = renewals.to_revoke(self.store)
        self._fill(self.due_table, self.due)
        self._fill(self.revoke_table, self.revoke)
        waiting = len(renewals.unnotified(self.due))
        self.summary.setText(
            tr(
                "renewal.summary",
                days=renewals.window_days(self.store),
                due=len(self.due),
                waiting=waiting,
                revoke=len(self.revoke),
            )
        )
        self.write_button.setEnabled(waiting > 0)

    def _fill(self, table: QTableWidget, certs: list) -> None:
        from datetime import date

        table.setRowCount(len(certs))
        for i, c in enumerate(certs):
            notified = ", ".join(
                f"{n['notice_no']} ({format_date(date.fromisoformat(n['sent_on']))})"
                for n in c.notices
            )
            request = format_date(date.fromisoformat(c.request["received_on"])) if c.request else ""
            values = (
                c.product,
                c.producer,
                format_date(date.fromisoformat(c.expiry_date)),
                notified,
                request,
            )
            for j, value in enumerate(values):
                table.setItem(i, j, QTableWidgetItem(value))

    def write_notices(self) -> Path | None:
        """One letter per producer not yet notified, into one PDF; logged as sent."""
        from ocop_desktop.reports.notices import NoticeOptions, build

        letters = renewals.letters(renewals.unnotified(self.due))
        if not letters:
            return None
        first = self.first_number.value() or None
        out = self.out_dir / "thong-bao-het-han.pdf"
        try:
            options = NoticeOptions(
                first_number=first, window_days=renewals.window_days(self.store)
            )
            settings = documents.load(self.store)
            # The letters are drawn on the worker (what they say was read above);
            # the notices are logged here, on the window's own connection.
            path, numbers = run_with_progress(
                self,
                tr("reports.renewal"),
                self.store,
                lambda _key, _progress: build(letters, settings, out, options),
                cancellable=False,
            )
            renewals.record_notices(self.store, letters, numbers)
        except Exception as exc:
            message = explain(exc)
            if message is None:
                raise
            self.error.setText(message)
            return None
        self.pdf_path = path
        self.refresh()
        return path

    def record_selected_request(self) -> bool:
        table, certs = (
            (self.due_table, self.due)
            if self.tabs.currentIndex() == 0
            else (self.revoke_table, self.revoke)
        )
        row = table.currentRow()
        if row < 0 or row >= len(certs):
            self.error.setText(tr("renewal.select_row"))
            return False
        try:
            renewals.record_request(self.store, certs[row].recognition_id)
        except Exception as exc:
            message = explain(exc)
            if message is None:
                raise
            self.error.setText(message)
            return False
        self.error.clear()
        self.refresh()
        return True


__all__ = ["DocumentSettingsDialog", "NarrativeDialog", "RenewalDialog"]
