"""Save and open dialogs: the documents folder first, then the folder used last; on
Linux in the app's language with Vietnamese dates."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from ocop_desktop.gui import file_dialogs


def _answer(action):
    """Call ``action`` on the file dialog once it is open."""
    seen: list[Path] = []  # the folder each dialog opened in

    def poll():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QFileDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append(Path(box.directory().absolutePath()))
        action(box)

    QTimer.singleShot(0, poll)
    return seen


def test_first_the_documents_folder_then_the_last_folder(qtbot, tmp_path):
    folder = tmp_path / "bao cao"
    folder.mkdir()
    seen = _answer(lambda box: (box.selectFile(str(folder / "x.pdf")), box.accept()))
    chosen = file_dialogs.save_path(None, "Lưu PDF", "x.pdf", "PDF (*.pdf)")
    assert seen[0] == file_dialogs.documents_folder()
    assert chosen == folder / "x.pdf"
    seen = _answer(lambda box: box.reject())
    assert file_dialogs.open_path(None, "Mở", "PDF (*.pdf)") is None
    assert seen[0] == folder  # where the last file went


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="native dialogs elsewhere")
def test_on_linux_the_dialog_speaks_vietnamese_with_vietnamese_dates(qtbot, tmp_path):
    from ocop_desktop.gui.qt_texts import QtTexts

    app = QApplication.instance()
    texts = QtTexts(app)
    app.installTranslator(texts)
    try:
        old = tmp_path / "cu.pdf"
        old.write_bytes(b"%PDF")
        moment = datetime(2026, 12, 2, 14, 5)
        os.utime(old, (moment.timestamp(), moment.timestamp()))
        file_dialogs.remember(old)
        box = file_dialogs.dialog(None, "Mở", "PDF (*.pdf)", tmp_path)
        qtbot.addWidget(box)
        box.show()
        model = box.proxyModel()
        qtbot.waitUntil(lambda: model.rowCount(model.mapFromSource(_root(box))) > 0)
        root = model.mapFromSource(_root(box))
        names = [model.index(r, 0, root).data() for r in range(model.rowCount(root))]
        row = model.index(names.index("cu.pdf"), file_dialogs.DATE_COLUMN, root)
        assert model.data(row) == "02/12/2026 14:05"
        labels = {label.text() for label in box.findChildren(QLabel)}
        assert {"Tìm tr&ong:", "&Tên tệp:", "&Loại tệp:"} <= labels
    finally:
        app.removeTranslator(texts)


def _root(box: QFileDialog):
    model = box.proxyModel().sourceModel()
    return model.index(box.directory().absolutePath())
