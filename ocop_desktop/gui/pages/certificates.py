"""Evaluations & certificates: the certificate list, the evaluation list and the
council rounds, a tab each."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from ocop_desktop.gui.list_page import ListPage
from ocop_desktop.gui.list_specs import SPECS
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store

TABS = ("certificates", "evaluations")


class CertificatesPage(QTabWidget):
    """Two lazy lists; the main window's list actions (new, find, refresh) go to the
    one in front."""

    changed = Signal()  # a record was saved or deleted from one of the lists

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_certificates")
        self.setDocumentMode(True)
        self.lists: dict[str, ListPage] = {}
        for name in TABS:
            page = ListPage(store, SPECS[name], self)
            page.changed.connect(self.changed)
            self.lists[name] = page
            self.addTab(page, "")
        self.certificates, self.evaluations = self.lists["certificates"], self.lists["evaluations"]
        from ocop_desktop.gui.round_dialog import RoundsPanel

        self.rounds = RoundsPanel(store, self)  # council rounds: members' sheets, decisions
        self.addTab(self.rounds, "")
        self.retranslate_items()

    def current(self) -> ListPage:
        return self.currentWidget()

    def retranslate_items(self) -> None:
        for i, name in enumerate((*TABS, "rounds")):
            self.setTabText(i, tr(f"list.tab.{name}"))

    def is_ready(self) -> bool:
        return self.current().is_ready()

    def refresh(self) -> None:
        for page in self.lists.values():
            page.refresh()
        self.rounds.refresh()
