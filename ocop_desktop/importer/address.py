"""Addresses as officers write them, turned into a current (2025) commune.

"xã Hoằng Phụ, huyện Hoằng Hóa" names a commune and district from before the July
2025 reform; "Xã Ba Đình" may be today's commune or an older ward of that name.
We look the names up among the legacy units and the current ones of the node's
province and convert old to new with the official table. Only one possible
current commune is accepted; anything else (a split old commune, a district with
no commune, a name that fits several places) comes back unresolved with the
candidates, for the officer to choose — never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ocop_desktop import refdata
from ocop_desktop.communes import describe
from ocop_desktop.text import nfc, search_key

_COMMUNE_PREFIXES = (
    ("thi tran", "thị trấn"),
    ("phuong", "phường"),
    ("xa", "xã"),
    ("tt", "thị trấn"),
    ("p", "phường"),
    ("x", "xã"),
)
_DISTRICT_PREFIXES = (
    ("thanh pho", "thành phố"),
    ("thi xa", "thị xã"),
    ("huyen", "huyện"),
    ("tp", "thành phố"),
    ("tx", "thị xã"),
    ("h", "huyện"),
)
_VILLAGE_PREFIXES = (
    "thon",
    "xom",
    "ban",
    "lang",
    "khu pho",
    "to dan pho",
    "khu",
    "so nha",
    "ap",
    "tdp",
)
_PROVINCE_PREFIXES = ("tinh", "tp.", "thanh pho")


@dataclass
class Resolution:
    commune_code: int | None = None
    legacy_commune_code: int | None = None
    problem: str | None = None  # message key when unresolved
    params: dict = field(default_factory=dict)
    candidates: list[int] = field(default_factory=list)
    village: str | None = None
    # The one former district the address names (kept when the commune is unknown).
    district_code: int | None = None

    @property
    def resolved(self) -> bool:
        return self.commune_code is not None


@dataclass(frozen=True)
class _Name:
    bare: str
    kind: str | None


@lru_cache(maxsize=4096)
def _split_prefix(text: str, prefixes: tuple[tuple[str, str], ...]) -> _Name | None:
    key = search_key(text).replace(".", ". ").replace("  ", " ").strip()
    for short, kind in prefixes:
        for sep in (" ", ". "):
            if key.startswith(short + sep):
                rest = key[len(short) + len(sep) :].strip(" .")
                if rest:
                    return _Name(rest, kind)
    return None


def _bare(name: str, prefixes: tuple[tuple[str, str], ...]) -> _Name:
    found = _split_prefix(name, prefixes)
    return found or _Name(search_key(name).strip(" ."), None)


@dataclass
class _Index:
    legacy_communes: dict[str, list[int]]
    communes: dict[str, list[int]]
    districts: dict[str, list[int]]


@lru_cache(maxsize=8)
def _index(province: int) -> _Index:
    ref = refdata.load()
    legacy: dict[str, list[int]] = defaultdict(list)
    for c in ref.legacy_communes.values():
        if c.province_code == province:
            legacy[_bare(c.name, _COMMUNE_PREFIXES).bare].append(c.code)
    current: dict[str, list[int]] = defaultdict(list)
    for c in ref.communes.values():
        if c.province_code == province:
            current[_bare(c.name, _COMMUNE_PREFIXES).bare].append(c.code)
    districts: dict[str, list[int]] = defaultdict(list)
    units = list(ref.legacy_districts.values())
    if province == 38:
        units += [
            d for d in ref.thanhhoa_districts_2023.values() if d.code not in ref.legacy_districts
        ]
    for d in units:
        if d.province_code == province:
            districts[_bare(d.name, _DISTRICT_PREFIXES).bare].append(d.code)
    return _Index(dict(legacy), dict(current), dict(districts))


def _exact(name: str, words: int) -> str:
    """The last ``words`` words, case-folded but with their marks (Phụ is not Phú)."""
    return " ".join(nfc(name).casefold().split(" ")[-words:]) if words else ""


def _prefer_exact(codes: list[int], typed: str, bare: str, names: dict) -> list[int]:
    words = len(bare.split(" "))
    wanted = _exact(typed, words)
    exact = [c for c in codes if _exact(names[c].name, words) == wanted]
    return exact or codes


def _kind_ok(code_name: str, wanted: str | None) -> bool:
    if wanted is None:
        return True
    return search_key(code_name).startswith(search_key(wanted))


@dataclass
class AddressParts:
    commune: str | None = None
    district: str | None = None
    village: str | None = None
    others: list[str] = field(default_factory=list)  # pieces without a unit word


_FORMER = re.compile(r"\(\s*c[uũ]\s*\)|\s+cũ(?=\s*(?:[,;)]|\s[-–]\s|$))", re.I)
_BRACKETS = re.compile(r"\(([^()]*)\)")


_NOW = re.compile(r"\b(?:nay là|nay thuộc|nay la|nay thuoc)\s+", re.I)


def unwrap(text: str) -> str:
    """'Phường Quỳnh Lập (cũ)' -> 'Phường Quỳnh Lập'; 'xã Hương Trạch (huyện Hương
    Khê)' -> 'xã Hương Trạch, huyện Hương Khê': brackets become pieces ('(nay là
    xã Châu Hồng)' the piece 'xã Châu Hồng', after the name written first)."""
    text = _NOW.sub("", _FORMER.sub("", nfc(text)))
    text = " ".join(_BRACKETS.sub(r", \1", text).split())
    return re.sub(r"\s+,", ",", text).strip(" ,")


