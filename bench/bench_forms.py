"""Form responsiveness on a large database: completion per keystroke and form opening.

    python bench/bench_forms.py DB          (an initialised database, e.g. after
                                             `ocop init … && ocop demo --products 100000`)

Prints p50/p95 milliseconds per keystroke for the producer, product and commune
pickers beside a raw baseline measured in the same run: the same name search
written the obvious way (all matches, sorted, first 20), and the time to open
each form on an existing record.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = ["hop tac xa", "mam tom", "nga son", "dong tien", "ho kinh doanh", "nuoc mam", "che"]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return samples[len(samples) // 2], samples[int(len(samples) * 0.95)]


def _keystrokes(fn) -> tuple[float, float]:
    times = []
    for word in WORDS:
        for i in range(3, len(word) + 1):
            t = time.perf_counter()
            fn(word[:i])
            times.append((time.perf_counter() - t) * 1000)
    return _percentiles(times)


def main(db_path: str) -> int:
    from PySide6.QtWidgets import QApplication

    from ocop_desktop.gui.forms import form_class
    from ocop_desktop.gui.widgets.commune_picker import CommunePicker
    from ocop_desktop.gui.widgets.record_picker import ProducerPicker, ProductPicker
    from ocop_desktop.search import match_ids
    from ocop_desktop.store import open_store

    app = QApplication.instance() or QApplication([])
    store = open_store(db_path)
    counts = {
        t: store.db.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
        for t in ("producers", "products")
    }
    print(f"database: {counts['producers']:,} producers, {counts['products']:,} products")

    def naive(table: str):
        def run(text: str) -> None:
            sub, params = match_ids(table, text)
            store.db.execute(
                f"SELECT id, name FROM {table} WHERE deleted = 0 AND rid IN ({sub}) "
                "ORDER BY length(name_key), name_key LIMIT 20",
                params,
            ).fetchall()

        return run

    pickers = {
        "producers": ProducerPicker(store),
        "products": ProductPicker(store),
    }
    for table, picker in pickers.items():
        picker._fill("warm up")
        p50, p95 = _keystrokes(picker._fill)
        b50, b95 = _keystrokes(naive(table))
        print(
            f"{table:9s} picker per keystroke: p50 {p50:5.1f} ms  p95 {p95:5.1f} ms   "
            f"baseline (all matches sorted) p50 {b50:5.1f} ms  p95 {b95:5.1f} ms   "
            f"p95 ratio {p95 / b95:.2f}"
        )
    communes = CommunePicker(store.node.area)
    communes._fill("warm up")
    p50, p95 = _keystrokes(lambda t: communes._fill(t))
    print(f"communes  picker per keystroke: p50 {p50:5.1f} ms  p95 {p95:5.1f} ms")

    ids = {
        "producers": store.db.execute("SELECT id FROM producers LIMIT 1 OFFSET 500").fetchone()[0],
        "products": store.db.execute("SELECT id FROM products LIMIT 1 OFFSET 500").fetchone()[0],
        "recognitions": store.db.execute("SELECT id FROM recognitions LIMIT 1").fetchone()[0],
        "evaluations": store.db.execute("SELECT id FROM evaluations LIMIT 1").fetchone()[0],
    }
    for table, record_id in ids.items():
        t = time.perf_counter()
        form = form_class(table)(store, record_id)
        form.show()
        app.processEvents()
        print(f"open {table:12s} form: {(time.perf_counter() - t) * 1000:6.1f} ms")
        form.discard()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
