"""``ocop-desktop``: start the Qt application.

Options: ``--db PATH``, ``--lang vi|en``, and ``--page NAME --screenshot FILE.png``
(open that page, wait until it is drawn, save the window image, exit 0); ``--page
evaluations`` is the evaluations tab of the certificates page.
Start-up stays light: pandas, reportlab and openpyxl are never imported here.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
from pathlib import Path

PAGE_NAMES = ("overview", "producers", "products", "certificates", "reports", "sync", "settings")
# --page names beyond the navigation: a tab of a page
TAB_PAGES = {"evaluations": "certificates"}


_CLOSING = threading.Event()  # set as the app exits: background reads stop


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="ocop-desktop")
    p.add_argument("--db", help="database file")
    p.add_argument("--lang", choices=["vi", "en"])
    p.add_argument("--page", choices=(*PAGE_NAMES, *TAB_PAGES))
    p.add_argument("--screenshot", help="save the window as PNG after it is drawn, then exit")
    p.add_argument("--size", default="", help="window size for --screenshot, e.g. 1366x768")
    p.add_argument("--find", help="with --page of a list: type this into its filter first")
    return p.parse_args(argv)


def resolve_db_path(arg: str | None) -> Path:
    from ocop_desktop.gui import settings
    from ocop_desktop.paths import default_db_path

    if arg:
        return Path(arg).expanduser().resolve()
    if os.environ.get("OCOP_DB"):
        return Path(os.environ["OCOP_DB"])
    last = settings.get("last_db")
    if last and Path(last).exists():
        return Path(last)
    return default_db_path()


def is_initialised(path: Path) -> bool:
    from ocop_desktop.store import is_node_file

    return is_node_file(path)


def is_demo_file(path: Path) -> bool:
    """An existing database made as demo (its meta table says so)."""
    from ocop_desktop.store import is_demo_file as demo

    return demo(path)


class InstanceLock:
    """One running app per database: a lock file in the data folder beside the database."""

    def __init__(self, db_path: Path) -> None:
        from PySide6.QtCore import QLockFile

        from ocop_desktop.paths import node_dir

        self.path = node_dir(db_path) / "ocop-desktop.lock"
        self.lock = QLockFile(str(self.path))
        self.lock.setStaleLockTime(0)  # only a dead process's lock is stale

    def acquire(self) -> bool:
        return self.lock.tryLock(100)

    def release(self) -> None:
        self.lock.unlock()


def first_page(args: argparse.Namespace) -> str:
    from ocop_desktop.gui import settings

    page = args.page or ("overview" if args.screenshot else settings.get("window/page"))
    return page if page in PAGE_NAMES or page in TAB_PAGES else "overview"


def main(argv: list[str] | None = None) -> int:
    # Start-up makes ~45,000 long-lived objects (modules, Qt's enums, widgets) and
    # next to no garbage; the cyclic collector, run every 700 allocations, walked
    # them ~75 times (~8 ms, 4% of the launch). It is paused until the window is
    # built; what start-up made is then frozen out of later collections.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: list[str] | None) -> int:
    # Qt-free modules before PySide6: once it is loaded, PySide6 reads the source of
    # every module imported after it (for its __feature__ switches), ~0.15 ms each.
    import ocop_desktop.store  # noqa: F401
    from ocop_desktop import i18n, overview

    args = parse_args(sys.argv[1:] if argv is None else argv)
    db_path = resolve_db_path(args.db)
    page = first_page(args)
    initialised = is_initialised(db_path)
    # The overview's figures are counted on a thread from here on, while Qt's GUI
    # modules load and the window is built.
    # Not over a plain file from an older version: it is encrypted and swapped at
    # its opening below, which Windows refuses while another handle holds it.
    # Nor before a passphrase is given (asked below, once the window system is up).
    from ocop_desktop import keystore
    from ocop_desktop.db import is_plain

    counting = (
        page == "overview"
        and initialised
        and not is_plain(db_path)
        and not keystore.needs_passphrase(db_path)
    )
    prefetched = {"overview": overview.Counting(db_path)} if counting else {}

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from ocop_desktop.errors import UserError
    from ocop_desktop.gui import settings
    from ocop_desktop.paths import resource

    if QApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OCOP Desktop")
    app.setOrganizationName("OCOP")
    app.setWindowIcon(QIcon(str(resource("icons", "ocop.svg"))))
    from ocop_desktop.gui.qt_texts import QtTexts

    app.installTranslator(QtTexts(app))
    i18n.set_language(args.lang or settings.get("lang") or "vi")
    shooting = bool(args.screenshot)

    def say(message: str) -> None:
        if shooting:
            print(message, file=sys.stderr)
        else:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(None, i18n.tr("app.title"), message)

    store = None
    if not initialised:
        if shooting:
            say(i18n.tr("db.not_initialised", path=str(db_path)))
            return 1
        from ocop_desktop.gui.setup_dialog import SetupDialog

        gc.enable()  # the setup (and a demo database made in it) takes its time

        dialog = SetupDialog(db_path)
        if not dialog.exec() or dialog.store is None:
            return 0
        store = dialog.store
        db_path = store.path
        if dialog.created is not None and dialog.created != db_path:  # the demo was opened
            from ocop_desktop.gui import documents

            documents.remember(dialog.created, demo=False)

    lock = InstanceLock(db_path)
    if not lock.acquire():
        if store is not None:
            store.close()
        say(i18n.tr("app.already_running", path=str(db_path)))
        return 1
    try:
        if store is None:
            from ocop_desktop.store import open_store

            store = open_store(db_path)
    except UserError as exc:
        if exc.key == "db.key_missing" and not shooting:
            store = _open_with_recovery_sheet(db_path)
        elif exc.key == "key.passphrase_needed" and not shooting:
            store = _open_with_passphrase(db_path)
        if store is None:
            lock.release()
            say(exc.message())
            return 1
    from ocop_desktop.gui import documents

    documents.remember(db_path, demo=store.is_demo)

    from ocop_desktop.gui.main_window import MainWindow

    window = MainWindow(store, prefetched=prefetched)
    window.lock = lock
    if shooting:
        width, _, height = (args.size or "1366x768").partition("x")
        window.resize(int(width), int(height))
    shown = window.show_page(TAB_PAGES.get(page, page))
    if hasattr(shown, "lists"):  # the certificates page: the list of the tab asked for
        shown.setCurrentWidget(shown.lists.get(page, shown.current()))
        shown = shown.current()
    if args.find and hasattr(shown, "filter_edit"):
        shown.filter_edit.setText(args.find)
    window.show()

    if shooting:
        _shoot_when_drawn(app, window, args.screenshot)
    else:
        _check_pages(window)
        _auto_backup(window)
        from ocop_desktop.gui.key_dialogs import show_weak_key_notice

        window._key_notice = show_weak_key_notice(db_path, window)
    # What start-up made is frozen out of later collections (and of the one at exit);
    # once the window is up and idle, the few hundred objects of garbage among it
    # are collected.
    gc.freeze()
    gc.enable()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(1000, _collect_after_start)
    code = app.exec()
    from ocop_desktop.gui.workers import wait_for_workers

    _CLOSING.set()  # a page check still reading stops
    wait_for_workers()
    window.store.close()  # the database open last (File → Open may have changed it)
    window.lock.release()
    return code


def _open_with_passphrase(db_path: Path):
    """The database has a passphrase: one dialog for it, then the store (or None)."""
    from ocop_desktop.gui.key_dialogs import ask_for_passphrase
    from ocop_desktop.store import open_store

    return open_store(db_path) if ask_for_passphrase(db_path) else None


def _open_with_recovery_sheet(db_path: Path):
    """This computer lacks the key: the recovery sheet's words, then the store (or None)."""
    from ocop_desktop.gui.key_dialogs import ask_for_recovery_words
    from ocop_desktop.store import open_store

    return open_store(db_path) if ask_for_recovery_words(db_path) else None


