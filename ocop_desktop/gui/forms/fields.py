"""Reading and writing widget values in the form's language (no business rules here)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ocop_desktop import clock
from ocop_desktop.gui.formatting import locale
from ocop_desktop.i18n import format_number, language


def date_format() -> str:
    """Date fields are typed day/month/year with the month as a number, in English
    too: a "Nov" section takes no digits, so "15/11/2025" kept the month already
    there. Lists and history still print "15 Nov 2025" in English."""
    return "dd/MM/yyyy"


def parse_number(text: str) -> Any:
    """A number typed the language's way: '150.000' -> 150000 and '12,5' -> 12.5 in
    Vietnamese, '150,000' and '12.5' in English. Anything else goes to the core as
    typed, which reads the rest ('12.5' in Vietnamese) or says what is wrong.

    One decimal sign before exactly three digits ('150,000' in Vietnamese,
    '150.000' in English) is as likely thousands typed the other language's way:
    the core asks rather than guesses (it was read as 150)."""
    text = text.strip()
    if not text:
        return None
    compact = text.replace(" ", "").replace("\u00a0", "")
    group, point = (".", ",") if language() == "vi" else (",", ".")
    g, p = re.escape(group), re.escape(point)
    grouped = re.fullmatch(rf"([1-9]\d{{0,2}}(?:{g}\d{{3}})+)({p}\d+)?", compact)
    if grouped:
        whole, decimals = grouped.group(1), grouped.group(2) or ""
        return float(whole.replace(group, "") + decimals.replace(point, "."))
    plain = re.fullmatch(rf"\d+(?:{p}\d+)?", compact)
    if plain and not re.fullmatch(rf"[1-9]?\d{{0,2}}{p}\d{{3}}", compact):
        return float(compact.replace(point, "."))
    return text


def show_number(value: float | int | None) -> str:
    if value is None:
        return ""
    decimals = 0 if float(value).is_integer() else 2
    text = format_number(value, decimals=decimals)
    if decimals:
        text = text.rstrip("0")
    return text


def get_value(w: QWidget) -> Any:
    if isinstance(w, QLineEdit):
        return w.text().strip() or None
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip() or None
    if isinstance(w, QCheckBox):
        return int(w.isChecked())
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QDateEdit):
        return w.date().toPython().isoformat()
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        return w.value()
    if hasattr(w, "value"):
        return w.value()
    raise TypeError(f"no value for {type(w).__name__}")


def set_value(w: QWidget, value: Any) -> None:
    if isinstance(w, QLineEdit):
        w.setText("" if value is None else str(value))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText("" if value is None else str(value))
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, QComboBox):
        index = w.findData(value)
        w.setCurrentIndex(index if index >= 0 else 0)
    elif isinstance(w, QDateEdit):
        d = date.fromisoformat(value) if isinstance(value, str) else (value or clock.today())
        w.setDate(QDate(d.year, d.month, d.day))
    elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
        w.setValue(value or 0)
    elif hasattr(w, "set_value"):
        w.set_value(value)
    else:
        raise TypeError(f"cannot set {type(w).__name__}")


class _TabLeavesField(QObject):
    """Tab leaves a date field instead of stepping day → month → year: the sections
    already advance by themselves as digits are typed, as in a spreadsheet.

    For the same reason a "/" (or "." "-") typed right after a section filled up and
    moved on by itself is skipped: "15/11/2025" typed in full used to jump over the
    month and leave the year unchanged (15/11/2026), a wrong date nobody noticed."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.text():
            advanced = watched.property("ocop_advanced")
            watched.setProperty("ocop_advanced", False)
            if event.text() in "/.- ":
                return bool(advanced)  # already in the next section
            if event.text().isdigit():
                before = watched.currentSectionIndex()
                watched.event(event)  # let the field take the digit now, then look
                watched.setProperty("ocop_advanced", watched.currentSectionIndex() != before)
                return True
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            target = watched.nextInFocusChain() if forward else watched.previousInFocusChain()
            while target is not watched and not _takes_tab(target):
                target = target.nextInFocusChain() if forward else target.previousInFocusChain()
            target.setFocus(
                Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            )
            return True
        return False


def _takes_tab(w: QWidget) -> bool:
    return (
        w.isVisible()
        and w.isEnabled()
        and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and w.focusProxy() is None
    )


_TAB_FILTER: _TabLeavesField | None = None


def setup_date_edit(w: QDateEdit) -> None:
    global _TAB_FILTER
    w.setDisplayFormat(date_format())
    w.setCalendarPopup(True)
    w.setLocale(locale())
    if _TAB_FILTER is None:
        _TAB_FILTER = _TabLeavesField()
    w.installEventFilter(_TAB_FILTER)


class _EitherDecimalSign(QObject):
    """In a points box (no thousands there) both "." and "," are the decimal sign:
    "25.5" typed in Vietnamese was read as 25, and "25,5" in English too."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        point = locale().decimalPoint()
        typed = event.text() if event.type() == QEvent.Type.KeyPress else ""
        if typed in (".", ",") and typed != point:
            key = Qt.Key.Key_Comma if point == "," else Qt.Key.Key_Period
            swapped = QKeyEvent(QEvent.Type.KeyPress, key, event.modifiers(), point)
            QCoreApplication.sendEvent(watched, swapped)
            return True
        return False


def setup_spin(w: QAbstractSpinBox) -> None:
    w.setLocale(locale())
    w.setKeyboardTracking(True)
    if isinstance(w, QDoubleSpinBox):
        # On the box, which has the focus and hands keys on to its line edit.
        w.installEventFilter(_EitherDecimalSign(w))
