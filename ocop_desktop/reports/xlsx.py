"""The summary as an Excel workbook (openpyxl, write-only mode for speed).

One sheet per summary table, then the producers, products and certificates
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
from ocop_desktop.reports.wording import STAR_LABELS, kind_label, stars_label, status_label
from ocop_desktop.store import Store
from ocop_desktop.summary import RESULT_KEYS, STAR_CLASSES, Summary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
Progress = Callable[[str, float], None]

RESULT_LABELS = {
    "new_products": "Sản phẩm được công nhận mới",
    "upgrades": "Sản phẩm được nâng hạng",
    "renewals": "Sản phẩm được công nhận lại",
    "four_star": "Sản phẩm đạt 4 sao (mới, nâng hạng)",
    "potential_five": "Sản phẩm tiềm năng 5 sao (mới, nâng hạng)",
}
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


def _d(iso: Any) -> date | str | None:
    """A stored date as a date cell; a value that is not a date stays visible as text."""
    if not iso or not isinstance(iso, str):
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return iso


def _stars_row(stars: dict[str, int]) -> list[int]:
    return [stars[k] for k in STAR_CLASSES] + [sum(stars.values())]


STAR_HEADERS = [(STAR_LABELS[k], 12) for k in STAR_CLASSES] + [("Tổng", 10)]


def _summary_sheets(wb: Any, s: Summary) -> None:
    p = s.products
    sh = _Sheet(wb, "Tổng hợp", [("Chỉ tiêu", 58), ("Giá trị", 22)])
    y = s.year_results
    for label, value in [
        ("Địa bàn", s.scope.name),
        ("Tỉnh", s.scope.province),
        ("Số liệu tính đến ngày", _d(s.as_of)),
        ("Năm báo cáo", s.year),
        ("Sản phẩm được theo dõi", p["total"]),
        ("Sản phẩm OCOP còn hiệu lực", p["certified"]),
        *[(f"  trong đó {STAR_LABELS[k]}", s.stars[k]) for k in ("5", "potential_5", "4", "3")],
        ("Sản phẩm hết hạn chứng nhận (chưa công nhận lại)", p["expired"]),
        ("Sản phẩm bị thu hồi chứng nhận", p["revoked"]),
        ("Sản phẩm chưa được công nhận", p["never_certified"]),
        ("Chủ thể được theo dõi", s.producers["total"]),
        ("Chủ thể có sản phẩm OCOP còn hiệu lực", s.producers["with_certified_products"]),
        ("Chủ thể có người đại diện là nữ", s.producers["representative_female"]),
        (
            "Chủ thể có người đại diện là người dân tộc thiểu số",
            s.producers["representative_ethnic"],
        ),
        (f"Quyết định công nhận năm {y['year']}", y["achieved"]["total"]),
        (f"Giấy chứng nhận hết hạn trong {s.expiring['days']} ngày tới", s.expiring["count"]),
        ("Sản phẩm xuất khẩu", s.export["products"]),
        ("Sản phẩm trên sàn thương mại điện tử", s.ecommerce["products"]),
    ]:
        sh.append([label, value])
    sh.close()

    sh = _Sheet(wb, "Theo hạng sao", [("Hạng sao", 22), ("Số sản phẩm", 14)])
    for k in ("5", "potential_5", "4", "3"):
        sh.append([STAR_LABELS[k], s.stars[k]])
    sh.append(["Tổng số", p["certified"]])
    sh.close()

    sh = _Sheet(wb, "Theo nhóm", [("Mã nhóm", 10), ("Nhóm sản phẩm", 50), *STAR_HEADERS])
    for g in s.by_group:
        sh.append([g["group_code"], g["group"], *_stars_row(g["stars"])])
    sh.close()

    sh = _Sheet(
        wb,
        "Theo bộ sản phẩm",
        [("Mã bộ", 8), ("Bộ sản phẩm", 60), ("Mã nhóm", 10), ("Số sản phẩm", 14)],
    )
    for r in s.by_product_set:
        sh.append([r["code"], r["name"], r["group_code"], r["certified"]])
    sh.close()

    if s.by_district:
        sh = _Sheet(
            wb,
            "Theo huyện cũ",
            [("Hạng", 8), ("Mã huyện", 10), ("Huyện cũ", 26), ("Sản phẩm theo dõi", 14)]
            + STAR_HEADERS
            + [("Chủ thể", 10)],
        )
        for d in s.by_district:
            sh.append(
                [
                    d["rank"],
                    d["code"],
                    d["name"],
                    d["products"],
                    *_stars_row(d["stars"]),
                    d["producers"],
                ]
            )
        sh.close()

    sh = _Sheet(
        wb,
        "Theo xã phường",
        [("Mã xã", 10), ("Xã, phường", 26), ("Huyện cũ", 24), ("Sản phẩm theo dõi", 14)]
        + STAR_HEADERS,
    )
    for c in s.by_commune:
        sh.append(
            [c["code"], c["name"], c["former_district"], c["products"], *_stars_row(c["stars"])]
        )
    sh.close()

    sh = _Sheet(
        wb,
        "Chủ thể theo loại hình",
        [("Loại hình", 28), ("Số chủ thể", 12), ("Có sản phẩm OCOP còn hiệu lực", 18)],
    )
    for k, n in s.producers["by_kind"].items():
        sh.append([kind_label(k), n, s.producers["with_certified_products_by_kind"][k]])
    sh.close()

    sh = _Sheet(
        wb,
        f"Kết quả năm {y['year']}",
        [("Chỉ tiêu", 44), ("Kế hoạch", 12), ("Thực hiện", 12), ("Tỷ lệ đạt (%)", 14)],
    )
    for k in RESULT_KEYS:
        target = (y["target"] or {}).get(k)
        percent = (y["percent"] or {}).get(k)
        sh.append([RESULT_LABELS[k], target, y["achieved"][k], percent])
    sh.close()

    for title, block in (
        ("Sắp hết hạn", s.expiring),
        ("Hết hạn chưa công nhận lại", s.expired_without_renewal),
    ):
        sh = _Sheet(
            wb,
            title,
            [
                ("Sản phẩm", 40),
                ("Chủ thể", 36),
                ("Xã, phường", 22),
                ("Huyện cũ", 22),
                ("Hạng sao", 16),
                ("Số quyết định", 18),
                ("Ngày quyết định", 14),
                ("Hết hạn", 14),
            ],
        )
        for it in block["items"]:
            sh.append(
                [
                    it["product"],
                    it["producer"],
                    it["commune"],
                    it["former_district"],
                    stars_label(it["stars"], it["potential_5"]),
                    it["decision_no"],
                    _d(it["decision_date"]),
                    _d(it["expiry_date"]),
                ]
            )
        sh.close()

    sh = _Sheet(wb, "Xuất khẩu", [("Thị trường", 30), ("Số sản phẩm", 14)])
    for m in s.export["markets"]:
        sh.append([m["market"], m["products"]])
    sh.close()
    sh = _Sheet(wb, "Thương mại điện tử", [("Sàn thương mại điện tử", 30), ("Số sản phẩm", 14)])
    for m in s.ecommerce["platforms"]:
        sh.append([m["platform"], m["products"]])
    sh.close()


def _producers_sheet(wb: Any, store: Store, s: Summary) -> None:
    import json

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
    cur = store.db.execute(
        "SELECT name, kind, commune_code, village, address, representative, "
        "representative_female, representative_ethnic, phone, tax_code, founded_year, "
        "workers_total, workers_women, notes FROM producers "
        "WHERE deleted = 0 AND commune_code IN (SELECT value FROM json_each(?)) ORDER BY name_key",
        [json.dumps(s.scope.communes)],
    )
    for r in cur:
        address = ", ".join(x for x in (r[3], r[4]) if x)
        sh.append(
            [
                r[0],
                kind_label(r[1]) if r[1] else "",
                ref.commune_name(r[2]),
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
    ref = refdata.load()
    sh = _Sheet(
        wb,
        "Sản phẩm",
        [
            ("Tên sản phẩm", 40),
            ("Chủ thể", 36),
            ("Bộ sản phẩm", 36),
            ("Nhóm", 20),
            ("Xã, phường", 22),
            ("Huyện cũ", 22),
            ("Hạng sao", 16),
            ("Tình trạng chứng nhận", 18),
            ("Số quyết định", 18),
            ("Ngày quyết định", 14),
            ("Hết hạn", 14),
            ("Thị trường xuất khẩu", 26),
            ("Sàn thương mại điện tử", 26),
        ],
    )
    sets = ref.product_sets
    for r in s.product_rows.itertuples(index=False):
        has = isinstance(r.recognition_id, str)
        ps = sets.get(r.product_set)
        sh.append(
            [
                r.name,
                r.producer_name,
                ps.name if ps else "",
                ps.group if ps else "",
                r.commune_name,
                r.district_name,
                stars_label(r.stars, r.potential_5) if has else "",
                status_label(r.status),
                r.decision_no if has else None,
                _d(r.decision_date) if has else None,
                _d(r.expiry_date) if has else None,
                ", ".join(r.markets),
                ", ".join(r.platforms),
            ]
        )
    sh.close()


def _certificates_sheet(wb: Any, store: Store, s: Summary) -> None:
    import json

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
    cur = store.db.execute(
        "SELECT r.id, r.decision_no, r.decision_date, r.issuer, p.name, p.commune_code, r.stars, "
        "r.potential_5, r.points, r.kind, r.expiry_date, r.revoked_date "
        "FROM recognitions r JOIN products p ON p.id = r.product_id "
        "WHERE r.deleted = 0 AND p.deleted = 0 "
        "AND p.commune_code IN (SELECT value FROM json_each(?)) "
        "ORDER BY r.decision_date, r.decision_no",
        [json.dumps(s.scope.communes)],
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
                ref.commune_name(r[5]),
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
