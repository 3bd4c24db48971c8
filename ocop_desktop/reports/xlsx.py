"""The summary as an Excel workbook (openpyxl, write-only mode for speed).

One sheet per summary table (the tables of ``reports.tables``, which the PDF
draws too), then the producers, products and certificates
sheets. Headers in Vietnamese, real Excel dates (dd/mm/yyyy), frozen header row,
column widths and an autofilter on every sheet. Text that starts with = + - @ (or
a tab / carriage return) is written as a string with Excel's quote prefix, so a
product name like "=HYPERLINK(…)" can never run as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ocop_desktop import cert_status, refdata
from ocop_desktop.renewals import postal_address
from ocop_desktop.reports import tables
from ocop_desktop.reports.tables import Table
from ocop_desktop.reports.wording import kind_label, stars_label, status_label
from ocop_desktop.store import Store
from ocop_desktop.summary import UNKNOWN_COMMUNE, Summary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
Progress = Callable[[str, float], None]

RECOGNITION_KINDS = {
    "new": "Công nhận mới",
    "upgrade": "Nâng hạng",
    "renewal": "Công nhận lại",
    "downgrade": "Hạ hạng",
}


def needs_guard(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


class _Sheet:
    """A write-only sheet with a bold, frozen, filtered header row."""

    def __init__(self, wb: Any, title: str, columns: list[tuple[str, float]]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        self._cell = WriteOnlyCell
        self.ncols = len(columns)
        self.rows = 0
        for i, (_, width) in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        head = []
        for name, _ in columns:
            c = WriteOnlyCell(self.ws, value=name)
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="E8E8E8")
            c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            head.append(c)
        _print_settings(self.ws)  # before the first row: write-only sheets write it first
        self.ws.append(head)
        self._last_col = get_column_letter(self.ncols)

    def append(self, values: Iterable[Any]) -> None:
        row = []
        for v in values:
            if isinstance(v, str):
                v = _ILLEGAL.sub("", v)
                if needs_guard(v):
                    c = self._cell(self.ws, value=v)
                    c.data_type = "s"
                    c.quotePrefix = True
                    v = c
            elif isinstance(v, date):
                c = self._cell(self.ws, value=v)
                c.number_format = DATE_FORMAT
                v = c
            row.append(v)
        self.ws.append(row)
        self.rows += 1

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{self._last_col}{self.rows + 1}"


def _print_settings(ws: Any) -> None:
    """A4 landscape, the header row repeated on every printed page, all columns
    fitted to the page's width (as many pages down as it takes)."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def _d(iso: Any) -> date | str | None:
    """A stored date as a date cell; a value that is not a date stays visible as text."""
    if not iso or not isinstance(iso, str):
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return iso


def _write_table(wb: Any, table: Table) -> None:
    """A format-neutral table of ``reports.tables`` as a sheet: every column, raw
    numbers, real dates, the total row last."""
    sh = _Sheet(wb, table.sheet, [(c.label, c.chars) for c in table.columns])
    kinds = [c.kind for c in table.columns]
    for row in [*table.rows, *([table.total] if table.total is not None else [])]:
        sh.append([_cell(v, k) for v, k in zip(row, kinds, strict=True)])
    sh.close()


def _cell(value: Any, kind: str) -> Any:
    if kind == "date" or (kind == "value" and isinstance(value, str) and _is_iso(value)):
        return _d(value)
    if kind == "pct" and value is not None:
        return round(value, 1)
    if kind == "num" and value is not None:
        return int(value) if float(value).is_integer() else round(float(value), 2)
    return value


