"""Long work runs off the UI thread; Cancel stops it at the next progress report."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ocop_desktop.gui.workers import run_with_progress
from ocop_desktop.progress import Cancelled
from ocop_desktop.store import StoreKey

KEY = StoreKey(Path("unused.sqlite"))  # these jobs open nothing


def test_work_runs_on_another_thread_and_returns(qtbot):
    seen = {}

    def work(key, progress):
        seen["thread"] = threading.current_thread()
        for i in range(3):
            progress(i, 3)
        return 42

    assert run_with_progress(None, "…", KEY, work) == 42
    assert seen["thread"] is not threading.main_thread()


def test_errors_reach_the_caller(qtbot):
    def work(key, progress):
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        run_with_progress(None, "…", KEY, work)


def test_cancel_stops_the_work(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    steps = []

    def work(key, progress):
        for i in range(200):
            progress(i, 200)
            steps.append(i)
            time.sleep(0.01)
        return "finished"

    shown = []

    def press_cancel():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog):
                shown.append(w.isVisible())
                w.findChild(QPushButton).click()

    QTimer.singleShot(800, press_cancel)  # the dialog appears after half a second
    with pytest.raises(Cancelled):
        run_with_progress(None, "…", KEY, work)
    assert 0 < len(steps) < 200
    assert shown == [True]


def test_quick_work_shows_no_dialog(qtbot):
    from PySide6.QtWidgets import QApplication, QProgressDialog

    assert run_with_progress(None, "…", KEY, lambda key, progress: "quick") == "quick"
    assert not any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_work_ending_after_its_receiver_is_gone_says_nothing(qtbot, capfd):
    """Closing the app while a count or a backup is still under way."""
    from shiboken6 import Shiboken

    from ocop_desktop.gui.workers import _Job, _Signals, wait_for_workers

    for fn in (lambda _report: 42, lambda _report: 1 / 0):
        signals = _Signals()
        job = _Job(fn, signals, threading.Event())
        Shiboken.delete(signals)
        job.run()  # no exception out of the worker thread
    assert "Traceback" not in capfd.readouterr().err
    wait_for_workers(1000)  # nothing running: returns at once
