"""The sync page: this computer's fingerprint, export and import of bundles,
the history of every bundle in and out, and a side-by-side conflict review.

Export, verification and import are jobs of ``gui.workers`` with their own
database connection (WAL lets the window keep reading); a progress dialog
appears only when the work takes longer than half a second.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import sync
from ocop_desktop.errors import UserError, explain
from ocop_desktop.gui import file_dialogs
from ocop_desktop.gui.workers import own_store, run_with_progress
from ocop_desktop.i18n import format_number, language, tr
from ocop_desktop.store import Store
from ocop_desktop.sync import conflicts, peers
from ocop_desktop.sync.drives import removable_drives
from ocop_desktop.sync.status import resent, waiting


class BundleDialog(QDialog):
    """What a bundle holds and who sent it; a new sender must be confirmed by fingerprint."""

    def __init__(self, bundle: sync.Bundle, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("sync.gui.import_title"))
        sender = bundle.sender
        form = QFormLayout()
        form.addRow(
            tr("sync.gui.sender"),
            QLabel(f"{sender.name or ''} ({tr('sync.gui.role.' + sender.role)})"),
        )
        form.addRow(tr("sync.gui.node"), QLabel(sender.node_id))
        if sender.role == "office":
            form.addRow(
                tr("sync.gui.area"),
                QLabel(tr("sync.gui.area_size", office=sender.office_code, count=len(sender.area))),
            )
        fingerprint = QLabel(sender.fingerprint)
        big = QFont("monospace")
        big.setPointSize(big.pointSize() + 2)
        big.setBold(True)
        fingerprint.setFont(big)
        fingerprint.setObjectName("fingerprint")
        form.addRow(tr("sync.gui.fingerprint"), fingerprint)
        form.addRow(tr("sync.gui.created"), QLabel(_when(bundle.manifest.get("created_at"))))
        for table, count in bundle.counts.items():
            form.addRow(tr(f"sync.gui.table.{table}"), QLabel(format_number(count)))
        form.addRow(tr("sync.gui.attachments"), QLabel(format_number(len(bundle.attachments))))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.trust = None
        self.choices: dict[str, QRadioButton] = {}
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(tr("sync.gui.apply"))
        buttons.button(QDialogButtonBox.Cancel).setText(tr("sync.gui.cancel"))
        if not bundle.known:
            warning = QLabel(tr("sync.gui.new_sender"))
            warning.setWordWrap(True)
            layout.addWidget(warning)
            self.trust = QCheckBox(tr("sync.gui.trust_checkbox"))
            layout.addWidget(self.trust)
            ok = buttons.button(QDialogButtonBox.Ok)
            ok.setEnabled(False)
            self.trust.toggled.connect(lambda _on: ok.setEnabled(self._ready()))
            if bundle.same_office:  # a second laptop of that office, or a replacement?
                same = QLabel(
                    tr(
                        "sync.gui.same_office",
                        office=sender.office_code,
                        known=", ".join(p.fingerprint for p in bundle.same_office),
                        found=sender.fingerprint,
                    )
                )
                same.setWordWrap(True)
                same.setObjectName("same_office")
                layout.addWidget(same)
                for choice in ("second", "replacement"):
                    button = QRadioButton(tr(f"sync.gui.office_choice.{choice}"))
                    button.setObjectName(f"choice_{choice}")
                    button.toggled.connect(lambda _on: ok.setEnabled(self._ready()))
                    self.choices[choice] = button
                    layout.addWidget(button)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _ready(self) -> bool:
        trusted = self.trust is None or self.trust.isChecked()
        return trusted and (not self.choices or self.office_choice() is not None)

    def office_choice(self) -> str | None:
        return next((c for c, b in self.choices.items() if b.isChecked()), None)


class SyncPage(QWidget):
    exported = Signal(object)
    imported = Signal(object)
    failed = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.busy = False
        self.peer_list: list[peers.Peer | None] = []

        layout = QVBoxLayout(self)
        layout.addWidget(self._identity_box())
        row = QHBoxLayout()
        row.addWidget(self._export_box())
        row.addWidget(self._import_box())
        layout.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._history_tab(), tr("sync.gui.history"))
        self.tabs.addTab(self._conflicts_tab(), tr("sync.gui.conflicts"))
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- building ----------------------------------------------------------------
    def _identity_box(self) -> QGroupBox:
        box = QGroupBox(tr("sync.gui.this_computer"))
        form = QFormLayout(box)
        me = sync.whoami(self.store)
        form.addRow(
            tr("sync.gui.office"), QLabel(f"{me['name']} ({tr('sync.gui.role.' + me['role'])})")
        )
        node = QLabel(me["node"])
        node.setTextInteractionFlags(node.textInteractionFlags() | _selectable())
        form.addRow(tr("sync.gui.node"), node)
        self.fingerprint = QLabel(me["fingerprint"])
        font = QFont("monospace")
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(_selectable())
        form.addRow(tr("sync.gui.fingerprint"), self.fingerprint)
        return box

    def _export_box(self) -> QGroupBox:
        box = QGroupBox(tr("sync.gui.export"))
        v = QVBoxLayout(box)
        self.peer_combo = QComboBox()
        self.peer_combo.currentIndexChanged.connect(self._update_waiting)
        v.addWidget(QLabel(tr("sync.gui.recipient")))
        v.addWidget(self.peer_combo)
        self.waiting = QLabel()
        v.addWidget(self.waiting)
        self.restored = QLabel()  # the peer's database went back: what was sent again
        self.restored.setObjectName("peerRestored")
        self.restored.setWordWrap(True)
        self.restored.hide()
        v.addWidget(self.restored)
        self.export_button = QPushButton(tr("sync.gui.export_button"))
        self.export_button.clicked.connect(self.export_clicked)
        v.addWidget(self.export_button)
        self.export_result = QLabel()  # under its own button, not under the import box
        self.export_result.setObjectName("exportResult")
        self.export_result.setWordWrap(True)
        self.export_result.setTextInteractionFlags(_selectable())
        v.addWidget(self.export_result)
        v.addStretch(1)
        return box

    def _import_box(self) -> QGroupBox:
        box = QGroupBox(tr("sync.gui.import"))
        v = QVBoxLayout(box)
        hint = QLabel(tr("sync.gui.import_hint"))
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.import_button = QPushButton(tr("sync.gui.import_button"))
        self.import_button.clicked.connect(self.import_clicked)
        v.addWidget(self.import_button)
        self.last_result = QLabel()
        self.last_result.setWordWrap(True)
        v.addWidget(self.last_result)
        v.addStretch(1)
        return box

    def _history_tab(self) -> QWidget:
        self.history = _table(
            [
                tr("sync.gui.col.at"),
                tr("sync.gui.col.direction"),
                tr("sync.gui.col.peer"),
                tr("sync.gui.col.file"),
                tr("sync.gui.col.rows"),
                tr("sync.gui.col.inserted"),
                tr("sync.gui.col.updated"),
                tr("sync.gui.col.conflicts"),
                tr("sync.gui.col.status"),
            ]
        )
        return self.history

    def _conflicts_tab(self) -> QWidget:
        self.conflict_list = _table(
            [
                tr("sync.gui.col.record"),
                tr("sync.gui.col.kind"),
                tr("sync.gui.col.kept"),
                tr("sync.gui.col.at"),
            ]
        )
        self.conflict_list.itemSelectionChanged.connect(self._show_conflict)
        self.sides = _table([tr("sync.gui.col.field"), tr("sync.gui.mine"), tr("sync.gui.theirs")])
        self.keep_mine = QPushButton(tr("sync.gui.keep_mine"))
        self.keep_theirs = QPushButton(tr("sync.gui.keep_theirs"))
        self.keep_mine.clicked.connect(lambda: self.resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self.resolve("theirs"))
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.sides)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        rv.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.conflict_list)
        split.addWidget(right)
        split.setSizes([460, 740])
        self.sides.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        return split

    # -- data --------------------------------------------------------------------
    def refresh(self) -> None:
        self._fill_peers()
        self._fill_history()
        self._fill_conflicts()

    def _fill_peers(self) -> None:
        self.peer_combo.blockSignals(True)
        self.peer_combo.clear()
        known = peers.all_peers(self.store)
        if self.store.node.is_province:
            self.peer_list = [p for p in known if p.role == "office"]
            for p in self.peer_list:
                self.peer_combo.addItem(f"{p.name} ({p.office_code}) – {p.fingerprint[:9]}")
        else:
            province = next((p for p in known if p.role == "province"), None)
            self.peer_list = [province]
            label = province.name if province else tr("sync.gui.province_unknown")
            self.peer_combo.addItem(label)
        self.peer_combo.blockSignals(False)
        self.export_button.setEnabled(bool(self.peer_list))
        self._update_waiting()

    def _update_waiting(self) -> None:
        peer = self.selected_peer()
        if not self.peer_list:
            self.waiting.setText(tr("sync.gui.no_offices"))
            return
        count = waiting(self.store, peer)
        self.waiting.setText(tr("sync.gui.waiting", count=format_number(count)))
        self.restored.setVisible(bool(peer and peer.restored_at))
        if peer is not None and peer.restored_at:
            again = resent(self.store, peer)
            key = "cli.sync.peer_restored" if again["bundles"] else "cli.sync.peer_restored_next"
            self.restored.setText(tr(key, name=peer.name, at=_when(peer.restored_at), **again))

    def selected_peer(self) -> peers.Peer | None:
        i = self.peer_combo.currentIndex()
        return self.peer_list[i] if 0 <= i < len(self.peer_list) else None

    def _fill_history(self) -> None:
        rows = sync.history(self.store)
        self.history.setRowCount(len(rows))
        for i, r in enumerate(rows):
            direction = tr("sync.gui.in") if r.get("direction") == "in" else tr("sync.gui.out")
            status = tr(f"sync.gui.status.{r.get('status')}")
            if r.get("message"):
                status += f": {_message(r['message'])}"
            values = [
                _when(r.get("at")),
                direction,
                _peer_name(r.get("peer_name")),
                r.get("file_name"),
                r.get("rows"),
                r.get("inserted"),
                r.get("updated"),
                r.get("conflicts"),
                status,
            ]
            for j, value in enumerate(values):
                text = format_number(value) if isinstance(value, int) else str(value or "")
                self.history.setItem(i, j, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()

    def _fill_conflicts(self) -> None:
        self.open_conflicts = conflicts.list_(self.store)
        self.conflict_list.setRowCount(len(self.open_conflicts))
        for i, c in enumerate(self.open_conflicts):
            kept = tr("sync.gui.mine") if c["winner"] == "mine" else tr("sync.gui.theirs")
            for j, value in enumerate(
                [c["label"], tr(f"sync.gui.table.{c['table_name']}"), kept, _when(c["detected_at"])]
            ):
                self.conflict_list.setItem(i, j, QTableWidgetItem(str(value)))
        self.conflict_list.resizeColumnsToContents()
        self.tabs.setTabText(
            1,
            tr("sync.gui.conflicts")
            + (f" ({len(self.open_conflicts)})" if self.open_conflicts else ""),
        )
        self.sides.setRowCount(0)
        self.keep_mine.setEnabled(False)
        self.keep_theirs.setEnabled(False)

    def selected_conflict(self) -> dict | None:
        rows = {i.row() for i in self.conflict_list.selectedItems()}
        return self.open_conflicts[rows.pop()] if len(rows) == 1 else None

    def _show_conflict(self) -> None:
        c = self.selected_conflict()
        self.keep_mine.setEnabled(c is not None)
        self.keep_theirs.setEnabled(c is not None)
        if c is None:
            self.sides.setRowCount(0)
            return
        self.sides.setRowCount(len(c["fields"]))
        bold = QFont()
        bold.setBold(True)
        for i, name in enumerate(c["fields"]):
            cells = [
                tr(f"field.{name}") if tr(f"field.{name}") != f"field.{name}" else name,
                self._value(name, c["mine_row"].get(name)),
                self._value(name, c["theirs_row"].get(name)),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # long names are cut in the cell
                if j and (j == 1) == (c["winner"] == "mine"):
                    item.setFont(bold)
                self.sides.setItem(i, j, item)

    def _value(self, field: str, value: Any) -> str:
        """As the forms show it: a commune's name, not its code 16144; a kind's label."""
        from ocop_desktop.gui.history import value_text

        return "—" if value is None else value_text(field, value, self.store) or _show(value)

    # -- actions -------------------------------------------------------------------
    def export_clicked(self) -> None:
        peer = self.selected_peer()
        path = self.choose_export_path(sync.suggested_name(self.store, peer))
        if not path:
            return
        target = peer.node_id if peer else None
        self._run(
            tr("sync.gui.exporting"),
            lambda store, progress: sync.export_bundle(store, path, target, progress),
            self._exported,
        )

    def _exported(self, result: sync.ExportResult) -> None:
        text = tr(
            "sync.cli.exported",
            path=str(result.path),
            rows=format_number(result.total),
            attachments=result.attachments,
            size=f"{result.size / 1024:,.0f} KB",
        )
        if not result.sealed:  # signed only: say how to carry it
            text += "\n" + tr("seal.not_sealed")
        self.export_result.setText(text)
        self.refresh()
        self.exported.emit(result)

    def import_clicked(self) -> None:
        path = self.choose_import_path()
        if path:
            self.import_file(path)

    def _file_dialog(self, title: str, start: Path) -> QFileDialog:
        """A file dialog opening on a USB stick when one is plugged in, with the
        removable drives in its side bar."""
        dialog = file_dialogs.dialog(self, title, "OCOP (*.zip);;* (*)", start)
        drives = removable_drives()
        if drives:
            dialog.setOption(QFileDialog.DontUseNativeDialog)
            dialog.setDirectory(str(drives[0]))
            dialog.setSidebarUrls(
                dialog.sidebarUrls() + [QUrl.fromLocalFile(str(d)) for d in drives]
            )
        return dialog

    def choose_export_path(self, suggested: str) -> str | None:
        dialog = self._file_dialog(tr("sync.gui.export_title"), file_dialogs.start_folder())
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setDefaultSuffix("zip")
        dialog.selectFile(suggested)
        if dialog.exec() != QDialog.Accepted or not dialog.selectedFiles():
            return None
        file_dialogs.remember(dialog.selectedFiles()[0])
        return dialog.selectedFiles()[0]

    def choose_import_path(self) -> str | None:
        dialog = self._file_dialog(tr("sync.gui.import_title"), file_dialogs.start_folder())
        dialog.setFileMode(QFileDialog.ExistingFile)
        if dialog.exec() != QDialog.Accepted or not dialog.selectedFiles():
            return None
        file_dialogs.remember(dialog.selectedFiles()[0])
        return dialog.selectedFiles()[0]

    def import_file(self, path: str) -> None:
        """Verify (off the UI thread), show what the bundle holds, then apply it."""
        self._run(
            tr("sync.gui.verifying"),
            lambda store, progress: sync.check_bundle(store, path),
            self._confirm_and_apply,
        )

    def _confirm_and_apply(self, bundle: sync.Bundle) -> None:
        dialog = BundleDialog(bundle, self)
        if dialog.exec() != QDialog.Accepted:
            return
        choice = dialog.office_choice()
        self._run(
            tr("sync.gui.importing"),
            lambda store, progress: sync.apply_checked(store, bundle, progress, choice),
            self._imported,
        )

    def _imported(self, result: sync.ApplyResult) -> None:
        # The store has caught up with the clock the import moved (``workers.start``).
        self.last_result.setText(tr("sync.cli.imported", **result.as_dict()))
        self.refresh()
        if result.conflicts:
            self.tabs.setCurrentIndex(1)
        self.imported.emit(result)

    def resolve(self, keep: str) -> None:
        c = self.selected_conflict()
        if c is None:
            return
        try:
            conflicts.resolve(self.store, c["id"], keep)
        except UserError as exc:
            self._error(exc.message())
            return
        self.refresh()

    # -- plumbing ------------------------------------------------------------------
    def _run(self, label: str, fn, on_done) -> None:
        """``fn(store, progress)`` as a job on its own connection, behind the progress
        dialog of ``gui.workers`` (shown after half a second); then ``on_done(result)``."""
        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.busy = True
        try:
            result = run_with_progress(self, label, self.store, own_store(fn), cancellable=False)
        except Exception as exc:  # noqa: BLE001 - said to the person, the page stays usable
            self._end()
            self._failed(exc)
            return
        self._end()
        on_done(result)

    def _end(self) -> None:
        self.busy = False
        self.import_button.setEnabled(True)
        self.export_button.setEnabled(bool(self.peer_list))

    def _failed(self, exc: BaseException) -> None:
        message = explain(exc) or str(exc)
        self.last_result.setText(message)
        self._fill_history()
        self.failed.emit(message)
        self._error(message)

    def _error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Warning, tr("sync.gui.title"), message, parent=self)
        box.open()


def _selectable():
    from PySide6.QtCore import Qt

    return Qt.TextSelectableByMouse


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _peer_name(logged: str | None) -> str | None:
    """A province not heard from yet is logged as "province 38": shown by its name."""
    code = (logged or "").removeprefix("province ")
    if logged and code != logged and code.isdigit():
        from ocop_desktop import refdata

        return refdata.load().provinces.get(int(code), logged)
    return logged


def _message(logged: str) -> str:
    """The log's note in the officer's language where it has words for it (the
    log keeps it as written then: "restored: resend from 12")."""
    number = logged.removeprefix("restored: resend from ")
    if number != logged and number.isdigit():
        return tr("sync.gui.restored_log", since=number)
    return logged


def _when(iso: str | None) -> str:
    """'2026-11-22T00:40:12Z' -> '22/11/2026 07:40' (en: '22 Nov 2026 07:40') in the
    computer's time zone."""
    if not iso:
        return ""
    try:
        moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return iso
    return moment.astimezone().strftime(
        "%d/%m/%Y %H:%M" if language() == "vi" else "%d %b %Y %H:%M"
    )


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str) and value.startswith("["):
        try:
            return ", ".join(map(str, json.loads(value)))
        except ValueError:
            return value
    return str(value)
