"""Screenshot of the scoring sheet dialog, filled for a product of set 1.

Run under a real X server so fonts are rendered as people see them:
    xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshot_scoring_sheet.py docs/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(out_dir: str, lang: str = "vi") -> int:
    from PySide6.QtWidgets import QApplication

    from ocop_desktop import i18n, rubric
    from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog

    i18n.set_language(lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheet = rubric.sheet(1)
    # A council's choice: strong everywhere, but machines rather than advanced
    # technology in pre-processing (A2), which keeps a 5-star score at 4 stars.
    choice = {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria}
    choice |= {"A1": 2, "A2": 2, "B3": 4}
    dialog = ScoringSheetDialog(sheet, choice, product_name="Gạo Nàng Hương Nga Sơn")
    dialog.show()
    for _ in range(20):
        app.processEvents()
    name = "scoring-sheet.png" if lang == "vi" else f"scoring-sheet-{lang}.png"
    dialog.grab().save(str(out / name))
    print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["docs/screenshots"])))
