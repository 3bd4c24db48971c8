"""F1: the user guide, offline, open at the page of the screen in front.

The guide is Markdown shipped with the app in ``resources/guide/<lang>/<page>.md``
(one file per page of the main window, plus ``start.md``), shown in a
``QTextBrowser``; links between the files work as in a browser. Vietnamese is
the guide's first language; a page missing in English falls back to it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut, QTextBlockFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from ocop_desktop import i18n
from ocop_desktop.i18n import tr
from ocop_desktop.paths import resource

TOPICS = (
    "start",
    "overview",
    "producers",
    "products",
    "certificates",
    "reports",
    "sync",
    "settings",
)
FIRST_LANGUAGE = "vi"
# The guide's page for a record form or dialog, by the table it edits.
TOPIC_OF_TABLE = {
    "producers": "producers",
    "products": "products",
    "recognitions": "certificates",
    "evaluations": "certificates",
}


def add_f1(dialog: QWidget, topic: str) -> None:
    """F1 in a (modal) dialog opens the guide at ``topic`` above it."""
    QShortcut(QKeySequence(Qt.Key.Key_F1), dialog, lambda: show_guide(dialog, topic))


def guide_file(topic: str, lang: str | None = None) -> Path:
    """The guide's page for ``topic`` in ``lang`` (the app's language), else in Vietnamese."""
    topic = topic if topic in TOPICS else "start"
    for code in (lang or i18n.language(), FIRST_LANGUAGE):
        path = resource("guide", code, f"{topic}.md")
        if path.exists():
            return path
    raise FileNotFoundError(f"guide page {topic!r} missing")


def title_of(path: Path) -> str:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return path.stem


class HelpViewer(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpViewer")
        self.setWindowTitle(tr("help.title"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        layout = QHBoxLayout(self)
        self.topics = QListWidget()
        self.topics.setMaximumWidth(220)
        self.topics.setSpacing(3)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.sourceChanged.connect(self._source_changed)
        layout.addWidget(self.topics)
        layout.addWidget(self.browser, 1)
        self.topics.currentItemChanged.connect(self._topic_chosen)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self, self.browser.backward)
        self._fill()
        from ocop_desktop.gui import screen_fit

        screen_fit.fit(self, QSize(900, 680), QSize(480, 320))

    def _fill(self) -> None:
        self.topics.blockSignals(True)
        self.topics.clear()
        for topic in TOPICS:
            item = QListWidgetItem(title_of(guide_file(topic)))
            item.setData(Qt.ItemDataRole.UserRole, topic)
            self.topics.addItem(item)
        self.topics.blockSignals(False)

    def show_topic(self, topic: str) -> None:
        path = guide_file(topic)
        self.browser.setSource(
            QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
        )
        self._select(path.stem)
        self._spaced()

    def _spaced(self) -> None:
        """Lines 135% apart: at single spacing a line's marks (ẳ, ỗ) touched the line above."""
        block = QTextBlockFormat()
        block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor = QTextCursor(self.browser.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(block)

    def topic(self) -> str:
        return Path(self.browser.source().toLocalFile()).stem

    def _topic_chosen(self, item: QListWidgetItem | None, _old: object = None) -> None:
        if item is not None and item.data(Qt.ItemDataRole.UserRole) != self.topic():
            self.show_topic(item.data(Qt.ItemDataRole.UserRole))

    def _source_changed(self, url: QUrl) -> None:
        self._select(Path(url.toLocalFile()).stem)
        self._spaced()

    def _select(self, topic: str) -> None:
        for i in range(self.topics.count()):
            if self.topics.item(i).data(Qt.ItemDataRole.UserRole) == topic:
                self.topics.blockSignals(True)
                self.topics.setCurrentRow(i)
                self.topics.blockSignals(False)


def show_guide(window: QWidget, page: str) -> HelpViewer:
    """Open (or bring forward) the guide of ``window`` at the page for ``page``."""
    viewer = window.findChild(HelpViewer, "helpViewer")
    if viewer is None or viewer.property("lang") != i18n.language():
        if viewer is not None:
            viewer.deleteLater()
        viewer = HelpViewer(window)
        viewer.setProperty("lang", i18n.language())
    viewer.show_topic(page)
    viewer.show()
    viewer.raise_()
    viewer.activateWindow()
    return viewer
