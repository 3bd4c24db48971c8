"""The summary as an administrative report (Decree 30/2020/NĐ-CP layout), A4.

Issuing body top-left and national motto top-right, number and symbol, place and
date in words, title, numbered sections with tables and charts, recipients and the
signature block, then an appendix (landscape) listing every product with its
certificate. Serif font from ``resources/fonts`` embedded; table headers repeat
on every page; "Trang x/y" at the foot of each page. All text goes in NFC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ocop_desktop import clock
from ocop_desktop.reports import charts, fonts
from ocop_desktop.reports.wording import (
    STAR_LABELS,
    date_in_words,
    dmy,
    kind_label,
    num,
    pct,
    stars_label,
    status_label,
)
from ocop_desktop.summary import STAR_CLASSES, Summary

MM = 72 / 25.4
PORTRAIT_MARGINS = (30 * MM, 15 * MM, 20 * MM, 20 * MM)  # left, right, top, bottom
LANDSCAPE_MARGINS = (20 * MM, 15 * MM, 20 * MM, 18 * MM)
APPENDIX_CHUNK = 300  # rows per Table: keeps reportlab's split cost linear
NATIONAL_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
GROUP_SHORT = {
    "I": "Thực phẩm",
    "II": "Đồ uống",
    "III": "Dược liệu",
    "IV": "Thủ công MN",
    "V": "Sinh vật cảnh",
    "VI": "Du lịch CĐ",
}

Progress = Callable[[str, float], None]


@dataclass
class ReportOptions:
    signer: str = ""
    signer_title: str = ""
    number: str = ""
    issued: date | None = None
    issuer_lines: list[str] = field(default_factory=list)
    symbol: str = ""
    recipients: list[str] = field(default_factory=list)


def t(text: Any) -> str:
    """NFC text for reportlab (decomposed marks would be drawn misplaced)."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def esc(text: Any) -> str:
    return t(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def default_issuer(summary: Summary) -> list[str]:
    province = summary.scope.province.upper()
    parent = "UBND " + province
    if summary.scope.kind == "province":
        return [parent, "VĂN PHÒNG ĐIỀU PHỐI NTM"]
    return [parent, summary.scope.name.upper()]


def default_symbol(summary: Summary) -> str:
    return "BC-VPĐP" if summary.scope.kind == "province" else "BC-OCOP"


def number_line(options: ReportOptions, symbol: str) -> str:
    number = t(options.number).strip()
    if "/" in number:
        return f"Số: {number}"
    blank = "\u00a0" * 6  # the number is written by hand after signing
    return f"Số: {number or blank}/{symbol}"


def scope_phrase(summary: Summary) -> str:
    """'trên địa bàn huyện Nga Sơn' / 'trên địa bàn tỉnh Thanh Hóa'."""
    name = summary.scope.name
    return "trên địa bàn " + (name[0].lower() + name[1:] if name else "")


# ---- styles -------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=13, leading=17)
    return {
        "body": ParagraphStyle(
            "body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=10 * MM, spaceAfter=5
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.BOLD, fontSize=14, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontName=fonts.BOLD, alignment=TA_CENTER, leading=17
        ),
        "note": ParagraphStyle(
            "note", parent=base, fontName=fonts.ITALIC, alignment=TA_CENTER, spaceAfter=4
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=fonts.BOLD, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=fonts.ITALIC,
            fontSize=11,
            leading=14,
            alignment=TA_CENTER,
            spaceBefore=2,
            spaceAfter=6,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=13, alignment=TA_LEFT),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=11,
            leading=13,
            alignment=TA_CENTER,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=12, leading=15),
    }


# ---- the header block (issuing body, motto, number, place and date) -------------


