"""Save and open dialogs that start in the user's documents folder and remember the last one.

Every file the officer picks (a report, a sync bundle, a backup, a database, a
photo) goes through here, so the next dialog opens where the last file was, not
in the program's folder. On Linux Qt's own dialog is used: it speaks the app's
language (``qt_texts``) and shows dates as 02/12/2026 14:05 (the system's
short format gave "2 12 2026"). Windows and macOS keep their native dialogs,
which follow the system's language and date format.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

from ocop_desktop.gui import settings
from ocop_desktop.i18n import format_date

DATE_COLUMN = 3  # QFileSystemModel: name, size, type, date modified


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


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


class _Dates(QIdentityProxyModel):
    """The dialog's "date modified" column in the app's format."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if index.column() == DATE_COLUMN and role == Qt.ItemDataRole.DisplayRole:
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                moment = source.lastModified(self.mapToSource(index)).toPython()
                if isinstance(moment, datetime):
                    return f"{format_date(moment.date())} {moment:%H:%M}"
        return super().data(index, role)


def dialog(parent: QWidget | None, title: str, filters: str, start: Path) -> QFileDialog:
    """The dialog, not yet shown (tests drive it; the functions below run it)."""
    box = QFileDialog(parent, title, str(start), filters)
    if sys.platform.startswith("linux"):
        box.setOption(QFileDialog.Option.DontUseNativeDialog)
        box.setProxyModel(_Dates(box))
    return box


def _run(box: QFileDialog) -> list[Path]:
    if not box.exec():
        return []
    chosen = [Path(f) for f in box.selectedFiles()]
    if chosen:
        remember(chosen[0])
    return chosen


def save_path(parent: QWidget | None, title: str, name: str, filters: str) -> Path | None:
    """Ask where to save ``name``; None if cancelled."""
    box = dialog(parent, title, filters, start_folder())
    box.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    box.selectFile(name)
    chosen = _run(box)
    return chosen[0] if chosen else None


def open_path(
    parent: QWidget | None, title: str, filters: str, start: Path | None = None
) -> Path | None:
    """Ask which existing file to open (from ``start``, else the last folder); None if cancelled."""
    box = dialog(parent, title, filters, start or start_folder())
    box.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _run(box)
    return chosen[0] if chosen else None


def open_paths(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    box = dialog(parent, title, filters, start_folder())
    box.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(box)
