"""The frame every PDF of the app shares (Decree 30/2020/NĐ-CP, A4): styles, the
header block (issuing body, national motto, number and symbol, place and date),
"Kính gửi", the recipients and signature block, page numbers at the top centre
from the second page, and the writer that builds a story into a file.

A document may hold several documents (a batch of notices) or annexes: a
``RestartNumbering`` flowable starts the page count again, and the first page
after it carries no number, as on a separate document.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ocop_desktop.documents import DocumentSettings
from ocop_desktop.reports import fonts

MM = 72 / 25.4
PORTRAIT_MARGINS = (30 * MM, 15 * MM, 20 * MM, 20 * MM)  # left, right, top, bottom
LANDSCAPE_MARGINS = (20 * MM, 15 * MM, 20 * MM, 18 * MM)
PAGE_NUMBER_FROM_TOP = 11 * MM
NATIONAL_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
HEADER_LEFT_WIDTH = 78 * MM

Progress = Callable[[str, float], None]


def t(text: Any) -> str:
    """NFC text for reportlab (decomposed marks would be drawn misplaced)."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def esc(text: Any) -> str:
    return t(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(text: str) -> list[str]:
    """Typed text split into its paragraphs (blank lines or single line breaks)."""
    return [p.strip() for p in t(text).splitlines() if p.strip()]


def number_line(number: str, symbol: str) -> str:
    """'Số: 125/BC-VPĐP'; a number typed with its symbol is kept as typed; without
    a number, room to write it by hand after signing."""
    number = t(number).strip()
    if "/" in number:
        return f"Số: {number}"
    blank = "\u00a0" * 6
    return f"Số: {number or blank}/{symbol}"


# ---- styles -------------------------------------------------------------------


def styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    fonts.register()
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
        "to": ParagraphStyle("to", parent=base, alignment=TA_CENTER, spaceBefore=6, spaceAfter=6),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=fonts.BOLD, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=fonts.BOLD_ITALIC,
            firstLineIndent=10 * MM,
            spaceBefore=4,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "blank": ParagraphStyle("blank", parent=base, firstLineIndent=10 * MM, spaceAfter=5),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=fonts.BOLD_ITALIC,
            fontSize=12,
            leading=15,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=4,
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
        "recipients_head": ParagraphStyle(
            "recipients_head", fontName=fonts.BOLD_ITALIC, fontSize=12, leading=14
        ),
        "recipients": ParagraphStyle("recipients", fontName=fonts.REGULAR, fontSize=11, leading=13),
        "signature": ParagraphStyle(
            "signature", fontName=fonts.BOLD, fontSize=13, leading=17, alignment=TA_CENTER
        ),
    }


# ---- the header block -----------------------------------------------------------


def header(settings: DocumentSettings, number: str, date_line: str, width: float) -> Any:
    """Issuing body top-left with its number below; motto and date top-right."""
    return header_block(settings.header_lines, number, date_line, width)


