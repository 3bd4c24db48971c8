"""Screenshots of the import wizard for the README (run under a real X server):

xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshot_import_wizard.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from ocop_desktop.gui.import_wizard import ImportWizard
    from ocop_desktop.store import init_node

    app = QApplication([])
    store = init_node(
        Path(tempfile.mkdtemp()) / "p.sqlite", role="province", province=38, officer="Nguyễn Văn An"
    )
    wizard = ImportWizard(store)
    wizard.show()
    wizard.file_page.path_edit.setText(str(ROOT / "tests" / "data" / "ocop_thanhhoa_messy.xlsx"))
    for name in ("import-1-file", "import-2-columns", "import-3-preview"):
        app.processEvents()
        wizard.grab().save(str(OUT / f"{name}.png"))
        wizard.next()
    for _ in range(500):
        app.processEvents()
        if wizard.run_page.finished:
            break
        time.sleep(0.02)
    app.processEvents()
    wizard.grab().save(str(OUT / "import-4-done.png"))


if __name__ == "__main__":
    main()