def _collect_after_start() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _check_pages(window) -> None:
    """Read every page of the database once, off the UI thread (``PRAGMA
    quick_check``); a damaged one is said in a warning before anyone works in
    the file, with the way back (the latest backup)."""
    from ocop_desktop.db import check_file
    from ocop_desktop.gui.workers import check_pool, start
    from ocop_desktop.store import StoreKey

    path = window.store.path
    key = StoreKey(path)  # the check opens the file itself: it may not open as a store

    def done(problems: list[str]) -> None:
        if problems:
            warn_damaged(window, path, problems)

    window._page_check = start(
        key,
        lambda key, _progress: check_file(key.path, stop=_CLOSING.is_set),
        done,
        lambda _e: None,
        pool=check_pool(),
    )


def warn_damaged(parent, path, problems: list[str]):
    """A warning (not modal: the officer may still look, and back up) that the
    database is damaged; returned for tests."""
    from PySide6.QtWidgets import QMessageBox

    from ocop_desktop import i18n

    box = QMessageBox(parent)
    box.setObjectName("damaged_warning")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.tr("app.damaged_title"))
    box.setText(i18n.tr("db.damaged", path=str(path), detail="; ".join(problems[:3])))
    box.open()
    parent._damaged_warning = box
    return box


def _auto_backup(window) -> None:
    """Back up at start (when the last backup is older than a day), off the UI thread."""
    from ocop_desktop import backup
    from ocop_desktop.gui.workers import start
    from ocop_desktop.store import StoreKey

    def done(_result: object) -> None:
        window.update_status()

    def failed(exc: BaseException) -> None:
        from ocop_desktop.errors import explain

        window.statusBar().showMessage(explain(exc) or str(exc), 10_000)

    key = StoreKey(window.store.path)  # the file's own connections, opened by the backup
    window._auto_backup = start(key, lambda k, _p: backup.auto_backup(k.path), done, failed)


def _shoot_when_drawn(app, window, out: str) -> None:
    """Save the window once it is on screen and its page has everything it shows.

    With ``OCOP_PRINT_DRAWN`` set, the moment it is drawn goes to stderr as
    ``drawn <time.monotonic()>``: the GUI benchmark takes launch-to-drawn from it,
    apart from the PNG encoding and the exit that follow.
    """
    from PySide6.QtCore import QTimer

    tries = {"n": 0}

    def shoot() -> None:
        app.processEvents()  # the expose and the paints it brings, results of workers
        handle = window.windowHandle()
        page = window.stack.currentWidget()
        waiting = (handle is not None and not handle.isExposed()) or (
            hasattr(page, "is_ready") and not page.is_ready()
        )
        tries["n"] += 1
        if waiting and tries["n"] < 2500:  # at most ~5 s
            QTimer.singleShot(2, shoot)
            return
        if os.environ.get("OCOP_PRINT_DRAWN"):
            import time

            print(f"drawn {time.monotonic()}", file=sys.stderr, flush=True)
        ok = window.grab().save(out)
        window.close()
        app.exit(0 if ok else 1)

    QTimer.singleShot(0, shoot)


if __name__ == "__main__":
    sys.exit(main())
