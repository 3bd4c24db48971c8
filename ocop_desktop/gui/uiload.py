"""Loading Designer forms from ``ui/`` and translating them.

Widgets in the .ui files carry a dynamic ``trKey`` property (the catalogue key of
their text, title or tab title) and line edits a ``placeholderKey``; the text
typed in Designer is only the Vietnamese preview, the catalogue wins at run time.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from ocop_desktop.i18n import tr
from ocop_desktop.paths import ui_dir


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>`` (as a child of ``parent``) and translate it."""
    path = ui_dir() / name
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(str(path))
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"cannot load {path}")
    translate_tree(widget)
    return widget


def translate_tree(root: QWidget) -> None:
    for w in [root, *root.findChildren(QWidget)]:
        key = w.property("trKey")
        if key:
            if isinstance(w, (QLabel, QAbstractButton)):
                w.setText(tr(key))
            elif isinstance(w, QGroupBox):
                w.setTitle(tr(key))
            parent = w.parentWidget()
            tabs = parent.parentWidget() if parent is not None else None
            if isinstance(tabs, QTabWidget) and tabs.indexOf(w) >= 0:
                tabs.setTabText(tabs.indexOf(w), tr(key))
            if w is root:
                w.setWindowTitle(tr(key))
        placeholder = w.property("placeholderKey")
        if placeholder and isinstance(w, QLineEdit):
            w.setPlaceholderText(tr(placeholder))
