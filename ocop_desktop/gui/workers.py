"""Work off the UI thread: one worker thread for database work, a progress dialog
that appears only after half a second, and Cancel where the work allows it.

``run_with_progress`` looks synchronous to its caller (it runs a local event loop,
so the window keeps painting) and returns the function's result or raises its
exception. The function receives a ``progress(done, total)`` callback following
``ocop_desktop.progress``; pressing Cancel makes the next call raise ``Cancelled``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ocop_desktop.i18n import tr
from ocop_desktop.progress import Cancelled

SHOW_AFTER_MS = 500
_pool: QThreadPool | None = None


def db_pool() -> QThreadPool:
    """The one worker for database work: jobs run one after another, never together."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.fn, self.signals, self.cancel = fn, signals, cancel

    def report(self, done: int, total: int) -> None:
        if self.cancel.is_set():
            raise Cancelled
        self.signals.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self.fn(self.report)
        except BaseException as exc:  # handed to the UI thread, re-raised there
            outcome, value = self.signals.failed, exc
        else:
            outcome, value = self.signals.done, result
        try:
            outcome.emit(value)
        except RuntimeError:  # the app is closing and took the receiver with it
            pass


_read_pool: QThreadPool | None = None
_running: set[tuple[_Signals, _Job]] = set()


def read_pool() -> QThreadPool:
    """A worker for read-only queries on their own connection (counts), so they never
    wait behind a backup on the database worker."""
    global _read_pool
    if _read_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(1)
    return _read_pool


_check_pool: QThreadPool | None = None


def check_pool() -> QThreadPool:
    """A worker for the long read of every page as a database opens (its own
    connection), so lists, counts and backups never wait behind it."""
    global _check_pool
    if _check_pool is None:
        _check_pool = QThreadPool()
        _check_pool.setMaxThreadCount(1)
    return _check_pool


def wait_for_workers(msecs: int = 60_000) -> None:
    """At exit: let work under way (a backup, a count) end before the interpreter
    does, so no worker thread runs Python while it is torn down."""
    for pool in (_pool, _read_pool, _check_pool):
        if pool is not None:
            pool.waitForDone(msecs)


def run_in_background(
    fn: Callable[[Callable[[int, int], None]], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> _Signals:
    """Start ``fn(progress)`` on a worker (the database worker unless ``pool`` is
    given); the callbacks run on the UI thread."""
    signals = _Signals()
    job = _Job(fn, signals, threading.Event())
    _running.add((signals, job))  # alive until the job has reported

    def finished(callback: Callable[[Any], None] | None, value: Any) -> None:
        _running.discard((signals, job))
        if callback is not None:
            try:
                callback(value)
            except RuntimeError:  # the receiver's window was closed meanwhile
                pass

    signals.done.connect(lambda value: finished(on_done, value))
    signals.failed.connect(lambda exc: finished(on_error, exc))
    (pool or db_pool()).start(job)
    return signals


def run_with_progress(
    parent: QWidget | None,
    label: str,
    fn: Callable[[Callable[[int, int], None]], Any],
    *,
    cancellable: bool = True,
) -> Any:
    """Run ``fn(progress)`` on the worker with a progress dialog; return its result."""
    signals = _Signals()
    cancel = threading.Event()
    dialog = QProgressDialog(label, tr("gui.cancel") if cancellable else None, 0, 0, parent)
    dialog.setWindowTitle(tr("app.title"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def on_progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def on_cancel() -> None:
        cancel.set()
        dialog.setLabelText(tr("gui.cancelling"))

    def finish(key: str, value: Any) -> None:
        outcome[key] = value
        loop.quit()

    signals.progress.connect(on_progress)
    signals.done.connect(lambda r: finish("result", r))
    signals.failed.connect(lambda e: finish("error", e))
    dialog.canceled.connect(on_cancel)
    dialog.setValue(0)
    db_pool().start(_Job(fn, signals, cancel))
    if not outcome:
        loop.exec()
    dialog.canceled.disconnect(on_cancel)
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
