"""Finding the table in a sheet: the header row (below any title lines, maybe two
rows deep, maybe merged), which column holds which field, and the data rows.

Headers are compared by their search key (no case, no marks, đ = d), so "Tên SP",
"TÊN SẢN PHẨM" and "ten san pham" are the same label.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from ocop_desktop.errors import UserError
from ocop_desktop.importer import legacy
from ocop_desktop.importer.reader import RawSheet
from ocop_desktop.text import search_key

# Canonical fields, in template order, with the wordings officers use.
FIELDS: dict[str, tuple[str, ...]] = {
    "row_no": ("stt", "tt", "so tt", "so thu tu"),
    "product_name": (
        "ten san pham",
        "ten sp",
        "san pham",
        "ten san pham ocop",
        "san pham ocop",
        "ten hang hoa",
    ),
    "product_set": ("bo san pham", "bo sp", "bo san pham ocop", "ma bo san pham", "bo"),
    # The group or sub-group ("Thực phẩm", "Chè"): narrows the product-set proposal.
    "product_group": (
        "nhom san pham",
        "nganh",
        "nhom nganh",
        "nganh hang",
        "phan nhom",
        "nhom",
        "nganh san pham",
        "nhom nganh hang",
        "linh vuc",
        "loai san pham",
    ),
    "producer_name": (
        "chu the",
        "ten chu the",
        "chu the ocop",
        "ten chu the ocop",
        "chu the san xuat",
        "don vi san xuat",
        "ten don vi",
        "don vi",
        "co so",
        "ten co so",
        "co so san xuat",
        "ten doanh nghiep htx",
        "ten don vi san xuat",
        "chu the san pham",
        "ten chu the san xuat",
        "to chuc ca nhan",
        "ten to chuc ca nhan",
        "chu the kinh te",
        "ten chu the kinh te",
        "ten htx",
        "htx dn",
        "ten htx dn",
        "ten htx dn ho sx",
        "htx dn ho sx",
        "doanh nghiep htx",
        "ten doanh nghiep",
    ),
    "producer_kind": (
        "loai hinh",
        "loai hinh chu the",
        "loai hinh to chuc",
        "hinh thuc to chuc",
        "loai hinh doanh nghiep",
    ),
    "tax_code": ("ma so thue", "mst", "ma so doanh nghiep", "ma so dkkd", "so dkkd"),
    "representative": (
        "nguoi dai dien",
        "dai dien",
        "nguoi dai dien theo phap luat",
        "ho ten nguoi dai dien",
        "chu co so",
    ),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai lien he"),
    "address": (
        "dia chi",
        "dia chi chu the",
        "dia chi san xuat",
        "dia chi co so",
        "dia ban",
        "dia phuong",
        "dia chi tru so",
        "don vi hanh chinh",
    ),
    "village": ("thon", "thon xom", "thon xom ban"),
    "commune": (
        "xa",
        "xa phuong",
        "xa phuong thi tran",
        "phuong xa",
        "xa thi tran",
        "xa phuong tt",
    ),
    "district": (
        "huyen",
        "huyen thi xa thanh pho",
        "huyen thi xa",
        "huyen thi xa tp",
        "huyen tx tp",
        "don vi cap huyen",
        "huyen thi",
        "huyen thi xa thanh pho cu",
        "huyen cu",
    ),
    "stars": (
        "hang sao",
        "so sao",
        "xep hang",
        "phan hang",
        "ket qua phan hang",
        "ket qua xep hang",
        "xep hang sao",
        "hang",
        "so sao dat",
        "ket qua danh gia phan hang",
        "hang sao ocop",
        "so sao ocop",
        "xep hang ocop",
        "dat hang",
        "hang dat",
        "so sao dat duoc",
        "ket qua xep hang sao",
        "hang ocop",
        "xep hang ocop sao",
        "sao ocop",
        "muc sao",
        "dat sao",
        "hang san pham",
        "ket qua danh gia",
        "ket qua cong nhan",
        "xep loai",
    ),
    "stars_3": ("3 sao",),
    "stars_4": ("4 sao",),
    "stars_5": ("5 sao",),
    "points": ("diem", "so diem", "tong diem", "diem danh gia", "diem so"),
    "decision_no": (
        "so quyet dinh",
        "so qd",
        "quyet dinh",
        "quyet dinh cong nhan",
        "so quyet dinh cong nhan",
        "so qd cong nhan",
        "qd cong nhan",
        "so ngay quyet dinh",
        "so ngay qd",
        "so va ngay quyet dinh",
        "quyet dinh so ngay",
        "so quyet dinh ngay",
        "so giay chung nhan",
        "giay chung nhan",
        "so chung nhan",
        "quyet dinh cong nhan so",
        "van ban cong nhan",
        "so van ban",
        "so gcn",
        "gcn",
        "so giay cn",
    ),
    "decision_date": (
        "ngay quyet dinh",
        "ngay cong nhan",
        "ngay qd",
        "ngay ban hanh",
        "thoi gian cong nhan",
        "ngay ky",
        "ngay cap",
        "ngay cap chung nhan",
        "ngay cap giay chung nhan",
        "ngay thang nam",
        "ngay thang nam cong nhan",
        "ngay ban hanh quyet dinh",
        "ngay quyet dinh cong nhan",
        "ngay ra quyet dinh",
        "ngay qd cong nhan",
        "thoi diem cong nhan",
        "ngay cong nhan ocop",
    ),
    # A year alone ("Năm công nhận"): the date when no full date is given.
    "decision_year": (
        "nam cong nhan",
        "nam cap",
        "nam dat",
        "nam danh gia",
        "nam xep hang",
        "nam duoc cong nhan",
        "nam qd",
        "nam quyet dinh",
    ),
    "expiry_date": (
        "ngay het han",
        "het han",
        "hieu luc den",
        "ngay het hieu luc",
        "han su dung chung nhan",
        "thoi han",
        "thoi han hieu luc",
        "thoi han chung nhan",
    ),
    "issuer": ("co quan ban hanh", "cap cong nhan", "co quan cong nhan", "don vi cong nhan"),
    "notes": ("ghi chu",),
}
IGNORED = "row_no"
MAX_HEADER_SCAN = 40
MAX_HEADER_ROWS = 3
# Short labels taken only when they are the whole label: under a group cell
# "Quyết định công nhận", "Số" is its number and "Ngày" or "Năm" its date.
EXACT_ONLY: dict[str, str] = {
    "so": "decision_no",
    "ngay": "decision_date",
    "nam": "decision_year",
    "ngay thang": "decision_date",
    "sao": "stars",
}

_EXACT = {syn: name for name, syns in FIELDS.items() for syn in syns} | EXACT_ONLY
_BY_LENGTH = sorted(_EXACT, key=len, reverse=True)


def label_key(value: Any) -> str:
    key = search_key(str(value)) if value is not None else ""
    return re.sub(r"[^0-9a-z]+", " ", key).strip()


def _contained(key: str) -> tuple[str, int] | None:
    """The longest known wording inside a label, as (field, position)."""
    padded = f" {key} "
    best = None
    for syn in _BY_LENGTH:
        if syn in EXACT_ONLY:
            continue
        pos = padded.find(f" {syn} ")
        if pos >= 0 and (
            best is None or len(syn) > len(best[0]) or (len(syn) == len(best[0]) and pos < best[1])
        ):
            best = (syn, pos)
    return (_EXACT[best[0]], best[1]) if best else None


# Counts on a summary sheet ("Số sản phẩm") and codes ("Mã sản phẩm") name no field.
_COUNT = re.compile(
    r"^(?:tong )?(?:so luong|so) (?:san pham|chu the|sp)\b|^(?:tong so|so luong)$"
    r"|^ma (?:so )?(?:san pham|sp|chu the)\b"
)


# An office's own codes and numbering ("Mã nội bộ", "Mã quản lý", "Số hồ sơ") name no
# field: the "bộ" of "nội bộ" is no product set ("bộ").
_INTERNAL = re.compile(
    r"\bnoi bo\b|^(?:ma|so) (?:so )?(?:quan ly|luu tru|ho so|rieng|theo doi)\b|^ma$"
)


def match_label(key: str, *, in_header: bool = False) -> str | None:
    """The field a label names. A long text is a title line, unless it is a cell of
    the header already found and starts with a known wording ("Địa chỉ (thôn, xã,
    huyện, thị xã, thành phố)")."""
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    if _COUNT.match(key) or _INTERNAL.search(key):
        return None  # "Số sản phẩm", "Tổng số chủ thể": a count on a summary sheet
    if len(key.split()) > 8:
        if not in_header:
            return None
        padded = f"{key} "
        lead = next((w for w in _BY_LENGTH if padded.startswith(f"{w} ")), None)
        return _EXACT[lead] if lead and lead not in EXACT_ONLY else None
    found = _contained(key)
    return _by_first_word(key, found[0]) if found else None


