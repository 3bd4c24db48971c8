"""Opening what the officer chose: sniff the content (never trust the name), then
read one sheet as rows of plain values.

.xlsx goes through openpyxl in read-only, values-only mode (fast, low memory); the
merged ranges, which that mode does not expose, are read from the sheet's XML.
.xls (Excel 97-2003, at most 65,536 rows a sheet) goes through xlrd, whole (xls.py).
.csv may be UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258, or
Windows-1252 holding TCVN3/VNI-typed text; anything else is refused.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocop_desktop.errors import UserError
from ocop_desktop.importer import legacy
from ocop_desktop.progress import Cancelled, Progress

MAX_BYTES = 100 * 1024 * 1024
PROGRESS_EVERY = 500  # rows of an .xlsx between two progress reports
MAX_ROWS = 200_000  # rows of one sheet; more is refused with a message, not a crash
# A workbook part may expand to this much, and to this many times its packed size
# beyond MAX_PLAIN_PART (1 MB holding 1 GiB of sheet is a zip bomb, not a list).
MAX_PART_BYTES = 600 * 1024 * 1024
MAX_PLAIN_PART = 100 * 1024 * 1024
MAX_RATIO = 100
_CHUNK = 1024 * 1024
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass
class RawSheet:
    name: str
    rows: list[list[Any]]
    # merged ranges, 0-based inclusive (row1, col1, row2, col2)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str | None = None  # CSV only
    # Streamed reading: the rows after ``rows``, to be read once, in order.
    rest: Iterator[list[Any]] | None = None
    # Cells holding a formula whose result was never saved ("B7"): refused by the
    # table when they fall in a column it reads (a numbering column's =ROW() is not).
    unsaved: list[str] = field(default_factory=list)
    # Rows hidden in Excel (1-based): struck or filtered-out entries, said per row.
    hidden: set[int] = field(default_factory=set)


def sniff(path: Path) -> str:
    """'xlsx', 'xls' or 'csv'; raises UserError for everything else."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError:
        raise UserError("import.file_missing", path=str(path)) from None
    except OSError as exc:
        raise UserError("import.file_unreadable", path=str(path), detail=exc.strerror) from None
    if size == 0:
        raise UserError("import.file_empty", path=path.name)
    if size > MAX_BYTES:
        raise UserError("import.file_too_large", path=path.name, mb=size // (1024 * 1024))
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            raise UserError("import.damaged", path=path.name) from None
        if "xl/workbook.xml" in names:
            check_expansion(path)
            return "xlsx"
        if b"spreadsheet" in mimetype:
            raise UserError("import.ods_unsupported", path=path.name)
        raise UserError("import.not_spreadsheet", path=path.name)
    if head.startswith(_CFB):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data.replace(
            b"\x00", b""
        ):
            raise UserError("import.encrypted", path=path.name)
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        raise UserError("import.not_spreadsheet", path=path.name)
    if b"\x00" in head or _binary(head):
        raise UserError("import.not_spreadsheet", path=path.name)
    return "csv"


def check_expansion(path: Path) -> None:
    """Refuse a workbook whose parts would expand far beyond a real list, from the
    sizes the zip directory declares (reading stops at those sizes), before any
    XML is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        raise UserError("import.damaged", path=path.name) from None
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > MAX_PART_BYTES or (size > MAX_PLAIN_PART and size > packed * MAX_RATIO):
            raise UserError(
                "import.zip_bomb",
                path=path.name,
                mb=size // (1024 * 1024),
                limit=MAX_PART_BYTES // (1024 * 1024),
            )


def _binary(head: bytes) -> bool:
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) // 100


def sheet_names(path: Path | str, *, visible_only: bool = False) -> list[str]:
    """The sheets of a workbook (a CSV's one "sheet" is its name); ``visible_only``
    leaves out the hidden ones (lookup lists behind a form's drop-downs)."""
    path = Path(path)
    kind = sniff(path)
    if kind == "csv":
        return [path.stem]
    if kind == "xls":
        from ocop_desktop.importer.xls import xls_sheet_names

        return xls_sheet_names(path, visible_only=visible_only)
    wb = _open_workbook(path)
    try:
        return [
            ws.title
            for ws in wb.worksheets
            if not visible_only or getattr(ws, "sheet_state", "visible") == "visible"
        ]
    finally:
        wb.close()


def _open_workbook(path: Path):
    from openpyxl import load_workbook

    try:
        # A file object: openpyxl would otherwise refuse by the file's extension.
        return load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise UserError("import.damaged", path=path.name) from exc


def read_sheet(
    path: Path | str,
    sheet: str | None = None,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
    head: int | None = None,
    stream: bool = False,
) -> RawSheet:
    """Read one sheet. ``progress(rows read, rows declared)`` follows
    ``ocop_desktop.progress`` for an .xlsx (the slow kind); the total is 0 when the
    file does not declare its size. A CSV is read in one go. More than
    ``max_rows`` rows is refused. ``head``: only the first rows of an .xlsx, to look
    for a table (no merged ranges nor formula checks). ``stream``: an .xlsx's
    first STREAM_HEAD rows in ``rows`` and the others in ``rest``, read as they are
    used, so a large sheet is never held whole (its XML is scanned for merged
    ranges and unsaved formulas first)."""
    path = Path(path)
    kind = sniff(path)
    if kind == "csv":
        raw = _read_csv(path)
        if len(raw.rows) > max_rows:
            raise UserError("import.too_many_rows", sheet=raw.name, limit=f"{max_rows:,}")
    elif kind == "xls":
        from ocop_desktop.importer.xls import read_xls

        raw = read_xls(path, sheet, max_rows, head)
    elif stream:
        raw = _stream_xlsx(path, sheet, progress, max_rows)
    else:
        raw = _read_xlsx(path, sheet, progress, max_rows, head)
    if not any(any(v not in (None, "") for v in row) for row in raw.rows):
        if raw.rest is not None:
            raw.rest.close()
        raise UserError("import.sheet_empty", sheet=raw.name)
    return raw


def _read_xlsx(
    path: Path,
    sheet: str | None,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
    head: int | None = None,
) -> RawSheet:
    wb = _open_workbook(path)
    try:
        ws = _pick_sheet(wb, sheet)
        total = ws.max_row or 0
        rows = []
        for r in ws.iter_rows(values_only=True):
            rows.append(_trim(list(r)))
            if head is not None and len(rows) >= head:
                break
            if len(rows) > max_rows:
                while rows and not rows[-1]:
                    rows.pop()
                if len(rows) > max_rows:
                    raise UserError("import.too_many_rows", sheet=ws.title, limit=f"{max_rows:,}")
            if progress and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows), total)
        unsaved, merges, hidden = _scan_sheet(wb, ws) if head is None else ([], [], set())
        name = ws.title
    except (UserError, Cancelled):
        raise
    except Exception as exc:
        raise UserError("import.damaged", path=path.name) from exc
    finally:
        wb.close()
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    return RawSheet(name, rows, merges, unsaved=unsaved, hidden=hidden)


STREAM_HEAD = 2100  # rows held at once: the header search and the encoding samples


def _stream_xlsx(
    path: Path, sheet: str | None, progress: Progress | None, max_rows: int
) -> RawSheet:
    wb = _open_workbook(path)
    try:
        ws = _pick_sheet(wb, sheet)
        unsaved, merges, hidden = _scan_sheet(wb, ws)
        rows_iter = _counted_rows(wb, ws, path, progress, max_rows)
        head = []
        for row in rows_iter:
            head.append(row)
            if len(head) >= STREAM_HEAD:
                break
    except (UserError, Cancelled):
        wb.close()
        raise
    except Exception as exc:
        wb.close()
        raise UserError("import.damaged", path=path.name) from exc
    return RawSheet(ws.title, head, merges, rest=rows_iter, unsaved=unsaved, hidden=hidden)


def _counted_rows(
    wb, ws, path: Path, progress: Progress | None, max_rows: int
) -> Iterator[list[Any]]:
    """The sheet's rows, trimmed, with progress and the row limit (rows holding a
    value count: formatting alone makes a row but not a record); closes the
    workbook when done."""
    total = ws.max_row or 0
    read = filled = 0
    try:
        for r in ws.iter_rows(values_only=True):
            row = _trim(list(r))
            read += 1
            if row:
                filled += 1
                if filled > max_rows:
                    raise UserError("import.too_many_rows", sheet=ws.title, limit=f"{max_rows:,}")
            if progress and read % PROGRESS_EVERY == 0:
                progress(read, total)
            yield row
    except (UserError, Cancelled):
        raise
    except Exception as exc:
        raise UserError("import.damaged", path=path.name) from exc
    finally:
        wb.close()


def _pick_sheet(wb, sheet: str | None):
    if sheet is None:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise UserError("import.sheet_empty", sheet="")
    elif sheet not in wb.sheetnames:
        raise UserError("import.no_such_sheet", sheet=sheet, sheets=", ".join(wb.sheetnames))
    else:
        ws = wb[sheet]
    if not hasattr(ws, "iter_rows"):
        raise UserError("import.sheet_empty", sheet=ws.title)
    return ws


def _trim(row: list[Any]) -> list[Any]:
    while row and row[-1] in (None, ""):
        row.pop()
    return row


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _scan_sheet(wb, ws) -> tuple[list[str], list[tuple[int, int, int, int]], set[int]]:
    """What openpyxl's read-only mode does not tell, read from the sheet's XML a
    chunk at a time (never the whole part in memory): cells whose formula has no
    saved result, the merged ranges and the hidden rows."""
    part = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if not part or archive is None:
        return [], [], set()
    hidden: set[int] = set()
    unsaved: list[str] = []
    by_column: dict[str, int] = {}
    merges: list[tuple[int, int, int, int]] = []
    carry = b""
    try:
        with archive.open(part) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                data = carry + chunk
                if not chunk:
                    done, carry = data, b""
                else:
                    # Cut before the last element that starts with "<c" (a cell), so
                    # no cell is split; a run without one is carried, up to a limit.
                    cut = data.rfind(b"<c")
                    if cut <= 0 and len(data) < 8 * _CHUNK:
                        carry = data
                        continue
                    cut = cut if cut > 0 else len(data)
                    done, carry = data[:cut], data[cut:]
                for ref in _formulas_without_values(done):
                    column = ref.rstrip("0123456789")
                    if by_column.get(column, 0) < 5:  # a few per column say enough
                        by_column[column] = by_column.get(column, 0) + 1
                        unsaved.append(ref)
                merges += _merges(done)
                hidden.update(_hidden_rows(done))
                if not chunk:
                    break
    except (KeyError, OSError):
        return [], [], set()
    return unsaved, merges, hidden


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def _formulas_without_values(data: bytes) -> list[str]:
    """Cells holding a formula whose result was never saved (a file written by a
    script, or by Excel set to calculate by hand): read as values they are empty,
    and a stars column '=1+2' would be dropped without a word."""
    if not _FORMULA.search(data):
        return []
    found = []
    for attrs, body in _CELL.findall(data):
        if (
            body
            and _FORMULA.search(body)
            and not _VALUE.search(body)
            and b't="str"' not in attrs  # a formula whose result is empty text
        ):
            ref = _REF.search(attrs)
            found.append(ref.group(1).decode() if ref else "?")
    return found


_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def _hidden_rows(data: bytes) -> list[int]:
    """The numbers of the rows marked hidden (``<row r="5" hidden="1">``)."""
    if b"hidden" not in data:
        return []
    out = []
    for attrs in _HIDDEN_ROW.findall(data):
        if _HIDDEN.search(attrs):
            m = _ROW_NUMBER.search(attrs)
            if m:
                out.append(int(m.group(1)))
    return out


def _merges(data: bytes) -> list[tuple[int, int, int, int]]:
    if b"mergeCell" not in data:
        return []
    tail = data[data.rfind(b"</sheetData>") :] if b"</sheetData>" in data else data
    return [
        (int(r1) - 1, _col_index(c1), int(r2) - 1, _col_index(c2))
        for c1, r1, c2, r2 in _MERGE.findall(tail)
    ]


# ---- CSV -------------------------------------------------------------------
def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name) or UserError('import.unknown_encoding')."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:  # a UTF-8 mark on text saved in another code page
            raise UserError("import.unknown_encoding", path=name) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UserError("import.unknown_encoding", path=name) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
        if _reads_as_vietnamese(text):
            return text, "cp1258"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        converted = " ".join(legacy.decode_cell(t)[0] for t in text.split())
        if _reads_as_vietnamese(converted):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    raise UserError("import.unknown_encoding", path=name)


