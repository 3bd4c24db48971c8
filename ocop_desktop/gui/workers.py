"""The one way the app works off the UI thread.

A *job* is a plain function ``job(key, progress)``: ``key`` is a ``StoreKey`` (the
database's path and the officer), from which the job opens its OWN connection on
the worker thread (``own_store`` does it for the common case), and ``progress``
follows ``ocop_desktop.progress``: ``progress(done, total)``, raising ``Cancelled``
once the person has pressed Cancel. A job never receives the window's ``Store``:
a SQLite connection serves one thread only.

Two ways to start one, both on the single database worker (jobs run one after
another, never together):

- ``run_with_progress`` looks synchronous to its caller (it runs a local event
  loop, so the window keeps painting) behind a progress dialog that appears only
  after half a second, and returns the job's result or raises its exception;
- ``start`` returns at once with a ``Task``; its callbacks run on the UI thread.

When the job was started for an open ``Store``, that store catches up on the UI
thread before the caller hears of the result (``Store.catch_up``: the clock moves
past what the job wrote on its connection).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ocop_desktop.i18n import tr
from ocop_desktop.progress import Cancelled, Progress
from ocop_desktop.store import Store, StoreKey

SHOW_AFTER_MS = 500
T = TypeVar("T")
Job = Callable[[StoreKey, Progress], Any]
_pools: dict[str, QThreadPool] = {}  # each a single thread: its jobs run one at a time


def own_store(
    fn: Callable[[Store, Progress], T], *, readonly: bool = False
) -> Callable[[StoreKey, Progress], T]:
    """The job ``fn(store, progress)`` on a store opened from the key on the worker
    thread, closed when it ends (finished, failed or cancelled)."""

    def job(key: StoreKey, progress: Progress) -> T:
        store = key.open(readonly=readonly)
        try:
            return fn(store, progress)
        finally:
            store.close()

    return job


def _single_thread(name: str) -> QThreadPool:
    pool = _pools.get(name)
    if pool is None:
        pool = _pools[name] = QThreadPool()
        pool.setMaxThreadCount(1)
    return pool


def db_pool() -> QThreadPool:
    """The one worker for database work: jobs run one after another, never together."""
    return _single_thread("db")


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(
        self, fn: Callable[[Progress], Any], signals: _Signals, cancel: threading.Event
    ) -> None:
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


_running: set[Task] = set()


def read_pool() -> QThreadPool:
    """A worker for read-only queries on their own connection (counts), so they never
    wait behind a backup on the database worker."""
    return _single_thread("read")


def check_pool() -> QThreadPool:
    """A worker for the long read of every page as a database opens (its own
    connection), so lists, counts and backups never wait behind it."""
    return _single_thread("check")


def wait_for_workers(msecs: int = 60_000) -> None:
    """At exit: let work under way (a backup, a count) end before the interpreter
    does, so no worker thread runs Python while it is torn down."""
    for pool in _pools.values():
        pool.waitForDone(msecs)


def _key_of(target: Store | StoreKey) -> tuple[StoreKey, Store | None]:
    if isinstance(target, Store):
        return target.key, target
    return target, None


class Task:
    """A job under way: ``cancel()`` makes its next progress report raise ``Cancelled``."""

    def __init__(self, job: Job, key: StoreKey) -> None:
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.runnable = _Job(lambda progress: job(key, progress), self.signals, self._cancel)
        self.running = True

    def cancel(self) -> None:
        self._cancel.set()


def start(
    target: Store | StoreKey,
    job: Job,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start ``job(key, progress)`` on a worker (the database worker unless ``pool``
    is given) and return at once; the callbacks run on the UI thread, after the
    ``target`` store (when one is given) has caught up with what the job wrote."""
    key, store = _key_of(target)
    task = Task(job, key)
    _running.add(task)  # alive until the job has reported

    def finished(callback: Callable[[Any], None] | None, value: Any) -> None:
        _running.discard(task)
        task.running = False
        try:
            if store is not None:
                store.catch_up()
            if callback is not None:
                callback(value)
        except RuntimeError:  # the receiver's window (or its store) was closed meanwhile
            pass

    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    task.signals.done.connect(lambda value: finished(on_done, value))
    task.signals.failed.connect(lambda exc: finished(on_error, exc))
    (pool or db_pool()).start(task.runnable)
    return task


def run_with_progress(
    parent: QWidget | None,
    label: str,
    target: Store | StoreKey,
    job: Job,
    *,
    cancellable: bool = True,
) -> Any:
    """Run ``job(key, progress)`` on the worker with a progress dialog; return its result."""
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

    def finish(name: str, value: Any) -> None:
        outcome[name] = value
        loop.quit()

    dialog.setValue(0)
    task = start(
        target,
        job,
        lambda r: finish("result", r),
        lambda e: finish("error", e),
        on_progress,
    )

    def on_cancel() -> None:
        task.cancel()
        dialog.setLabelText(tr("gui.cancelling"))

    dialog.canceled.connect(on_cancel)
    if not outcome:
        loop.exec()
    dialog.canceled.disconnect(on_cancel)
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
