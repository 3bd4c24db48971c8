"""Every menu action without the mouse: menus open with Alt and their underlined letter,
the new commands have their keys."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_menus_have_mnemonics_and_the_new_commands_their_keys(window, lang):
    window.set_language(lang)
    titles = [m.title() for m in window.menuBar().findChildren(QMenu) if m.title()]
    top = [a.text() for a in window.menuBar().actions()]
    assert len(top) == 3 and all("&" in t for t in top), top
    letters = [t[t.index("&") + 1].lower() for t in top]
    assert len(set(letters)) == 3  # three different Alt letters
    assert any("&" in t for t in titles)
    keys = {
        "actionNewDatabase": "Ctrl+Shift+N",
        "actionOpenDatabase": "Ctrl+O",
        "actionUndo": "Ctrl+Z",
        "actionGuide": "F1",
        "actionNew": "Ctrl+N",
        "actionFind": "Ctrl+F",
    }
    for name, key in keys.items():
        assert window.findChild(QAction, name).shortcut() == QKeySequence(key), name
    shortcuts = [
        a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()
    ]
    assert len(shortcuts) == len(set(shortcuts))  # no key does two things