def _by_first_word(key: str, found: str) -> str:
    """ "Ngày … quyết định" is a date and "Năm … quyết định" a year, whatever
    longer wording the label also holds ("Thời điểm công nhận" is no points)."""
    first = key.split(" ")[0]
    if " so " in f" {key} ":  # "Ngày, số quyết định": the number and its date
        return found
    if found in ("decision_no", "points") and (first == "ngay" or key.startswith("thoi ")):
        return "decision_date"
    if found == "decision_no" and first == "nam":
        return "decision_year"
    return found


@dataclass
class Column:
    index: int
    label: str
    field: str | None

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class Conversion:
    row: int
    column: str
    original: str
    converted: str
    encoding: str


# Short cells repeat down a list (a district, a stars column, a decision's number
# and date): one shared string each keeps 100,000 rows within the import's bound.
SHARED_TEXT = 48


@dataclass(slots=True)
class DataRow:
    number: int  # the sheet's row number (1-based)
    values: dict[str, Any]
    heading: str | None = None  # a section line ("I. Huyện Nga Sơn") rather than a record
    repeat: bool = False  # the header (or its numbering row) written again


@dataclass
class Table:
    sheet: str
    header_rows: list[int]  # 1-based
    columns: list[Column]
    rows: list[DataRow]
    conversions: list[Conversion]
    encoding: str | None = None
    # The lines above the header ("(Kèm theo Quyết định số 715/QĐ-UBND ngày …)").
    titles: list[str] = field(default_factory=list)
    # Rows hidden in the workbook (1-based): imported like the others, said on each.
    hidden_rows: set[int] = field(default_factory=set)

    @property
    def mapping(self) -> dict[int, str | None]:
        return {c.index: c.field for c in self.columns}

    def has(self, name: str) -> bool:
        return any(c.field == name for c in self.columns)


