"""Qt fixtures: a real populated database and the main window over it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from ocop_desktop.store import init_node
from tests.gui.sample_data import populate


@pytest.fixture
def sample(db_path):
    """An office of the Nga Sơn area with producers, products and certificates."""
    store = init_node(db_path, role="office", office="401", officer="Lê Thị Hoa")
    store.ids = populate(store)
    yield store
    store.close()


@pytest.fixture
def answers(monkeypatch):
    """Message boxes answer at once (Yes to questions) and are recorded."""
    shown: list[tuple[str, str]] = []

    def record(kind, answer):
        def box(_parent, _title, text, *a, **k):
            shown.append((kind, text))
            return answer

        return box

    monkeypatch.setattr(QMessageBox, "information", record("information", None))
    monkeypatch.setattr(QMessageBox, "warning", record("warning", None))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    return shown


@pytest.fixture
def opened(monkeypatch):
    """Record forms opened from the shell (the forms themselves are another module)."""
    calls: list[tuple[str, str | None]] = []

    def fake_open(parent, store, table, record_id=None, **defaults):
        calls.append((table, record_id))
        return None

    monkeypatch.setattr("ocop_desktop.gui.actions.open_record", fake_open)
    return calls


@pytest.fixture
def window(qtbot, sample, answers):
    from ocop_desktop.gui.main_window import MainWindow

    w = MainWindow(sample)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show_page("overview")
    w.show()
    return w
