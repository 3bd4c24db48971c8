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