def column_letter(index: int) -> str:
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        return legacy.decode_cell(value)[0]
    return value


def _row_score(row: list[Any]) -> tuple[int, int]:
    """(distinct fields named, of which exactly): a header names its columns
    exactly, while data cells ("xã Nga An", "3 sao") only contain a wording."""
    fields: set[str] = set()
    exact: set[str] = set()
    for v in row:
        if isinstance(v, str):
            key = label_key(_decoded(v))
            f = match_label(key)
            if f and f != "row_no":
                fields.add(f)
                if key in _EXACT:
                    exact.add(f)
    return len(fields) + len(exact), len(fields)


def _headerish(row: list[Any]) -> bool:
    """A further header row: labels only, at least one of them a known wording."""
    cells = [v for v in row if v not in (None, "")]
    # One cell alone under the header is a section line ("3 SAO", "Thực phẩm"); a
    # row of sub-labels has two or more (a lone one is found by its merged group).
    if len(cells) < 2 or any(not isinstance(v, str) or _numbering(v) for v in cells):
        return False
    keys = [label_key(_decoded(v)) for v in cells]
    exact = sum(1 for k in keys if k in _EXACT)
    known = sum(1 for k in keys if match_label(k))
    return exact >= 1 and known * 10 >= len(cells) * 6


