"""Council round benchmark: a provincial round of N products scored by 3 members.

Prints the time to record the members' sheets, to compute the ranked results,
to record the batch decision (every product's recognition in one step), and to
write the decision PDF and the certificates PDF; beside them a raw baseline
measured in the same run: inserting the same number of rows with executemany,
and a reportlab canvas drawing N pages with a QR code of the same length and no
other content.

    python bench/bench_rounds.py [--products 200]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OCOP_TODAY", "2026-11-30")

from ocop_desktop import (  # noqa: E402
    batch_decisions,
    certificates,
    clock,
    producers,
    products,
    rounds,
    rubric,
)
from ocop_desktop.reports import round_documents  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402

MEMBERS = ("Nguyễn Văn An", "Lê Thị Hằng", "Trần Quốc Bảo")


def timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    print(f"{label:<44} {time.perf_counter() - start:8.2f} s")
    return out


def baseline_rows(folder: Path, n: int) -> None:
    conn = sqlite3.connect(folder / "raw.sqlite")
    conn.execute("CREATE TABLE t (id TEXT, a REAL, b REAL, c REAL, options TEXT)")
    rows = [(str(i), 40.0, 25.0, 35.0, "{" + "x" * 300 + "}") for i in range(n)]
    with conn:
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
    conn.close()


def baseline_pages(folder: Path, n: int, text: str) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(folder / "raw.pdf"), pagesize=landscape(A4))
    for _ in range(n):
        widget = QrCodeWidget(text)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(120, 120, transform=[120 / (x1 - x0), 0, 0, 120 / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, 60, 60)
        canvas.showPage()
    canvas.save()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=200)
    n = parser.parse_args().products
    clock.pin(os.environ["OCOP_TODAY"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = init_node(folder / "p.sqlite", role="province", province=38, officer="bench")
        producer = producers.add(
            store, {"name": "Hợp tác xã Đông Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
        )
        ids = [
            products.add(
                store, {"name": f"Sản phẩm {i}", "producer_id": producer, "product_set": 9}
            )
            for i in range(n)
        ]
        round_id = rounds.create(
            store,
            {
                "name": "Đợt 2 năm 2026",
                "round_date": "2026-10-20",
                "level": "province",
                "chair": MEMBERS[0],
                "members": list(MEMBERS[1:]),
                "products": ids,
            },
        )
        sheet = rubric.sheet(9)
        top = {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria}
        print(f"{n} products × {len(MEMBERS)} members")

        def record_all() -> None:
            for i, pid in enumerate(ids):
                for m in MEMBERS:
                    rounds.record_sheet(store, round_id, pid, m, top | {"A1": 1 + i % 3})

        timed(f"record {n * len(MEMBERS)} members' sheets", record_all)
        timed(f"  baseline: executemany {n * len(MEMBERS)} rows", baseline_rows, folder, n * 3)
        timed("ranked results", rounds.results, store, round_id)
        batch = timed(
            "batch decision (evaluations + recognitions)",
            batch_decisions.record,
            store,
            round_id,
            {"decision_no": "715/QĐ-UBND", "decision_date": "2026-11-02"},
        )
        timed("decision PDF with annex", round_documents.decision, store, batch, folder / "d.pdf")
        recs = [r["id"] for r in batch_decisions.annex(store, batch)]
        timed(
            f"certificates PDF ({n} pages)",
            round_documents.certificate_pages,
            store,
            recs,
            folder / "c.pdf",
        )
        text = certificates.payload(store, recs[0])
        timed(f"  baseline: {n} pages with a QR code only", baseline_pages, folder, n, text)
        print(f"QR payload: {len(text)} characters")
        store.close()


if __name__ == "__main__":
    main()
