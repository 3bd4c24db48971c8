"""Reading the values officers type: stars, dates, decision numbers, producer kinds,
product sets. Each parser returns the value, or raises ``Unclear`` whose message
key says why the value cannot be taken as it is (the row then becomes incomplete).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ocop_desktop import refdata
from ocop_desktop.text import decision_key as decision_key  # how the import keys decisions
from ocop_desktop.text import nfc, plain_dashes, search_key


class Unclear(Exception):
    """A value that is there but cannot be used as it is."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Stars:
    stars: int
    potential_5: bool = False
    upgrade: bool = False  # "Nâng hạng từ 3 sao lên 4 sao": the rank reached


_STAR_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
_STAR_GLYPHS = "★☆*✩✪✫⭐"


def clean_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfc(str(value))
    return text or None


_FOOTNOTE = re.compile(r"\s*(?:\(\s*\*+\s*\)|\*+)$")


def clean_name(value: Any) -> str | None:
    """A product's name without the footnote mark lists put after it ("Chè Kim
    Liên (*)": recognised again), so the next list's "Chè Kim Liên" is the same."""
    text = clean_text(value)
    if text is None:
        return None
    return _FOOTNOTE.sub("", text).strip() or text


def parse_stars(value: Any) -> Stars | None:
    """'3', 3, '3 sao', '3*', '★★★', '4 sao (tiềm năng 5 sao)', 'Tiềm năng 5 sao'."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return _checked(int(value), False, value)
        raise Unclear("import.bad_stars", value=value)
    raw = nfc(str(value))
    key = re.sub(r"(?<!\d)0([1-5])(?!\d)", r"\1", search_key(raw))  # "03 sao"
    key = re.sub(r"\((?:mot|hai|ba|bon|tu|nam)\)|(?<=\d)\s*[-–]\s*(?=sao)", " ", key)
    key = re.sub(r"\btn(?= ?5)", "tiem nang", " ".join(key.split()))  # "4 sao (TN 5 sao)"
    # "Nâng hạng từ 3 sao lên 4 sao", "từ 3★ lên 4★", "lên 4 sao": the rank after the
    # last "lên" is the one the decision gives.
    raised = re.search(r"\blen\b(?!.*\blen\b)(.*)$", key)
    if raised and re.search(r"[1-5]|\b(?:ba|bon|tu|nam)\b", raised.group(1)):
        target = parse_stars(raised.group(1).strip())
        if target is not None:
            return Stars(target.stars, target.potential_5, upgrade=True)
    potential = "tiem nang" in key
    if potential:
        before = key.split("tiem nang")[0]
        digits = re.findall(r"[1-5]", before)
        stars = int(digits[0]) if digits else 4
        return _checked(stars, True, raw)
    glyphs = sum(1 for ch in raw if ch in _STAR_GLYPHS)
    if glyphs and not re.search(r"\d", raw):
        return _checked(glyphs, False, raw)
    m = re.match(r"^\s*([1-5])(?:[.,]0+)?\s*(?:\*|sao|s\b|★|$)", key) or re.search(
        r"(?<![\d/.,])([1-5])\s*(?:\*|sao\b|★)", key
    )
    if m:
        return _checked(int(m.group(1)), False, raw)
    first = key.split(" ")[0]
    if first in _STAR_WORDS and "sao" in key:
        return _checked(_STAR_WORDS[first], False, raw)
    m = re.match(r"^(?:hang|dat|xep hang|dat hang|ocop)\s*([345])$", key)  # "Hạng 3"
    if m:
        return _checked(int(m.group(1)), False, raw)
    m = re.match(r"^(?:hang\s*)?(iii|iv)$|^hang\s*(v)$", key)  # "III", "Hạng IV" (a bare
    if m:  # "v" is a tick)
        return _checked({"iii": 3, "iv": 4, "v": 5}[m.group(1) or m.group(2)], False, raw)
    if key in ("", "-", "x") or _NOT_RANKED.match(key):
        return None
    raise Unclear("import.bad_stars", value=raw)


# A council's verdict that gives no rank: "Không đạt", "Chưa đạt", "Không xếp hạng".
_NOT_RANKED = re.compile(r"^(?:khong|chua|truot|loai)\b")


def _checked(stars: int, potential: bool, raw: Any) -> Stars:
    if stars not in (3, 4, 5):
        raise Unclear("import.stars_not_recognised", value=raw)
    return Stars(stars, potential)


@dataclass(frozen=True)
class ParsedDate:
    value: date | None
    year: int | None = None


_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2,4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_MY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_YEAR = re.compile(r"^(?:nam\s*)?((?:19|20)\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """A full date, or Unclear('import.year_only') / Unclear('import.bad_date')."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            raise Unclear("import.year_only", year=int(value))
        if 20000 <= value <= 80000:  # an Excel serial day number kept as a number
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise Unclear("import.bad_date", value=value)
    raw = nfc(str(value))
    text = search_key(raw).removeprefix("ngay").strip()
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        if year < 100:
            year += 2000
        return _make_date(year, month, day, raw)
    m = _YMD.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        return _make_date(year, month, day, raw)
    m = re.match(r"^(\d{1,2}) thang (\d{1,2}) nam (\d{4})$", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        return _make_date(year, month, day, raw)
    m = _YEAR.match(text)
    if m:
        raise Unclear("import.year_only", year=int(m.group(1)))
    m = _MY.match(text.removeprefix("thang").strip())
    if m:
        raise Unclear("import.month_only", value=raw)
    inside = _DECISION_DATE.findall(raw)
    if len(inside) == 1:  # "20/03/2026 (đợt 1)", "ký ngày 20/3/2026"
        return parse_date(re.sub(r"\s+", " ", inside[0]))
    raise Unclear("import.bad_date", value=raw)


def year_in(value: Any) -> int | None:
    """The year a date cell gives when it gives no full date ('2025', 'T3/2025',
    'năm 2025', 2025), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and 2000 <= value <= 2100 else None
    found = re.findall(r"(?<!\d)(20\d{2})(?!\d)", str(value))
    return int(found[0]) if found else None


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        # 29/02/2026, 31/04/2026, 12/25/2023: written as a date, but no such day.
        raise Unclear(
            "import.impossible_date", value=raw, iso=f"{year:04d}-{month:02d}-{day:02d}"
        ) from None


_DECISION = re.compile(r"(\d+[A-Za-z]?\s*/\s*[0-9A-Za-zĐđ][0-9A-Za-zĐđ\-./]*)")
# The decision's date, anywhere after its number: "ngày 20/3/2026", ", 20-03-2026",
# "(20/3/2026)", "ngày 20 tháng 3 năm 2026".
_DECISION_DATE = re.compile(
    r"(?<![\d/])(\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}"
    r"|\d{1,2}\s+th[áa]ng\s+\d{1,2}\s+n[ăa]m\s+\d{4})",
    re.I,
)


# Every date, month or year written in a cell (what is left is not a date).
DATES = re.compile(
    _DECISION_DATE.pattern + r"|(?<!\d)\d{1,2}\s*/\s*\d{4}(?!\d)|(?<!\d)(?:19|20)\d{2}(?!\d)",
    re.I,
)
_DATE_LIKE = re.compile(r"^\d{1,2}\s*/\s*(?:\d{1,2}\s*/\s*)?\d{4}$")


def parse_decision(value: Any) -> tuple[str | None, date | None]:
    """'1114/QĐ-UBND' or 'Quyết định số 1114/QĐ-UBND ngày 23/12/2019' -> (number, date)."""
    text = clean_text(value)
    if text is None:
        return None, None
    text = plain_dashes(text)
    text = re.sub(r"(?i)(q[đd])\s*-\s*", r"\1-", text)  # "715 /QĐ- UBND"
    # A date ("20/3/2026", "3/2026") is not a number, whatever its slashes.
    found = [f for f in _DECISION.finditer(text) if not _DATE_LIKE.match(f.group(1))]
    # A number with letters after its slash ("715/QĐ-UBND") over a date ("20/3/2026").
    lettered = [f for f in found if re.search(r"/.*[A-Za-zĐđ]", f.group(1))]
    if len(lettered) > 1:
        # "715/QĐ-UBND ngày 20/3/2023; 1234/QĐ-UBND ngày 5/5/2026 (công nhận lại)":
        # each decision with the text up to the next, the latest one in force.
        ends = [f.start() for f in lettered[1:]] + [len(text)]
        parts = [
            _one_decision(text[f.start() : end]) for f, end in zip(lettered, ends, strict=True)
        ]
        return max(parts, key=lambda p: p[1] or date.min)
    m = lettered[0] if lettered else (found[0] if found else None)
    if not m:
        raise Unclear("import.bad_decision", value=text)
    return _number(m), _date_around(text[: m.start()] + " " + text[m.end() :])


def _one_decision(text: str) -> tuple[str, date | None]:
    m = _DECISION.search(text)
    assert m is not None
    return _number(m), _date_around(text[m.end() :])


def _number(m: re.Match[str]) -> str:
    return re.sub(r"\s*/\s*", "/", m.group(1)).rstrip("-./")


def _date_around(text: str) -> date | None:
    d = _DECISION_DATE.search(text)
    if d:
        try:
            return parse_date(re.sub(r"\s+", " ", d.group(1)))
        except Unclear:
            return None  # a date that does not exist: the number still counts
    return None


# ---- producers ------------------------------------------------------------
_KIND_PREFIXES = (
    ("hop tac xa", "hop_tac_xa"),
    ("htx", "hop_tac_xa"),
    ("cong ty", "doanh_nghiep"),
    ("cty", "doanh_nghiep"),
    ("dntn", "doanh_nghiep"),
    ("doanh nghiep", "doanh_nghiep"),
    ("to hop tac", "to_hop_tac"),
    ("tht", "to_hop_tac"),
    ("ho kinh doanh", "ho_kinh_doanh"),
    ("ho sxkd", "ho_kinh_doanh"),
    ("ho san xuat", "ho_kinh_doanh"),
    ("hkd", "ho_kinh_doanh"),
    ("ho ong", "ho_kinh_doanh"),
    ("ho ba", "ho_kinh_doanh"),
    ("ho gia dinh", "ho_kinh_doanh"),
    ("ho", "ho_kinh_doanh"),  # "Hộ Nguyễn Thị Hoa": a household named after its head
)
_KIND_WORDS = (
    *_KIND_PREFIXES,
    ("dn", "doanh_nghiep"),
    ("ho", "ho_kinh_doanh"),
    ("ho ca the", "ho_kinh_doanh"),
    ("ca nhan", "ho_kinh_doanh"),
)


def kind_from_name(name: str | None) -> str | None:
    key = search_key(name)
    for prefix, kind in _KIND_PREFIXES:
        if key == prefix or key.startswith(prefix + " ") or key.startswith(prefix + "."):
            return kind
    return None


def parse_kind(value: Any) -> str | None:
    """An explicit kind column: 'HTX', 'Doanh nghiệp', 'Hộ kinh doanh', 'to_hop_tac' …"""
    text = clean_text(value)
    if text is None:
        return None
    key = search_key(text).replace("_", " ")
    for word, kind in _KIND_WORDS:
        if key == word or key == kind.replace("_", " "):
            return kind
    found = kind_from_name(text)
    if found:
        return found
    raise Unclear("import.bad_kind", value=text)


def parse_product_set(value: Any) -> int | None:
    """A set number (1–26) or its name; a group name alone is left for the officer."""
    if value is None or value == "":
        return None
    ref = refdata.load()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in ref.product_sets:
            return int(value)
        raise Unclear("import.bad_product_set", value=value)
    text = nfc(str(value))
    m = re.match(r"^(?:bo\s*(?:san pham)?\s*(?:so)?\s*)?(\d{1,2})\b", search_key(text))
    if m and int(m.group(1)) in ref.product_sets:
        return int(m.group(1))
    key = search_key(text)
    for s in ref.product_sets.values():
        if key in (search_key(s.name), search_key(s.name_2026)):
            return s.code
    partial = [
        s.code
        for s in ref.product_sets.values()
        if key and (key in search_key(s.name) or search_key(s.name) in key)
    ]
    if len(partial) == 1:
        return partial[0]
    group = [s.code for s in ref.product_sets.values() if search_key(s.group) == key]
    candidates = group or partial
    if candidates:
        raise Unclear(
            "import.product_set_choose",
            value=text,
            candidates=", ".join(f"{c} {ref.product_sets[c].name}" for c in candidates),
            codes=candidates,
        )
    raise Unclear("import.bad_product_set", value=text)


def parse_number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = nfc(str(value)).replace(" ", "")
    if re.match(r"^\d+,\d+$", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise Unclear("import.bad_number", value=value) from None


def digits_text(value: Any) -> str | None:
    """Tax codes and phone numbers typed as numbers lose nothing but a leading 0."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


@dataclass
class RowIssues:
    """Why a row is incomplete, in order, as (message key, params)."""

    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def add(self, key: str, **params: Any) -> None:
        self.items.append((key, params))

    def __bool__(self) -> bool:
        return bool(self.items)