def _numbering(value: Any) -> bool:
    return bool(re.fullmatch(r"\(?\d{1,2}\)?", str(value).strip()))


def _numbering_row(row: list[Any]) -> bool:
    """ "(1) | (2) | (3) …", "1 | 2 | 3", or the letters "A | B | C …" under a header."""
    cells = [v for v in row if v not in (None, "")]
    if len(cells) < 3:
        return False
    if all(_numbering(v) for v in cells):
        return True
    letters = [str(v).strip().strip("()").upper() for v in cells]
    return all(len(x) == 1 and x.isalpha() for x in letters) and letters == sorted(letters)


def _labels_only(row: list[Any]) -> bool:
    cells = [v for v in row if v not in (None, "")]
    return bool(cells) and all(
        isinstance(v, str) and not _numbering(v) and len(v) <= 80 for v in cells
    )


def _joined(raw: RawSheet, upper: int, lower: int) -> bool:
    """Rows ``upper`` and ``lower`` (= upper + 1) belong to one header block: a
    cell of the upper one is merged down into the lower one, or a group cell
    merged across columns stands over labels of the lower one."""
    if not _labels_only(raw.rows[lower]):
        return False
    below = raw.rows[lower]
    for r1, c1, r2, c2 in raw.merges:
        if r1 <= upper and r2 >= lower:
            return True
        if r1 <= upper <= r2 and r2 < lower and c2 > c1 and _group_row(raw.rows[upper]):
            if any(c < len(below) and below[c] not in (None, "") for c in range(c1, c2 + 1)):
                return True
    return False


def _group_row(row: list[Any]) -> bool:
    """A row of column labels (a title line has one cell, maybe two)."""
    return sum(1 for v in row if v not in (None, "")) >= 2 or any(
        isinstance(v, str) and match_label(label_key(_decoded(v))) for v in row
    )


def find_header(raw: RawSheet) -> list[int]:
    """0-based indexes of the header row(s): the row naming the most fields, with
    the rows merged to it above or below (at most three in all), and a row of
    sub-labels ("Số QĐ" | "Ngày") under it."""
    best, best_score, best_fields = None, 0, 0
    for i, row in enumerate(raw.rows[:MAX_HEADER_SCAN]):
        score, fields = _row_score(row)
        if score > best_score:
            best, best_score, best_fields = i, score, fields
    if best is None or best_fields < 2:
        raise UserError("import.no_header", sheet=raw.name)
    header = [best]
    while (
        len(header) < MAX_HEADER_ROWS and header[0] > 0 and _joined(raw, header[0] - 1, header[0])
    ):
        if not _labels_only(raw.rows[header[0] - 1]):
            break
        header.insert(0, header[0] - 1)
    while len(header) < MAX_HEADER_ROWS:
        nxt = header[-1] + 1
        if nxt >= len(raw.rows) or _numbering_row(raw.rows[nxt]):
            break
        if _joined(raw, header[-1], nxt) or _headerish(raw.rows[nxt]):
            header.append(nxt)
        else:
            break
    return header


