"""The trash from the keyboard: it opens on the newest entry, ↓ chooses another,
Enter restores it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ocop_desktop import products
from ocop_desktop.gui.trash import TrashDialog


def test_restore_with_arrow_and_enter(qtbot, sample):
    first, second = [r[0] for r in sample.db.execute("SELECT id FROM products LIMIT 2")]
    products.delete(sample, first)
    products.delete(sample, second)
    dialog = TrashDialog(sample)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus()
    assert dialog.restore_button.isEnabled()  # a row is chosen from the start
    QTest.keyClick(dialog.table, Qt.Key.Key_Down)
    chosen = dialog.table.item(dialog.table.currentRow(), 0).data(Qt.ItemDataRole.UserRole)
    QTest.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.restored == [chosen["id"]]
    assert dialog.table.rowCount() == 1  # the other one stays in the trash
