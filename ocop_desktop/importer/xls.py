"""Excel 97-2003 (.xls) workbooks, read whole with xlrd (a sheet holds at most
65,536 rows), as openpyxl's values would be: dates as datetimes, whole numbers as
int, merged ranges 0-based and inclusive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ocop_desktop.errors import UserError
from ocop_desktop.importer.reader import RawSheet, _trim
from ocop_desktop.progress import Cancelled


def xls_sheet_names(path: Path, *, visible_only: bool = False) -> list[str]:
    book = _open_xls(path)
    return [s.name for s in book.sheets() if not visible_only or s.visibility == 0]


def _open_xls(path: Path):
    """The workbook with its merged ranges (formatting), or UserError: a compound
    document xlrd cannot read (a damaged file, a Word file renamed) is refused
    with the advice to save it again as .xlsx."""
    import xlrd

    data = path.read_bytes()
    for formatting in (True, False):  # merged ranges need formatting, not every file has it
        try:
            return xlrd.open_workbook(
                file_contents=data, formatting_info=formatting, on_demand=True
            )
        except NotImplementedError:
            continue
        except Exception:  # xlrd raises many kinds for what is not a readable .xls
            break
    raise UserError("import.old_xls", path=path.name)


def read_xls(path: Path, sheet: str | None, max_rows: int, head: int | None) -> RawSheet:
    import xlrd

    book = _open_xls(path)
    try:
        names = book.sheet_names()
        if sheet is not None and sheet not in names:
            raise UserError("import.no_such_sheet", sheet=sheet, sheets=", ".join(names))
        ws = book.sheet_by_name(sheet) if sheet is not None else book.sheet_by_index(0)
        nrows = ws.nrows if head is None else min(ws.nrows, head)
        rows = [_trim([_xls_value(c, book.datemode) for c in ws.row(r)]) for r in range(nrows)]
        if sum(1 for r in rows if r) > max_rows:
            raise UserError("import.too_many_rows", sheet=ws.name, limit=f"{max_rows:,}")
        merges = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in ws.merged_cells]
        name = ws.name
    except (UserError, Cancelled):
        raise
    except xlrd.XLRDError as exc:
        raise UserError("import.old_xls", path=path.name) from exc
    finally:
        book.release_resources()
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    return RawSheet(name, rows, merges)


def _xls_value(cell, datemode: int) -> Any:
    """A cell as openpyxl would give it: dates as datetimes, whole numbers as int."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() else value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_TEXT:
        return value or None
    return None  # empty, blank, an error value
