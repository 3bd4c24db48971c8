"""Loading Designer forms from ``ui/`` and translating them.

Widgets in the .ui files carry a dynamic ``trKey`` property (the catalogue key of
their text, title or tab title) and line edits a ``placeholderKey``; the text
typed in Designer is only the Vietnamese preview, the catalogue wins at run time.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, QFile, QIODevice
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


@cache
def loader() -> QUiLoader:
    """One loader for every form, made without Designer's widget plugins.

    A new ``QUiLoader`` loads every plugin under ``<library path>/designer``: PySide6
    ships Qt Quick and WebEngine ones, which pull in QtQml, QtNetwork and more and
    cost ~20 ms, for widgets no form here uses. With no library paths while it is
    made, it knows only the standard widgets; the paths are put back at once.
    """
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        return QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)


def build_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """The widget tree of ``ui/<name>`` (as a child of ``parent``), texts untranslated."""
    path = ui_dir() / name
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(str(path))
    try:
        widget = loader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"cannot load {path}: {loader().errorString()}")
    return widget


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>`` (as a child of ``parent``) and translate it."""
    widget = build_ui(name, parent)
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
