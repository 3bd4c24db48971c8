"""Drawing the format-neutral tables of ``reports.tables`` in a PDF: bordered
tables in the body (kept with their caption; a long one starts where its caption
and first rows fit, its header repeating on every page) and the long landscape
lists of the annexes (text pre-wrapped into plain strings, much cheaper than
paragraph cells in a table of thousands of rows).
"""

from __future__ import annotations

from typing import Any

from ocop_desktop.reports import fonts
from ocop_desktop.reports.frame import MM, Progress, esc, t
from ocop_desktop.reports.tables import Table
from ocop_desktop.reports.wording import dmy, num, pct

KEEP_WHOLE_HEIGHT = 60 * MM  # a table this short moves whole with its caption
APPENDIX_CHUNK = 300  # rows per reportlab Table: keeps the split cost linear


def cell_text(value: Any, kind: str) -> str:
    if kind == "int":
        return num(value) if isinstance(value, int | float) else t(value)
    if kind == "pct":
        return pct(value)
    if kind == "date":
        return dmy(value) if value else ""
    if kind == "num":
        if value is None:
            return ""
        return num(value, 0 if float(value).is_integer() else 1)
    if kind == "value":
        if isinstance(value, int | float):
            return num(value)
        return dmy(value) if _is_iso(value) else t(value)
    return t(value)


def _is_iso(value: Any) -> bool:
    text = str(value)
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def body_table(
    table: Table, number: int, st: dict[str, Any], width: float, *, font_size: float = 11
) -> list:
    """'Bảng n. …' and the table, never parted: a short table moves whole, a long
    one starts where its caption and first rows fit."""
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph

    drawn = grid(table, st, width, font_size=font_size)
    caption = Paragraph(f"Bảng {number}. {esc(table.title)}", st["caption"])
    _, height = drawn.wrap(width, 10_000)
    if height <= KEEP_WHOLE_HEIGHT:
        return [KeepTogether([caption, drawn])]
    # caption, header and the first rows at least
    first_rows = sum(drawn._rowHeights[: min(4, len(drawn._rowHeights))])
    return [CondPageBreak(first_rows + 24), caption, drawn]


def grid(table: Table, st: dict[str, Any], width: float, *, font_size: float = 11) -> Any:
    """The bordered table itself, its header row repeating on every page."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    cols = table.printed_columns
    columns = [table.columns[i] for i in cols]
    share = sum(c.width for c in columns)
    widths = [width * c.width / share for c in columns]
    cell = ParagraphStyle(
        "cell_sized", parent=st["cell"], fontSize=font_size, leading=font_size + 2
    )
    head = [Paragraph(esc(c.label), st["cell_head"]) for c in columns]
    body = []
    for row in table.rows:
        body.append(
            [
                Paragraph(esc(cell_text(row[i], c.kind)), cell)
                if c.kind == "text"
                else cell_text(row[i], c.kind)
                for i, c in zip(cols, columns, strict=True)
            ]
        )
    if table.total is not None:
        body.append([cell_text(table.total[i], c.kind) for i, c in zip(cols, columns, strict=True)])
    drawn = RLTable([head, *body], colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for j, c in enumerate(columns):
        if c.kind != "text":
            style.append(("ALIGN", (j, 1), (j, -1), "RIGHT" if c.kind != "date" else "CENTER"))
    if table.total is not None:
        style.append(("FONT", (0, -1), (-1, -1), fonts.BOLD, font_size))
    drawn.setStyle(TableStyle(style))
    return drawn


def side_by_side(tables: list[Table], number: int, title: str, st: dict, width: float) -> list:
    """Two short tables under one caption (export markets beside e-commerce)."""
    from reportlab.platypus import KeepTogether, Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    inner = width / len(tables) - 6 * MM
    cells = [grid(tb, st, inner) for tb in tables]
    side = RLTable([cells], colWidths=[width / len(tables)] * len(tables))
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
    return [KeepTogether([Paragraph(f"Bảng {number}. {esc(title)}", st["caption"]), side])]


def _wrap(text: str, font: str, size: float, width: float, cache: dict) -> str:
    key = (text, width)
    hit = cache.get(key)
    if hit is not None:
        return hit
    from reportlab.lib.utils import simpleSplit

    out = "\n".join(simpleSplit(text, font, size, width - 4)) if text else ""
    cache[key] = out
    return out


def landscape_list(
    table: Table,
    width: float,
    *,
    padding: float = 2.0,
    progress: Progress | None = None,
    progress_span: tuple[float, float] = (0.1, 0.3),
) -> list:
    """A long list for an annex: header repeated on every page. ``padding`` (top
    and bottom of each row) is what shrinks when the last page would hold a row
    or two alone."""
    from reportlab.lib import colors
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    cols = table.printed_columns
    columns = [table.columns[i] for i in cols]
    share = sum(c.width for c in columns)
    widths = [width * c.width / share for c in columns]
    size = 8.5
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, size, size + 1.5),
        ("FONT", (0, 0), (-1, 0), fonts.BOLD, size, size + 1.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.75),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 1.25),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for j, c in enumerate(columns):
        if c.kind in ("int", "num"):
            style.append(("ALIGN", (j, 1), (j, -1), "RIGHT"))
        elif c.kind == "date":
            style.append(("ALIGN", (j, 1), (j, -1), "CENTER"))
    cache: dict = {}
    header = [
        _wrap(c.label, fonts.BOLD, size, w, cache) for c, w in zip(columns, widths, strict=True)
    ]
    rows = [
        [
            _wrap(cell_text(row[i], c.kind), fonts.REGULAR, size, w, cache)
            if c.kind == "text"
            else cell_text(row[i], c.kind)
            for i, c, w in zip(cols, columns, widths, strict=True)
        ]
        for row in table.rows
    ] or [[""] * len(columns)]
    out = []
    total = len(rows)
    start_fraction, span = progress_span
    for start in range(0, total, APPENDIX_CHUNK):
        chunk = rows[start : start + APPENDIX_CHUNK]
        part = RLTable([header, *chunk], colWidths=widths, repeatRows=1)
        part.setStyle(TableStyle(style))
        out.append(part)
        if progress:
            progress("pdf", start_fraction + span * min(1.0, (start + APPENDIX_CHUNK) / total))
    return out
