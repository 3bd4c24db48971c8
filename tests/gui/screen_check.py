"""Run in its own process (the screen and the scale factor are fixed at QApplication
start): open the main window and the tall dialogs, print where they landed.

``python -m tests.gui.screen_check DB OUT_DIR`` prints one JSON object: the
screen's available geometry and, per window, its frame geometry and whether its
OK/Save button lies inside the screen; PNGs of each go to OUT_DIR.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERLAP_PAGES = ("overview", "products", "certificates", "settings")


def overlaps(page) -> list[str]:
    """Visible widgets laid over one another: pairs of siblings whose rectangles meet."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QWidget

    QApplication.processEvents()
    page.window().grab()
    found = []
    for parent in [page, *page.findChildren(QWidget)]:
        kids = [
            w
            for w in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if w.isVisible() and not w.isWindow()
        ]
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                common = a.geometry().intersected(b.geometry())
                if common.width() > 2 and common.height() > 2:
                    found.append(
                        f"{a.objectName() or type(a).__name__} × {b.objectName() or type(b).__name__}"
                    )
    return found


def main(db: str, out: str) -> None:
    from PySide6.QtCore import QByteArray, QPoint, QRect
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from ocop_desktop import i18n, rubric
    from ocop_desktop.gui import settings
    from ocop_desktop.gui.forms.product import ProductForm
    from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog
    from ocop_desktop.gui.main_window import MainWindow
    from ocop_desktop.store import open_store

    i18n.set_language("vi")
    # A window last closed on a larger screen at 1600×900 (the size reported off-screen).
    settings.put("window/geometry", QByteArray())
    store = open_store(db)
    big = MainWindow(store)
    big.setGeometry(QRect(40, 40, 1600, 900))
    settings.put("window/geometry", big.saveGeometry())
    big.deleteLater()

    area = app.primaryScreen().availableGeometry()
    report: dict = {"available": [area.x(), area.y(), area.width(), area.height()]}
    window = MainWindow(store)
    window.show()
    window.show_page("products")
    sheet = ScoringSheetDialog(rubric.sheet(1), product_name="Gạo Nàng Hương", parent=window)
    form = ProductForm(store, None, window)
    for name, widget, button in (
        ("main", window, None),
        ("sheet", sheet, sheet.ok_button),
        ("product_form", form, form.save_button),
    ):
        widget.show()
        app.processEvents()
        frame = widget.frameGeometry()
        inside = True
        if button is not None:
            corner = button.mapToGlobal(QPoint(button.width(), button.height()))
            inside = area.contains(corner) and button.isVisible()
        report[name] = {
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "min": [widget.minimumWidth(), widget.minimumHeight()],
            "button_inside": inside,
        }
        widget.grab().save(str(Path(out) / f"{name}.png"))
    report["overlaps"] = {name: overlaps(window.show_page(name)) for name in OVERLAP_PAGES}
    print(json.dumps(report))
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
