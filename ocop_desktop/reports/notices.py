"""Renewal notices: one letter (Thông báo) to each producer whose certificates
expire within the warning window, all in one PDF to print and post. Each letter
is a document of its own: the header, "Kính gửi" the producer, its
certificates, what to do and by when, the recipients and the signature; its pages
are numbered from its second page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ocop_desktop import clock
from ocop_desktop.documents import DocumentSettings
from ocop_desktop.renewals import NOTICE_LEAD_DAYS, ProducerNotice
from ocop_desktop.reports import frame
from ocop_desktop.reports.frame import esc
from ocop_desktop.reports.pdf_tables import body_table
from ocop_desktop.reports.tables import Column, Table
from ocop_desktop.reports.wording import date_in_words, dmy, num, stars_label

TITLE = "Về việc giấy chứng nhận sản phẩm OCOP sắp hết hạn"


@dataclass
class NoticeOptions:
    first_number: int | None = None  # letters numbered on from it; blank to write by hand
    issued: date | None = None
    window_days: int = 90


def numbers(options: NoticeOptions, count: int, settings: DocumentSettings) -> list[str]:
    """'12/TB-VPĐP', '13/TB-VPĐP' …, or blanks to be written by hand."""
    symbol = settings.symbol("TB")
    if options.first_number is None:
        return [f"…/{symbol}"] * count
    return [f"{options.first_number + i}/{symbol}" for i in range(count)]


def _certificates_table(letter: ProducerNotice) -> Table:
    return Table(
        "notice",
        "Giấy chứng nhận sắp hết hạn",
        "",
        [
            Column("STT", "int", 0.7),
            Column("Tên sản phẩm", "text", 2.6),
            Column("Hạng sao", "text", 1.1),
            Column("Quyết định công nhận", "text", 2.0),
            Column("Hết hạn", "date", 1.1),
        ],
        [
            [
                i,
                c.product,
                stars_label(c.stars, c.potential_5),
                f"{c.decision_no} ngày {dmy(c.decision_date)}",
                c.expiry_date,
            ]
            for i, c in enumerate(letter.certificates, 1)
        ],
    )


def build(
    letters: list[ProducerNotice],
    settings: DocumentSettings,
    out: Path | str,
    options: NoticeOptions | None = None,
) -> tuple[Path, list[str]]:
    """Write every letter into ``out``; returns the path and the letters' numbers."""
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    options = options or NoticeOptions()
    st = frame.styles()
    width = frame.portrait_width()
    issued = options.issued or clock.today()
    numbered = numbers(options, len(letters), settings)
    body = settings.body_name or "cơ quan công nhận"
    story: list = []
    for i, (letter, number) in enumerate(zip(letters, numbered, strict=True)):
        if i:
            story += [PageBreak(), frame.restart_numbering()]
        first_expiry = min(c.expiry_date for c in letter.certificates)
        reply_by = date.fromisoformat(first_expiry) - timedelta(days=NOTICE_LEAD_DAYS)
        reply_by = max(reply_by, issued + timedelta(days=7))
        count = len(letter.certificates)
        story += [
            frame.header(settings, f"Số: {number}", date_in_words(settings.place, issued), width),
            Spacer(1, 16),
            Paragraph("THÔNG BÁO", st["title"]),
            Paragraph(esc(TITLE), st["subtitle"]),
            Spacer(1, 4),
            *frame.addressed_to([letter.producer or "Chủ thể sản phẩm OCOP"], st),
        ]
        if letter.address:
            story.append(Paragraph(f"Địa chỉ: {esc(letter.address)}", st["note"]))
        story += [
            Paragraph(
                f"Căn cứ Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ, giấy "
                f"chứng nhận sản phẩm OCOP có thời hạn 36 tháng. {esc(body)} thông báo: "
                f"{num(count)} sản phẩm của quý đơn vị có giấy chứng nhận sẽ hết hạn trong "
                f"{num(options.window_days)} ngày tới, cụ thể như sau:",
                st["body"],
            ),
            *body_table(_certificates_table(letter), 1, st, width, font_size=11),
            Spacer(1, 4),
            Paragraph(
                "Để tiếp tục sử dụng biểu trưng và chứng nhận OCOP, đề nghị quý đơn vị hoàn "
                "thiện hồ sơ đề nghị đánh giá, công nhận lại sản phẩm và gửi về "
                f"{esc(body)} trước ngày <b>{reply_by:%d/%m/%Y}</b>. Sản phẩm hết hạn mà không "
                "được đánh giá lại sẽ được đề nghị thu hồi giấy chứng nhận theo quy định.",
                st["body"],
            ),
            Paragraph("Trân trọng thông báo./.", st["body"]),
            Spacer(1, 8),
            frame.signature_block(
                _letter_recipients(settings), st, width, to=[letter.producer or "-"]
            ),
        ]
    if not story:
        story = [Paragraph("Không có giấy chứng nhận nào sắp hết hạn.", st["body"])]
    path = frame.write(
        story,
        out,
        title="Thông báo " + TITLE.lower(),
        author=" – ".join(line for line, _ in settings.header_lines),
    )
    return path, numbered


def _letter_recipients(settings: DocumentSettings) -> DocumentSettings:
    """A notice goes to the producer ('Như trên') and the file."""
    from dataclasses import replace

    return replace(settings, recipients=["Như trên;", "Lưu: VT."])
