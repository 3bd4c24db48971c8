"""Thumbnails of a record's photos or scanned certificates, with add and remove.

Changes wait until the record is saved (``commit``), so Cancel leaves nothing
behind and a new record can get photos before it has an id. A file is checked
(type by content, size) the moment it is added, and refused right there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import attachments
from ocop_desktop.errors import UserError, explain
from ocop_desktop.i18n import format_number, tr
from ocop_desktop.store import Store

THUMB = QSize(128, 128)
ROLE = Qt.ItemDataRole.UserRole


def thumbnail(path: Path, mime: str | None) -> QPixmap | None:
    """A picture of the file: the image itself, or page 1 of a PDF when QtPdf is there."""
    if attachments.is_image(mime):
        image = QImage(str(path))
        if image.isNull():
            return None
        return QPixmap.fromImage(
            image.scaled(
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
    if mime == "application/pdf":
        try:
            from PySide6.QtPdf import QPdfDocument
        except ImportError:
            return None
        doc = QPdfDocument()
        if doc.load(str(path)) != QPdfDocument.Error.None_ or doc.pageCount() < 1:
            return None
        page = doc.pagePointSize(0)
        scale = min(THUMB.width() / max(page.width(), 1), THUMB.height() / max(page.height(), 1))
        image = doc.render(0, QSize(int(page.width() * scale), int(page.height() * scale)))
        doc.close()
        return None if image.isNull() else QPixmap.fromImage(image)
    return None


class AttachmentsView(QWidget):
    def __init__(
        self,
        store: Store,
        owner_table: str,
        kind: str = "photo",
        add_key: str = "forms.photos_add",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.owner_table, self.kind = store, owner_table, kind
        self.owner_id: str | None = None
        self._removed: list[str] = []
        self.list = QListWidget(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 32, THUMB.height() + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(THUMB.height() + 56)
        self.list.itemDoubleClicked.connect(self.open_item)
        self.add_button = QPushButton(tr(add_key), self)
        self.remove_button = QPushButton(tr("forms.attachment_remove"), self)
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self._browse)
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = QLabel(self)
        self.error.setObjectName("error_attachment")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

    # ---- state ---------------------------------------------------------
    def set_owner(self, owner_id: str | None) -> None:
        self.owner_id = owner_id
        self.list.clear()
        self._removed.clear()
        if owner_id is None:
            return
        for row in attachments.list_(self.store, self.owner_table, owner_id):
            self._add_item(row["path"], row["mime"], row["filename"], row["size"], row["id"])

    @property
    def has_changes(self) -> bool:
        return bool(self._removed) or bool(self.pending_paths())

    def pending_paths(self) -> list[Path]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [it.data(ROLE)["path"] for it in items if it.data(ROLE)["id"] is None]

    def count(self) -> int:
        return self.list.count()

    # ---- actions ---------------------------------------------------------
    def _browse(self) -> None:
        from ocop_desktop.gui import file_dialogs

        files = file_dialogs.open_paths(self, self.add_button.text(), tr("forms.attachment_filter"))
        if files:
            self.add_files(files)

    def add_files(self, paths: list[Path]) -> bool:
        """Queue files for the record; refuses (with a message under the list) bad ones."""
        problems = []
        for path in paths:
            try:
                mime, size = attachments.check_file(path)
            except UserError as exc:
                problems.append(tr(exc.key, **exc.params))
                continue
            self._add_item(Path(path), mime, Path(path).name, size, None)
        self.error.setText("\n".join(problems))
        self.error.setVisible(bool(problems))
        return not problems

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            data = item.data(ROLE)
            if data["id"] is not None:
                self._removed.append(data["id"])
            self.list.takeItem(self.list.row(item))

    def open_item(self, item: QListWidgetItem) -> None:
        """Show the file in the system's viewer (or, under the list, why it cannot be)."""
        try:
            copy = self.viewable_copy(item)
        except FileNotFoundError:
            problem = tr("attachment.gone", path=item.data(ROLE)["name"])
        except UserError as exc:  # not a photo or PDF inside
            problem = exc.message()
        except OSError as exc:
            problem = explain(exc) or str(exc)
        else:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
            return
        self.error.setText(problem)
        self.error.setVisible(True)

    def viewable_copy(self, item: QListWidgetItem) -> Path:
        """A copy under the file's own name (stored files are named by their hash,
        which no viewer recognises), in the database's folder."""
        data = item.data(ROLE)
        folder = self.store.data_dir / "viewing"
        folder.mkdir(exist_ok=True)
        # Only the last part of the name, and never "." or "..": a name comes from
        # whoever attached the file, perhaps on another machine.
        # The extension comes from the content: a file that is not a photo or PDF
        # is never handed to the system's opener, whatever its name says.
        name = attachments.view_name(data["name"], data["path"])
        target = folder / name
        shutil.copyfile(data["path"], target)
        return target

    def commit(self, owner_id: str) -> None:
        """Store queued files and unlink removed ones (inside the caller's transaction)."""
        for attachment_id in self._removed:
            attachments.remove(self.store, attachment_id)
        for path in self.pending_paths():
            attachments.add(self.store, self.owner_table, owner_id, path, kind=self.kind)

    def _add_item(
        self, path: Path, mime: str | None, name: str, size: int, attachment_id: str | None
    ) -> None:
        pixmap = thumbnail(path, mime)
        icon = (
            QIcon(pixmap)
            if pixmap is not None
            else self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        )
        label = name if attachment_id else tr("forms.attachment_pending", name=name)
        item = QListWidgetItem(icon, label)
        item.setToolTip(f"{name}\n{mime or ''}\n{format_number(size / 1024, decimals=0)} KB")
        item.setData(ROLE, {"id": attachment_id, "path": Path(path), "mime": mime, "name": name})
        self.list.addItem(item)
