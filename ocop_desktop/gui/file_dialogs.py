"""Save and open dialogs that start in the user's documents folder and remember the last one.

Every file the officer picks (a report, a sync bundle, a backup, a database) goes
through here, so the next dialog opens where the last file was, not in the
program's folder. On Linux Qt's own dialog is used (it speaks the app's language
through ``qt_texts`` and shows dates the Vietnamese way); Windows and macOS keep
their native dialogs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ocop_desktop.gui import settings


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def start_folder() -> Path:
    """The folder of the last file picked, if it still exists; else the documents folder."""
    last = settings.get("last_folder")
    if last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember(path: Path | str) -> None:
    folder = Path(path).parent
    if str(folder) != settings.get("last_folder"):
        settings.put("last_folder", str(folder))


def _options() -> QFileDialog.Option:
    if sys.platform.startswith("linux"):
        return QFileDialog.Option.DontUseNativeDialog
    return QFileDialog.Option(0)


def save_path(parent: QWidget | None, title: str, name: str, filters: str) -> Path | None:
    """Ask where to save ``name``; None if cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, title, str(start_folder() / name), filters, options=_options()
    )
    if not chosen:
        return None
    remember(chosen)
    return Path(chosen)


def open_path(parent: QWidget | None, title: str, filters: str) -> Path | None:
    """Ask which existing file to open; None if cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, title, str(start_folder()), filters, options=_options()
    )
    if not chosen:
        return None
    remember(chosen)
    return Path(chosen)


def open_paths(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(
        parent, title, str(start_folder()), filters, options=_options()
    )
    if chosen:
        remember(chosen[0])
    return [Path(c) for c in chosen]
