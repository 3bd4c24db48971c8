"""Product-set chooser: the 26 sets under their 6 group headings."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ocop_desktop import refdata
from ocop_desktop.i18n import tr

INDENT = 18  # pixels: a set under its group heading, in the open list only


class _Indented(QStyledItemDelegate):
    """The sets stand in from their group headings in the open list; the closed combo
    shows "7. Chế biến từ rau…" from its left edge (an empty icon there looked like
    leading spaces)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if index.data(Qt.ItemDataRole.UserRole) is not None:
            option = QStyleOptionViewItem(option)
            option.rect.setLeft(option.rect.left() + INDENT)
        super().paint(painter, option, index)


def fill_product_sets(combo: QComboBox) -> None:
    model = QStandardItemModel(combo)
    empty = QStandardItem(tr("forms.choose"))
    empty.setData(None, Qt.ItemDataRole.UserRole)
    model.appendRow(empty)
    group = None
    bold = QFont()
    bold.setBold(True)
    for s in sorted(refdata.load().product_sets.values(), key=lambda s: s.code):
        if s.group_code != group:
            group = s.group_code
            header = QStandardItem(tr(f"group.{group}"))
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            model.appendRow(header)
        # The text starts with the code, so that typing "19" on the closed combo
        # picks set 19; the indent under the group is drawn by the list's delegate.
        item = QStandardItem(f"{s.code}. {s.name}")
        item.setData(s.code, Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    combo.setModel(model)
    combo.setItemDelegate(_Indented(combo))
    combo.setMaxVisibleItems(20)


def product_set_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    fill_product_sets(combo)
    return combo