def _filled(raw: RawSheet, header: list[int]) -> list[list[Any]]:
    """Header rows with merged ranges spread over every cell they cover."""
    width = max((len(raw.rows[i]) for i in header), default=0)
    for r1, _c1, r2, c2 in raw.merges:
        if r1 <= header[-1] and r2 >= header[0]:
            width = max(width, c2 + 1)
    grid = [list(raw.rows[i]) + [None] * (width - len(raw.rows[i])) for i in header]
    for r1, c1, r2, c2 in raw.merges:
        if r1 > header[-1] or r2 < header[0] or r1 < header[0]:
            continue
        value = grid[r1 - header[0]][c1]
        for r in range(r1, min(r2, header[-1]) + 1):
            for c in range(c1, c2 + 1):
                grid[r - header[0]][c] = value
    if len(header) == 2 and not raw.merges:
        # A CSV's two-row header: a top label stands over the blanks to its right.
        top, bottom = grid
        last = None
        for c in range(width):
            if top[c] not in (None, ""):
                last = top[c]
            elif bottom[c] not in (None, "") and last is not None:
                top[c] = last
    return grid


def detect_columns(raw: RawSheet, header: list[int]) -> list[Column]:
    """Each column's label and field. A field two columns name goes to the one
    that names it exactly ("Tên sản phẩm" over "Mã sản phẩm"), else the first."""
    grid = _filled(raw, header)
    columns: list[Column] = []
    found: list[tuple[str | None, bool]] = []
    width = len(grid[0]) if grid else 0
    for c in range(width):
        labels = [_decoded(g[c]) for g in grid]
        texts: list[str] = []
        for v in labels:
            text = " ".join(str(v).split()) if v not in (None, "") else ""
            if text and (not texts or label_key(texts[-1]) != label_key(text)):
                texts.append(text)
        columns.append(Column(c, " / ".join(texts), None))
        found.append(_field_for(texts))
    taken: set[str] = set()
    for exact in (True, False):
        for col, (field_name, is_exact) in zip(columns, found, strict=True):
            if field_name and is_exact == exact and field_name not in taken:
                col.field = field_name
                taken.add(field_name)
    _infer_from_values(columns, raw.rows[header[-1] + 1 : header[-1] + 1 + _INFER_ROWS])
    return columns


_INFER_ROWS = 300
# Values that say what a column holds whatever its label ("Kết quả", "Ghi chú 2"):
# ranks written out, decision numbers.
_VALUE_PATTERNS = {
    "stars": re.compile(r"^(?:hang |dat |xep hang )?[345] ?(?:sao|\*|★)|^(?:★){3,5}$"),
    "decision_no": re.compile(r"\d+ ?/ ?(?:qd|nq)\b"),
}
_STAR_FIELDS = ("stars", "stars_3", "stars_4", "stars_5")


def _fits(value: Any, pattern: re.Pattern[str], name: str, label: str) -> bool:
    """A cell that reads as the field; a bare 3, 4 or 5 only under a label about a
    result ("Kết quả", "Kết quả thẩm định")."""
    if isinstance(value, str):
        return bool(pattern.search(search_key(_decoded(value)).strip()))
    return (
        name == "stars"
        and "ket qua" in label_key(label)
        and isinstance(value, (int, float))
        and value in (3, 4, 5)
    )


def _infer_from_values(columns: list[Column], body: list[list[Any]]) -> None:
    """An unmapped column whose cells are mostly ranks ("3 sao", "★★★") or decision
    numbers ("715/QĐ-UBND") holds that field, when no labelled column does."""
    taken = {c.field for c in columns if c.field}
    for name, pattern in _VALUE_PATTERNS.items():
        if name in taken or (name == "stars" and taken & set(_STAR_FIELDS)):
            continue
        for col in columns:
            if col.field is not None:
                continue
            cells = [
                r[col.index] for r in body if col.index < len(r) and r[col.index] not in (None, "")
            ]
            fits = sum(1 for v in cells if _fits(v, pattern, name, col.label))
            if len(cells) >= 2 and fits * 10 >= len(cells) * 7:
                col.field = name
                taken.add(name)
                break


