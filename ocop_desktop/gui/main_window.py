"""The main window: navigation, the pages (made when first shown), the status bar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import __version__, backup, i18n
from ocop_desktop.errors import UserError
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.gui import settings
from ocop_desktop.gui.texts import adopt_keys, retranslate, set_text
from ocop_desktop.gui.uiload import build_ui
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store, open_store

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
        self._prefetched = dict(prefetched or {})  # page name -> its figures, being counted
        self.setObjectName("MainWindow")
        form = build_ui("main_window.ui")
        self.setCentralWidget(form.centralWidget())
        self.setMenuBar(form.menuBar())
        self.setStatusBar(form.statusBar())
        for action in form.findChildren(QAction):
            action.setParent(self)
        self.setMinimumSize(form.minimumSize())
        self.resize(form.size())
        set_text(self, form.windowTitle(), "windowTitle")
        form.deleteLater()
        adopt_keys(self)

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

        geometry = settings.get("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.get("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

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
            return SyncPage(store, self)
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
        sender = self.sender()
        for name, widget in self.page_widgets.items():
            if widget is not sender and name in ("overview", *LIST_PAGES):
                self._stale.add(name)

    def rebuild_pages(self) -> None:
        current = self.current_page_name()
        self.drop_pages()
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

    # ---- status bar --------------------------------------------------------
    def last_sync(self) -> datetime | None:
        from ocop_desktop.sync.status import last_sync_time

        try:
            at = last_sync_time(self.store)
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
                lambda _p: backup.restore_from(path, Path(chosen)),
                cancellable=False,
            )
            message = tr("settings.restore_done", kept=str(kept))
        except UserError as exc:  # the file was checked before it was put in place
            message = exc.message()
        self.store = open_store(path)
        self.stack.setCurrentWidget(self.page(current))
        self.update_status()
        QMessageBox.information(self, tr("app.title"), message)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, tr("app.title"), tr("about.text", version=__version__))

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.put("window/geometry", self.saveGeometry())
        settings.put("window/state", self.saveState())
        settings.put("window/page", self.current_page_name())
        super().closeEvent(event)
