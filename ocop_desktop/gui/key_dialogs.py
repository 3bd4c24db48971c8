"""The app's side of the database key: asking for the recovery sheet's words when
this computer has no key, asking for the passphrase of a database that has one,
setting or removing that passphrase, and saying once that a key file is weaker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

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


def ask_for_passphrase(db_path: Path, parent: QWidget | None = None) -> bool:
    """One dialog at start for a database under a passphrase, asked again while the
    passphrase is wrong: True once it unlocks the key, False if the officer gives up."""
    prompt = tr("key.ask_passphrase", path=str(db_path))
    while True:
        text, ok = QInputDialog.getText(
            parent, tr("app.title"), prompt, QLineEdit.EchoMode.Password
        )
        if not ok or not text:
            return False
        try:
            keystore.unlock(db_path, text)
        except UserError as exc:
            prompt = f"{exc.message()}\n\n{tr('key.ask_passphrase', path=str(db_path))}"
            continue
        return True


class PassphraseDialog(QDialog):
    """Settings → Security: a new passphrase, typed twice."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(tr("settings.security"))
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        self.new_edit = QLineEdit()
        self.again_edit = QLineEdit()
        for edit in (self.new_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("key.new_passphrase"), self.new_edit)
        form.addRow(tr("key.repeat_passphrase"), self.again_edit)
        self.error = QLabel("")
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Keep the key under the new passphrase, or say what is wrong and stay open."""
        if self.new_edit.text() != self.again_edit.text():
            self._say(tr("key.passphrase_mismatch"))
            return
        try:
            keystore.set_passphrase(self.db_path, self.new_edit.text())
        except UserError as exc:
            self._say(exc.message())
            return
        super().accept()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.layout().activate()
        self.adjustSize()


def remove_passphrase(db_path: Path, parent: QWidget | None = None) -> bool:
    """Settings → Security: after a confirmation, the key kept without passphrase."""
    answer = QMessageBox.question(parent, tr("app.title"), tr("settings.passphrase_remove_confirm"))
    if answer != QMessageBox.StandardButton.Yes:
        return False
    keystore.remove_passphrase(db_path)
    return True
