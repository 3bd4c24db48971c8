"""The documents of a council round, in the layout of Decree 30/2020/NĐ-CP:
the council's minutes (biên bản họp hội đồng), the results list, the batch
recognition decision (quyết định công nhận) with its annex of products, and one
A4-landscape certificate (giấy chứng nhận) per product with its signed QR code.

The header block, styles, tables and fonts are those of the summary report
(``reports.pdf``), so every document of the app looks the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ocop_desktop import batch_decisions, certificates, refdata, rounds
from ocop_desktop.reports import fonts
from ocop_desktop.reports.frame import (
    LANDSCAPE_MARGINS,
    MM,
    PORTRAIT_MARGINS,
    _numbered_canvas_class,
    esc,
    header_block,
    t,
)
from ocop_desktop.reports.frame import styles as _styles
from ocop_desktop.reports.pdf_tables import grid
from ocop_desktop.reports.tables import Column, Table
from ocop_desktop.reports.wording import date_in_words, dmy, num, stars_label
from ocop_desktop.store import Store

COUNCIL_BODY = "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"
LEVEL_COUNCIL = {"district": "cấp huyện", "province": "cấp tỉnh", "central": "cấp trung ương"}


# ---- the common frame -------------------------------------------------------------


def _header_flowable(lines: list[str], number: str, date_line: str, width: float) -> Any:
    """The document header with the body's lines: the parent body in regular type,
    the issuing body (the last line) in bold."""
    marked = [(line, i == len(lines) - 1 and len(lines) > 1) for i, line in enumerate(lines)]
    return header_block(marked, number, date_line, width)


def _table(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    *,
    numeric_from: int = 1,
    font_size: float = 10,
) -> Any:
    """A bordered table (header repeated on each page): text columns first, then
    figures aligned right."""
    columns = [
        Column(label, "text" if i < numeric_from else "int", width=w)
        for i, (label, w) in enumerate(zip(header, widths, strict=True))
    ]
    table = Table(key="round", title="", sheet="", columns=columns, rows=rows)
    return grid(table, _styles(), sum(widths), font_size=font_size)


# ---- who and where --------------------------------------------------------------


def _province(store: Store) -> str:
    """ "Thanh Hóa" (the province's name without its kind)."""
    name = refdata.load().provinces.get(store.node.province_code, "")
    for kind in ("Tỉnh ", "Thành phố "):
        name = name.removeprefix(kind)
    return name


def _province_full(store: Store) -> str:
    return refdata.load().provinces.get(store.node.province_code, "")


def _issuer_lines(issuer: str) -> list[str]:
    """ "UBND tỉnh Thanh Hóa" → ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA"]."""
    body = t(issuer).strip()
    for short in ("UBND ", "Ủy ban nhân dân ", "ỦY BAN NHÂN DÂN "):
        if body.startswith(short):
            return ["ỦY BAN NHÂN DÂN", body[len(short) :].upper()]
    return [body.upper()]


def _council_lines(store: Store, level: str) -> list[str]:
    if level == "central":
        return ["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", COUNCIL_BODY]
    return [f"UBND {_province_full(store).upper()}", COUNCIL_BODY]


# ---- common document frame ------------------------------------------------------


def _doc(out: Path, title: str, author: str, *, landscape_first: bool = False):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    pw, ph = A4
    left, right, top, bottom = PORTRAIT_MARGINS
    portrait = Frame(
        left, bottom, pw - left - right, ph - top - bottom, id="p", leftPadding=0, rightPadding=0
    )
    lw, lh = landscape(A4)
    l2, r2, top2, bottom2 = LANDSCAPE_MARGINS
    wide = Frame(
        l2, bottom2, lw - l2 - r2, lh - top2 - bottom2, id="l", leftPadding=0, rightPadding=0
    )
    doc = BaseDocTemplate(
        str(out),
        pagesize=A4,
        title=t(title),
        author=t(author),
        pageCompression=1,
        pageTemplates=[
            PageTemplate(id="portrait", frames=[portrait], pagesize=A4),
            PageTemplate(id="landscape", frames=[wide], pagesize=landscape(A4)),
        ][:: -1 if landscape_first else 1],
    )
    if landscape_first:
        doc.pagesize = landscape(A4)
    return doc, portrait._width, wide._width


def _build(doc, story: list, out: Path) -> Path:
    partial = Path(doc.filename)
    try:
        doc.build(story, canvasmaker=_numbered_canvas_class())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return out


def _partial(out: Path | str) -> tuple[Path, Path]:
    out = Path(out)
    return out, out.with_name(out.name + ".part")


def _signatures(left: list[str], right: list[str], width: float):
    """Two signature blocks side by side (title lines, room to sign, name)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    centre = ParagraphStyle("sig", fontName=fonts.BOLD, fontSize=13, leading=17, alignment=1)

    def block(lines: list[str]) -> list:
        if not lines:
            return []
        *titles, name = lines
        return [
            *(Paragraph(esc(x), centre) for x in titles),
            Spacer(1, 58),
            Paragraph(esc(name), centre),
        ]

    table = Table([[block(left), block(right)]], colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 10), table])


def _recipients_and_signature(recipients: list[str], right: list[str], width: float):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    small = ParagraphStyle("recipients", fontName=fonts.REGULAR, fontSize=11, leading=13)
    left = [Paragraph("<b><i>Nơi nhận:</i></b>", ParagraphStyle("nn", parent=small, fontSize=12))]
    left += [Paragraph("- " + esc(r), small) for r in recipients]
    centre = ParagraphStyle("sig", fontName=fonts.BOLD, fontSize=13, leading=17, alignment=1)
    *titles, name = right
    block = [*(Paragraph(esc(x), centre) for x in titles), Spacer(1, 58)]
    block.append(Paragraph(esc(name), centre))
    table = Table([[left, block]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return KeepTogether([Spacer(1, 10), table])


def _title(st: dict, kind: str, about: str) -> list:
    from reportlab.platypus import Paragraph, Spacer
    from reportlab.platypus.flowables import HRFlowable

    return [
        Spacer(1, 14),
        Paragraph(esc(kind), st["title"]),
        Paragraph(esc(about), st["subtitle"]),
        HRFlowable(width=45 * MM, thickness=0.6, color="black", spaceBefore=3, spaceAfter=8),
    ]


def _member_columns(r: rounds.Round) -> list[str]:
    return [f"TV{i}" for i in range(1, len(r.scorers) + 1)]


# ---- minutes and results list ---------------------------------------------------


def _results_table(
    r: rounds.Round, results: list[rounds.ProductResult], width: float, *, parts: bool = True
):
    """Members' totals, (parts,) average total, stars and proposal per product, ranked."""
    from reportlab.lib.utils import simpleSplit

    members = _member_columns(r)
    header = ["TT", "Sản phẩm / chủ thể", *members]
    header += ["A", "B", "C"] if parts else []
    header += ["Tổng TB", "Hạng", "Đề xuất"]
    widths = [10 * MM, 0, *[13 * MM] * (len(members) + (3 if parts else 0))]
    widths += [16 * MM, 17 * MM, 36 * MM]
    widths[1] = width - sum(widths)
    rows = []
    for x in results:
        by_member = {s.member: s.total for s in x.sheets}
        rows.append(
            [
                str(x.rank),
                f"{x.name} – {x.producer}" if x.producer else x.name,
                *(num(by_member.get(m), 2) if m in by_member else "-" for m in r.scorers),
                *([num(x.parts[p], 2) for p in ("A", "B", "C")] if parts else []),
                num(x.total, 2),
                f"{x.stars} sao" if x.stars >= 3 else "Không đạt",
                "\n".join(simpleSplit(_proposal(x), fonts.REGULAR, 10, widths[-1] - 6)),
            ]
        )
    return _table(header, rows, widths, numeric_from=2, font_size=10)


def _proposal(x: rounds.ProductResult) -> str:
    if x.proposed and x.recognised_stars:
        return f"Công nhận {x.recognised_stars} sao, đề nghị cấp trên xét 5 sao"
    if x.proposed:
        return "Đề nghị cấp trên công nhận"
    if x.recognised_stars:
        return f"Công nhận {x.recognised_stars} sao"
    return "Không công nhận"


def _members_legend(r: rounds.Round) -> str:
    return "; ".join(f"TV{i}: {m}" for i, m in enumerate(r.scorers, start=1))


def minutes(store: Store, round_id: str, out: Path | str, *, held: date | None = None) -> Path:
    """The council's minutes: who met, the rule applied, each product's result."""
    from reportlab.platypus import KeepTogether, Paragraph

    fonts.register()
    r = rounds.get(store, round_id)
    results = rounds.results(store, round_id)
    out, partial = _partial(out)
    doc, width, _ = _doc(partial, f"Biên bản họp hội đồng – {r.name}", COUNCIL_BODY)
    st = _styles()
    day = held or date.fromisoformat(r.round_date)
    story: list = [
        _header_flowable(
            _council_lines(store, r.level),
            "Số: " + "\u00a0" * 6 + "/BB-HĐ",
            date_in_words(r.place or _province(store), day),
            width,
        ),
        *_title(
            st,
            "BIÊN BẢN",
            f"Họp Hội đồng đánh giá, phân hạng sản phẩm OCOP {LEVEL_COUNCIL[r.level]}\n{r.name}",
        ),
    ]
    body = st["body"]
    story.append(
        Paragraph(
            f"Hôm nay, ngày {day.strftime('%d/%m/%Y')}, tại {esc(r.place or _province(store))}, "
            f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {LEVEL_COUNCIL[r.level]} họp đánh giá, "
            f"phân hạng {len(results)} sản phẩm của {esc(r.name)}.",
            body,
        )
    )
    story.append(Paragraph("<b>I. Thành phần</b>", st["h1"]))
    story.append(Paragraph(f"- Chủ tịch Hội đồng: {esc(r.chair)};", body))
    story.append(Paragraph(f"- Thành viên: {esc(', '.join(r.members))};", body))
    if r.secretary:
        story.append(Paragraph(f"- Thư ký Hội đồng: {esc(r.secretary)}.", body))
    story.append(Paragraph("<b>II. Nội dung và cách tính</b>", st["h1"]))
    story.append(
        Paragraph(
            "Mỗi thành viên chấm điểm sản phẩm theo phiếu đánh giá của bộ sản phẩm "
            "(Quyết định số 148/QĐ-TTg). Điểm của sản phẩm là tổng điểm trung bình của các "
            "thành viên; yêu cầu tối thiểu của một hạng sao được coi là đạt khi quá nửa số "
            "thành viên chấm chọn mức yêu cầu hoặc mức cao hơn. Hạng sao là hạng thấp hơn giữa "
            "hạng theo điểm và hạng có đủ các yêu cầu tối thiểu; sản phẩm đạt từ 90 điểm và đủ "
            "yêu cầu 5 sao được đề nghị cấp trên xét công nhận 5 sao.",
            body,
        )
    )
    story.append(Paragraph("<b>III. Kết quả</b>", st["h1"]))
    story.append(_results_table(r, results, width, parts=False))
    story.append(Paragraph(esc(_members_legend(r)), st["caption"]))
    unmet = [x for x in results if x.unmet]
    for x in unmet:
        story.append(
            Paragraph(
                f"- {esc(x.name)}: {x.stars_by_points} sao theo điểm nhưng chưa đủ yêu cầu tối "
                f"thiểu ({esc(', '.join(u.replace('★', ' sao') for u in x.unmet))}), "
                f"xếp {x.stars} sao.",
                body,
            )
        )
    proposed = [x for x in results if x.proposed]
    recognised = [x for x in results if x.recognised_stars]
    closing: list = [Paragraph("<b>IV. Kết luận</b>", st["h1"])]
    closing.append(
        Paragraph(
            f"Hội đồng thống nhất đề nghị công nhận {len(recognised)} sản phẩm đạt chuẩn OCOP"
            + (
                f"; đề nghị cấp trên xét công nhận {len(proposed)} sản phẩm: "
                + esc(", ".join(x.name for x in proposed))
                if proposed
                else ""
            )
            + ". Biên bản được lập thành 02 bản, thông qua tại cuộc họp.",
            body,
        )
    )
    closing.append(
        _signatures(
            ["THƯ KÝ HỘI ĐỒNG", r.secretary or ""] if r.secretary else [],
            ["CHỦ TỊCH HỘI ĐỒNG", r.chair],
            width,
        )
    )
    story.append(KeepTogether(closing))  # the signatures never stand alone on a page
    return _build(doc, story, out)


def results_list(store: Store, round_id: str, out: Path | str) -> Path:
    """The results list of a round, on A4 landscape: members' totals, averages, rank."""
    from reportlab.platypus import Paragraph

    fonts.register()
    r = rounds.get(store, round_id)
    results = rounds.results(store, round_id)
    out, partial = _partial(out)
    doc, _, wide = _doc(partial, f"Kết quả đánh giá – {r.name}", COUNCIL_BODY, landscape_first=True)
    st = _styles()
    story: list = [
        _header_flowable(
            _council_lines(store, r.level),
            "",
            date_in_words(r.place or _province(store), date.fromisoformat(r.round_date)),
            wide,
        ),
        *_title(
            st,
            "DANH SÁCH KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
            f"{r.name} – Hội đồng {LEVEL_COUNCIL[r.level]}",
        ),
        _results_table(r, results, wide),
        Paragraph(esc(_members_legend(r)), st["caption"]),
        _signatures(
            ["THƯ KÝ HỘI ĐỒNG", r.secretary or ""] if r.secretary else [],
            ["CHỦ TỊCH HỘI ĐỒNG", r.chair],
            wide,
        ),
    ]
    return _build(doc, story, out)


# ---- the batch decision ---------------------------------------------------------


def decision(store: Store, batch_id: str, out: Path | str) -> Path:
    """The batch recognition decision, with its annex of products on landscape pages."""
    from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph

    fonts.register()
    batch = batch_decisions.get(store, batch_id)
    r = rounds.get(store, batch["round_id"])
    annex = batch["recognitions"]
    out, partial = _partial(out)
    issuer = batch["issuer"] or ""
    doc, width, wide = _doc(partial, f"Quyết định {batch['decision_no']}", issuer)
    st = _styles()
    decided = date.fromisoformat(batch["decision_date"])
    place = _province(store)
    area = _province_full(store)
    area_lower = area[0].lower() + area[1:] if area else ""
    head = _issuer_lines(issuer)
    story: list = [
        _header_flowable(head, f"Số: {batch['decision_no']}", date_in_words(place, decided), width),
        *_title(
            st,
            "QUYẾT ĐỊNH",
            f"Về việc công nhận sản phẩm đạt chuẩn OCOP {area_lower} ({r.name})",
        ),
        Paragraph(f"<b>{esc('CHỦ TỊCH ' + ' '.join(head))}</b>", st["subtitle"]),
    ]
    body = st["body"]
    for basis in (
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Căn cứ Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ ban hành "
        "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản "
        "phẩm;",
        "Căn cứ Quyết định số 1489/QĐ-TTg ngày 06/07/2025 của Thủ tướng Chính phủ;",
        f"Căn cứ kết quả đánh giá, phân hạng của Hội đồng {LEVEL_COUNCIL[r.level]} ngày "
        f"{dmy(r.round_date)};",
    ):
        story.append(Paragraph(esc(basis), st["body"]))
    story.append(Paragraph("QUYẾT ĐỊNH:", st["subtitle"]))
    counts: dict[str, int] = {}
    for row in annex:
        label = stars_label(row["stars"], row["potential_5"])
        counts[label] = counts.get(label, 0) + 1
    detail = ", ".join(f"{n} sản phẩm {label}" for label, n in sorted(counts.items()))
    story += [
        Paragraph(
            f"<b>Điều 1.</b> Công nhận {len(annex)} sản phẩm đạt chuẩn OCOP ({esc(detail)}) "
            "(có danh sách chi tiết kèm theo).",
            body,
        ),
        Paragraph(
            "<b>Điều 2.</b> Giấy chứng nhận sản phẩm OCOP có giá trị 36 tháng kể từ ngày ký "
            "Quyết định này. Các chủ thể có sản phẩm được công nhận có trách nhiệm duy trì "
            "chất lượng sản phẩm theo hạng đã được công nhận.",
            body,
        ),
        Paragraph(
            "<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Văn phòng "
            "Điều phối nông thôn mới, các chủ thể có tên tại Điều 1 và các cơ quan, đơn vị có "
            "liên quan chịu trách nhiệm thi hành Quyết định này./.",
            body,
        ),
        _recipients_and_signature(
            ["Như Điều 3;", "Bộ Nông nghiệp và Môi trường (để b/c);", "Lưu: VT."],
            [
                "TM. ỦY BAN NHÂN DÂN",
                "KT. CHỦ TỊCH",
                (batch.get("signer_title") or "PHÓ CHỦ TỊCH").upper(),
                batch.get("signer") or "",
            ],
            width,
        ),
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph("<b>PHỤ LỤC</b>", st["subtitle"]),
        Paragraph(
            "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP",
            st["subtitle"],
        ),
        Paragraph(
            f"(Kèm theo Quyết định số {esc(batch['decision_no'])} ngày {dmy(batch['decision_date'])} "
            f"của {esc(issuer)})",
            st["note"],
        ),
        _annex_table(annex, wide),
    ]
    return _build(doc, story, out)


def _annex_table(annex: list[dict[str, Any]], width: float):
    header = ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Bộ sản phẩm", "Hạng sao", "Điểm"]
    rows = [
        [
            str(i),
            a["product"],
            a["producer"],
            a["address"],
            f"{a['product_set']}. {a['product_set_name']}",
            stars_label(a["stars"], a["potential_5"]),
            num(a["points"], 2),
        ]
        for i, a in enumerate(annex, start=1)
    ]
    widths = [10 * MM, 55 * MM, 55 * MM, 0, 50 * MM, 28 * MM, 18 * MM]
    widths[3] = width - sum(widths)
    table = _table(header, rows, widths, numeric_from=5, font_size=10)
    return table


# ---- certificates ---------------------------------------------------------------


def certificate_pages(
    store: Store,
    recognition_ids: list[str],
    out: Path | str,
    *,
    signer: str = "",
    signer_title: str = "PHÓ CHỦ TỊCH",
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """One A4-landscape certificate per recognition, each with its signed QR code
    (about 0.1 s a page: ``progress(done, total)`` after each). The signature block
    follows Decree 30: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / the signer's title."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from ocop_desktop import certificates

    for rid in recognition_ids:
        certificates.check_printable(store, rid)
    fonts.register()
    out, partial = _partial(out)
    page = landscape(A4)
    canvas = Canvas(str(partial), pagesize=page, initialFontName=fonts.REGULAR, pageCompression=1)
    canvas.setTitle("Giấy chứng nhận sản phẩm OCOP")
    try:
        for done, rid in enumerate(recognition_ids, start=1):
            _certificate(canvas, page, store, rid, signer, signer_title)
            canvas.showPage()
            if progress:
                progress(done, len(recognition_ids))
        canvas.save()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return out


def _star(canvas, cx: float, cy: float, r: float) -> None:
    import math

    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_qr(canvas, text: str, x: float, y: float, size: float, border: int = 4) -> None:
    """A QR code of ``text`` (error correction M) as one filled path, a rectangle per
    run of dark modules: encoded once and drawn in one operation (reportlab's
    widget encodes twice and draws a shape per run, ~0.3 s a certificate)."""
    from itertools import groupby

    from reportlab.graphics.barcode.qr import QrCodeWidget

    code = QrCodeWidget(text, barLevel="M").qr
    code.make()
    count = code.getModuleCount()
    box = size / (count + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(code.modules):
        c = 0
        for dark, run in groupby(bool(m) for m in row):
            n = len(list(run))
            if dark:
                path.rect(x + (c + border) * box, y + size - (r + border + 1) * box, n * box, box)
            c += n
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _certificate(
    canvas, page: tuple[float, float], store: Store, rid: str, signer: str, signer_title: str
) -> None:
    from reportlab.lib import colors
    from reportlab.lib.utils import simpleSplit

    f = certificates.facts(store, rid)
    text = certificates.payload(store, rid)
    w, h = page
    red = colors.HexColor("#9b1c1c")
    gold = colors.HexColor("#b8860b")
    canvas.setStrokeColor(gold)
    canvas.setLineWidth(4)
    canvas.rect(10 * MM, 10 * MM, w - 20 * MM, h - 20 * MM)
    canvas.setLineWidth(1)
    canvas.rect(13 * MM, 13 * MM, w - 26 * MM, h - 26 * MM)

    issuer_lines = _issuer_lines(f["issuer"] or "")
    canvas.setFillColor(colors.black)
    y = h - 26 * MM
    for i, line in enumerate(issuer_lines):
        canvas.setFont(fonts.BOLD if i == len(issuer_lines) - 1 else fonts.REGULAR, 12)
        canvas.drawCentredString(62 * MM, y - i * 15, t(line))
    canvas.setFont(fonts.BOLD, 12)
    canvas.drawCentredString(w - 80 * MM, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.setFont(fonts.BOLD, 13)
    canvas.drawCentredString(w - 80 * MM, y - 15, "Độc lập - Tự do - Hạnh phúc")

    canvas.setFillColor(red)
    canvas.setFont(fonts.BOLD, 34)
    canvas.drawCentredString(w / 2, h - 62 * MM, "GIẤY CHỨNG NHẬN")
    canvas.setFont(fonts.BOLD, 17)
    canvas.drawCentredString(w / 2, h - 72 * MM, "SẢN PHẨM ĐẠT CHUẨN OCOP")

    canvas.setFillColor(gold)
    stars = int(f["stars"])
    for i in range(stars):
        _star(canvas, w / 2 + (i - (stars - 1) / 2) * 15 * MM, h - 84 * MM, 6 * MM)

    canvas.setFillColor(colors.black)
    canvas.setFont(fonts.BOLD, 22)
    name_lines = simpleSplit(t(f["product"]).upper(), fonts.BOLD, 22, w - 60 * MM)
    y = h - 100 * MM
    for line in name_lines[:2]:
        canvas.drawCentredString(w / 2, y, line)
        y -= 25
    y -= 2
    canvas.setFont(fonts.REGULAR, 13)
    lines = [
        f"Chủ thể: {f['producer']}",
        f"Địa chỉ: {f['address']}" if f.get("address") else "",
        f"Hạng: {stars_label(f['stars'], f['p5'])}",
        f"Theo Quyết định số {f['no']} ngày {dmy(f['date'])} của {f['issuer']}",
        f"Giấy chứng nhận có giá trị đến ngày {dmy(f['expiry'])}",
    ]
    for line in (x for x in lines if x):
        canvas.drawCentredString(w / 2, y, t(line))
        y -= 17

    _draw_qr(canvas, text, 22 * MM, 20 * MM, 42 * MM)
    canvas.setFont(fonts.ITALIC, 9)
    canvas.drawString(22 * MM, 17 * MM, "Quét mã để kiểm tra: ocop certificates verify")

    decided = date.fromisoformat(f["date"])
    canvas.setFont(fonts.ITALIC, 13)
    canvas.drawCentredString(w - 80 * MM, 55 * MM, date_in_words(_province(store), decided))
    canvas.setFont(fonts.BOLD, 13)
    canvas.drawCentredString(w - 80 * MM, 49 * MM, "TM. ỦY BAN NHÂN DÂN")
    canvas.drawCentredString(w - 80 * MM, 43 * MM, "KT. CHỦ TỊCH")
    if signer_title:
        canvas.drawCentredString(w - 80 * MM, 37 * MM, t(signer_title).upper())
    if signer:
        canvas.drawCentredString(w - 80 * MM, 20 * MM, t(signer))
