"""Driving the forms like a person: typing Vietnamese, answering dialogs."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard: ASCII through QTest.keyClick, other letters as key
    events carrying the character (qtbot.keyClicks aborts on non-ASCII here)."""
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            QTest.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                )
    QApplication.processEvents()


def answer_next_dialog(action: Callable[[QWidget], None], attempts: int = 50) -> list[str]:
    """When the next modal dialog opens, call ``action`` on it. Returns a list
    that receives the dialog's text, so the test can assert what was asked."""
    seen: list[str] = []

    def poll(left: int = attempts) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or getattr(dialog, "_answered", False):
            if left:
                QTimer.singleShot(20, lambda: poll(left - 1))
            return
        dialog._answered = True
        text = getattr(dialog, "text", None)
        seen.append(text() if callable(text) else dialog.windowTitle())
        try:
            action(dialog)
        finally:
            if dialog.isVisible():  # a failed check must fail the test, not hang it
                dialog.reject() if not hasattr(dialog, "discard") else dialog.discard()

    QTimer.singleShot(0, poll)
    return seen


def click_button(text: str) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        for button in dialog.findChildren(QAbstractButton):
            if button.text() == text:
                button.click()
                return
        raise AssertionError(f"no button {text!r} in {dialog.windowTitle()}")

    return act


def choose_popup_row(picker, predicate) -> None:
    """Pick the completer row whose entry matches, with the keyboard."""
    from ocop_desktop.gui.widgets.completing import ENTRY_ROLE

    popup = picker.completer.popup()
    assert popup.isVisible(), "the completion list did not open"
    model = picker.model
    rows = [r for r in range(model.rowCount()) if predicate(model.item(r).data(ENTRY_ROLE))]
    assert rows, [model.item(r).text() for r in range(model.rowCount())]
    for _ in range(rows[0] + 1):
        QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    QApplication.processEvents()


def show_form(qtbot, form):
    """Show a form for a test; at the end it is closed without the unsaved question."""
    qtbot.addWidget(form, before_close_func=lambda w: w.discard() if w.isVisible() else None)
    form.show()
    form.activateWindow()
    with warnings.catch_warnings():  # deprecated, but the offscreen platform needs it
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(form)  # leaving a field needs an active window
    return form


def tab_sequence(form) -> list[str]:
    """The fields Tab visits, starting at the first one."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    form.w(form.fields[0]).setFocus()
    seen = []
    for _ in range(len(form.fields)):
        widget = form.focusWidget()
        owner = next((f for f in form.fields if form.w(f) in (widget, widget.parentWidget())), None)
        seen.append(owner or widget.objectName() or type(widget).__name__)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return seen
