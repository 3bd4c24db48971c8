"""The summary as a periodic report an office can sign and send (Decree
30/2020/NĐ-CP layout, A4).

The issuing body, symbol, place, recipients and signer come from the node's
document settings (``ocop_desktop.documents``); the typed parts (assessment,
tasks, proposals) from the report's saved narrative. Page numbers sit at the top
centre from page 2; every annex restarts them. Tables and charts are numbered
continuously, and a lone row or two left on an annex's last page is pulled back
by drawing that annex's rows a little tighter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ocop_desktop import clock
from ocop_desktop.documents import DocumentSettings
from ocop_desktop.reports import frame
from ocop_desktop.reports.frame import Progress, esc, t
from ocop_desktop.reports.pdf_tables import landscape_list
from ocop_desktop.reports.report_body import (
    Context,
    annex_heading,
    assessment,
    plan_annexes,
    proposals,
    results,
    scope_phrase,
)
from ocop_desktop.reports.wording import date_in_words, dmy
from ocop_desktop.summary import Summary

LONE_ROWS = 2  # an annex's last page holding this many rows or fewer is tightened
PADDINGS = (2.0, 1.3, 0.7, 0.3)  # row padding tried in turn for such an annex


@dataclass
class ReportOptions:
    number: str = ""
    issued: date | None = None
    settings: DocumentSettings | None = None
    narrative: dict[str, str] = field(default_factory=dict)
    # one-off overrides of the settings' signer (CLI flags)
    signer: str = ""
    signer_title: str = ""


def _settings(summary: Summary, options: ReportOptions) -> DocumentSettings:
    from dataclasses import replace

    settings = options.settings or DocumentSettings(
        governing_body=f"UBND {summary.scope.province.upper()}",
        place=summary.scope.place,
    )
    if options.signer:
        settings = replace(settings, signer_name=options.signer)
    if options.signer_title:
        settings = replace(settings, signer_title=options.signer_title, authority="")
    if not settings.place:
        settings = replace(settings, place=summary.scope.place)
    return settings


def title_of(summary: Summary) -> str:
    return (
        "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) năm "
        f"{summary.year} {scope_phrase(summary)}"
    )


def build(
    summary: Summary,
    out: Path | str,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the report PDF for ``summary`` to ``out``; returns the path."""
    options = options or ReportOptions()
    settings = _settings(summary, options)
    if progress:
        progress("pdf", 0.0)
    paddings: dict[str, float] = {}
    for _attempt in range(len(PADDINGS)):
        pages: dict[str, dict[int, int]] = {}
        path = _write(summary, out, options, settings, paddings, pages, progress)
        lone = [
            key
            for key, per_page in pages.items()
            if len(per_page) > 1 and per_page[max(per_page)] <= LONE_ROWS
        ]
        tighter = [k for k in lone if paddings.get(k, PADDINGS[0]) > PADDINGS[-1]]
        if not tighter:
            break
        for key in tighter:
            paddings[key] = PADDINGS[PADDINGS.index(paddings.get(key, PADDINGS[0])) + 1]
    if progress:
        progress("pdf", 1.0)
    return path


def _annex_mark(key: str) -> Any:
    """An empty flowable telling the row counter which annex the tables after it
    belong to."""
    from reportlab.platypus import Spacer

    mark = Spacer(0, 0)
    mark.ocop_annex = key
    return mark


def _write(
    summary: Summary,
    out: Path | str,
    options: ReportOptions,
    settings: DocumentSettings,
    paddings: dict[str, float],
    pages: dict[str, dict[int, int]],
    progress: Progress | None,
) -> Path:
    from reportlab.platypus import (
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        Paragraph,
        Spacer,
    )
    from reportlab.platypus.flowables import HRFlowable

    st = frame.styles()
    width = frame.portrait_width()
    issued = options.issued or clock.today()
    symbol = settings.symbol("BC")
    number = frame.number_line(options.number, symbol)
    annexes = plan_annexes(summary)
    ctx = Context(summary, st, width, annexes, options.narrative)
    story: list = [
        frame.header(settings, number, date_in_words(settings.place, issued), width),
        Spacer(1, 16),
        Paragraph("BÁO CÁO", st["title"]),
        Paragraph(esc(title_of(summary)), st["subtitle"]),
        HRFlowable(width=45 * frame.MM, thickness=0.6, color="black", spaceBefore=3, spaceAfter=4),
        *frame.addressed_to(settings.to, st),
        Paragraph(f"(Số liệu tính đến ngày {dmy(summary.as_of)})", st["note"]),
        Spacer(1, 4),
    ]
    story += results(ctx)
    story += assessment(ctx)
    # the signature never stands alone: the last part goes over with it
    closing = proposals(ctx)
    kept = len(closing) if len(closing) <= 4 else 2  # a short part goes over whole
    story += closing[:-kept]
    story.append(
        KeepTogether(
            [
                *closing[-kept:],
                Spacer(1, 10),
                frame.signature_block(settings, st, width, to=settings.to),
            ]
        )
    )
    if progress:
        progress("pdf", 0.1)
    report_no = number.removeprefix("Số: ")
    landscape_w = frame.landscape_width()
    story.append(NextPageTemplate("landscape"))
    for annex in annexes.values():
        story += [PageBreak(), frame.restart_numbering(), _annex_mark(annex.key)]
        story += annex_heading(annex, summary, report_no, f"{issued:%d/%m/%Y}", settings, st)
        story += landscape_list(
            annex.table,
            landscape_w,
            padding=paddings.get(annex.key, 2.0),
            progress=progress if annex.key == "products" else None,
        )
    total_rows = max(len(summary.product_rows), 1)
    current: list[str | None] = [None]

    def after_flowable(doc: Any, flowable: Any) -> None:
        key = getattr(flowable, "ocop_annex", None)
        if key is not None:
            current[0] = key
            return
        if current[0] is not None and hasattr(flowable, "_cellvalues"):
            per_page = pages.setdefault(current[0], {})
            rows = len(flowable._cellvalues) - 1  # the header repeats on each page
            per_page[doc.page] = per_page.get(doc.page, 0) + rows
            if progress and current[0] == "products":
                progress("pdf", min(0.99, 0.3 + 0.7 * doc.page * 40 / (total_rows + 400)))

    return frame.write(
        story,
        out,
        title=t("Báo cáo " + title_of(summary)),
        author=" – ".join(line for line, _ in settings.header_lines),
        subject=summary.scope.name,
        after_flowable=after_flowable,
    )
