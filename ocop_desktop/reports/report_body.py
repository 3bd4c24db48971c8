"""The periodic OCOP report's content: results (the figures, with generated
sentences, tables and charts), assessment (strengths, shortcomings, causes),
tasks for the next period and proposals (typed by the officer), and the annexes.

Where each list goes is planned before anything is drawn (``plan_annexes``), so
tables and charts are numbered in one run through the body and every sentence
that points to an annex names the right one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocop_desktop.documents import DocumentSettings
from ocop_desktop.reports import charts, tables
from ocop_desktop.reports.frame import esc, paragraphs
from ocop_desktop.reports.pdf_tables import body_table, side_by_side
from ocop_desktop.reports.wording import STAR_LABELS, dmy, lower_first, num
from ocop_desktop.summary import STAR_CLASSES, Summary

BODY_LIST_MAX = 30  # a longer list of certificates or communes goes to an annex
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
GROUP_SHORT = {
    "I": "Thực phẩm",
    "II": "Đồ uống",
    "III": "Dược liệu",
    "IV": "Thủ công MN",
    "V": "Sinh vật cảnh",
    "VI": "Du lịch CĐ",
}
NARRATIVE_HEADINGS = {
    "strengths": "1. Kết quả đạt được",
    "shortcomings": "2. Tồn tại, hạn chế",
    "causes": "3. Nguyên nhân",
}


@dataclass
class Annex:
    key: str  # "communes", "expiring", "expired", "products"
    roman: str
    table: tables.Table


@dataclass
class Numbering:
    """Tables and charts numbered in the order they are drawn."""

    tables: int = 0
    charts: int = 0

    def table(self) -> int:
        self.tables += 1
        return self.tables

    def chart(self) -> int:
        self.charts += 1
        return self.charts


@dataclass
class Context:
    s: Summary
    st: dict[str, Any]
    width: float
    annexes: dict[str, Annex]
    narrative: dict[str, str]
    numbering: Numbering = field(default_factory=Numbering)

    def annex_ref(self, key: str) -> str:
        return f"Phụ lục {self.annexes[key].roman}"


def scope_phrase(s: Summary) -> str:
    """'trên địa bàn tỉnh Thanh Hóa', '… huyện Nga Sơn (cũ)', '… xã Nga Sơn'."""
    from ocop_desktop.documents import looks_like_a_body

    name = s.scope.name
    if s.scope.kind == "district":
        return f"trên địa bàn {lower_first(name)} (cũ)"
    if s.scope.kind == "area" and looks_like_a_body(name):
        import re

        area = re.sub(r"^(UBND|Ủ?Y ban nhân dân|UỶ ban nhân dân)\s*", "", name, flags=re.I)
        return "trên địa bàn " + (lower_first(area) if area else name)
    return "trên địa bàn " + lower_first(name)


def plan_annexes(s: Summary) -> dict[str, Annex]:
    """Which lists leave the body, in the order the annexes are printed."""
    planned: list[tuple[str, tables.Table]] = []
    if s.scope.kind == "province":
        communes = tables.by_commune(s, with_products_only=True)
        if len(communes.rows) > BODY_LIST_MAX:
            planned.append(("communes", communes))
    expiring = tables.expiring(s)
    if len(expiring.rows) > BODY_LIST_MAX:
        planned.append(("expiring", expiring))
    expired = tables.expired(s)
    if len(expired.rows) > BODY_LIST_MAX:
        planned.append(("expired", expired))
    planned.append(("products", tables.products(s)))
    return {key: Annex(key, ROMAN[i], table) for i, (key, table) in enumerate(planned)}


# ---- I. results -------------------------------------------------------------------


def _p(ctx: Context, html: str) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(html, ctx.st["body"])


def _h(ctx: Context, text: str, style: str = "h1") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(esc(text), ctx.st[style])


def _chart(ctx: Context, kind: str, labels: list[str], values: list[int], title: str) -> Any:
    number = ctx.numbering.chart()
    make = charts.ranked_bars if kind == "ranked" else charts.column_chart
    return make(labels, values, width=ctx.width, title=f"Biểu đồ {number}. {title}")


def _table(ctx: Context, table: tables.Table, **kw: Any) -> tuple[int, list]:
    number = ctx.numbering.table()
    return number, body_table(table, number, ctx.st, ctx.width, **kw)


def products_part(ctx: Context) -> list:
    s = ctx.s
    p, stars = s.products, s.stars
    stars_table = tables.stars(s)
    n_stars = ctx.numbering.tables + 1
    out = [
        _h(ctx, "1. Sản phẩm OCOP còn hiệu lực", "h2"),
        _p(
            ctx,
            f"Tính đến ngày {dmy(s.as_of)}, {esc(scope_phrase(s))} có {num(p['total'])} sản phẩm "
            f"được theo dõi, trong đó <b>{num(p['certified'])}</b> sản phẩm có giấy chứng nhận "
            f"OCOP còn hiệu lực: {num(stars['5'])} sản phẩm 5 sao, {num(stars['potential_5'])} "
            f"sản phẩm tiềm năng 5 sao, {num(stars['4'])} sản phẩm 4 sao và {num(stars['3'])} "
            f"sản phẩm 3 sao (Bảng {n_stars}); {num(p['expired'])} sản phẩm đã hết hạn chứng "
            f"nhận, {num(p['revoked'])} sản phẩm bị thu hồi chứng nhận, "
            f"{num(p['never_certified'])} sản phẩm chưa được công nhận.",
        ),
    ]
    out += _table(ctx, stars_table)[1]
    out.append(
        _chart(
            ctx,
            "column",
            [STAR_LABELS[k] for k in STAR_CLASSES],
            [stars[k] for k in STAR_CLASSES],
            "Sản phẩm OCOP còn hiệu lực theo hạng sao",
        )
    )
    out += _table(ctx, tables.by_group(s))[1]
    out.append(
        _chart(
            ctx,
            "column",
            [GROUP_SHORT.get(g["group_code"], g["group_code"]) for g in s.by_group],
            [g["certified"] for g in s.by_group],
            "Sản phẩm OCOP còn hiệu lực theo nhóm sản phẩm",
        )
    )
    out += _table(ctx, tables.by_product_set(s))[1]
    return out


def area_part(ctx: Context) -> list:
    s = ctx.s
    out = [_h(ctx, "2. Sản phẩm OCOP theo địa bàn", "h2")]
    if s.scope.kind == "province":
        ranked = [d for d in s.by_district if d["certified"]]
        listing = ", ".join(f"{esc(d['short_name'])} {num(d['certified'])}" for d in ranked[:10])
        n_districts = ctx.numbering.tables + 1
        out.append(
            _p(
                ctx,
                "Xếp theo số sản phẩm OCOP còn hiệu lực, các địa bàn (huyện, thị xã, thành phố "
                f"trước sắp xếp) dẫn đầu là: {listing or 'chưa có'} (Bảng {n_districts}).",
            )
        )
        out += _table(ctx, tables.by_district(s), font_size=10.5)[1]
        out.append(
            _chart(
                ctx,
                "ranked",
                [d["short_name"] for d in s.by_district],
                [d["certified"] for d in s.by_district],
                "Sản phẩm OCOP còn hiệu lực theo địa bàn huyện cũ",
            )
        )
        communes = tables.by_commune(s, with_products_only=True)
        with_products = len(communes.rows)
        certified_in = sum(1 for c in s.by_commune if c["certified"])
        where = (
            f"danh sách tại {ctx.annex_ref('communes')}"
            if "communes" in ctx.annexes
            else f"Bảng {ctx.numbering.tables + 1}"
        )
        out.append(
            _p(
                ctx,
                f"Theo {num(len(s.by_commune))} xã, phường hiện nay (sau sắp xếp ngày "
                f"01/07/2025), {num(with_products)} xã, phường có sản phẩm được theo dõi, trong "
                f"đó {num(certified_in)} xã, phường có sản phẩm OCOP còn hiệu lực ({where}); "
                f"{num(len(s.by_commune) - with_products)} xã, phường chưa có sản phẩm.",
            )
        )
        if "communes" not in ctx.annexes and communes.rows:
            out += _table(ctx, communes, font_size=10.5)[1]
        return out
    communes = tables.by_commune(s)
    out.append(
        _p(
            ctx,
            f"Sản phẩm được theo dõi và sản phẩm OCOP còn hiệu lực theo {num(len(s.by_commune))} "
            f"xã, phường hiện nay (tên sau sắp xếp ngày 01/07/2025) tại Bảng "
            f"{ctx.numbering.tables + 1}.",
        )
    )
    out += _table(ctx, communes, font_size=10.5)[1]
    return out


def producers_part(ctx: Context) -> list:
    pr = ctx.s.producers
    out = [
        _h(ctx, "3. Chủ thể OCOP", "h2"),
        _p(
            ctx,
            f"Có {num(pr['total'])} chủ thể được theo dõi, trong đó "
            f"{num(pr['with_certified_products'])} chủ thể có sản phẩm OCOP còn hiệu lực "
            f"(Bảng {ctx.numbering.tables + 1}). {num(pr['representative_female'])} chủ thể có "
            f"người đại diện là nữ và {num(pr['representative_ethnic'])} chủ thể có người đại "
            "diện là người dân tộc thiểu số.",
        ),
    ]
    out += _table(ctx, tables.producers_by_kind(ctx.s))[1]
    return out


def year_part(ctx: Context) -> list:
    y = ctx.s.year_results
    a = y["achieved"]
    out = [
        _h(ctx, f"4. Kết quả năm {y['year']} so với kế hoạch", "h2"),
        _p(
            ctx,
            f"Từ ngày {dmy(y['from'])} đến ngày {dmy(y['to'])} có {num(a['total'])} quyết định "
            f"công nhận: {num(a['new_products'])} sản phẩm công nhận mới, "
            f"{num(a['upgrades'])} sản phẩm nâng hạng và {num(a['renewals'])} sản phẩm "
            f"công nhận lại (Bảng {ctx.numbering.tables + 1})."
            + ("" if y["target"] else f" Chưa nhập kế hoạch (chỉ tiêu) năm {y['year']}."),
        ),
    ]
    out += _table(ctx, tables.year_results(ctx.s))[1]
    return out


def expiry_part(ctx: Context) -> list:
    s = ctx.s
    days, until, items = tables.expiring_window(s)
    expired = s.expired_without_renewal
    out = [_h(ctx, "5. Giấy chứng nhận sắp hết hạn và đã hết hạn", "h2")]
    expiring_table = tables.expiring(s)
    expired_table = tables.expired(s)
    upcoming = ctx.numbering.tables + 1
    if not items:
        where_expiring = ""
    elif "expiring" in ctx.annexes:
        where_expiring = f" (danh sách tại {ctx.annex_ref('expiring')})"
    else:
        where_expiring = f" (Bảng {upcoming})"
        upcoming += 1
    if not expired["items"]:
        where_expired = ""
    elif "expired" in ctx.annexes:
        where_expired = f" (danh sách tại {ctx.annex_ref('expired')})"
    else:
        where_expired = f" (Bảng {upcoming})"
    out.append(
        _p(
            ctx,
            f"Thời hạn cảnh báo giấy chứng nhận sắp hết hạn là {num(days)} ngày. Có "
            f"<b>{num(len(items))}</b> giấy chứng nhận sẽ hết hạn trong {num(days)} ngày tới "
            f"(đến ngày {dmy(until)}){where_expiring}; cơ quan công nhận thông báo cho chủ thể "
            "ít nhất 30 ngày trước khi hết hạn để đề nghị đánh giá, công nhận lại. "
            f"Có <b>{num(expired['count'])}</b> sản phẩm đã hết hạn chứng nhận nhưng chưa được "
            f"công nhận lại{where_expired}.",
        )
    )
    if items and "expiring" not in ctx.annexes:
        out += _table(ctx, expiring_table, font_size=10)[1]
    if expired["items"] and "expired" not in ctx.annexes:
        out += _table(ctx, expired_table, font_size=10)[1]
    return out


def trade_part(ctx: Context) -> list:
    s = ctx.s
    ex, ec = s.export, s.ecommerce
    shown = [tb for tb in (tables.markets(s), tables.platforms(s)) if tb.rows]
    ref = f" (Bảng {ctx.numbering.tables + 1})" if shown else ""
    markets = ", ".join(f"{esc(m['market'])} ({num(m['products'])})" for m in ex["markets"])
    platforms = ", ".join(f"{esc(m['platform'])} ({num(m['products'])})" for m in ec["platforms"])
    out = [
        _h(ctx, "6. Xuất khẩu và thương mại điện tử", "h2"),
        _p(
            ctx,
            f"Có <b>{num(ex['products'])}</b> sản phẩm OCOP còn hiệu lực được xuất khẩu"
            + (f", tới các thị trường: {markets}" if markets else "")
            + f". Có <b>{num(ec['products'])}</b> sản phẩm được bán trên sàn thương mại điện tử"
            + (f": {platforms}" if platforms else "")
            + f"{ref}.",
        ),
    ]
    if shown:
        number = ctx.numbering.table()
        title = " và ".join(tb.title.lower() for tb in shown)
        out += side_by_side(shown, number, title[:1].upper() + title[1:], ctx.st, ctx.width)
    return out


def results(ctx: Context) -> list:
    out = [_h(ctx, f"I. KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP NĂM {ctx.s.year}")]
    for part in (products_part, area_part, producers_part, year_part, expiry_part, trade_part):
        out += part(ctx)
    return out


# ---- II-IV. what the officer writes -------------------------------------------------


def _typed(ctx: Context, key: str) -> list:
    from reportlab.platypus import Paragraph

    text = ctx.narrative.get(key, "")
    if not text.strip():
        # room to write by hand: a sendable report shows the part is missing
        from reportlab.pdfbase.pdfmetrics import stringWidth

        style = ctx.st["blank"]
        dot = stringWidth(".", style.fontName, style.fontSize)
        line = "." * int((ctx.width - style.firstLineIndent - 2) / dot)
        return [Paragraph(line, style), Paragraph(line, style)]
    return [_p(ctx, esc(p)) for p in paragraphs(text)]


def assessment(ctx: Context) -> list:
    """II. assessment and III. tasks."""
    out = [_h(ctx, "II. ĐÁNH GIÁ CHUNG")]
    for key, heading in NARRATIVE_HEADINGS.items():
        out.append(_h(ctx, heading, "h2"))
        out += _typed(ctx, key)
    out.append(_h(ctx, f"III. NHIỆM VỤ, GIẢI PHÁP NĂM {ctx.s.year + 1}"))
    out += _typed(ctx, "tasks")
    return out


def proposals(ctx: Context) -> list:
    """IV. proposals: the part the signature follows."""
    return [_h(ctx, "IV. ĐỀ XUẤT, KIẾN NGHỊ"), *_typed(ctx, "proposals")]


# ---- annexes ----------------------------------------------------------------------------


ANNEX_TITLES = {
    "communes": "SẢN PHẨM OCOP THEO XÃ, PHƯỜNG",
    "expiring": "GIẤY CHỨNG NHẬN OCOP SẮP HẾT HẠN",
    "expired": "SẢN PHẨM OCOP ĐÃ HẾT HẠN CHỨNG NHẬN, CHƯA ĐƯỢC CÔNG NHẬN LẠI",
    "products": "DANH SÁCH SẢN PHẨM VÀ GIẤY CHỨNG NHẬN OCOP",
}


def annex_heading(
    annex: Annex, s: Summary, report_no: str, issued: str, settings: DocumentSettings, st: dict
) -> list:
    """'Phụ lục II', its title, and '(Kèm theo Báo cáo số 125/BC-VPĐP ngày … của …)'."""
    from reportlab.platypus import Paragraph

    body = settings.body_name or " ".join(line for line, _ in settings.header_lines[-1:])
    of = f" của {esc(body)}" if body else ""
    title = ANNEX_TITLES[annex.key]
    if annex.key == "expiring":
        days, until, _ = tables.expiring_window(s)
        title += f" TRONG {days} NGÀY TỚI (ĐẾN NGÀY {dmy(until)})"
    return [
        Paragraph(f"Phụ lục {annex.roman}", st["title"]),
        Paragraph(esc(title), st["subtitle"]),
        Paragraph(
            f"(Kèm theo Báo cáo số {esc(report_no)} ngày {issued}{of}; "
            f"số liệu tính đến ngày {dmy(s.as_of)})",
            st["note"],
        ),
    ]