def _field_for(texts: list[str]) -> tuple[str | None, bool]:
    """The field a column's labels name, the lowest (most specific) label first:
    "Quyết định công nhận / Ngày" is the decision date; and whether a label names
    it exactly (not only contains a wording)."""
    keys = [label_key(t) for t in texts if label_key(t)]
    if not keys:
        return None, False
    bottom = keys[-1]
    tried = [bottom]
    if len(keys) > 1:
        tried += [" ".join(keys[-2:]), " ".join(keys), *reversed(keys[:-1])]
    for key in tried[:3]:
        if key in _EXACT:
            return _EXACT[key], True
    for key in tried[3:]:  # a group label over a column its own label does not name
        if key in _EXACT:
            return _EXACT[key], False
    for key in tried[:3]:
        found = match_label(key, in_header=True)
        if found:
            return found, False
    return None, False


_ROMAN = re.compile(r"^(?=[ivxlc]+$)m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$")


def _is_section_mark(value: Any) -> bool:
    if value is None:
        return False
    key = label_key(value)
    return bool(key) and (bool(_ROMAN.match(key)) or (len(key) == 1 and key.isalpha()))


def build_table(
    raw: RawSheet,
    mapping: dict[int, str | None] | None = None,
    header: list[int] | None = None,
    *,
    consume: bool = False,
) -> Table:
    """``consume``: drop each sheet row once its record is built, so a large sheet
    is not held twice (the RawSheet is then spent)."""
    header = header if header is not None else find_header(raw)
    columns = detect_columns(raw, header)
    if mapping is not None:
        for col in columns:
            if col.index in mapping:
                col.field = mapping[col.index]
        for index, name in mapping.items():
            if index >= len(columns) and name:
                columns.extend(Column(i, "", None) for i in range(len(columns), index + 1))
                columns[index].field = name
    _refuse_unsaved(raw, columns, header)
    start = header[-1] + 1
    if start < len(raw.rows) and _numbering_row(raw.rows[start]):
        start += 1
    body = raw.rows[start:]
    # Vertical merges in the body (a producer written once for its products): the
    # value of a merge's first row goes to the rows below it, as they come.
    merge_starts: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, _c2 in raw.merges:
        if r1 >= start and r2 > r1:
            merge_starts.setdefault(r1, []).append((c1, r2))
    fills: dict[int, list[tuple[int, Any]]] = {}
    fields = [(c.index, c.field) for c in columns if c.field]
    header_keys = {
        c.index: {label_key(part) for part in c.label.split(" / ")} for c in columns if c.label
    }
    text_columns = [i for i, _ in fields]
    encodings = {}
    for i in text_columns:
        sample = [r[i] for r in body[:2000] if i < len(r) and isinstance(r[i], str)]
        encodings[i] = legacy.column_encoding(sample)
    conversions: list[Conversion] = []
    rows: list[DataRow] = []
    product_col = next((c.index for c in columns if c.field == "product_name"), None)
    row_no_col = next((c.index for c in columns if c.field == "row_no"), None)
    streamed = raw.rest if consume and raw.rest is not None else ()
    footer = False
    above: dict[str, Any] = {}  # the record above, for "nt" (như trên: as above)
    for offset, row in enumerate(itertools.chain(body, streamed)):
        r = start + offset
        number = r + 1
        if consume and offset < len(body):
            raw.rows[r] = []
            body[offset] = None
        for c1, r2 in merge_starts.pop(r, ()):
            value = row[c1] if c1 < len(row) else None
            for below in range(r + 1, r2 + 1):
                fills.setdefault(below, []).append((c1, value))
        if r in fills:
            row = list(row)
            for fc, value in fills.pop(r):
                row.extend([None] * (fc + 1 - len(row)))
                if row[fc] in (None, ""):
                    row[fc] = value
        nonempty = [(i, v) for i, v in enumerate(row) if v not in (None, "")]
        if not nonempty:
            continue
        if _numbering_row(row) or _repeats_header(nonempty, header_keys):
            # The header again (a second table below the first, a printed page's
            # header): not a record, and no section either.
            rows.append(DataRow(number, {}, "", repeat=True))
            continue
        values: dict[str, Any] = {}
        for i, name in fields:
            if i >= len(row):
                continue
            value = row[i]
            if isinstance(value, str):
                converted, enc = legacy.decode_cell(value, encodings.get(i))
                if enc:
                    conversions.append(Conversion(number, column_letter(i), value, converted, enc))
                    value = converted
                if len(value) <= SHARED_TEXT:
                    value = sys.intern(value)
            values[name] = value
        heading = _heading(nonempty, product_col, row_no_col, values)
        if heading is None and footer and not _carries_record(values):
            heading = _line_text(nonempty)  # "(Ký, ghi rõ họ tên)", a signer's name
        elif heading is not None and _SIGNATURE.match(search_key(_line_text(nonempty))):
            footer = True  # the signatures: what follows them is no record
        if heading is None:
            _fill_ditto(values, above)
            above = values
        rows.append(DataRow(number, values, heading))
    titles = [
        " ".join(str(_decoded(v)) for v in raw.rows[r] if v not in (None, ""))
        for r in range(header[0])
        if raw.rows[r]
    ]
    hidden = {n for n in raw.hidden if n > start}
    return Table(
        raw.name, [h + 1 for h in header], columns, rows, conversions, raw.encoding, titles, hidden
    )


