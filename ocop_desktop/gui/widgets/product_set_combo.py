"""Product-set chooser: the 26 sets under their 6 group headings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QIcon, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from ocop_desktop import refdata
from ocop_desktop.i18n import tr


def fill_product_sets(combo: QComboBox) -> None:
    model = QStandardItemModel(combo)
    empty = QStandardItem(tr("forms.choose"))
    empty.setData(None, Qt.ItemDataRole.UserRole)
    model.appendRow(empty)
    group = None
    bold = QFont()
    bold.setBold(True)
    blank = QPixmap(16, 16)
    blank.fill(Qt.GlobalColor.transparent)
    indent = QIcon(blank)
    for s in sorted(refdata.load().product_sets.values(), key=lambda s: s.code):
        if s.group_code != group:
            group = s.group_code
            header = QStandardItem(tr(f"group.{group}"))
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            model.appendRow(header)
        # Indented by an empty icon, not by spaces: the text must start with the code
        # so that typing "19" on the closed combo picks set 19.
        item = QStandardItem(indent, f"{s.code}. {s.name}")
        item.setData(s.code, Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    combo.setModel(model)
    combo.setMaxVisibleItems(20)


def product_set_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    fill_product_sets(combo)
    return combo
