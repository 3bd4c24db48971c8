"""A record's audit history: who changed which field, from what to what."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import records, refdata
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.gui.forms.fields import show_number
from ocop_desktop.i18n import catalogue, language, tr

COLUMNS = ("when", "officer", "action", "field", "old", "new")
# Fields whose stored codes have a translated name.
CODED = {"kind": "kind.", "level": "level.", "status": "status."}
# Codes of reference data: shown by name ("Xã Nga Liên", not 16159).
CODES_NAMED = {
    "commune_code": lambda code: refdata.load().commune_name(code),
    "legacy_commune_code": lambda code: _legacy_commune(code),
    "legacy_district_code": lambda code: refdata.load().district_name(code),
    "product_set": lambda code: (
        f"{code:02d} · {fmt.product_set(code)}" if fmt.product_set(code) else ""
    ),
}
NUMERIC = {"price", "points", "points_a", "points_b", "points_c", "workers_total", "workers_women"}


def _legacy_commune(code: int) -> str:
    old = refdata.load().legacy_communes.get(code)
    return f"{old.name} ({refdata.load().district_name(old.district_code)})" if old else ""


def when_text(iso: str) -> str:
    """'2026-11-21T08:05:00Z' in local time, dd/mm/yyyy HH:MM (vi) or dd Mon yyyy HH:MM (en)."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    return moment.strftime("%d/%m/%Y %H:%M" if language() == "vi" else "%d %b %Y %H:%M")


def field_label(field: str | None) -> str:
    if not field:
        return ""
    key = f"field.{field}"
    return tr(key) if key in catalogue() else field


# Fields holding another record's id: shown by that record's name.
LINKS = {"producer_id": "producers", "product_id": "products"}
SUMMARY_LINES = 3


def value_text(field: str | None, value: Any, store: Any = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    text = str(value)
    if text.startswith("[") and text.endswith("]"):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            return "; ".join(str(v) for v in items)
    if field in LINKS and store is not None:
        name = records.label(store, LINKS[field], text)
        if name is not None:
            return name
    if field in CODED:
        key = CODED[field] + text
        if key in catalogue():
            return tr(key)
    if field in NUMERIC:
        try:
            return show_number(float(text))
        except ValueError:
            return text
    if field in CODES_NAMED and text.isdigit():
        return CODES_NAMED[field](int(text)) or text
    if field in ("representative_female", "representative_ethnic", "potential_5"):
        return "✓" if text == "1" else "–"
    return text


def created_text(new: str | None, store: Any = None) -> str:
    """The values a record was created with, one 'Label: value' per field."""
    try:
        values = json.loads(new or "{}")
    except ValueError:
        return new or ""
    if not isinstance(values, dict):
        return str(values)
    return "\n".join(
        f"{field_label(k)}: {value_text(k, v, store)}"
        for k, v in values.items()
        if not k.endswith("_key") and v not in (None, "", 0)
    )


class HistoryDialog(QDialog):
    def __init__(self, store: Any, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        from PySide6.QtCore import QSize

        from ocop_desktop.gui import screen_fit

        screen_fit.fit(self, QSize(900, 480))
        name = _record_name(store, record_id)
        self.setWindowTitle(tr("history.title", name=name))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(self)
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(f"history.{c}") for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Every heading readable: the stretched value columns were squeezed to "New val…".
        header.setMinimumSectionSize(
            max(header.fontMetrics().horizontalAdvance(tr(f"history.{c}")) for c in COLUMNS) + 24
        )
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        entries = records.history(store, record_id)
        for entry in entries:
            self._add(entry)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table)
        if not entries:
            layout.addWidget(QLabel(tr("history.empty"), self))
        buttons = QDialogButtonBox(self)
        buttons.addButton(tr("trash.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Row heights depend on the final column widths, known once shown.
        self.table.resizeRowsToContents()

    def _add(self, e: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        action_key = f"history.action.{e['action']}"
        full = ""
        if e["action"] == "create":
            full = created_text(e["new"], self.store)
            lines = full.splitlines()
            new = "\n".join(lines[:SUMMARY_LINES]) + ("\n…" if len(lines) > SUMMARY_LINES else "")
        else:
            new = value_text(e["field"], e["new"], self.store)
        cells = (
            when_text(e["at"]),
            e["officer"] or "",
            tr(action_key) if action_key in catalogue() else e["action"],
            field_label(e["field"]),
            value_text(e["field"], e["old"], self.store),
            new,
        )
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            item.setToolTip(full if col == 5 and full else text)
            self.table.setItem(row, col, item)

    def rows(self) -> list[list[str]]:
        """The table as text (what a person reads)."""
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
        ]


def _record_name(store: Any, record_id: str) -> str:
    return records.label_of_any(store, record_id) or record_id