def _refuse_unsaved(raw: RawSheet, columns: list[Column], header: list[int]) -> None:
    """Formulas without a saved result read as empty cells: a stars column '=1+2'
    would be dropped without a word, so a sheet holding them in a column the
    import reads is refused, naming the cells. A numbering column's '=ROW()-5'
    is not read and does not stop the import."""
    read = {c.letter for c in columns if c.field and c.field != IGNORED}
    cells = [
        ref
        for ref in raw.unsaved
        if ref.rstrip("0123456789") in read
        and int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") or 0) > header[-1] + 1
    ]
    if cells:
        if raw.rest is not None:
            raw.rest.close()
        shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
        raise UserError("import.formulas_unsaved", sheet=raw.name, cells=shown)


_TOTAL = re.compile(
    r"^[^0-9a-z]*(tong cong|tong so|tong|cong|trong do|ghi chu|chu thich|nguon|luu y|danh sach gom|"
    r"nguoi lap|noi nhan|kt chu tich|tm uy ban|tm ubnd|chu tich|giam doc)\b"
    r"(?! (ty|dong|nghe|san xuat))"
)
# A line naming a place or a group of products, over the rows below it.
_SECTION = re.compile(
    r"^(?:[ivx]+|[a-f]|\d{1,2})?[.)]?\s*(huyen|thi xa|thanh pho|tp|tx|quan|nganh|nhom|"
    r"san pham|thuc pham|do uong|duoc lieu|thu cong|sinh vat canh|dich vu)\b"
)
# A line over the products of one rank: "3 SAO", "Hạng 4 sao", "Đạt 3 sao".
_RANK_LINE = re.compile(r"^(?:[ivx]+|[a-f]|\d{1,2})?[.)]?\s*(?:hang |dat |xep hang )*[345] sao\b")
# A line with a value in one of these is a record, whatever its numbering says.
_RECORD_FIELDS = ("stars", "decision_no", "producer_name", "address", "commune")
# The signature block below a list: who drew it up, who signs, for whom.
_SIGNATURE = re.compile(
    r"^[^0-9a-z]*(nguoi lap|nguoi ky|lap bieu|ky ten|ky ghi ro|ky va ghi ro|ky dong dau|"
    r"noi nhan|kt chu tich|kt giam doc|tm uy ban|tm ubnd|chu tich|pho chu tich|giam doc|"
    r"pho giam doc|truong phong|thu truong|xac nhan cua)\b"
)


_DITTO = re.compile(r"^(?:-?\s*nt\s*-?|-?\s*nhu tren\s*-?|[\"“”〃'`]+(?:\s*[\"“”〃'`]+)*|,,)$")


