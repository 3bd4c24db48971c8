"""F1: the offline guide, Vietnamese first, at the page of the screen in front."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ocop_desktop.gui.help_viewer import TOPICS, HelpViewer, guide_file
from ocop_desktop.gui.main_window import PAGES


def test_every_page_and_language_has_its_guide():
    for lang in ("vi", "en"):
        for topic in (*PAGES, "start"):
            assert topic in TOPICS
            path = guide_file(topic, lang)
            assert path.parent.name == lang and path.stem == topic


@pytest.mark.parametrize("page", ["products", "certificates", "sync"])
def test_f1_opens_the_guide_at_the_current_page(qtbot, window, page):
    window.show_page(page)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F1)
    viewer = window.findChild(HelpViewer)
    assert viewer is not None and viewer.isVisible()
    assert viewer.topic() == page
    assert viewer.topics.currentItem().data(Qt.ItemDataRole.UserRole) == page
    title = guide_file(page, "vi").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert viewer.browser.toPlainText().startswith(title + "\n")


def test_the_guide_is_vietnamese_first_and_english_after_a_switch(qtbot, window):
    window.show_page("certificates")
    window.show_guide()
    viewer = window.findChild(HelpViewer)
    assert "Phiếu chấm điểm" in viewer.browser.toPlainText()
    assert viewer.windowTitle().startswith("Hướng dẫn sử dụng")
    window.set_language("en")
    window.show_guide()
    viewer = [v for v in window.findChildren(HelpViewer) if v.isVisible()][-1]
    assert "The scoring sheet" in viewer.browser.toPlainText()


def test_links_between_pages_move_the_contents_list(qtbot, window):
    window.show_page("overview")
    window.show_guide()
    viewer = window.findChild(HelpViewer)
    viewer.browser.setSource(guide_file("start").with_name("sync.md").as_uri())
    assert viewer.topic() == "sync"
    assert viewer.topics.currentItem().data(Qt.ItemDataRole.UserRole) == "sync"


def test_the_guide_is_shipped_with_the_resources():
    """build_installer.spec and setup.py ship resources/ whole: the guide is inside."""
    from ocop_desktop.paths import resources_dir

    assert guide_file("start", "vi").is_relative_to(resources_dir())


def test_f1_in_a_form_or_the_scoring_sheet_opens_its_page(qtbot, sample):
    from PySide6.QtWidgets import QApplication

    from ocop_desktop import rubric
    from ocop_desktop.gui.forms.producer import ProducerForm
    from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog
    from tests.gui.forms_helpers import show_form

    form = show_form(qtbot, ProducerForm(sample, None, None))
    QTest.keyClick(form.focusWidget(), Qt.Key.Key_F1)
    viewer = form.findChild(HelpViewer)
    assert viewer is not None and viewer.isVisible() and viewer.topic() == "producers"

    sheet = ScoringSheetDialog(rubric.sheet(1), product_name="Gạo")
    qtbot.addWidget(sheet)
    sheet.show()
    QApplication.processEvents()
    QTest.keyClick(sheet.focusWidget(), Qt.Key.Key_F1)
    viewer = sheet.findChild(HelpViewer)
    assert viewer is not None and viewer.topic() == "certificates"