def split_address(text: str | None) -> AddressParts:
    """'Thôn 3, xã Hoằng Phụ, huyện Hoằng Hóa, tỉnh Thanh Hóa' -> its parts."""
    parts = AddressParts()
    if not text:
        return parts
    for piece in _PIECES.split(_UNIT_BREAK.sub(", ", unwrap(text))):
        piece = piece.strip()
        if not piece:
            continue
        kind = _piece_kind(piece)
        if kind == "commune" and parts.commune is None:
            parts.commune = piece
        elif kind == "district" and parts.district is None:
            parts.district = piece
        elif kind == "village" and parts.village is None:
            parts.village = piece
        elif kind is None:
            parts.others.append(piece)
    return parts


_PIECES = re.compile(r"[,;]|\s[-–]\s")
# "Thôn 3 xã Nga An huyện Nga Sơn": a unit word inside a piece starts a new piece
# (not the "xã" of "thị xã").
_UNIT_BREAK = re.compile(
    r"(?<![,;])(?<!thị)(?<!thi)\s+(?=(?:xã|phường|thị trấn|thị xã|huyện|tỉnh|quận)\s+\S)",
    re.I,
)
# Where a producer cell goes on with the address: "HTX Tân Tiến - Xóm 6, xã Tân Tiến",
# "Công ty CP A; địa chỉ: thôn 2 …", "Hộ Lê Văn B (thôn Đông, xã Nga An)".
_NAME_END = re.compile(r"\s*(?:[,;:(]|\s[-–]\s)\s*")
_ADDRESS_WORD = re.compile(r"^(?:[đd][iị]a ch[iỉ]|[đd]/c)\s*:?\s*", re.I)


def split_name_address(text: str | None) -> tuple[str | None, str | None]:
    """A producer written with its address in one cell: (name, address), or the
    text and None when what follows the name is not an address."""
    if not text:
        return text, None
    for m in _NAME_END.finditer(text):
        rest = text[m.end() :].strip()
        head = text[: m.start()].strip(" -–,;:")
        if not head or not rest:
            continue
        first = _PIECES.split(unwrap(_ADDRESS_WORD.sub("", rest)))[0].strip()
        if _ADDRESS_WORD.match(rest) or _piece_kind(first):
            return head, unwrap(_ADDRESS_WORD.sub("", rest)).rstrip(")").strip() or None
    return text, None


@lru_cache(maxsize=8192)
def _piece_kind(piece: str) -> str | None:
    if _split_prefix(piece, _COMMUNE_PREFIXES):
        return "commune"
    if _split_prefix(piece, _DISTRICT_PREFIXES):
        return "district"
    key = search_key(piece)
    if any(key.startswith(p + " ") for p in _VILLAGE_PREFIXES):
        return "village"
    return None


@lru_cache(maxsize=1024)
def _find_districts(name: str, province: int) -> tuple[int, ...]:
    return tuple(find_districts(name, province))


def find_districts(name: str, province: int) -> list[int]:
    ref = refdata.load()
    bare = _bare(name, _DISTRICT_PREFIXES)
    names = {**ref.thanhhoa_districts_2023, **ref.legacy_districts}
    return _prefer_exact(
        list(_index(province).districts.get(bare.bare, [])), name, bare.bare, names
    )


def resolve(
    province: int,
    *,
    commune: str | None = None,
    district: str | None = None,
    address: str | None = None,
    default_district: int | None = None,
) -> Resolution:
    parts = split_address(address)
    if commune:
        # "Châu Tiến (nay là xã Châu Hồng)", "Xã A, huyện B" in the commune column
        within = split_address(commune)
        commune = within.commune or (within.others[0] if within.others else commune)
        district = district or within.district
    district = unwrap(district) if district else district
    district = district or parts.district or _bare_district(parts.others, province)
    found = _resolve_names(province, commune or parts.commune, district, default_district)
    if not found.resolved and not commune and not parts.commune and found.district_code:
        # "Thôn 5, Nga An, Nga Sơn": a commune named without "xã", within its district
        for piece in parts.others:
            if piece == district or _find_districts(piece, province):
                continue
            within_district = _resolve_names(province, piece, district, default_district)
            if within_district.resolved:
                found = within_district
                break
    return Resolution(
        found.commune_code,
        found.legacy_commune_code,
        found.problem,
        dict(found.params),
        list(found.candidates),
        parts.village,
        found.district_code,
    )


