"""Files the importer writes: the template with the canonical headers, and the
report of rows that need attention (errors, incomplete, skipped)."""

from __future__ import annotations

from pathlib import Path

from ocop_desktop.i18n import tr
from ocop_desktop.importer.plan import ERROR, INCOMPLETE, SKIPPED, Plan
from ocop_desktop.importer.table import FIELDS

# The template's columns: one per field, without the alternatives lists use
# (star mark columns, a group instead of a set, a year instead of a date).
TEMPLATE_FIELDS = [
    f for f in FIELDS if not f.startswith("stars_") and f not in ("product_group", "decision_year")
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is written as text (leading ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def save_template(path: Path | str, lang: str = "vi") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "OCOP"
    ws.append([tr(f"import.field.{f}", lang) for f in TEMPLATE_FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, _ in enumerate(TEMPLATE_FIELDS):
        ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = 22
    ws.freeze_panes = "A2"
    _save(wb, path)
    return path


def save_report(plan: Plan | list[Plan], path: Path | str, lang: str | None = None) -> Path:
    """Every row that was not imported cleanly, with why, as .xlsx; the rows of
    several sheets say which sheet they are on."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ocop_desktop.importer.set_proposals import describe

    path = Path(path)
    plans = plan if isinstance(plan, list) else [plan]
    several = len(plans) > 1
    wb = Workbook()
    ws = wb.active
    ws.title = tr("import.report.sheet", lang)[:31]
    ws.append(
        [
            tr("import.wizard.row", lang),
            tr("import.wizard.status", lang),
            tr("import.wizard.product", lang),
            tr("import.wizard.producer", lang),
            tr("import.wizard.why", lang),
            tr("import.field.stars", lang),
            tr("import.report.certificate_needs", lang),
            tr("import.wizard.proposal", lang),
        ]
        + ([tr("import.report.sheet_column", lang)] if several else [])
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for one, row in ((p, r) for p in plans for r in p.rows):
        if row.status not in (ERROR, INCOMPLETE, SKIPPED):
            continue
        ws.append(
            [
                row.row,
                tr(f"import.status.{row.status}", lang),
                safe_cell(row.product or ""),
                safe_cell(row.producer or ""),
                safe_cell("; ".join(row.messages(lang))),
                row.stars,
                safe_cell("; ".join(row.certificate_missing)),
                safe_cell(describe(list(row.proposal))) if row.proposal else None,
            ]
            + ([safe_cell(one.table.sheet)] if several else [])
        )
    for letter, width in zip("ABCDEFGH", (8, 16, 40, 40, 100, 10, 60, 40), strict=True):
        ws.column_dimensions[letter].width = width
    _save(wb, path)
    return path


def _save(wb: object, path: Path) -> None:
    """Write beside ``path`` and rename: a full disk leaves the old file, not half a new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        wb.save(tmp)  # type: ignore[attr-defined]
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
