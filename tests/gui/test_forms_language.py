"""Every visible string of the forms comes from the catalogue, in both languages."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QTabWidget

from ocop_desktop import i18n, producers, products
from ocop_desktop.gui.forms import TABLES, form_class
from ocop_desktop.gui.history import HistoryDialog
from ocop_desktop.gui.trash import TrashDialog
from tests.gui.forms_helpers import show_form


def visible_texts(widget) -> list[str]:
    texts = [widget.windowTitle()]
    for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        texts.append(w.text())
    for w in widget.findChildren(QLineEdit):
        texts.append(w.placeholderText())
    for tabs in widget.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for combo in widget.findChildren(QComboBox):
        texts += [combo.itemText(i) for i in range(combo.count())]
    return [t for t in texts if t]


def english_texts() -> set[str]:
    return {entry["en"] for entry in i18n.catalogue().values() if entry.get("en")}


def vietnamese_only() -> set[str]:
    """Catalogue texts whose English differs: seeing one in English mode is a bug."""
    out = set()
    for entry in i18n.catalogue().values():
        vi, en = entry.get("vi"), entry.get("en")
        if vi and en and vi != en:
            out.add(vi)
    return out


@pytest.mark.parametrize("table", TABLES)
def test_forms_switch_to_english(qtbot, office, producer_data, table):
    pid = producers.add(office, producer_data)
    product = products.add(office, {"name": "Mắm tôm", "producer_id": pid, "product_set": 2})
    record = {"producers": pid, "products": product}.get(table)
    i18n.set_language("en")
    form = show_form(
        qtbot,
        form_class(table)(office, record, None, product_id=product)
        if table in ("recognitions", "evaluations")
        else form_class(table)(office, record),
    )
    texts = visible_texts(form)
    leftovers = [t for t in texts if t in vietnamese_only()]
    assert leftovers == []
    assert "Save" in texts and "Cancel" in texts


def test_history_and_trash_in_english(qtbot, office, producer_data):
    pid = producers.add(office, producer_data)
    producers.delete(office, pid)
    i18n.set_language("en")
    for dialog in (HistoryDialog(office, pid), TrashDialog(office)):
        qtbot.addWidget(dialog)
        texts = visible_texts(dialog)
        headers = [
            dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
        ]
        assert [t for t in texts + headers if t in vietnamese_only()] == []
    assert TrashDialog(office).table.item(0, 0).text() == "Producer"
