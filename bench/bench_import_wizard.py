"""How long the import wizard blocks the UI thread on a 10,000-row .xlsx.

A timer ticks every 20 ms on the UI thread while the wizard reads the sheet (Next
on the file page) and plans every row (Next on the columns page); the longest gap
between two ticks is the longest the window could not paint or react.
Target (issue "never freeze"): under ~100 ms.

    QT_QPA_PLATFORM=offscreen python bench/bench_import_wizard.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_import import make_sheet  # noqa: E402


class Ticks:
    """The longest gap between the ticks of a 20 ms timer on the UI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def measure(self, step) -> tuple[float, float]:
        """(seconds the step took, longest gap in seconds) for ``step()``."""
        self.longest = 0.0
        self.last = start = time.perf_counter()
        self.timer.start()
        step()
        end = time.perf_counter()
        self.longest = max(self.longest, end - self.last)  # a stall up to the very end
        self.timer.stop()
        return end - start, self.longest


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000)
    args = p.parse_args()

    from PySide6.QtWidgets import QApplication

    from ocop_desktop import refdata
    from ocop_desktop.gui.import_wizard import ImportWizard
    from ocop_desktop.store import init_node

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "list.xlsx"
        make_sheet(sheet, args.rows)
        _ = refdata.load().former_district_of  # warm the reference data
        store = init_node(Path(tmp) / "p.sqlite", role="province", province=38)
        wizard = ImportWizard(store)
        wizard.show()
        app.processEvents()
        wizard.file_page.path_edit.setText(str(sheet))
        ticks = Ticks()
        read = ticks.measure(wizard.next)
        assert wizard.currentPage() is wizard.mapping_page, "the sheet was not read"
        plan = ticks.measure(wizard.next)
        assert wizard.currentPage() is wizard.preview_page, "the rows were not planned"
        rows = len(wizard.plan.rows)
        wizard.close()
        store.close()

    print(f"rows planned               {rows:>8}")
    for name, (took, gap) in (("read the sheet", read), ("plan the rows", plan)):
        print(f"{name:<26} {took:8.2f} s   UI thread blocked at most {gap * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