def _bare_district(pieces: list[str], province: int) -> str | None:
    """'Xã Hoằng Phụ - Hoằng Hóa - Thanh Hóa': a piece naming a district without
    'huyện'. The province's own name is not taken for its capital city."""
    ref = refdata.load()
    province_key = _bare(
        ref.provinces.get(province, ""), (("tinh", "tỉnh"), ("thanh pho", "thành phố"))
    ).bare
    for piece in pieces:
        if _bare(piece, _DISTRICT_PREFIXES).bare == province_key:
            continue
        if _find_districts(piece, province):
            return piece
    return None


@lru_cache(maxsize=4096)
def _resolve_names(
    province: int, commune: str | None, district_text: str | None, default_district: int | None
) -> Resolution:
    ref = refdata.load()
    out = Resolution()
    districts: list[int] = []
    if district_text:
        districts = list(_find_districts(district_text, province))
        if not districts:
            # A district dissolved before the reference lists (Lộc Hà, 2025) or
            # misspelt: its commune, if its name fits one place in the province.
            wider = _match_commune(province, commune, []) if commune else None
            if wider is not None and wider.resolved:
                return wider
            out.problem, out.params = "import.unknown_district", {"name": district_text}
            return out
    elif default_district is not None:
        districts = [default_district]
    if len(districts) == 1:
        out.district_code = districts[0]
    if not commune:
        if not districts:
            out.problem = "import.no_commune"
            return out
        candidates = sorted(
            {c for d in districts for c in ref.communes_of_former_district.get(d, [])}
        )
        return _unresolved(
            out, "import.district_only", candidates, district=_district_names(districts)
        )
    found = _match_commune(province, commune, districts)
    if districts and not found.resolved and found.problem == "import.unknown_commune":
        # Districts were merged before 2025 too (Đông Sơn into Thanh Hóa city in
        # 2024): a commune no longer listed under the district written is looked
        # for in the whole province, and taken only if the name is unique there.
        wider = _match_commune(province, commune, [])
        if wider.resolved:
            return wider
    found.district_code = out.district_code
    return found


def _match_commune(province: int, commune: str, districts: list[int]) -> Resolution:
    ref = refdata.load()
    idx = _index(province)
    out = Resolution()
    name = _bare(commune, _COMMUNE_PREFIXES)
    legacy_all = _prefer_exact(
        idx.legacy_communes.get(name.bare, []), commune, name.bare, ref.legacy_communes
    )
    legacy = [
        c
        for c in legacy_all
        if _kind_ok(ref.legacy_communes[c].name, name.kind)
        and (not districts or ref.legacy_communes[c].district_code in districts)
    ]
    if any(ref.convert_legacy(c) for c in legacy):
        # Units dissolved before the reform have no successor; skip them.
        legacy = [c for c in legacy if ref.convert_legacy(c)]
    current_all = _prefer_exact(idx.communes.get(name.bare, []), commune, name.bare, ref.communes)
    current = [c for c in current_all if _kind_ok(ref.communes[c].name, name.kind)]
    if districts:
        # A district in the address means the address predates the reform.
        current = (
            [c for c in current if ref.former_district_of.get(c) in districts] if not legacy else []
        )
    from_legacy = {t for c in legacy for t in ref.convert_legacy(c)}
    candidates = sorted(from_legacy | set(current))
    if len(legacy) == 1 and from_legacy and (not current or set(current) <= from_legacy):
        targets = ref.convert_legacy(legacy[0])
        if len(targets) == 1:
            out.commune_code, out.legacy_commune_code = targets[0], legacy[0]
            return out
        old = ref.legacy_communes[legacy[0]]
        return _unresolved(out, "import.commune_split", targets, name=old.name, code=old.code)
    if not legacy and len(current) == 1:
        out.commune_code = current[0]
        return out
    if len(candidates) == 1 and all(ref.convert_legacy(c) == candidates for c in legacy):
        # Two old units of the same name that both became this one commune.
        out.commune_code = candidates[0]
        return out
    if not candidates and name.kind:
        # "Phường Quỳnh Lập" for what was a commune (xã): units changed kind, and
        # lists mix them up; the name alone, if it fits one place, is that place.
        unmarked = _match_commune(province, _UNIT_WORD.sub("", commune, count=1), districts)
        if unmarked.resolved:
            return unmarked
    if not candidates:
        fallback = sorted(
            {c for d in districts for c in ref.communes_of_former_district.get(d, [])}
        )
        return _unresolved(out, "import.unknown_commune", fallback, name=commune)
    return _unresolved(out, "import.commune_ambiguous", candidates, name=commune)


_UNIT_WORD = re.compile(r"^\s*(?:thị trấn|thi tran|phường|phuong|xã|xa|tt|p|x)\.?\s+", re.I)


def _district_names(codes: list[int]) -> str:
    ref = refdata.load()
    return ", ".join(ref.district_name(c) for c in codes)


def _unresolved(out: Resolution, key: str, candidates: list[int], **params) -> Resolution:
    out.problem = key
    out.candidates = list(candidates)
    out.params = {**params, "candidates": "; ".join(describe(c) for c in candidates) or "—"}
    return out
