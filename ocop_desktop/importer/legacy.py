"""Vietnamese typed with the old 8-bit fonts: TCVN3 (ABC, .VnTime) and VNI (VNI-Times).

Excel shows such text correctly only with the old font; the cell itself holds
Windows-1252 characters ("Hîp t¸c x· N«ng nghiÖp"). We decide per cell, by
counting how many words become valid Vietnamese syllables, whether the text is
already Unicode, TCVN3 or VNI, and convert. A column whose clear cells are mostly
TCVN3 (or VNI) also converts its undecided cells (e.g. "phê", valid both ways).

Tables written from the published TCVN 5712:1993 (VN3) and VNI-Windows charts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# TCVN3: one byte per lowercase letter with its marks; capitals with marks only
# for the seven base letters (the "H" fonts reuse the lowercase codes).
_TCVN3_SRC = "¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉËÐÌÎÏÑªÕÒÓÔÖÝ×ØÜÞãßáâä«èåæçé¬íêëìîóïñòô\xadøõö÷ùýúûüþ®¡¢£¤¥¦§"
_TCVN3_DST = "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđĂÂÊÔƠƯĐ"
assert len(_TCVN3_SRC) == len(_TCVN3_DST)
TCVN3_TABLE = str.maketrans(_TCVN3_SRC, _TCVN3_DST)

# VNI-Windows: a base letter followed by a mark byte (or one byte for i, ơ, ư, ỵ, đ).
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT_TONES = {"á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE_TONES = {"é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(seq: str, text: str) -> None:
        table[seq] = unicodedata.normalize("NFC", text)
        upper = seq.upper()
        if upper != seq:
            table[upper] = unicodedata.normalize("NFC", text).upper()

    for base in "aeouy":
        for mark, tone in _VNI_TONES.items():
            add(base + mark, base + tone)
    for base in "aeo":
        add(base + "â", base + "\u0302")
        for mark, tone in _VNI_HAT_TONES.items():
            add(base + mark, base + "\u0302" + tone)
    add("aê", "ă")
    for mark, tone in _VNI_BREVE_TONES.items():
        add("a" + mark, "ă" + tone)
    for base, single in (("ơ", "ô"), ("ư", "ö")):
        add(single, base)
        for mark, tone in _VNI_TONES.items():
            add(single + mark, base + tone)
    for seq, text in {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ"}.items():
        add(seq, text)
    return table


VNI_TABLE = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui "
    "uô uơ uy ưa ưi ươ ưu yê iêu oai oao oay oeo uây uôi ươi ươu uya uyê uyu yêu oo"
).split()
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    rf"({'|'.join(sorted(_NUCLEI, key=len, reverse=True))})(ch|ng|nh|[cmnpt])?$"
)
_WORD_SPLIT = re.compile(r"[\s;,:/|()\[\]\"'.!?\-+=*&%#<>]+")
_WORD_EDGE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def tcvn3_to_unicode(text: str) -> str:
    return text.translate(TCVN3_TABLE)


def vni_to_unicode(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI_TABLE[m.group(0)], text)


def _valid_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONES)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return bool(_SYLLABLE.match(bare))


def vietnamese_score(text: str) -> tuple[int, int]:
    """(valid, invalid) counts over the words that hold a non-ASCII character."""
    valid = invalid = 0
    for raw in _WORD_SPLIT.split(text):
        if raw.isascii():
            continue
        word = _WORD_EDGE.sub("", raw)
        if word and _valid_syllable(word):
            valid += 1
        else:
            invalid += 1
    return valid, invalid


_BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")


def _could_be_legacy(text: str) -> bool:
    """Only text made of ASCII and Latin-1 characters can be TCVN3/VNI typed."""
    return not text.isascii() and _BEYOND_LATIN1.search(text) is None


def guess(text: str) -> str | None:
    """'tcvn3', 'vni', or None (Unicode already / undecided), for one cell."""
    if not _could_be_legacy(text):
        return None
    best = None
    base_valid, base_invalid = vietnamese_score(text)
    best_key = (base_valid - base_invalid, 0)
    for name, convert in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        valid, invalid = vietnamese_score(convert(text))
        key = (valid - invalid, 1)
        if valid - invalid > base_valid - base_invalid and key > best_key:
            best, best_key = name, key
    return best


def _tie(text: str, encoding: str) -> bool:
    """The cell reads as Vietnamese both as it is and converted (e.g. 'phê')."""
    convert = tcvn3_to_unicode if encoding == "tcvn3" else vni_to_unicode
    converted = convert(text)
    if converted == text:
        return False
    valid, invalid = vietnamese_score(converted)
    return invalid == 0 and valid > 0


def convert(text: str, encoding: str) -> str:
    if encoding == "tcvn3":
        out = tcvn3_to_unicode(text)
        if _all_caps(text):
            # Capitals typed with the ".VnTimeH" fonts use the lowercase codes.
            out = out.upper()
    else:
        out = vni_to_unicode(text)
    return unicodedata.normalize("NFC", out)


def _all_caps(raw: str) -> bool:
    letters = [ch for ch in raw if ch.isascii() and ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def column_encoding(texts: list[str]) -> str | None:
    """The legacy encoding most clear cells of a column use (None if none do)."""
    votes = Counter(g for g in (guess(t) for t in texts) if g)
    if not votes:
        return None
    encoding, n = votes.most_common(1)[0]
    unicode_cells = sum(1 for t in texts if _BEYOND_LATIN1.search(t))
    if unicode_cells * 10 > n:
        return None  # a mixed column: convert only the cells that are clearly legacy
    undecided = sum(1 for t in texts if _could_be_legacy(t) and guess(t) is None)
    return encoding if n >= undecided else None


def decode_cell(text: str, column: str | None = None) -> tuple[str, str | None]:
    """(unicode text, encoding used or None)."""
    encoding = guess(text)
    if encoding is None and column and _could_be_legacy(text) and _tie(text, column):
        encoding = column
    if encoding is None:
        return text, None
    return convert(text, encoding), encoding
