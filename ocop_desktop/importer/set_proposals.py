"""Proposing a product set from a product's name and the group a list gives.

Real lists rarely carry the product set (bộ sản phẩm), only the group ("Thực
phẩm") or nothing. A proposal is shown to the officer, who accepts it for all
rows or row by row; it is never stored without that.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ocop_desktop import refdata
from ocop_desktop.text import search_key

# Words of a product's name (search keys, whole words) -> likely sets, likeliest first.
KEYWORDS: dict[str, tuple[int, ...]] = {
    "nuoc mam": (9,),
    "mam": (9,),
    "tuong": (9,),
    "nuoc tuong": (9,),
    "giam": (9,),
    "dam": (9,),
    "muoi": (10,),
    "gia vi": (10,),
    "tieu": (10,),
    "ot": (10,),
    "toi": (10,),
    "hanh": (10,),
    "che": (11, 12),
    "tra": (11, 12),
    "ca phe": (13,),
    "cafe": (13,),
    "coffee": (13,),
    "ca cao": (13,),
    "cacao": (13,),
    "ruou": (14, 15),
    "ruou vang": (15, 14),
    "bia": (15,),
    "mat ong": (4,),
    "mat": (4,),
    "gao": (3, 6),
    "nep": (3, 6),
    "bun": (6,),
    "mien": (6,),
    "pho": (6,),
    "banh da": (6,),
    "banh trang": (6,),
    "banh chung": (6,),
    "banh gai": (6,),
    "banh": (6, 8),
    "keo": (6, 7),
    "com": (6,),
    "nam": (1, 7),
    "nam huong": (1, 7),
    "nam linh chi": (18, 1),
    "linh chi": (18,),
    "dong trung ha thao": (18,),
    "moc nhi": (1, 7),
    "tinh dau": (20,),
    "duoc lieu": (18, 20),
    "thao duoc": (18, 20),
    "xa phong": (19,),
    "dau goi": (19,),
    "my pham": (19,),
    "du lich": (26,),
    "homestay": (26,),
    "sinh thai": (26,),
    "gio": (8,),
    "cha": (8,),
    "nem": (8,),
    "lap xuong": (8,),
    "ruoc": (8,),
    "xuc xich": (8,),
    "kho": (8, 7),
    "thit": (2, 8),
    "ca": (2, 8),
    "tom": (2, 8),
    "muc": (2, 8),
    "cua": (2, 8),
    "trung": (2, 8),
    "sua": (2, 8),
    "rau": (1, 7),
    "cu": (1, 7),
    "qua": (1, 7),
    "buoi": (1, 7),
    "cam": (1, 7),
    "nhan": (1, 7),
    "chuoi": (1, 7),
    "dua": (1, 7),
    "xoai": (1, 7),
    "khoai": (1, 7),
    "lac": (1, 7),
    "hat": (1, 7),
    "mut": (7,),
    "say deo": (7,),
    "nuoc ep": (17,),
    "nuoc uong": (17, 16),
    "nuoc khoang": (16,),
    "coi": (21,),
    "chieu": (21,),
    "may tre": (21,),
    "may": (21,),
    "tre": (21,),
    "go": (21,),
    "gom": (21,),
    "son mai": (21,),
    "non": (21,),
    "tho cam": (22, 21),
    "det": (22,),
    "theu": (22, 21),
    "lua": (22, 3),
    "hoa": (23,),
    "lan": (23,),
    "cay canh": (24,),
    "bonsai": (24,),
    "ca canh": (25,),
    "chim canh": (25,),
}


@lru_cache(maxsize=1)
def _by_length() -> list[str]:
    return sorted(KEYWORDS, key=len, reverse=True)


def group_sets(text: str | None) -> list[int]:
    """The sets of a group or sub-group named in a cell or a section line
    ("I. THỰC PHẨM", "Đồ uống", "Chè"), or [] when it names none."""
    key = search_key(text or "")
    key = re.sub(r"^(?:[ivx]+|[a-f]|\d+)[.)]?\s+", "", key).strip(" .:")
    key = re.sub(r"^(?:nganh hang|nganh|nhom san pham|nhom|san pham)\s+", "", key)
    if not key:
        return []
    sets = refdata.load().product_sets.values()
    for attr in ("group", "subgroup"):
        found = [s.code for s in sets if search_key(getattr(s, attr)) == key]
        if found:
            return found
    if len(key) >= 5:  # "Dược liệu" for "Dược liệu và sản phẩm từ dược liệu"
        return [s.code for s in sets if key in search_key(s.group)]
    return []


def propose(name: str | None, group: list[int] | None = None) -> list[int]:
    """Likely product sets for a product name, within a group's sets when given."""
    key = f" {search_key(name or '')} "
    key = re.sub(r"[^0-9a-z ]+", " ", key)
    key = f" {' '.join(key.split())} "
    hits: list[int] = []
    best: tuple[int, int] | None = None
    for word in _by_length():
        pos = key.find(f" {word} ")
        # The word that comes first names the product ("Bún gạo" is bún), the
        # longest at one place ("nước mắm" over "mắm").
        if pos >= 0 and (best is None or pos < best[0]):
            best, hits = (pos, -len(word)), list(KEYWORDS[word])
    if group:
        inside = [c for c in hits if c in group]
        if inside:
            return inside
        return list(group) if len(group) == 1 else []
    return hits


def describe(codes: list[int]) -> str:
    """'9 Tương, nước mắm, …; 10 Gia vị khác …' (one shared string per list of codes)."""
    return _describe(tuple(codes))


@lru_cache(maxsize=1024)
def _describe(codes: tuple[int, ...]) -> str:
    sets = refdata.load().product_sets
    return "; ".join(f"{c} {sets[c].name}" for c in codes if c in sets)
