"""Settings: language, officer name, the optional passphrase, backups (now, restore,
the list)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import backup, cert_status, keystore
from ocop_desktop import db as dbmod
from ocop_desktop.errors import UserError
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.gui.workers import run_with_progress
from ocop_desktop.i18n import LANGUAGES, catalogue, format_number, language, tr
from ocop_desktop.store import Store


class SettingsPage(QWidget):
    languageChanged = Signal(str)
    officerChanged = Signal(str)
    warningDaysChanged = Signal(int)
    backedUp = Signal()
    restoreRequested = Signal(str)  # path of the backup to restore

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("page_settings")
        layout = QVBoxLayout(self)

        general = QGroupBox(tr("settings.general"))
        form = QFormLayout(general)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for lang in LANGUAGES:
            self.language_combo.addItem(tr(f"settings.lang.{lang}"), lang)
        self.language_combo.setCurrentIndex(self.language_combo.findData(language()))
        self.language_combo.currentIndexChanged.connect(
            lambda _i: self.languageChanged.emit(self.language_combo.currentData())
        )
        form.addRow(tr("settings.language"), self.language_combo)
        officer_row = QHBoxLayout()
        self.officer_edit = QLineEdit(store.officer)
        self.officer_edit.setObjectName("officerEdit")
        self.officer_edit.returnPressed.connect(self.save_officer)
        officer_save = QPushButton(tr("settings.officer_save"))
        officer_save.clicked.connect(self.save_officer)
        officer_row.addWidget(self.officer_edit, 1)
        officer_row.addWidget(officer_save)
        form.addRow(tr("settings.officer"), officer_row)
        self.warning_spin = QSpinBox()
        self.warning_spin.setObjectName("warningDays")
        self.warning_spin.setRange(cert_status.MIN_WARNING_DAYS, cert_status.MAX_WARNING_DAYS)
        self.warning_spin.setValue(cert_status.warning_days(store.db))
        self.warning_spin.setSuffix(tr("settings.days_suffix"))
        self.warning_spin.setToolTip(tr("settings.warning_days_hint"))
        self.warning_spin.editingFinished.connect(self.save_warning_days)
        form.addRow(tr("field.warning_days"), self.warning_spin)
        form.addRow(tr("settings.office"), QLabel(store.node.name))
        form.addRow(tr("settings.database"), QLabel(str(store.path)))
        layout.addWidget(general)

        security = QGroupBox(tr("settings.security"))
        row = QHBoxLayout(security)
        self.passphrase_label = QLabel()
        self.passphrase_label.setWordWrap(True)
        self.passphrase_button = QPushButton()
        self.passphrase_button.setObjectName("passphraseSet")
        self.passphrase_button.clicked.connect(self.set_passphrase)
        self.passphrase_remove = QPushButton(tr("settings.passphrase_remove"))
        self.passphrase_remove.setObjectName("passphraseRemove")
        self.passphrase_remove.clicked.connect(self.remove_passphrase)
        row.addWidget(self.passphrase_label, 1)
        row.addWidget(self.passphrase_button)
        row.addWidget(self.passphrase_remove)
        layout.addWidget(security)
        self.show_passphrase()

        backups = QGroupBox(tr("settings.backups"))
        box = QVBoxLayout(backups)
        box.addWidget(QLabel(tr("settings.backups_hint", keep=backup.KEEP)))
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(tr("settings.backup_now"))
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(tr("settings.restore"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.backup_list = QListWidget()
        self.backup_list.setObjectName("backupList")
        self.backup_list.itemDoubleClicked.connect(lambda _item: self.restore())
        box.addWidget(self.backup_list, 1)
        layout.addWidget(backups, 1)
        self.refresh()

    def show_passphrase(self) -> None:
        on = keystore.has_passphrase(self.store.path)
        self.passphrase_label.setText(
            tr("key.passphrase_status_on" if on else "key.passphrase_status_off")
        )
        self.passphrase_button.setText(
            tr("settings.passphrase_change" if on else "settings.passphrase_set")
        )
        self.passphrase_remove.setVisible(on)

    def set_passphrase(self) -> None:
        from ocop_desktop.gui.key_dialogs import PassphraseDialog

        if PassphraseDialog(self.store.path, self).exec():
            self.show_passphrase()
            QMessageBox.information(
                self, tr("app.title"), tr("key.passphrase_set", path=str(self.store.path))
            )

    def remove_passphrase(self) -> None:
        from ocop_desktop.gui.key_dialogs import remove_passphrase

        try:
            removed = remove_passphrase(self.store.path, self)
        except UserError as exc:
            QMessageBox.warning(self, tr("app.title"), exc.message())
            return
        self.show_passphrase()
        if removed:
            QMessageBox.information(
                self, tr("app.title"), tr("key.passphrase_removed", path=str(self.store.path))
            )

    def refresh(self) -> None:
        self.backup_list.clear()
        for path in backup.list_backups(self.store.path):
            stamp = datetime.fromtimestamp(path.stat().st_mtime)
            size = format_number(path.stat().st_size / 1_048_576, decimals=1)
            reason = path.stem.rsplit("-", 1)[-1]
            label = tr(
                "settings.backup_item",
                when=fmt.when(stamp),
                reason=tr(f"settings.reason.{reason}")
                if f"settings.reason.{reason}" in catalogue()
                else reason,
                size=size,
            )
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.backup_list.addItem(item)
        if not self.backup_list.count():
            self.backup_list.addItem(QListWidgetItem(tr("settings.no_backups")))

    def save_warning_days(self) -> None:
        """One window for every list, the overview and the reports."""
        days = self.warning_spin.value()
        if days != cert_status.warning_days(self.store.db):
            cert_status.set_warning_days(self.store.db, days)
            self.warningDaysChanged.emit(days)

    def save_officer(self) -> None:
        name = " ".join(self.officer_edit.text().split())
        dbmod.set_meta(self.store.db, "officer", name)
        self.store.officer = name
        self.officerChanged.emit(name)

    def backup_now(self) -> None:
        try:
            out = run_with_progress(
                self,
                tr("settings.backing_up"),
                self.store,
                lambda key, _p: backup.backup_now(key.path),
                cancellable=False,
            )
        except UserError as exc:
            QMessageBox.warning(self, tr("app.title"), exc.message())
            return
        self.refresh()
        self.backedUp.emit()
        QMessageBox.information(self, tr("app.title"), tr("settings.backup_done", path=str(out)))

    def restore(self) -> None:
        item = self.backup_list.currentItem()
        chosen = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not chosen:
            from ocop_desktop.gui import file_dialogs

            picked = file_dialogs.open_path(
                self,
                tr("settings.restore"),
                tr("settings.backup_files") + " (*.sqlite *.db)",
                start=backup.backups_dir(self.store.path),
            )
            chosen = str(picked) if picked else None
        if not chosen:
            return
        answer = QMessageBox.question(
            self, tr("app.title"), tr("settings.restore_confirm", file=Path(chosen).name)
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restoreRequested.emit(chosen)
