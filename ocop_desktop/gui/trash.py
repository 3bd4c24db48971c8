"""The trash: records moved there by Delete, newest first, with Restore."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import trash
from ocop_desktop.errors import UserError
from ocop_desktop.gui.history import when_text
from ocop_desktop.i18n import tr

COLUMNS = ("type", "label", "deleted_at", "deleted_by")


class TrashDialog(QDialog):
    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.restored: list[str] = []
        self.setWindowTitle(tr("trash.title"))
        from PySide6.QtCore import QSize

        from ocop_desktop.gui import screen_fit

        screen_fit.fit(self, QSize(820, 460))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(self)
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(f"trash.{c}") for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        layout.addWidget(self.table)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(tr("trash.restore"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.setDefault(True)  # Enter on the chosen row restores it
        close = QPushButton(tr("trash.close"), self)
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.table.setRowCount(0)
        for entry in trash.list_(self.store):
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                tr(f"trash.table.{entry['table']}"),
                entry["label"] or "",
                when_text(entry["deleted_at"]),
                entry["deleted_by"] or "",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry)
                self.table.setItem(row, col, item)
        if self.table.rowCount() == 0:
            self.info.setText(tr("trash.empty"))
        else:  # the keyboard starts on the newest entry: ↓/↑ to choose, Enter to restore
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectedItems()))

    def select_label(self, label: str) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 1).text() == label:
                self.table.selectRow(row)
                return True
        return False

    def restore_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        messages = []
        for row in rows:
            entry = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            try:
                trash.restore(self.store, entry["id"])
            except UserError as exc:
                messages.append(f"{entry['label']}: {exc.message()}")
                continue
            self.restored.append(entry["id"])
            messages.append(tr("trash.restored", label=entry["label"]))
        self.refresh()
        self.info.setText("\n".join(messages))
