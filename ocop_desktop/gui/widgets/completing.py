"""A line edit that proposes matches as you type and remembers what was chosen.

Subclasses say what matches a text (``entries``) and what a chosen entry means
(``apply``); this class handles the popup, the keyboard, typing without
choosing, and the small hint line under the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

MIN_CHARS = 2
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class Entry:
    label: str  # what the popup shows
    text: str  # what the field shows once chosen
    data: dict[str, Any] = field(default_factory=dict)
    muted: bool = False
    hint: str = ""  # shown under the field once chosen


class CompletingPicker(QWidget):
    changed = Signal()
    min_chars = MIN_CHARS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid); font-size: 90%;")
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.edit)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.edit.textEdited.connect(self._text_edited)
        self.edit.editingFinished.connect(self._editing_finished)
        self._chosen_text = ""
        self._choosing = False

    # ---- to implement -------------------------------------------------
    def entries(self, text: str) -> list[Entry]:
        raise NotImplementedError

    def apply(self, entry: Entry | None) -> bool:
        """Take the chosen entry (None clears). False means the choice was cancelled."""
        raise NotImplementedError

    # ---- behaviour ------------------------------------------------------
    @property
    def unresolved(self) -> bool:
        """Text typed but nothing chosen for it."""
        return bool(self.edit.text().strip()) and self.edit.text() != self._chosen_text

    def set_display(self, text: str, hint: str = "") -> None:
        self._chosen_text = text
        self.edit.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))

    def _fill(self, text: str) -> list[Entry]:
        found = self.entries(text) if len(text.strip()) >= self.min_chars else []
        self.model.clear()
        for e in found:
            item = QStandardItem(e.label)
            item.setData(e, ENTRY_ROLE)
            item.setEditable(False)
            if e.muted:
                item.setForeground(QColor("#888888"))
            self.model.appendRow(item)
        return found

    def _text_edited(self, text: str) -> None:
        found = self._fill(text)
        if found:
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if entry is not None:
            self.choose(entry)

    def choose(self, entry: Entry) -> bool:
        # apply() may open a dialog, which takes the focus and so finishes editing:
        # that must not start a second choice.
        self._choosing = True
        try:
            accepted = self.apply(entry)
        finally:
            self._choosing = False
        if accepted:
            self.changed.emit()
        return accepted

    def _editing_finished(self) -> None:
        if self._choosing:
            return
        if self.completer.popup().isVisible():
            # The list forwards Return and Tab to the field before it acts on them:
            # settle afterwards, when a choice made in the list has arrived.
            QTimer.singleShot(0, self, self._settle)
            return
        self._settle()

    def _settle(self) -> None:
        """Editing ended without a choice from the list: take the only match, if any."""
        if self._choosing:
            return
        self.completer.popup().hide()
        text = self.edit.text()
        if text == self._chosen_text:
            return
        if not text.strip():
            self.apply(None)
            self.changed.emit()
            return
        found = [e for e in self._fill(text) if not e.muted] or self._fill(text)
        only = self.settled(found)
        if only is not None:
            self.choose(only)
        else:
            self.changed.emit()

    def settled(self, found: list[Entry]) -> Entry | None:
        """What text typed and left means, when it means one thing: the only match."""
        return found[0] if len(found) == 1 else None