def _is_iso(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _summary_sheets(wb: Any, s: Summary) -> None:
    for table in tables.summary_tables(s):
        _write_table(wb, table)


def _producers_sheet(wb: Any, store: Store, s: Summary) -> None:
    ref = refdata.load()
    sh = _Sheet(
        wb,
        "Chủ thể",
        [
            ("Tên chủ thể", 40),
            ("Loại hình", 22),
            ("Xã, phường", 22),
            ("Huyện cũ", 22),
            ("Thôn, địa chỉ", 30),
            ("Người đại diện", 24),
            ("Đại diện là nữ", 10),
            ("Đại diện là người DTTS", 12),
            ("Điện thoại", 14),
            ("Mã số thuế", 16),
            ("Năm thành lập", 10),
            ("Lao động", 10),
            ("Lao động nữ", 10),
            ("Ghi chú", 30),
        ],
    )
    _, producer_in_scope, params = s.in_scope_sql()
    cur = store.db.execute(
        "SELECT pr.name, pr.kind, pr.commune_code, pr.village, pr.address, pr.representative, "
        "pr.representative_female, pr.representative_ethnic, pr.phone, pr.tax_code, "
        "pr.founded_year, pr.workers_total, pr.workers_women, pr.notes FROM producers pr "
        f"WHERE pr.deleted = 0 AND {producer_in_scope} ORDER BY pr.name_key",
        params,
    )
    for r in cur:
        address = postal_address(r[3], r[4], "")
        sh.append(
            [
                r[0],
                kind_label(r[1]) if r[1] else "",
                ref.commune_name(r[2]) if r[2] is not None else UNKNOWN_COMMUNE,
                ref.district_name(ref.former_district_of.get(r[2])),
                address,
                r[5],
                "x" if r[6] else "",
                "x" if r[7] else "",
                r[8],
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
            ]
        )
    sh.close()


def _products_sheet(wb: Any, s: Summary) -> None:
    _write_table(wb, tables.products(s))


def _certificates_sheet(wb: Any, store: Store, s: Summary) -> None:
    # The certificate each product holds on the report's date; the others are superseded.
    in_force = set(s.product_rows["recognition_id"].dropna())
    ref = refdata.load()
    sh = _Sheet(
        wb,
        "Giấy chứng nhận",
        [
            ("Số quyết định", 18),
            ("Ngày quyết định", 14),
            ("Cơ quan ban hành", 26),
            ("Sản phẩm", 40),
            ("Xã, phường", 22),
            ("Hạng sao", 16),
            ("Điểm", 8),
            ("Loại công nhận", 16),
            ("Hết hạn", 14),
            ("Ngày thu hồi", 14),
            ("Tình trạng", 18),
        ],
    )
    product_in_scope, _, params = s.in_scope_sql()
    cur = store.db.execute(
        "SELECT r.id, r.decision_no, r.decision_date, r.issuer, p.name, p.commune_code, r.stars, "
        "r.potential_5, r.points, r.kind, r.expiry_date, r.revoked_date "
        "FROM recognitions r JOIN products p ON p.id = r.product_id "
        f"WHERE r.deleted = 0 AND p.deleted = 0 AND {product_in_scope} "
        "ORDER BY r.decision_date, r.decision_no",
        params,
    )
    at = cert_status.AsOf(date.fromisoformat(s.as_of), s.expiring["days"])
    for r in cur:
        status = cert_status.status(
            revoked_date=r[11], expiry_date=r[10], at=at, current=r[0] in in_force
        )
        sh.append(
            [
                r[1],
                _d(r[2]),
                r[3],
                r[4],
                ref.commune_name(r[5]) if r[5] is not None else UNKNOWN_COMMUNE,
                stars_label(r[6], r[7]),
                r[8],
                RECOGNITION_KINDS.get(r[9], r[9]),
                _d(r[10]),
                _d(r[11]),
                status_label(status),
            ]
        )
    sh.close()


def build(
    store: Store, summary: Summary, out: Path | str, progress: Progress | None = None
) -> Path:
    """Write the workbook for ``summary`` to ``out``; returns the path."""
    from openpyxl import Workbook

    out = Path(out)
    wb = Workbook(write_only=True)
    wb.properties.title = f"Số liệu OCOP – {summary.scope.name} – {summary.as_of}"
    steps = (
        lambda: _summary_sheets(wb, summary),
        lambda: _producers_sheet(wb, store, summary),
        lambda: _products_sheet(wb, summary),
        lambda: _certificates_sheet(wb, store, summary),
    )
    tmp = out.with_name(out.name + ".part")
    try:
        for i, step in enumerate(steps):
            step()
            if progress:
                progress("xlsx", (i + 1) / (len(steps) + 1))
        wb.save(tmp)
    except BaseException:
        _discard(wb)
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    if progress:
        progress("xlsx", 1.0)
    return out


def _discard(wb: Any) -> None:
    """Close the write-only sheets' row writers after a failed save (folder missing, disk
    full); left to the garbage collector they print a traceback per sheet at exit."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        for stream in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            try:
                if stream is not None:
                    stream.close()
            except Exception:  # noqa: BLE001,S110 (the save already failed; say that)
                pass
        if writer is not None:
            try:
                writer.cleanup()  # the sheet's temporary file
            except (OSError, ValueError):
                pass