def _header_flowable(lines_left: list[str], number: str, date_line: str, width: float):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    left_w = 72 * MM
    right_w = width - left_w

    class Header(Flowable):
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.lines = _split_issuer(lines_left, left_w - 4)
            self.height_ = max(58, 16 * (len(self.lines) + 2) + 8)
            return width, self.height_

        def draw(self) -> None:
            c = self.canv
            top = self.height_ - 12
            lx = left_w / 2
            y = top
            for i, (text, bold) in enumerate(self.lines):
                font = fonts.BOLD if bold else fonts.REGULAR
                c.setFont(font, 12)
                c.drawCentredString(lx, y, text)
                if i == len(self.lines) - 1:
                    w = min(stringWidth(text, font, 12), left_w) / 3
                    c.setLineWidth(0.6)
                    c.line(lx - w / 2, y - 5, lx + w / 2, y - 5)
                y -= 15
            c.setFont(fonts.REGULAR, 13)
            c.drawCentredString(lx, y - 8, number)
            rx = left_w + right_w / 2
            c.setFont(fonts.BOLD, 12)
            c.drawCentredString(rx, top, NATIONAL_MOTTO[0])
            c.setFont(fonts.BOLD, 13)
            c.drawCentredString(rx, top - 15, NATIONAL_MOTTO[1])
            w = stringWidth(NATIONAL_MOTTO[1], fonts.BOLD, 13)
            c.line(rx - w / 2, top - 20, rx + w / 2, top - 20)
            c.setFont(fonts.ITALIC, 13)
            c.drawCentredString(rx, min(y - 8, top - 38), date_line)

    return Header()


def _split_issuer(lines: list[str], width: float) -> list[tuple[str, bool]]:
    """The parent body in regular type, the issuing office in bold; long lines wrap."""
    from reportlab.lib.utils import simpleSplit

    out: list[tuple[str, bool]] = []
    for i, line in enumerate(lines):
        bold = i == len(lines) - 1 and len(lines) > 1
        font = fonts.BOLD if bold else fonts.REGULAR
        out += [(part, bold) for part in simpleSplit(t(line), font, 12, width)]
    return out


# ---- tables ---------------------------------------------------------------------


