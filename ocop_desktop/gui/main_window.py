"""The main window: navigation, the pages (made when first shown), the status bar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import __version__, backup, i18n
from ocop_desktop import db as dbmod
from ocop_desktop.errors import UserError
from ocop_desktop.gui import documents, screen_fit, settings
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.gui.texts import adopt_keys, retranslate, set_text
from ocop_desktop.gui.uiload import build_ui
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store, StoreKey, open_store

PAGES = ("overview", "producers", "products", "certificates", "reports", "sync", "settings")
LIST_PAGES = ("producers", "products", "certificates")


class ComingPage(QWidget):
    """An honest placeholder for a page another part of the app will fill."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page_{name}")
        layout = QVBoxLayout(self)
        title = QLabel()
        set_text(title, f"nav.{name}")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        body = QLabel()
        body.setWordWrap(True)
        set_text(body, f"coming.{name}")
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    pageShown = Signal(str)

    def __init__(
        self, store: Store, parent: QWidget | None = None, prefetched: dict | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        dbmod.keep_warm(store.db)
        self.lock: Any = None  # the InstanceLock of the open database (set by the app)
        self._prefetched = dict(prefetched or {})  # page name -> its figures, being counted
        self.setObjectName("MainWindow")
        form = build_ui("main_window.ui")
        self.setCentralWidget(self._with_banner(form.centralWidget()))
        self.setMenuBar(form.menuBar())
        self.setStatusBar(form.statusBar())
        for action in form.findChildren(QAction):
            action.setParent(self)
        preferred, minimum = form.size(), form.minimumSize()
        form.deleteLater()
        adopt_keys(self)
        screen_fit.fit(self, preferred, minimum)

        self.nav: QListWidget = self.findChild(QListWidget, "navList")
        self.stack: QStackedWidget = self.findChild(QStackedWidget, "pages")
        for i, name in enumerate(PAGES):
            self.nav.item(i).setData(Qt.ItemDataRole.UserRole, name)
            self.stack.addWidget(QWidget())
        self.page_widgets: dict[str, QWidget] = {}
        self._tab_of: dict[str, int] = {}  # tab shown on a page of tabs, kept across rebuilds
        self._stale: set[str] = set()  # pages to refresh when next shown
        self.retranslate_items()
        self.nav.currentRowChanged.connect(self._nav_changed)

        self._status: dict[str, QLabel] = {}
        for key in ("database", "office", "officer", "backup", "sync"):
            label = QLabel()
            label.setObjectName(f"status_{key}")
            self.statusBar().addPermanentWidget(label)
            self._status[key] = label
        self.update_status()

        act = self._action
        act("actionQuit").triggered.connect(self.close)
        act("actionNew").triggered.connect(self.new_record)
        act("actionFind").triggered.connect(self.find)
        act("actionRefresh").triggered.connect(self.refresh_current)
        act("actionTrash").triggered.connect(self.open_trash)
        act("actionImport").triggered.connect(self.import_spreadsheet)
        act("actionBackup").triggered.connect(self.backup_now)
        act("actionAbout").triggered.connect(self.about)
        act("actionNewDatabase").triggered.connect(self.new_database)
        act("actionOpenDatabase").triggered.connect(self.open_database)
        act("actionOpenDemo").triggered.connect(self.open_demo)
        act("actionGuide").triggered.connect(self.show_guide)
        act("actionUndo").triggered.connect(self.undo)
        self.recent_menu: QMenu = self.findChild(QMenu, "menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        from ocop_desktop.gui.undo import UndoStack

        self.undo_stack = UndoStack(self)
        self.undo_stack.changed.connect(self._undo_changed)
        self.undo_stack.capture(store)  # where the audit log stands: nothing before is undone
        self._undo_changed()
        menu_edit = self.findChild(QMenu, "menuEdit")
        menu_edit.aboutToShow.connect(lambda: self.undo_stack.capture(self.store))

        geometry = settings.get("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            screen_fit.keep_inside(self)  # saved on a larger screen, or at another scaling
        state = settings.get("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self.update_document()

    def _with_banner(self, central: QWidget) -> QWidget:
        """The pages, under the demo banner when the database is a demo one."""
        outer = QWidget()
        self._outer_box = QVBoxLayout(outer)
        self._outer_box.setContentsMargins(0, 0, 0, 0)
        self._outer_box.setSpacing(0)
        self.demo_banner: QLabel | None = None  # made for the first demo database shown
        # Below the pages' minimum size (a 640×480 screen, or 150% scaling on a small
        # one) the window scrolls instead of laying widgets over each other.
        scroll = QScrollArea()
        scroll.setObjectName("pagesScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(central)
        self._outer_box.addWidget(scroll, 1)
        return outer

    def _make_banner(self) -> QLabel:
        banner = QLabel()
        banner.setObjectName("demoBanner")
        banner.setWordWrap(True)
        banner.setStyleSheet(
            "#demoBanner { background: #fff3c4; color: #5a4300; padding: 6px 10px;"
            " border-bottom: 1px solid #e0c060; }"
        )
        set_text(banner, "demo.banner")
        self._outer_box.insertWidget(0, banner)
        return banner

    def _action(self, name: str) -> QAction:
        return self.findChild(QAction, name)

    # ---- pages -------------------------------------------------------------
    def _make_page(self, name: str) -> QWidget:
        store = self.store
        if name == "overview":
            from ocop_desktop.gui.pages.overview import OverviewPage

            return OverviewPage(store, self, self._prefetched.pop("overview", None))
        if name == "certificates":
            from ocop_desktop.gui.pages.certificates import CertificatesPage

            page = CertificatesPage(store, self)
            page.setCurrentIndex(self._tab_of.get(name, 0))  # as it was before a rebuild
            page.changed.connect(self._data_changed)
            return page
        if name in LIST_PAGES:
            from ocop_desktop.gui.list_page import ListPage
            from ocop_desktop.gui.list_specs import SPECS

            page = ListPage(store, SPECS[name], self)
            page.changed.connect(self._data_changed)
            return page
        if name == "settings":
            from ocop_desktop.gui.pages.settings_page import SettingsPage

            page = SettingsPage(store, self)
            page.languageChanged.connect(self.set_language)
            page.officerChanged.connect(lambda _n: self.update_status())
            page.warningDaysChanged.connect(lambda _d: self._refresh_data_pages())
            page.backedUp.connect(self.update_status)
            page.restoreRequested.connect(self.restore_backup)
            return page
        if name == "reports":
            try:
                from ocop_desktop.gui.pages.reports import ReportsPage
            except ImportError:
                return ComingPage(name, self)
            return ReportsPage(store, self)
        if name == "sync":
            try:
                from ocop_desktop.gui.pages.sync import SyncPage
            except ImportError:
                return ComingPage(name, self)
            page = SyncPage(store, self)
            # The status bar's "Sync: …" follows an export or an import at once.
            page.exported.connect(lambda _result: self.update_status())
            page.imported.connect(lambda _result: self.update_status())
            return page
        raise ValueError(name)

    def page(self, name: str) -> QWidget:
        """The page widget, made on first use."""
        widget = self.page_widgets.get(name)
        if widget is None:
            widget = self._make_page(name)
            index = PAGES.index(name)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.page_widgets[name] = widget
        return widget

    def show_page(self, name: str) -> QWidget:
        if self.nav.currentRow() != PAGES.index(name):
            self.nav.setCurrentRow(PAGES.index(name))  # -> _nav_changed
        return self.page(name)

    def current_page_name(self) -> str:
        row = self.nav.currentRow()
        return PAGES[row] if 0 <= row < len(PAGES) else "overview"

    def _nav_changed(self, row: int) -> None:
        if not 0 <= row < len(PAGES):
            return
        name = PAGES[row]
        widget = self.page(name)
        if name in self._stale:
            self._stale.discard(name)
            widget.refresh()
        self.stack.setCurrentWidget(widget)
        self.pageShown.emit(name)

    def _data_changed(self) -> None:
        """A record changed on one page: the others show fresh data when next seen."""
        self.undo_stack.capture(self.store)
        sender = self.sender()
        for name, widget in self.page_widgets.items():
            if widget is not sender and name in ("overview", *LIST_PAGES):
                self._stale.add(name)

    def rebuild_pages(self) -> None:
        """Make the pages again (in a new language), keeping what a page can keep."""
        current = self.current_page_name()
        kept = {
            name: widget.keep_state()
            for name, widget in self.page_widgets.items()
            if hasattr(widget, "keep_state")
        }
        self.drop_pages()
        for name, state in kept.items():
            self.page(name).restore_state(state)
        self.stack.setCurrentWidget(self.page(current))

    def drop_pages(self) -> None:
        """Free every page (they are made again when shown)."""
        for name in list(self.page_widgets):
            widget = self.page_widgets.pop(name)
            if isinstance(widget, QTabWidget):  # a page of tabs: back on the same tab
                self._tab_of[name] = widget.currentIndex()
            index = PAGES.index(name)
            self.stack.insertWidget(index, QWidget())
            self.stack.removeWidget(widget)
            widget.hide()
            widget.setParent(None)  # out of the window's tree now, freed soon
            widget.deleteLater()

    # ---- language ----------------------------------------------------------
    def retranslate_items(self) -> None:
        for i, name in enumerate(PAGES):
            self.nav.item(i).setText(tr(f"nav.{name}"))

    def set_language(self, lang: str) -> None:
        if lang == i18n.language():
            return
        i18n.set_language(lang)
        settings.put("lang", lang)
        retranslate(self)
        self.rebuild_pages()
        self.update_status()
        self.update_document()
        self._undo_changed()

    # ---- status bar --------------------------------------------------------
    def last_sync(self) -> datetime | None:
        try:
            at = self.store.last_sync_time()
            return datetime.fromisoformat(at).astimezone().replace(tzinfo=None) if at else None
        except (ValueError, TypeError, Exception):  # another version's log: show nothing
            return None

    def update_status(self) -> None:
        s = self._status
        s["database"].setText(tr("statusbar.database", name=self.store.path.name))
        s["database"].setToolTip(str(self.store.path))
        s["office"].setText(tr("statusbar.office", name=self.store.node.name))
        s["officer"].setText(tr("statusbar.officer", name=self.store.officer or "—"))
        s["backup"].setText(
            tr("statusbar.backup", when=fmt.when(backup.last_backup_time(self.store.path)))
        )
        s["sync"].setText(tr("statusbar.sync", when=fmt.when(self.last_sync())))

    # ---- actions -----------------------------------------------------------
    def current_list(self) -> Any:
        """The list in front: a list page, or the tab shown on the certificates page."""
        name = self.current_page_name()
        if name not in LIST_PAGES:
            return None
        page = self.page(name)
        return page.current() if hasattr(page, "lists") else page

    def new_record(self) -> None:
        page = self.current_list()
        if page is None:
            page = self.show_page("products")
        page.new_record()

    def find(self) -> None:
        page = self.current_list()
        if page is None:
            page = self.show_page("products")
        page.focus_filter()

    def refresh_current(self) -> None:
        widget = self.page_widgets.get(self.current_page_name())
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()
        self.update_status()

    def open_trash(self) -> None:
        from ocop_desktop.gui import actions

        actions.show_trash(self, self.store)
        self._refresh_data_pages()

    def import_spreadsheet(self) -> None:
        from ocop_desktop.gui import actions

        if actions.import_spreadsheet(self, self.store):
            self._refresh_data_pages()

    def _refresh_data_pages(self) -> None:
        self.undo_stack.capture(self.store)
        current = self.current_page_name()
        for name in self.page_widgets:
            if name in ("overview", *LIST_PAGES):
                self._stale.add(name)
        if current in self._stale:
            self._stale.discard(current)
            self.page_widgets[current].refresh()

    def backup_now(self) -> None:
        self.show_page("settings").backup_now()

    def restore_backup(self, chosen: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ocop_desktop.gui.workers import run_with_progress

        path = self.store.path
        current = self.current_page_name()
        self.drop_pages()  # nothing may read the file while it is replaced
        self.store.close()
        try:
            kept = run_with_progress(
                self,
                tr("settings.restoring"),
                StoreKey(path),  # closed above: the job replaces the file itself
                lambda key, _p: backup.restore_from(key.path, Path(chosen)),
                cancellable=False,
            )
            message = tr("settings.restore_done", kept=str(kept))
        except UserError as exc:  # the file was checked before it was put in place
            message = exc.message()
        self.store = open_store(path)
        dbmod.keep_warm(self.store.db)
        self.stack.setCurrentWidget(self.page(current))
        self.update_status()
        QMessageBox.information(self, tr("app.title"), message)

    # ---- databases as documents -------------------------------------------
    def update_document(self) -> None:
        """The title names the open database; a demo one says so there and in a banner."""
        demo = self.store.is_demo
        mark = f" [{tr('demo.title_mark')}]" if demo else ""
        self.setWindowTitle(f"{self.store.path.name}{mark} — {tr('app.title')}")
        if demo and self.demo_banner is None:
            self.demo_banner = self._make_banner()
        if self.demo_banner is not None:
            self.demo_banner.setVisible(demo)

    def _open_asking(self, path: Path) -> Store | None:
        """The store at ``path``, after asking for its passphrase if it has one."""
        from ocop_desktop.gui.key_dialogs import ask_for_passphrase

        try:
            return open_store(path)
        except UserError as exc:
            if exc.key != "key.passphrase_needed":
                raise
        return open_store(path) if ask_for_passphrase(path, self) else None

    def switch_to(self, path: Path, store: Store | None = None) -> bool:
        """Work in the database at ``path`` (``store``: already open) instead of this one."""
        from PySide6.QtWidgets import QMessageBox

        from ocop_desktop.gui.app import InstanceLock
        from ocop_desktop.gui.workers import wait_for_workers

        path = Path(path).resolve()
        if path == self.store.path.resolve():
            if store is not None and store is not self.store:
                store.close()
            return True
        lock = InstanceLock(path)
        if not lock.acquire():
            if store is not None:
                store.close()
            QMessageBox.warning(self, tr("app.title"), tr("app.already_running", path=str(path)))
            return False
        try:
            store = store or self._open_asking(path)
        except UserError as exc:
            lock.release()
            QMessageBox.warning(self, tr("app.title"), exc.message())
            return False
        if store is None:  # the passphrase was not given
            lock.release()
            return False
        current = self.current_page_name()
        wait_for_workers()
        self.drop_pages()
        self._prefetched.clear()
        self.store.close()
        if self.lock is not None:
            self.lock.release()
        self.store, self.lock = store, lock
        dbmod.keep_warm(store.db)
        self.undo_stack.clear()
        self.undo_stack.capture(store)
        self.stack.setCurrentWidget(self.page(current))
        self.update_status()
        self.update_document()
        documents.remember(path, demo=store.is_demo)
        return True

    def new_database(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ocop_desktop.gui import file_dialogs
        from ocop_desktop.gui.app import is_initialised
        from ocop_desktop.gui.setup_dialog import SetupDialog

        path = file_dialogs.save_path(
            self, tr("documents.new_title"), "ocop.sqlite", tr(documents.FILTERS_KEY)
        )
        if path is None:
            return
        if is_initialised(path):  # a database is never overwritten from here
            QMessageBox.warning(self, tr("app.title"), tr("documents.exists", path=str(path)))
            return
        dialog = SetupDialog(path, self, offer_demo=False, officer=self.store.officer)
        if dialog.exec() and dialog.store is not None:
            self.switch_to(path, dialog.store)

    def open_database(self) -> None:
        from ocop_desktop.gui import file_dialogs

        path = file_dialogs.open_path(self, tr("documents.open_title"), tr(documents.FILTERS_KEY))
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open a database file; one that is not set up yet goes through the setup first."""
        from PySide6.QtWidgets import QMessageBox

        from ocop_desktop.gui.app import is_initialised
        from ocop_desktop.gui.setup_dialog import SetupDialog

        if not Path(path).exists():
            QMessageBox.warning(self, tr("app.title"), tr("documents.missing", path=str(path)))
            return False
        if is_initialised(path):
            return self.switch_to(path)
        dialog = SetupDialog(path, self, offer_demo=False, officer=self.store.officer)
        if dialog.exec() and dialog.store is not None:
            return self.switch_to(path, dialog.store)
        return False

    def open_demo(self) -> bool:
        """The demo database (made on first use), never the officer's own."""
        from ocop_desktop.gui.app import is_demo_file
        from ocop_desktop.gui.setup_dialog import write_demo
        from ocop_desktop.gui.workers import run_with_progress
        from ocop_desktop.progress import Cancelled

        path = documents.demo_path()
        if path.resolve() == self.store.path.resolve():
            return True
        if is_demo_file(path):
            return self.switch_to(path)
        officer = self.store.officer
        try:
            run_with_progress(self, tr("setup.demo_making"), StoreKey(path, officer), write_demo)
            store = open_store(path)
        except Cancelled:
            return False
        return self.switch_to(path, store)

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = documents.recent()
        for i, path in enumerate(paths, 1):
            action = menu.addAction(f"&{i} {path.name}  ({path.parent})")
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not paths:
            menu.addAction(tr("documents.recent_empty")).setEnabled(False)

    # ---- undo --------------------------------------------------------------
    def undo(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        try:
            what = self.undo_stack.undo(self.store)
        except UserError as exc:
            QMessageBox.warning(self, tr("app.title"), exc.message())
            return
        if what:
            self.statusBar().showMessage(tr("undo.done", what=what), 8000)
            self._refresh_data_pages()

    def _undo_changed(self) -> None:
        action = self._action("actionUndo")
        what = self.undo_stack.next_label()
        action.setEnabled(bool(what))
        action.setText(tr("undo.action", what=what) if what else tr("undo.nothing"))

    # ---- help --------------------------------------------------------------
    def show_guide(self) -> None:
        from ocop_desktop.gui.help_viewer import show_guide

        show_guide(self, self.current_page_name())

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, tr("app.title"), tr("about.text", version=__version__))

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.put_all(  # one write of the settings file, not three
            {
                "window/geometry": self.saveGeometry(),
                "window/state": self.saveState(),
                "window/page": self.current_page_name(),
            }
        )
        super().closeEvent(event)
