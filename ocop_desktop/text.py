"""Text rules: everything is stored NFC; search keys ignore case, marks and đ."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC with surrounding whitespace stripped and inner runs of spaces folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def search_key(value: str | None) -> str:
    """'Hợp tác xã Đông Tiến' -> 'hop tac xa dong tien'.

    NFD, drop combining marks, map đ/Đ to d (đ is a letter, not a mark, so NFD
    keeps it), casefold, fold whitespace.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.casefold()).strip()


# The usual ways of writing a producer's kind and legal form, each folded to one
# spelling (on a search key: no marks, lower case), longest first.
_PRODUCER_WORDS = (
    ("hop tac xa", "htx"),
    ("cong ty", "cty"),
    ("trach nhiem huu han", "tnhh"),
    ("mot thanh vien", "mtv"),
    ("1 thanh vien", "mtv"),
    ("co phan", "cp"),
    ("doanh nghiep tu nhan", "dntn"),
    ("to hop tac", "tht"),
    ("ho kinh doanh", "hkd"),
    ("ho kd", "hkd"),
    ("co so san xuat", "cssx"),
    ("co so sx", "cssx"),
)
_PRODUCER_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w, _ in _PRODUCER_WORDS) + r")\b")
_PRODUCER_MAP = dict(_PRODUCER_WORDS)


def producer_key(value: str | None) -> str:
    """A producer's name for matching: its search key with the legal-form words in one
    spelling, so "HTX Cói Nga Tiến" = "Hợp tác xã cói Nga Tiến" and "Cty TNHH Minh
    Phát" = "Công ty trách nhiệm hữu hạn Minh Phát". Works on a stored ``name_key``
    as well as on a name (it is idempotent)."""
    key = search_key(value)
    key = _PRODUCER_RE.sub(lambda m: _PRODUCER_MAP[m.group(0)], key)
    # "Cty." "HTX." "CSSX:" — the abbreviation's own punctuation is not part of the name
    key = re.sub(r"\b(htx|cty|tnhh|mtv|cp|dntn|tht|hkd|cssx)[.:,]+(?=\s|$)", r"\1", key)
    return _SPACES.sub(" ", key).strip()


# Dashes and slashes copied from Word or a PDF ("21/QĐ–UBND", "21∕QĐ‐UBND").
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
)
_SLASHES = str.maketrans(dict.fromkeys("\u2044\u2215\u29f8\uff0f", "/"))


def plain_dashes(text: str) -> str:
    """Unicode dashes as "-" and Unicode slashes as "/"."""
    return text.translate(_DASHES).translate(_SLASHES)


def decision_key(number: str) -> str:
    """A decision number as compared: without case, spaces, marks or the kind of dash:
    1114/QĐ-UBND = 1114/qd-ubnd = 1114 / QĐ–UBND."""
    return search_key(plain_dashes(number)).replace(" ", "")