def _reads_as_vietnamese(text: str) -> bool:
    valid, invalid = legacy.vietnamese_score(text[:200_000])
    return valid > 0 and valid >= 3 * invalid


def _read_csv(path: Path) -> RawSheet:
    data = path.read_bytes()
    text, encoding = decode_text(data, path.name)
    delimiter = _delimiter(text[:20000])
    try:
        rows = [
            _trim([_csv_value(v) for v in r])
            for r in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:  # a cell over 128 KB: a stray quote swallowed the file
        raise UserError("import.csv_unreadable", path=path.name, detail=str(exc)) from None
    while rows and not rows[-1]:
        rows.pop()
    return RawSheet(path.stem, rows, [], encoding)


def _delimiter(sample: str) -> str:
    """Tab, semicolon or comma: the one that splits the most lines into the same
    number of cells (more than one). Commas inside addresses ("xã A, huyện B") and
    decisions make Python's sniffer take a comma for a tab-separated export."""
    lines = [ln for ln in sample.splitlines()[:-1] or sample.splitlines() if ln.strip()][:50]
    best, best_score = ",", 0
    for candidate in ("\t", ";", ","):
        counts = [len(next(csv.reader([ln], delimiter=candidate), [])) for ln in lines]
        widths = [n for n in counts if n > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = widths.count(mode)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_value(value: str) -> Any:
    value = value.strip()
    return value or None