def _table(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    *,
    numeric_from: int = 1,
    total_row: bool = False,
    font_size: float = 11,
    styles: dict[str, Any] | None = None,
):
    """A bordered table whose header row repeats on every page."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    st = styles or _styles()
    head = [Paragraph(esc(h), st["cell_head"]) for h in header]
    cell = st["cell"]
    if font_size != cell.fontSize:
        from reportlab.lib.styles import ParagraphStyle

        cell = ParagraphStyle("cell_sized", parent=cell, fontSize=font_size, leading=font_size + 2)
    body = []
    last = len(rows) - 1
    for n, r in enumerate(rows):
        plain = total_row and n == last
        body.append(
            [
                Paragraph(esc(v), cell) if i < numeric_from and not plain else t(v)
                for i, v in enumerate(r)
            ]
        )
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row and rows:
        style.append(("FONT", (0, -1), (-1, -1), fonts.BOLD, font_size))
    table.setStyle(TableStyle(style))
    return table


def caption(text: str, st: dict[str, Any]) -> list:
    """A table's caption, starting a new page when too little room is left for it
    and the first rows (the table itself then splits freely across pages)."""
    from reportlab.platypus import CondPageBreak, Paragraph

    return [CondPageBreak(45 * MM), Paragraph(esc(text), st["caption"])]


def _star_cells(stars: dict[str, int]) -> list[str]:
    return [num(stars[k]) for k in STAR_CLASSES] + [num(sum(stars.values()))]


STAR_HEADERS = ["3 sao", "4 sao", "Tiềm năng 5 sao", "5 sao", "Tổng"]


# ---- sections -------------------------------------------------------------------


def _section_products(s: Summary, st, width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer

    p, stars = s.products, s.stars
    out = [Paragraph("I. SẢN PHẨM OCOP CÒN HIỆU LỰC", st["h1"])]
    out.append(
        Paragraph(
            f"Tính đến ngày {dmy(s.as_of)}, {esc(scope_phrase(s))} có {num(p['total'])} sản phẩm "
            f"được theo dõi, trong đó <b>{num(p['certified'])}</b> sản phẩm có giấy chứng nhận "
            f"OCOP còn hiệu lực: {num(stars['5'])} sản phẩm 5 sao, {num(stars['potential_5'])} "
            f"sản phẩm tiềm năng 5 sao, {num(stars['4'])} sản phẩm 4 sao và {num(stars['3'])} "
            f"sản phẩm 3 sao; {num(p['expired'])} sản phẩm đã hết hạn chứng nhận, "
            f"{num(p['revoked'])} sản phẩm bị thu hồi chứng nhận, {num(p['never_certified'])} "
            "sản phẩm chưa được công nhận.",
            st["body"],
        )
    )
    total = max(p["certified"], 1)
    rows = [
        [STAR_LABELS[k], num(stars[k]), pct(100.0 * stars[k] / total if p["certified"] else None)]
        for k in ("5", "potential_5", "4", "3")
    ]
    rows.append(["Tổng số", num(p["certified"]), pct(100.0 if p["certified"] else None)])
    out += caption("Bảng 1. Sản phẩm OCOP còn hiệu lực theo hạng sao", st)
    out.append(
        _table(
            ["Hạng sao", "Số sản phẩm", "Tỷ lệ"],
            rows,
            [width * 0.5, width * 0.25, width * 0.25],
            total_row=True,
            styles=st,
        )
    )
    out.append(Spacer(1, 6))
    out.append(
        charts.column_chart(
            [STAR_LABELS[k] for k in STAR_CLASSES],
            [stars[k] for k in STAR_CLASSES],
            width=width,
            title="Biểu đồ 1. Sản phẩm OCOP còn hiệu lực theo hạng sao",
        )
    )
    rows = [[f"{g['group_code']}. {g['group']}", *_star_cells(g["stars"])] for g in s.by_group]
    rows.append(["Tổng số", *_star_cells(s.stars)])
    out += caption("Bảng 2. Sản phẩm OCOP còn hiệu lực theo nhóm sản phẩm", st)
    out.append(
        _table(
            ["Nhóm sản phẩm", *STAR_HEADERS],
            rows,
            [width * 0.40] + [width * 0.12] * 5,
            total_row=True,
            styles=st,
        )
    )
    out.append(
        charts.column_chart(
            [GROUP_SHORT.get(g["group_code"], g["group_code"]) for g in s.by_group],
            [g["certified"] for g in s.by_group],
            width=width,
            title="Biểu đồ 2. Sản phẩm OCOP còn hiệu lực theo nhóm sản phẩm",
        )
    )
    sets = [r for r in s.by_product_set if r["certified"]]
    rows = [[str(r["code"]), r["name"], num(r["certified"])] for r in sets]
    rows.append(["", "Tổng số", num(sum(r["certified"] for r in sets))])
    out += caption("Bảng 3. Sản phẩm OCOP còn hiệu lực theo bộ sản phẩm", st)
    out.append(
        _table(
            ["Mã bộ", "Bộ sản phẩm", "Số sản phẩm"],
            rows,
            [width * 0.12, width * 0.66, width * 0.22],
            numeric_from=2,
            total_row=True,
            styles=st,
        )
    )
    return out


def _section_area(s: Summary, st, width: float) -> list:
    from reportlab.platypus import Paragraph

    out = [Paragraph("II. SẢN PHẨM OCOP THEO ĐỊA BÀN", st["h1"])]
    if s.by_district:
        ranked = [d for d in s.by_district if d["certified"]]
        listing = ", ".join(f"{esc(d['short_name'])} {num(d['certified'])}" for d in ranked[:10])
        out.append(
            Paragraph(
                "Xếp theo số sản phẩm OCOP còn hiệu lực, các địa bàn (huyện, thị xã, thành phố "
                f"trước sắp xếp) dẫn đầu là: {listing or 'chưa có'}.",
                st["body"],
            )
        )
        rows = [
            [
                str(d["rank"]),
                d["short_name"],
                num(d["products"]),
                *_star_cells(d["stars"]),
                num(d["producers"]),
            ]
            for d in s.by_district
        ]
        total_stars = s.stars
        rows.append(
            [
                "",
                "Toàn tỉnh",
                num(s.products["total"]),
                *_star_cells(total_stars),
                num(s.producers["total"]),
            ]
        )
        out += caption("Bảng 4. Sản phẩm OCOP còn hiệu lực theo địa bàn huyện cũ (xếp hạng)", st)
        out.append(
            _table(
                ["Hạng", "Huyện cũ", "Sản phẩm theo dõi", *STAR_HEADERS, "Chủ thể"],
                rows,
                [w * width for w in (0.085, 0.185, 0.11, 0.09, 0.09, 0.11, 0.09, 0.1, 0.14)],
                numeric_from=2,
                total_row=True,
                styles=st,
            )
        )
        out.append(
            charts.ranked_bars(
                [d["short_name"] for d in s.by_district],
                [d["certified"] for d in s.by_district],
                width=width,
                title="Biểu đồ 3. Sản phẩm OCOP còn hiệu lực theo địa bàn huyện cũ",
            )
        )
        return out
    rows = [[c["name"], num(c["products"]), *_star_cells(c["stars"])] for c in s.by_commune]
    rows.append(["Tổng số", num(s.products["total"]), *_star_cells(s.stars)])
    out.append(
        Paragraph(
            f"Sản phẩm được theo dõi và sản phẩm OCOP còn hiệu lực theo {num(len(s.by_commune))} "
            "xã, phường hiện nay (tên sau sắp xếp ngày 01/07/2025):",
            st["body"],
        )
    )
    out += caption("Bảng 4. Sản phẩm OCOP theo xã, phường", st)
    out.append(
        _table(
            ["Xã, phường", "Sản phẩm theo dõi", *STAR_HEADERS],
            rows,
            [w * width for w in (0.28, 0.14, 0.11, 0.11, 0.14, 0.11, 0.11)],
            total_row=True,
            styles=st,
        )
    )
    return out


def _section_producers(s: Summary, st, width: float) -> list:
    from reportlab.platypus import Paragraph

    pr = s.producers
    kinds = [k for k in pr["by_kind"] if k != "unknown" or pr["by_kind"][k]]
    out = [Paragraph("III. CHỦ THỂ OCOP", st["h1"])]
    out.append(
        Paragraph(
            f"Có {num(pr['total'])} chủ thể được theo dõi, trong đó "
            f"{num(pr['with_certified_products'])} chủ thể có sản phẩm OCOP còn hiệu lực. "
            f"{num(pr['representative_female'])} chủ thể có người đại diện là nữ và "
            f"{num(pr['representative_ethnic'])} chủ thể có người đại diện là người dân tộc "
            "thiểu số.",
            st["body"],
        )
    )
    rows = [
        [
            kind_label(k),
            num(pr["by_kind"][k]),
            num(pr["with_certified_products_by_kind"][k]),
        ]
        for k in kinds
    ]
    rows.append(["Tổng số", num(pr["total"]), num(pr["with_certified_products"])])
    out += caption("Bảng 5. Chủ thể OCOP theo loại hình", st)
    out.append(
        _table(
            ["Loại hình chủ thể", "Số chủ thể", "Có sản phẩm OCOP còn hiệu lực"],
            rows,
            [width * 0.46, width * 0.22, width * 0.32],
            total_row=True,
            styles=st,
        )
    )
    return out


RESULT_LABELS = {
    "new_products": "Sản phẩm được công nhận mới",
    "four_star": "Sản phẩm đạt 4 sao (mới, nâng hạng)",
    "potential_five": "Sản phẩm tiềm năng 5 sao (mới, nâng hạng)",
    "upgrades": "Sản phẩm được nâng hạng",
    "renewals": "Sản phẩm được công nhận lại",
}


def _section_year(s: Summary, st, width: float) -> list:
    from reportlab.platypus import Paragraph

    y = s.year_results
    out = [Paragraph(f"IV. KẾT QUẢ NĂM {y['year']} SO VỚI KẾ HOẠCH", st["h1"])]
    a = y["achieved"]
    out.append(
        Paragraph(
            f"Từ ngày {dmy(y['from'])} đến ngày {dmy(y['to'])} có {num(a['total'])} quyết định "
            f"công nhận: {num(a['new_products'])} sản phẩm công nhận mới, "
            f"{num(a['upgrades'])} sản phẩm nâng hạng và {num(a['renewals'])} sản phẩm "
            "công nhận lại."
            + ("" if y["target"] else f" Chưa nhập kế hoạch (chỉ tiêu) năm {y['year']}."),
            st["body"],
        )
    )
    target = y["target"] or {}
    percent = y["percent"] or {}
    rows = [
        [
            label,
            num(target.get(key)) if y["target"] else "-",
            num(a[key]),
            pct(percent.get(key)),
        ]
        for key, label in RESULT_LABELS.items()
    ]
    out += caption(f"Bảng 6. Kết quả năm {y['year']} so với kế hoạch", st)
    out.append(
        _table(
            ["Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ đạt"],
            rows,
            [width * 0.49, width * 0.17, width * 0.17, width * 0.17],
            styles=st,
        )
    )
    return out


BODY_LIST_MAX = 30  # longer lists of expiring certificates go to an appendix


def _section_expiry(s: Summary, st, width: float) -> list:
    from reportlab.platypus import Paragraph

    e, x = s.expiring, s.expired_without_renewal
    in_body = len(e["items"]) <= BODY_LIST_MAX
    where = "" if in_body or not e["items"] else " (danh sách tại Phụ lục I)"
    out = [Paragraph("V. GIẤY CHỨNG NHẬN SẮP HẾT HẠN VÀ ĐÃ HẾT HẠN", st["h1"])]
    out.append(
        Paragraph(
            f"Có <b>{num(e['count'])}</b> giấy chứng nhận sẽ hết hạn trong {e['days']} ngày "
            f"tới (đến ngày {dmy(e['until'])}){where}; cơ quan công nhận cần thông báo cho chủ "
            "thể ít nhất 30 ngày trước khi hết hạn để đề nghị công nhận lại. "
            f"Có <b>{num(x['count'])}</b> sản phẩm đã hết hạn chứng nhận nhưng chưa được công "
            f"nhận lại (danh sách tại Phụ lục {'I' if in_body else 'II'}).",
            st["body"],
        )
    )
    if e["items"] and in_body:
        rows = [
            [
                str(i),
                it["product"],
                it["producer"] or "",
                it["commune"],
                stars_label(it["stars"], it["potential_5"]),
                dmy(it["expiry_date"]),
            ]
            for i, it in enumerate(e["items"], 1)
        ]
        out += caption(f"Bảng 7. Giấy chứng nhận hết hạn trong {e['days']} ngày tới", st)
        out.append(
            _table(
                ["STT", "Sản phẩm", "Chủ thể", "Xã, phường", "Hạng sao", "Hết hạn"],
                rows,
                [w * width for w in (0.075, 0.275, 0.245, 0.15, 0.12, 0.135)],
                numeric_from=5,
                font_size=10.5,
                styles=st,
            )
        )
    return out


def _section_trade(s: Summary, st, width: float) -> list:
    from reportlab.platypus import Paragraph

    ex, ec = s.export, s.ecommerce
    out = [Paragraph("VI. XUẤT KHẨU VÀ THƯƠNG MẠI ĐIỆN TỬ", st["h1"])]
    markets = ", ".join(f"{esc(m['market'])} ({num(m['products'])})" for m in ex["markets"])
    platforms = ", ".join(f"{esc(m['platform'])} ({num(m['products'])})" for m in ec["platforms"])
    out.append(
        Paragraph(
            f"Có <b>{num(ex['products'])}</b> sản phẩm OCOP còn hiệu lực được xuất khẩu"
            + (f", tới các thị trường: {markets}." if markets else ".")
            + f" Có <b>{num(ec['products'])}</b> sản phẩm được bán trên sàn thương mại điện tử"
            + (f": {platforms}." if platforms else "."),
            st["body"],
        )
    )
    tables = []
    if ex["markets"]:
        tables.append(
            _table(
                ["Thị trường xuất khẩu", "Số sản phẩm"],
                [[m["market"], num(m["products"])] for m in ex["markets"]],
                [width * 0.3, width * 0.17],
                styles=st,
            )
        )
    if ec["platforms"]:
        tables.append(
            _table(
                ["Sàn thương mại điện tử", "Số sản phẩm"],
                [[m["platform"], num(m["products"])] for m in ec["platforms"]],
                [width * 0.3, width * 0.17],
                styles=st,
            )
        )
    if tables:
        from reportlab.platypus import Table, TableStyle

        out += caption("Bảng 8. Thị trường xuất khẩu và sàn thương mại điện tử", st)
        side = Table([tables], colWidths=[width * 0.5] * len(tables))
        side.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 11),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out.append(side)
    return out


def _signature(s: Summary, options: ReportOptions, st, width: float):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    recipients = options.recipients or (
        ["Như trên;", "UBND tỉnh (để b/c);", "Lưu: VT."]
        if s.scope.kind == "province"
        else ["Văn phòng Điều phối NTM tỉnh (để b/c);", "Lưu: VT."]
    )
    small = ParagraphStyle("recipients", fontName=fonts.REGULAR, fontSize=11, leading=13)
    left = [Paragraph("<b><i>Nơi nhận:</i></b>", ParagraphStyle("nn", parent=small, fontSize=12))]
    left += [Paragraph("- " + esc(r), small) for r in recipients]
    centre = ParagraphStyle("sig", fontName=fonts.BOLD, fontSize=13, leading=17, alignment=1)
    title = t(
        options.signer_title
        or ("CHÁNH VĂN PHÒNG" if s.scope.kind == "province" else "TRƯỞNG PHÒNG")
    ).upper()
    right = [Paragraph(esc(title), centre), Spacer(1, 62)]
    if options.signer:
        right.append(Paragraph(esc(options.signer), centre))
    table = Table([[left, right]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 11),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 10), table])


# ---- appendix -------------------------------------------------------------------


def _wrap(text: str, font: str, size: float, width: float, cache: dict) -> str:
    """Break a cell's text into lines that fit ``width`` (plain strings are much
    cheaper than Paragraph cells in a table of thousands of rows)."""
    key = (text, width)
    hit = cache.get(key)
    if hit is not None:
        return hit
    from reportlab.lib.utils import simpleSplit

    out = "\n".join(simpleSplit(text, font, size, width - 4)) if text else ""
    cache[key] = out
    return out


def appendix_columns(province: bool) -> list[tuple[str, float]]:
    if province:
        return [
            ("STT", 12),
            ("Tên sản phẩm", 45),
            ("Chủ thể", 40),
            ("Xã, phường", 28),
            ("Huyện cũ", 22),
            ("Hạng sao", 22),
            ("Số quyết định", 31),
            ("Ngày QĐ", 18),
            ("Hết hạn", 18),
            ("Tình trạng", 26),
        ]
    return [
        ("STT", 12),
        ("Tên sản phẩm", 54),
        ("Chủ thể", 49),
        ("Xã, phường", 32),
        ("Hạng sao", 22),
        ("Số quyết định", 31),
        ("Ngày QĐ", 18),
        ("Hết hạn", 18),
        ("Tình trạng", 26),
    ]


def appendix_rows(s: Summary) -> list[list[str]]:
    """One row of plain strings per product in scope."""
    province = s.scope.kind == "province"
    rows = []
    for i, r in enumerate(s.product_rows.itertuples(index=False), 1):
        has = isinstance(r.recognition_id, str)
        row = [
            str(i),
            t(r.name),
            t(r.producer_name or ""),
            t(r.commune_name),
        ]
        if province:
            row.append(_short_district(t(r.district_name)))
        row += [
            stars_label(r.stars, r.potential_5) if has else "",
            t(r.decision_no) if has else "",
            dmy(r.decision_date) if has else "",
            dmy(r.expiry_date) if has else "",
            status_label(r.status),
        ]
        rows.append(row)
    return rows


def _short_district(name: str) -> str:
    return name.replace("Huyện ", "").replace("Thị xã ", "TX ").replace("Thành phố ", "TP ")


def expiring_rows(s: Summary) -> list[list[str]]:
    return [
        [
            str(i),
            t(it["product"]),
            t(it["producer"] or ""),
            t(it["commune"]),
            _short_district(t(it["former_district"])),
            stars_label(it["stars"], it["potential_5"]),
            t(it["decision_no"]),
            dmy(it["expiry_date"]),
        ]
        for i, it in enumerate(s.expiring["items"], 1)
    ]


EXPIRING_COLUMNS = [
    ("STT", 12),
    ("Tên sản phẩm", 62),
    ("Chủ thể", 56),
    ("Xã, phường", 34),
    ("Huyện cũ", 26),
    ("Hạng sao", 22),
    ("Số quyết định", 31),
    ("Hết hạn", 19),
]


def _appendix_heading(roman: str, title: str, s: Summary, options, symbol, issued, st) -> list:
    from reportlab.platypus import Paragraph

    report = esc(number_line(options, symbol).removeprefix("Số: "))
    return [
        Paragraph(f"PHỤ LỤC {roman}", st["title"]),
        Paragraph(esc(title), st["subtitle"]),
        Paragraph(
            f"(Kèm theo Báo cáo {report} ngày {issued:%d/%m/%Y}; "
            f"tình trạng tính đến ngày {dmy(s.as_of)})",
            st["note"],
        ),
    ]


def _landscape_list(
    rows: list[list[str]],
    cols: list[tuple[str, float]],
    wrap_cols: set[int],
    progress: Progress | None = None,
) -> list:
    """A long list in tables of ``APPENDIX_CHUNK`` rows: header repeated on every
    page, text pre-wrapped into plain strings (much cheaper than Paragraph cells)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    widths = [w * MM for _, w in cols]
    size = 8.5
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), fonts.REGULAR, size, size + 1.5),
            ("FONT", (0, 0), (-1, 0), fonts.BOLD, size, size + 1.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("ALIGN", (0, 1), (0, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    if not rows:
        rows = [[""] * len(cols)]
    header = [h for h, _ in cols]
    cache: dict = {}
    out = []
    total = len(rows)
    for start in range(0, total, APPENDIX_CHUNK):
        chunk = rows[start : start + APPENDIX_CHUNK]
        for row in chunk:
            for c in wrap_cols:
                row[c] = _wrap(row[c], fonts.REGULAR, size, widths[c], cache)
        table = Table([header, *chunk], colWidths=widths, repeatRows=1)
        table.setStyle(style)
        out.append(table)
        if progress:
            progress("pdf", 0.1 + 0.2 * min(1.0, (start + APPENDIX_CHUNK) / total))
    return out


def _appendices(s: Summary, options: ReportOptions, symbol: str, issued: date, st, progress):
    from reportlab.platypus import PageBreak

    out: list = []
    romans = iter(("I", "II", "III"))
    if len(s.expiring["items"]) > BODY_LIST_MAX:
        out += _appendix_heading(
            next(romans),
            f"GIẤY CHỨNG NHẬN OCOP HẾT HẠN TRONG {s.expiring['days']} NGÀY TỚI",
            s,
            options,
            symbol,
            issued,
            st,
        )
        out += _landscape_list(expiring_rows(s), EXPIRING_COLUMNS, {1, 2, 3})
        out.append(PageBreak())
    province = s.scope.kind == "province"
    out += _appendix_heading(
        next(romans), "DANH SÁCH SẢN PHẨM VÀ GIẤY CHỨNG NHẬN OCOP", s, options, symbol, issued, st
    )
    wrap = {1, 2, 3, 4} if province else {1, 2, 3}
    out += _landscape_list(appendix_rows(s), appendix_columns(province), wrap, progress)
    return out


# ---- page furniture -------------------------------------------------------------


def _numbered_canvas_class():
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Defers each page until the total is known, then writes 'Trang x/y'."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # reportlab starts every page in Helvetica (not embedded) unless told
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(fonts.REGULAR, 10)
                self.drawCentredString(width / 2, 10 * MM, f"Trang {self._pageNumber}/{total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def build(
    summary: Summary,
    out: Path | str,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the report PDF for ``summary`` to ``out``; returns the path."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
    )
    from reportlab.platypus.flowables import HRFlowable

    fonts.register()
    options = options or ReportOptions()
    out = Path(out)
    issued = options.issued or clock.today()
    symbol = options.symbol or default_symbol(summary)
    st = _styles()
    if progress:
        progress("pdf", 0.0)

    pw, ph = A4
    left, right, top, bottom = PORTRAIT_MARGINS
    portrait_frame = Frame(
        left, bottom, pw - left - right, ph - top - bottom, id="p", leftPadding=0, rightPadding=0
    )
    lw, lh = landscape(A4)
    l2, r2, top2, bottom2 = LANDSCAPE_MARGINS
    landscape_frame = Frame(
        l2, bottom2, lw - l2 - r2, lh - top2 - bottom2, id="l", leftPadding=0, rightPadding=0
    )
    width = portrait_frame._width
    title = f"Báo cáo kết quả thực hiện Chương trình OCOP năm {summary.year}"
    partial = out.with_name(out.name + ".part")  # a failed build leaves no half-written report
    doc = BaseDocTemplate(
        str(partial),
        pagesize=A4,
        title=t(title),
        author=t(" – ".join(options.issuer_lines or default_issuer(summary))),
        subject=t(summary.scope.name),
        pageCompression=1,
        pageTemplates=[
            PageTemplate(id="portrait", frames=[portrait_frame], pagesize=A4),
            PageTemplate(id="landscape", frames=[landscape_frame], pagesize=landscape(A4)),
        ],
    )
    story: list = [
        _header_flowable(
            options.issuer_lines or default_issuer(summary),
            number_line(options, symbol),
            date_in_words(summary.scope.place, issued),
            width,
        ),
        Spacer(1, 14),
        Paragraph("BÁO CÁO", st["title"]),
        Paragraph(
            "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP)<br/>"
            f"năm {summary.year} {esc(scope_phrase(summary))}",
            st["subtitle"],
        ),
        HRFlowable(width=45 * MM, thickness=0.6, color="black", spaceBefore=3, spaceAfter=4),
        Paragraph(f"(Số liệu tính đến ngày {dmy(summary.as_of)})", st["note"]),
        Spacer(1, 4),
    ]
    for section in (
        _section_products,
        _section_area,
        _section_producers,
        _section_year,
        _section_expiry,
    ):
        story += section(summary, st, width)
    # The signature never stands alone on a page: the last section goes with it.
    trade = _section_trade(summary, st, width)
    story.append(KeepTogether([*trade, _signature(summary, options, st, width)]))
    if progress:
        progress("pdf", 0.1)
    story += [NextPageTemplate("landscape"), PageBreak()]
    story += _appendices(summary, options, symbol, issued, st, progress)

    total_rows = max(len(summary.product_rows), 1)

    def after_flowable(flowable: Any) -> None:
        if progress and hasattr(flowable, "_cellvalues"):
            progress("pdf", min(0.99, 0.3 + 0.7 * doc.page * 40 / (total_rows + 400)))

    doc.afterFlowable = after_flowable
    try:
        doc.build(story, canvasmaker=_numbered_canvas_class())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    if progress:
        progress("pdf", 1.0)
    return out
