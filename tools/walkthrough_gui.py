"""A new officer's first week, step by step, each step a screenshot of the whole screen.

Run under a real X server at a laptop's size, in each language:
    xvfb-run -a -s "-screen 0 1366x768x24" python tools/walkthrough_gui.py OUT_DIR vi
The data folder is OUT_DIR/data (a fresh one: the first-run dialog comes up).
Steps: first run (choices typed, then the demo button), the demo banner, the File
menu, products found without accents, a deletion and the Edit menu's undo, the
scoring sheet by keyboard, the certificate form filled from that scoring, the
expiring certificates, F1 on the page, the sync export and its status bar.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(out_dir: str, lang: str = "vi") -> int:
    out = Path(out_dir) / lang
    out.mkdir(parents=True, exist_ok=True)
    os.environ["OCOP_DATA_DIR"] = str(out / "data")
    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

    from ocop_desktop import clock, i18n, rubric
    from ocop_desktop.gui import setup_dialog
    from ocop_desktop.gui.qt_texts import QtTexts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.installTranslator(QtTexts(app))
    i18n.set_language(lang)
    setup_dialog.DEMO_PRODUCTS = 400
    step = {"n": 0}

    def settle(rounds: int = 30) -> None:
        for _ in range(rounds):
            app.processEvents()
            QTest.qWait(10)

    def shot(name: str) -> None:
        settle()
        step["n"] += 1
        path = out / f"{step['n']:02d}-{name}.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
        print(path)

    # 1. First run: the office, the officer's name, then "open demo data".
    real = out / "data" / "ocop.sqlite"
    dialog = setup_dialog.SetupDialog(real)
    dialog.district_combo.setCurrentIndex(dialog.district_combo.findData(401))
    dialog.officer_edit.setText("Lê Thị Hằng")
    dialog.show()
    shot("first-run")
    dialog.demo_button.click()
    store = dialog.store
    from ocop_desktop.gui import documents
    from ocop_desktop.gui.main_window import MainWindow

    documents.remember(dialog.created, demo=False)
    documents.remember(store.path, demo=True)
    window = MainWindow(store)
    window.show()
    window.show_page("overview")
    shot("demo-banner")

    # 2. The File menu: new, open, recent (the real database is there), demo.
    file_menu = window.findChild(QMenu, "menuFile")
    file_menu.popup(window.mapToGlobal(QPoint(8, 24)))
    settle()
    window.recent_menu.popup(file_menu.mapToGlobal(QPoint(file_menu.width(), 40)))
    shot("file-menu")
    window.recent_menu.hide()
    file_menu.hide()

    # 3. Products found without accents; one deleted, and Ctrl+Z offered by name.
    page = window.show_page("products")
    page.filter_edit.setText("banh gai")
    settle(60)
    shot("products-find")
    ask = QMessageBox.question  # the officer answers Yes to "move … to the trash?"
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.view.selectRow(1)
    page.delete_selected()
    QMessageBox.question = ask
    edit_menu = window.findChild(QMenu, "menuEdit")
    edit_menu.popup(window.mapToGlobal(QPoint(60, 24)))
    shot("undo-in-edit-menu")
    edit_menu.hide()
    window.undo()

    # 4. The scoring sheet by keyboard: digit, Enter, for each criterion.
    from ocop_desktop import evaluations, products

    product_id = page.model.record_id(0)
    product = products.get(store, product_id)
    from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog

    sheet = rubric.sheet(product["product_set"])
    sheet_dialog = ScoringSheetDialog(sheet, product_name=product["name"], parent=window)
    sheet_dialog.show()
    settle()
    for i, criterion in enumerate(sheet.criteria[:-1]):
        best = len(criterion.options) - (2 if i % 4 == 0 else 1)
        QTest.keyClick(sheet_dialog.focusWidget(), Qt.Key(Qt.Key.Key_1 + best))
        QTest.keyClick(sheet_dialog.focusWidget(), Qt.Key.Key_Return)
    shot("scoring-by-keyboard")
    QTest.keyClick(sheet_dialog.focusWidget(), Qt.Key(Qt.Key.Key_1 + 1))
    QTest.keyClick(sheet_dialog.focusWidget(), Qt.Key.Key_Return)
    evaluations.add(
        store,
        {
            "product_id": product_id,
            "eval_date": clock.today().isoformat(),
            "level": "province",
            "options": sheet_dialog.choices(),
        },
    )

    # 5. The certificate form takes the points and stars just scored.
    from ocop_desktop.gui.forms.recognition import RecognitionForm

    form = RecognitionForm(store, None, window, product_id=product_id)
    form.show()
    shot("certificate-from-scoring")
    form.discard()

    # 6. Certificates expiring: the soonest first.
    certificates = window.show_page("certificates").current()
    certificates.set_combo("status", "expiring")
    settle(60)
    shot("expiring-soonest-first")

    # 7. F1 on that page.
    window.activateWindow()
    window.show_guide()
    shot("help-f1")
    from ocop_desktop.gui.help_viewer import HelpViewer

    for viewer in window.findChildren(HelpViewer):
        viewer.close()

    # 8. Sync: an export, its result under the button, the status bar updated.
    sync_page = window.show_page("sync")
    sync_page.choose_export_path = lambda name: str(out / name)
    sync_page.export_button.click()
    for _ in range(300):
        settle(1)
        if sync_page.export_result.text():
            break
    shot("sync-export")

    QTimer.singleShot(0, window.close)
    settle()
    window.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
