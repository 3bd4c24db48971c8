"""What every record form shares: load / check / save, inline messages, the
unsaved-changes question, keyboard (Enter and Ctrl+S save, Esc cancels),
delete to the trash and the history.

A form never decides what is valid: ``check`` asks the core's ``clean`` and
``save`` calls the core's ``add``/``edit``; a ``ValidationError`` is shown
under the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.db import OperationalError, transaction
from ocop_desktop.errors import UserError, explain
from ocop_desktop.gui.forms.fields import get_value, locale, set_value
from ocop_desktop.gui.uiload import load_ui
from ocop_desktop.i18n import tr

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "background: #eef4fb; border: 1px solid #9bbbe0; padding: 4px;"


class RecordForm(QDialog):
    table = ""
    ui_name = ""
    title_key = ""
    service: ModuleType
    # Service fields edited through a widget of the same object name, in tab order.
    fields: tuple[str, ...] = ()
    # Error fields shown under another field's widget.
    aliases: dict[str, str] = {}
    # Opening size; fits a 1366×768 screen with the taskbar and title bar.
    default_size = (640, 480)

    def __init__(
        self,
        store: Any,
        record_id: str | None = None,
        parent: QWidget | None = None,
        **defaults: Any,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.record_id = record_id
        self.defaults = defaults
        self.record: dict[str, Any] = {}
        self.saved_id: str | None = None
        self.deleted = False
        self.open_instead: str | None = None
        self.closed = False
        self._recheck = False
        self._snapshot: dict[str, Any] = {}
        self.setLocale(locale())
        self.setSizeGripEnabled(True)
        self.ui = load_ui(self.ui_name, self)
        self.message: QLabel = self.ui.findChild(QLabel, "form_message")
        self.message.hide()
        self.setup()
        self._error_rows: dict[str, tuple[QFormLayout, QLabel]] = {}
        self._make_error_labels()
        self._make_buttons()
        layout = QVBoxLayout(self)
        # The fields scroll when the screen is short (a 1366×768 laptop at 150% is
        # 911×512): the Save and Cancel buttons below stay in reach.
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.ui)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(self.button_row)
        chain = [_focus_target(self.w(f)) for f in self.fields]
        chain += [self.save_button, self.cancel_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self._tab_chain = chain
        # Typing starts in the first field (the product form would otherwise give the
        # keyboard to its tab bar, and the name typed went nowhere).
        chain[0].setFocus(Qt.FocusReason.OtherFocusReason)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        from ocop_desktop.gui.help_viewer import TOPIC_OF_TABLE, add_f1

        add_f1(self, TOPIC_OF_TABLE.get(self.table, "start"))
        from ocop_desktop.gui import screen_fit

        screen_fit.fit(self, QSize(*self.default_size).expandedTo(self.ui.sizeHint()))
        self.load()
        self._watch_edits()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override)
        """Tab from the last button or the widgets after the fields (a list) wraps to
        the first field. Qt keeps a picker's own widget apart from its line edit in the
        focus chain, so Tab reached the picker there and skipped every field above
        it (the producer's name and kind)."""
        before = self.focusWidget()
        moved = super().focusNextPrevChild(next)
        after = self.focusWidget()
        chain = self._tab_chain
        if next and moved and after in chain[1:]:
            if before not in chain or chain.index(after) < chain.index(before):
                chain[0].setFocus(Qt.FocusReason.TabFocusReason)
        return moved

    # ---- for subclasses ---------------------------------------------------
    def setup(self) -> None:
        """Put custom widgets in their slots, fill combos, connect live updates."""

    def read(self) -> dict[str, Any]:
        return {f: get_value(self.w(f)) for f in self.fields}

    def write(self, record: dict[str, Any]) -> None:
        for f in self.fields:
            set_value(self.w(f), record.get(f))

    def new_record(self) -> dict[str, Any]:
        return dict(self.defaults)

    def validate(self, data: dict[str, Any]) -> None:
        """Raise the core's ValidationError for ``data`` without writing anything."""
        merged = self.merged(data)
        if merged.get("incomplete"):
            # An imported record with gaps is checked as leniently as edit() will.
            self.service.clean(self.store, merged, allow_incomplete=True)
        else:
            self.service.clean(self.store, merged)

    def completes(self, data: dict[str, Any]) -> bool:
        """True when an incomplete (imported) record now passes the full rules."""
        if not self.record.get("incomplete"):
            return False
        try:
            self.service.clean(self.store, self.merged(data) | {"incomplete": None})
        except UserError:
            return False
        return True

    def merged(self, data: dict[str, Any]) -> dict[str, Any]:
        if not self.record_id:
            return data
        keep = {k: self.record.get(k) for k in self.service.FIELDS}
        return keep | self.changes(data)

    def after_save(self, record_id: str) -> None:
        """Extra writes inside the save transaction (attachments)."""

    def extra_dirty(self) -> bool:
        return False

    def display_name(self) -> str:
        return str(self.record.get("name") or "")

    def extra_buttons(self) -> list[QPushButton]:
        return []

    # ---- widgets -----------------------------------------------------------
    def w(self, name: str) -> QWidget:
        found = getattr(self, f"_slot_{name}", None) or self.ui.findChild(QWidget, name)
        if found is None:
            raise KeyError(name)
        return found

    def replace_slot(self, name: str, widget: QWidget) -> QWidget:
        """Swap a placeholder QWidget from the .ui for a custom widget."""
        placeholder = self.ui.findChild(QWidget, name)
        parent_layout = _layout_of(self.ui, placeholder)
        widget.setObjectName(name)
        if isinstance(parent_layout, QFormLayout):
            row, role = parent_layout.getWidgetPosition(placeholder)
            parent_layout.removeWidget(placeholder)
            parent_layout.setWidget(row, role, widget)
        else:
            parent_layout.replaceWidget(placeholder, widget)
        label = self.ui.findChild(QLabel, f"label_{name}")
        if label is not None:
            label.setBuddy(widget)
        placeholder.deleteLater()
        setattr(self, f"_slot_{name}", widget)
        return widget

    def _make_error_labels(self) -> None:
        for field in self.fields:
            widget = self.w(field)
            layout = _layout_of(self.ui, widget)
            if not isinstance(layout, QFormLayout):
                continue
            row, _ = layout.getWidgetPosition(widget)
            label = QLabel(self.ui)
            label.setObjectName(f"error_{field}")
            label.setWordWrap(True)
            label.setStyleSheet(ERROR_STYLE)
            layout.insertRow(row + 1, QLabel(self.ui), label)
            layout.setRowVisible(row + 1, False)
            self._error_rows[field] = (layout, label)

    def _make_buttons(self) -> None:
        self.button_row = QHBoxLayout()
        self.history_button = QPushButton(tr("forms.history"), self)
        self.delete_button = QPushButton(tr("forms.delete"), self)
        self.cancel_button = QPushButton(tr("forms.cancel"), self)
        self.save_button = QPushButton(tr("forms.save"), self)
        self.save_button.setToolTip("Enter, Ctrl+S")
        self.cancel_button.setToolTip("Esc")
        extras = self.extra_buttons()
        for b in (self.history_button, self.delete_button, self.cancel_button, *extras):
            b.setAutoDefault(False)
        self.save_button.setDefault(True)
        self.history_button.clicked.connect(self.show_history)
        self.delete_button.clicked.connect(self.delete)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        for b in (self.history_button, self.delete_button, *extras):
            self.button_row.addWidget(b)
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.cancel_button)
        self.button_row.addWidget(self.save_button)

    # ---- load / check / save ---------------------------------------------------
    def load(self) -> None:
        if self.record_id:
            self.record = self.service.get(self.store, self.record_id)
            data = self.record
        else:
            self.record = {}
            data = self.new_record()
        self.write(data)
        self.clear_errors()
        self._snapshot = self.read()
        exists = bool(self.record_id)
        self.history_button.setVisible(exists)
        self.delete_button.setVisible(exists)
        title = tr(self.title_key)
        if exists:
            self.setWindowTitle(tr("forms.edit_title", title=title, name=self.display_name()))
        else:
            self.setWindowTitle(tr("forms.new_title", title=title))
        self.loaded()

    def loaded(self) -> None:
        """Hook after a record was written into the widgets."""

    def changes(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.read() if data is None else data
        return {k: v for k, v in data.items() if self._snapshot.get(k) != v}

    def is_dirty(self) -> bool:
        from ocop_desktop.gui.widgets.completing import CompletingPicker

        # This form's pickers: a product form opened from here stays a (hidden) child.
        pickers = (p for p in self.findChildren(CompletingPicker) if p.window() is self)
        typed = any(p.unresolved for p in pickers)
        return bool(self.changes()) or self.extra_dirty() or typed

    def check(self, *, focus: bool = True) -> bool:
        """Show the problem the core finds in what is typed; True when there is none.

        After a refused save, the message follows the edits (each field left
        re-checks) so it disappears as soon as the value is right.
        """
        self.clear_errors()
        try:
            self.validate(self.read())
        except UserError as exc:
            self.show_error(exc, focus=focus)
            self._recheck = True
            return False
        return True

    def _field_edited(self) -> None:
        if self._recheck and not self.closed:
            self.check(focus=False)

    def _watch_edits(self) -> None:
        for field in self.fields:
            w = self.w(field)
            for signal in ("editingFinished", "changed", "currentIndexChanged", "toggled"):
                if hasattr(w, signal):
                    getattr(w, signal).connect(self._field_edited)
                    break
            else:
                if isinstance(w, QPlainTextEdit):
                    w.textChanged.connect(self._field_edited)

    def save(self, *, close: bool = True) -> bool:
        """Write the record; with ``close`` False the form stays open on it (a new
        record's certificates or products are added from its own form)."""
        if not self.check():
            return False
        if not self.confirm_save():
            return False
        data = self.read()
        try:
            with transaction(self.store.db):
                if self.record_id:
                    changes = self.changes(data)
                    if self.completes(data):
                        changes["incomplete"] = None
                    self.service.edit(self.store, self.record_id, changes)
                    record_id = self.record_id
                else:
                    record_id = self.service.add(self.store, data)
                self.after_save(record_id)
        except UserError as exc:
            self.show_error(exc)
            return False
        except (OperationalError, OSError) as exc:  # busy database, full disk
            self.show_error(UserError("forms.not_saved", detail=explain(exc)))
            return False
        self.saved_id = self.record_id = record_id
        if close:
            self._snapshot = self.read()
            self.accept()
        else:
            self.load()  # now the form of the saved record
        return True

    def confirm_save(self) -> bool:
        """Last question before writing (the producer form asks about duplicates)."""
        return True

    # ---- messages ----------------------------------------------------------------
    def clear_errors(self) -> None:
        for layout, label in self._error_rows.values():
            label.clear()
            layout.setRowVisible(layout.getWidgetPosition(label)[0], False)
        if self.record.get("incomplete"):
            self.message.setText(tr("forms.incomplete_note", note=self.record["incomplete"]))
            self.message.setStyleSheet(NOTE_STYLE)
            self.message.show()
        else:
            self.message.clear()
            self.message.hide()

    def error_text(self, field: str) -> str:
        """The inline message shown under ``field`` ('' when none)."""
        entry = self._error_rows.get(field)
        if entry and entry[0].isRowVisible(entry[0].getWidgetPosition(entry[1])[0]):
            return entry[1].text()
        return ""

    def show_error(self, exc: UserError, *, focus: bool = True) -> None:
        text = tr(exc.key, **exc.params)
        field = self.aliases.get(exc.field or "", exc.field)
        entry = self._error_rows.get(field or "")
        if entry is None:
            label = tr(f"field.{exc.field}") if exc.field else ""
            self.message.setText(f"{label}: {text}" if label else text)
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.show()
            return
        layout, label = entry
        label.setText(text)
        layout.setRowVisible(layout.getWidgetPosition(label)[0], True)
        widget = self.w(field)
        if focus:
            _reveal(widget)
            widget.setFocus()

    # ---- closing ----------------------------------------------------------------------
    def reject(self) -> None:
        if self.is_dirty():
            choice = self.ask_unsaved()
            if choice == "save":
                if not self.save():
                    self.open_instead = None
                return
            if choice == "cancel":
                self.open_instead = None
                return
        super().reject()

    def done(self, result: int) -> None:
        self.closed = True  # late signals (focus leaving a field) must not touch the store
        super().done(result)

    def discard(self) -> None:
        """Close without asking, dropping any unsaved input (e.g. the app is quitting)."""
        QDialog.reject(self)

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("forms.unsaved_title"))
        box.setText(tr("forms.unsaved_text"))
        save = box.addButton(tr("forms.save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(tr("forms.discard"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(tr("forms.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def delete(self) -> None:
        if not self.record_id:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("forms.delete_title"))
        box.setText(tr("forms.delete_text", name=self.display_name()))
        yes = box.addButton(tr("forms.delete"), QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton(tr("forms.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.exec()
        if box.clickedButton() is not yes:
            return
        try:
            self.service.delete(self.store, self.record_id)
        except UserError as exc:
            self.show_error(exc)
            return
        self.deleted = True
        QDialog.reject(self)

    def show_history(self) -> None:
        from ocop_desktop.gui.history import HistoryDialog

        if self.record_id:
            HistoryDialog(self.store, self.record_id, self).exec()


def _layout_of(root: QWidget, widget: QWidget):
    """The layout that directly holds ``widget``."""
    parent = widget.parentWidget()
    candidates = [parent.layout()] if parent is not None and parent.layout() else []
    candidates += root.findChildren(QFormLayout)
    candidates += root.findChildren(QLayout)
    for layout in candidates:
        if layout is None:
            continue
        if isinstance(layout, QFormLayout):
            if layout.getWidgetPosition(widget)[0] >= 0:
                return layout
        elif layout.indexOf(widget) >= 0:
            return layout
    raise LookupError(widget.objectName())


def _focus_target(widget: QWidget) -> QWidget:
    return widget.focusProxy() or widget


def _reveal(widget: QWidget) -> None:
    """Bring the tab holding ``widget`` to the front."""
    child: QWidget | None = widget
    while child is not None:
        parent = child.parentWidget()
        if parent is not None and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            if tabs.indexOf(child) >= 0:
                tabs.setCurrentWidget(child)
        child = parent


class EnterOpens(QObject):
    """For a list inside a form: Enter opens the current row, as in the main lists,
    instead of reaching the form's default button (which saved and closed the form);
    Tab leaves the list instead of walking its cells."""

    def __init__(self, view: QAbstractItemView, open_current: Callable[[], None]) -> None:
        super().__init__(view)
        self.view, self.open_current = view, open_current
        view.setTabKeyNavigation(False)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if self.view.currentIndex().isValid():
                self.open_current()
            return True  # never the form's default button
        return False
