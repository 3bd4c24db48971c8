"""The app's side of the database key: asking for the recovery sheet's words when
this computer has no key, and saying once that a key file is weaker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ocop_desktop import keystore, recovery
from ocop_desktop.errors import UserError
from ocop_desktop.i18n import tr


def ask_for_recovery_words(db_path: Path, parent: QWidget | None = None) -> bool:
    """Ask for the words until they open the database (True) or the officer gives up."""
    prompt = tr("key.ask_words", path=str(db_path))
    while True:
        text, ok = QInputDialog.getMultiLineText(parent, tr("key.sheet.title"), prompt)
        if not ok or not text.strip():
            return False
        try:
            recovery.restore_key(db_path, text)
        except UserError as exc:
            prompt = f"{exc.message()}\n\n{tr('key.ask_words', path=str(db_path))}"
            continue
        return True


def show_weak_key_notice(db_path: Path, parent: QWidget) -> QMessageBox | None:
    """Once per database whose key is a file: a note that does not block the window."""
    if not keystore.weak_notice_due(db_path):
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        tr("app.title"),
        tr("key.file_notice", folder=str(keystore.data_folder(db_path))),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setModal(False)
    box.show()
    return box
