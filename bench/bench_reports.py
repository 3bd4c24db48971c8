"""Reports benchmark: district PDF (1,000 products), provincial PDF (20,000 products
in Thanh Hóa's former districts) and the Excel export of 20,000 products.

Each figure is printed beside a raw baseline measured in the same run on the same
rows: for the PDF, a bare reportlab table (default font and style, header row
repeated) of the appendix rows; for Excel, the same product rows appended to a
write-only openpyxl workbook without styles, dates or guards.
Targets: district ≤ 2 s, province ≤ 10 s, PDF ratio to the bare table ≤ 3.
Both wall-clock and CPU time are printed: on a shared machine the wall clock
also counts time spent waiting for a core.

    python bench/bench_reports.py [--district-products 1000] [--province-products 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocop_desktop.demo import generate  # noqa: E402
from ocop_desktop.reports import pdf, pdf_tables, tables, xlsx  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402
from ocop_desktop.summary import compute  # noqa: E402


class Timer:
    """Wall-clock and CPU seconds of a block."""

    def __enter__(self) -> Timer:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def bare_table(rows: list[list[str]], header: list[str], out: Path) -> Timer:
    """The same rows as plain reportlab tables (default font and style, header
    repeated): what the report's PDF costs at least. Cut into tables of
    ``pdf_tables.APPENDIX_CHUNK`` rows like the report, because one table of 20,000 rows
    costs reportlab quadratic time to split (4,000 rows: ~4 s; 20,000: minutes)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    with Timer() as timer:
        doc = SimpleDocTemplate(str(out), pagesize=landscape(A4))
        style = TableStyle([("FONTSIZE", (0, 0), (-1, -1), 7)])
        story = []
        for i in range(0, len(rows), pdf_tables.APPENDIX_CHUNK):
            table = Table([header, *rows[i : i + pdf_tables.APPENDIX_CHUNK]], repeatRows=1)
            table.setStyle(style)
            story.append(table)
        doc.build(story)
    return timer


class RecordingSheet:
    """Stands in for xlsx._Sheet to capture exactly the rows the workbook gets."""

    sheets: list[tuple[str, list[list]]] = []

    def __init__(self, wb, title: str, columns) -> None:
        self.rows = [[name for name, _ in columns]]
        RecordingSheet.sheets.append((title, self.rows))

    def append(self, values) -> None:
        self.rows.append(list(values))

    def close(self) -> None:
        pass


def bare_workbook(sheets: list[tuple[str, list[list]]], out: Path) -> Timer:
    """The same cell values, sheet by sheet, without styles, widths, filters or guards."""
    from openpyxl import Workbook

    with Timer() as timer:
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append([v if not isinstance(v, str) else v.lstrip("=+-@") for v in r])
        wb.save(out)
    return timer


def run_pdf(label: str, store, out_dir: Path, target: float):
    path = out_dir / f"{label}.pdf"
    with Timer() as total:
        with Timer() as t_summary:
            summary = compute(store)
        with Timer() as t_pdf:
            pdf.build(summary, path, pdf.ReportOptions(signer="Nguyễn Văn An", number="1"))
    products = tables.products(summary)
    printed = products.printed_columns
    kinds = [products.columns[i].kind for i in printed]
    rows = [
        [pdf_tables.cell_text(row[i], k) for i, k in zip(printed, kinds, strict=True)]
        for row in products.rows
    ]
    header = [products.columns[i].label for i in printed]
    bare = bare_table(rows, header, out_dir / f"{label}-bare.pdf")
    from pypdf import PdfReader

    pages = len(PdfReader(str(path)).pages)
    ratio = total.wall / bare.wall
    if total.wall <= target and ratio <= 3:
        verdict = "ok"
    elif total.cpu <= target and total.cpu / bare.cpu <= 3:
        verdict = "ok in CPU time; the wall clock also counts waiting for a shared core"
    else:
        verdict = "MISSED"
    print(
        f"{label}: {len(rows):,} products, {pages} pages – summary {t_summary} + PDF {t_pdf} "
        f"= {total} (target ≤ {target:g} s)\n"
        f"  bare reportlab table of the same rows {bare}; "
        f"ratio {ratio:.2f} wall, {total.cpu / bare.cpu:.2f} CPU (target ≤ 3) [{verdict}]"
    )
    return summary


def run_excel(store, summary, out_dir: Path) -> None:
    path = out_dir / "province.xlsx"
    with Timer() as book:
        xlsx.build(store, summary, path)
    real_sheet = xlsx._Sheet
    xlsx._Sheet = RecordingSheet
    try:
        xlsx.build(store, summary, out_dir / "recorded.xlsx")
    finally:
        xlsx._Sheet = real_sheet
    sheets = RecordingSheet.sheets
    cells = sum(len(r) for _, rows in sheets for r in rows)
    bare = bare_workbook(sheets, out_dir / "bare.xlsx")
    print(
        f"excel: {len(summary.product_rows):,} products – {len(sheets)} sheets, {cells:,} cells "
        f"in {book} ({path.stat().st_size / 1e6:.1f} MB)\n"
        f"  the same values in a bare write-only openpyxl workbook {bare}; "
        f"ratio {book.wall / bare.wall:.2f} wall, {book.cpu / bare.cpu:.2f} CPU"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--district-products", type=int, default=1000)
    ap.add_argument("--province-products", type=int, default=20000)
    ap.add_argument("--keep", help="keep the databases and outputs in this folder")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    out_dir = Path(args.keep) if args.keep else Path(tmp.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.sqlite*"):
        old.unlink()

    district = init_node(out_dir / "district.sqlite", role="office", office="401")
    generate(district, n_products=args.district_products, seed=1)
    run_pdf("district", district, out_dir, 2.0)
    district.close()

    province = init_node(out_dir / "province.sqlite", role="province", province=38)
    generate(province, n_products=args.province_products, seed=2)
    summary = run_pdf("province", province, out_dir, 10.0)
    print(f"  ({len(summary.by_district)} former districts in the breakdown)")
    run_excel(province, summary, out_dir)
    province.close()


if __name__ == "__main__":
    main()