def _fill_ditto(values: dict[str, Any], above: dict[str, Any]) -> None:
    """A cell that says "as above" ("nt", "như trên", "〃") takes the value of the
    record above it: a producer or address written once for its products."""
    for name, value in values.items():
        if isinstance(value, str) and len(value) <= 12 and _DITTO.match(search_key(value).strip()):
            values[name] = above.get(name)


def _line_text(nonempty: list[tuple[int, Any]]) -> str:
    return " ".join(legacy.decode_cell(str(v))[0] for _, v in nonempty).strip()


def _carries_record(values: dict[str, Any]) -> bool:
    """A star rank, or a decision number, that reads as one (a signature line's
    "(Ký tên, đóng dấu)" may stand in the decision column)."""
    from ocop_desktop.importer import values as val

    try:
        if val.parse_stars(values.get("stars")):
            return True
    except val.Unclear:
        pass
    try:
        return val.parse_decision(values.get("decision_no"))[0] is not None
    except val.Unclear:
        return False


def _names_group(text: str) -> bool:
    """A product group or sub-group of the programme ("Dược liệu", "Chè")."""
    from ocop_desktop.importer.set_proposals import group_sets

    return bool(group_sets(text))


def _repeats_header(nonempty: list[tuple[int, Any]], header_keys: dict[int, set[str]]) -> bool:
    """At least two cells, and most of them, read as their column's label."""
    same = sum(
        1
        for i, v in nonempty
        if isinstance(v, str) and label_key(_decoded(v)) in header_keys.get(i, ())
    )
    return same >= 2 and same * 2 >= len(nonempty)


def _heading(
    nonempty: list[tuple[int, Any]],
    product_col: int | None,
    row_no_col: int | None,
    values: dict[str, Any],
) -> str | None:
    """Section lines ('I', 'Huyện Nga Sơn'; 'Tổng cộng') and notes below the table
    ('Ghi chú: …', 'Trong đó: …') carry no record."""
    texts = [str(v) for i, v in nonempty if i != row_no_col]
    text = " ".join(legacy.decode_cell(t)[0] for t in texts).strip()
    marks = [v for i, v in nonempty if i == row_no_col]
    key = search_key(text)
    first_text = legacy.decode_cell(str(nonempty[0][1]))[0].strip()
    first = search_key(first_text)
    if not texts:  # a line written in the numbering column, merged across the table
        text, key = first_text, first
    if _TOTAL.match(first) and (
        len(first.split()) <= 3 or values.get("product_name") in (None, "")
    ):
        return _line_text(nonempty)  # "Cộng huyện Quỳ Hợp | 1 | 1 | 0", counts and all
    if len(nonempty) <= 2 and _TOTAL.match(key):
        return text
    if _SIGNATURE.match(first) and not _carries_record(values):
        return text
    if marks and _ROMAN.match(label_key(marks[0]) or "-") and len(nonempty) <= 4:
        if not any(values.get(f) not in (None, "") for f in _RECORD_FIELDS):
            return text if texts else str(marks[0])
    if len(nonempty) > 2:
        return None
    if marks and _is_section_mark(marks[0]):
        return text if texts else str(marks[0])
    if (
        len(texts) == 1
        and (_SECTION.match(key) or _RANK_LINE.match(key) or _names_group(texts[0]))
        and not any(values.get(f) not in (None, "") for f in _RECORD_FIELDS)
    ):
        # "1 | Huyện Nga Sơn", "2 | Nhóm đồ uống", "3 | Hàng thủ công mỹ nghệ": a
        # numbered section, not a product
        return text
    if product_col is None or values.get("product_name") in (None, "") or len(nonempty) == 1:
        if len(nonempty) == 1 and (nonempty[0][0] != product_col or len(key.split()) > 10):
            return text  # a line of its own: a section, or a sentence about the list
        if re.match(r"^([ivx]+|[a-d])[.)]\s", key) or key.startswith(
            ("huyen ", "thi xa ", "thanh pho ", "san pham ")
        ):
            return text
    return None
