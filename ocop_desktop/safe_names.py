"""File names made from Vietnamese names that Windows accepts.

Vietnamese letters are fine on NTFS, FAT32 and exFAT (the names are UTF-16 there);
what Windows refuses is ``<>:"/\\|?*`` and control characters, a name ending in a
dot or a space, the device names (``CON``, ``NUL``, ``COM1``, ``LPT1``… with any
extension), and more than 255 UTF-16 units in one name. Office and producer
names contain ``:`` and ``/`` often enough ("HTX Đông Tiến: chè", "Xã A/B").
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_UNITS = 120  # well under Windows' 255, leaving room for the folder's path
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"COM{c}" for c in "123456789¹²³"),
    *(f"LPT{c}" for c in "123456789¹²³"),
}


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def safe_file_name(name: str, suffix: str = "", max_units: int = MAX_NAME_UNITS) -> str:
    """``name`` (NFC, diacritics kept) as a file name Windows accepts, plus ``suffix``.

    >>> safe_file_name("HTX Đông Tiến: chè/trà?", ".pdf")
    'HTX Đông Tiến- chè-trà.pdf'
    """
    text = unicodedata.normalize("NFC", name or "")
    text = _FORBIDDEN.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    if not text:
        text = "ocop"
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    room = max_units - _utf16_units(suffix)
    while _utf16_units(text) > room:
        text = text[:-1]
    text = text.rstrip(" .")
    return text + suffix