def header_block(
    body_lines: list[tuple[str, bool]], number: str, date_line: str, width: float
) -> Any:
    """The header of any document: the body's lines (text, bold) top-left with the
    number below, the national motto and the place and date top-right."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    left_w = HEADER_LEFT_WIDTH
    right_w = width - left_w
    lines: list[tuple[str, bool]] = []
    for text, bold in body_lines:
        font = fonts.BOLD if bold else fonts.REGULAR
        lines += [(part, bold) for part in simpleSplit(t(text).upper(), font, 12.5, left_w - 4)]

    class Header(Flowable):
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.height_ = max(64, 15 * (len(lines) + 2) + 14)
            return width, self.height_

        def draw(self) -> None:
            c = self.canv
            top = self.height_ - 12
            lx = left_w / 2
            y = top
            for i, (text, bold) in enumerate(lines):
                font = fonts.BOLD if bold else fonts.REGULAR
                c.setFont(font, 12.5)
                c.drawCentredString(lx, y, text)
                if i == len(lines) - 1:  # a short rule under the issuing body
                    w = min(stringWidth(text, font, 12.5), left_w) / 3
                    c.setLineWidth(0.6)
                    c.line(lx - w / 2, y - 5, lx + w / 2, y - 5)
                y -= 15
            c.setFont(fonts.REGULAR, 13)
            c.drawCentredString(lx, y - 10, t(number))
            rx = left_w + right_w / 2
            c.setFont(fonts.BOLD, 12)
            c.drawCentredString(rx, top, NATIONAL_MOTTO[0])
            c.setFont(fonts.BOLD, 13)
            c.drawCentredString(rx, top - 15, NATIONAL_MOTTO[1])
            w = stringWidth(NATIONAL_MOTTO[1], fonts.BOLD, 13)
            c.setLineWidth(0.6)
            c.line(rx - w / 2, top - 20, rx + w / 2, top - 20)
            c.setFont(fonts.ITALIC, 13)
            c.drawCentredString(rx, min(y - 10, top - 40), t(date_line))

    return Header()


def addressed_to(to: list[str], st: dict[str, Any]) -> list:
    """'Kính gửi: …' centred, one recipient a line when several."""
    from reportlab.platypus import Paragraph

    if not to:
        return []
    if len(to) == 1:
        return [Paragraph(f"Kính gửi: {esc(to[0])}", st["to"])]
    items = "<br/>".join(f"- {esc(x)};" for x in to)
    return [Paragraph(f"Kính gửi:<br/>{items}", st["to"])]


def signature_block(settings: DocumentSettings, st: dict[str, Any], width: float, *, to=None):
    """'Nơi nhận' on the left, the signer's authority, title and name on the right."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    left = [Paragraph("Nơi nhận:", st["recipients_head"])]
    left += [Paragraph("- " + esc(r), st["recipients"]) for r in settings.recipients_for(to)]
    right = [Paragraph(esc(line), st["signature"]) for line in settings.signature_lines()]
    right.append(Spacer(1, 64))
    if settings.signer_name:
        right.append(Paragraph(esc(settings.signer_name), st["signature"]))
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 11),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# ---- page numbers -----------------------------------------------------------------


def restart_numbering() -> Any:
    """A flowable that starts the page count again on the page it lands on."""
    from reportlab.platypus import Flowable

    class RestartNumbering(Flowable):
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            self.canv._restarts.add(self.canv.getPageNumber())

    return RestartNumbering()


def _numbered_canvas_class():
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Defers each page until all are known, then numbers them: top centre,
        from the second page of each document or annex (Decree 30)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # reportlab starts every page in Helvetica (not embedded) unless told
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._restarts: set[int] = {1}

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            restarts = set(self._restarts)
            first = 1
            for state in self._pages:
                self.__dict__.update(state)
                page = self._pageNumber
                if page in restarts:
                    first = page
                shown = page - first + 1
                if shown >= 2:
                    width, height = self._pagesize
                    self.setFont(fonts.REGULAR, 13)
                    self.drawCentredString(width / 2, height - PAGE_NUMBER_FROM_TOP, str(shown))
                super().showPage()
            super().save()

    return NumberedCanvas


# ---- writing ------------------------------------------------------------------------


def portrait_width() -> float:
    from reportlab.lib.pagesizes import A4

    left, right, _, _ = PORTRAIT_MARGINS
    return A4[0] - left - right


def landscape_width() -> float:
    from reportlab.lib.pagesizes import A4, landscape

    left, right, _, _ = LANDSCAPE_MARGINS
    return landscape(A4)[0] - left - right


def write(
    story: list,
    out: Path | str,
    *,
    title: str,
    author: str,
    subject: str = "",
    after_flowable: Callable[[Any, Any], None] | None = None,
) -> Path:
    """Build ``story`` (portrait pages, and landscape ones after
    ``NextPageTemplate('landscape')``) into ``out`` through a temporary file, so a
    failed build leaves no half-written document."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    fonts.register()
    out = Path(out)
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
    partial = out.with_name(out.name + ".part")
    doc = BaseDocTemplate(
        str(partial),
        pagesize=A4,
        title=t(title),
        author=t(author),
        subject=t(subject),
        pageCompression=1,
        pageTemplates=[
            PageTemplate(id="portrait", frames=[portrait_frame], pagesize=A4),
            PageTemplate(id="landscape", frames=[landscape_frame], pagesize=landscape(A4)),
        ],
    )
    if after_flowable is not None:
        doc.afterFlowable = lambda flowable: after_flowable(doc, flowable)
    try:
        doc.build(story, canvasmaker=_numbered_canvas_class())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return out
