"""Every visible string comes from the catalogue, in Vietnamese and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTreeWidget,
)

from ocop_desktop import i18n
from ocop_desktop.gui.main_window import PAGES

ROOT = Path(__file__).resolve().parents[2]
KEY_LIKE = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
LITERAL_KEY = re.compile(
    r"""(?:\btr|set_text)\((?:[^()"']*?,\s*)?["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
)
FSTRING_KEY = re.compile(r"""f["']([a-z_]+(?:\.[a-z0-9_]+)*\.)\{""")


def visible_texts(window) -> list[str]:
    texts = [window.windowTitle()]
    for w in window.findChildren(QLabel):
        texts.append(w.text())
    for w in window.findChildren(QAbstractButton):
        texts += [w.text(), w.toolTip()]
    for w in window.findChildren(QGroupBox):
        texts.append(w.title())
    for w in window.findChildren(QLineEdit):
        texts.append(w.placeholderText())
    for w in window.findChildren(QComboBox):
        texts += [w.itemText(i) for i in range(w.count())]
    for w in window.findChildren(QListWidget):
        texts += [w.item(i).text() for i in range(w.count())]
    for w in window.findChildren(QTreeWidget):
        texts += [w.headerItem().text(c) for c in range(w.columnCount())]
        for i in range(w.topLevelItemCount()):
            texts += [w.topLevelItem(i).text(c) for c in range(w.columnCount())]
    for w in window.findChildren(QAbstractItemView):
        model = w.model()
        if model is not None and not isinstance(w, (QTreeWidget, QListWidget)):
            horizontal = Qt.Orientation.Horizontal
            texts += [str(model.headerData(c, horizontal)) for c in range(model.columnCount())]
        if w.objectName() == "attentionList":  # every cell of the overview's list
            columns = range(model.columnCount())
            texts += [model.index(r, c).data() for r in range(model.rowCount()) for c in columns]
    for a in window.findChildren(QAction):
        texts.append(a.text())
    for v in window.findChildren(QChartView):
        chart = v.chart()
        texts.append(chart.title())
        for axis in chart.axes():
            if hasattr(axis, "categories"):
                texts += axis.categories()
    return [t for t in texts if t]


def all_pages_texts(window) -> list[str]:
    for name in PAGES:
        window.show_page(name)
    return visible_texts(window)


def test_every_key_used_by_the_gui_exists_in_both_languages():
    catalogue = i18n.catalogue()
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in (ROOT / "ocop_desktop" / "gui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used.update(LITERAL_KEY.findall(source))
        prefixes.update(FSTRING_KEY.findall(source))
    for path in (ROOT / "ui").glob("*.ui"):
        used.update(
            s
            for s in re.findall(r"<string>([^<]+)</string>", path.read_text())
            if KEY_LIKE.match(s)
        )
    assert len(used) > 80
    missing = sorted(k for k in used if k not in catalogue)
    assert missing == []
    for key in used:
        assert catalogue[key].get("vi") and catalogue[key].get("en"), key
    for prefix in prefixes:  # f"kind.{k}" and the like: the family exists
        assert any(k.startswith(prefix) for k in catalogue), prefix


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_visible_text_is_an_untranslated_key(window, lang):
    window.set_language(lang)
    texts = all_pages_texts(window)
    assert len(texts) > 150
    untranslated = sorted({t for t in texts if KEY_LIKE.match(t) or t in i18n.catalogue()})
    assert untranslated == []


def test_switching_language_retranslates_live(window):
    vi_texts = set(all_pages_texts(window))
    assert {"Tổng quan", "Sản phẩm", "Cài đặt", "Sao lưu ngay"} <= vi_texts
    window.show_page("settings")
    combo = window.page("settings").language_combo
    combo.setCurrentIndex(combo.findData("en"))  # as a person does on the Settings page
    assert i18n.language() == "en"
    assert window.current_page_name() == "settings"
    en_texts = set(all_pages_texts(window))
    assert {"Overview", "Products", "Settings", "Back up now", "6 products"} <= en_texts
    vietnamese_only = {"Tổng quan", "Cài đặt", "Sao lưu ngay", "Mọi hạng sao", "Cần chú ý"}
    assert not (vietnamese_only & en_texts)
    window.set_language("vi")
    assert "Tổng quan" in set(all_pages_texts(window))


def test_numbers_and_dates_follow_the_language(window, sample):
    from ocop_desktop import recognitions

    cert = recognitions.get(sample, sample.ids["cert:Mắm tôm Ba Làng"])
    y, m, d = cert["expiry_date"].split("-")
    page = window.show_page("products")
    expiry = [c.key for c in page.spec.columns].index("expiry")
    row = [page.model.display(r, 0) for r in range(page.model.rowCount())].index("Mắm tôm Ba Làng")
    assert page.model.display(row, expiry) == f"{d}/{m}/{y}"


def test_qt_own_buttons_and_edit_menu_speak_vietnamese(qapp):
    """Qt ships no Vietnamese: a question came with "Yes" and "No" buttons."""
    from PySide6.QtWidgets import QMessageBox

    from ocop_desktop.gui.qt_texts import QtTexts

    texts = QtTexts(qapp)
    qapp.installTranslator(texts)
    try:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, "t", "?", buttons)
        assert sorted(b.text() for b in box.buttons()) == ["&Có", "&Không"]
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        assert "&Sao chép\tCtrl+C" in [a.text() for a in menu.actions()]
        i18n.set_language("en")
        box = QMessageBox(QMessageBox.Icon.Question, "t", "?", buttons)
        assert sorted(b.text() for b in box.buttons()) == ["&No", "&Yes"]
    finally:
        i18n.set_language("vi")
        qapp.removeTranslator(texts)
