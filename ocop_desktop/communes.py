"""Turning what an officer knows about a place into a current (2025) commune code.

``commune_code`` always means a current code. A legacy (pre-July-2025) code comes
as ``legacy_commune_code``; it is kept as recorded and converted through the
official table. An old commune split between several new ones cannot be guessed:
the error lists the candidates so the officer can choose.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocop_desktop import refdata
from ocop_desktop.errors import ValidationError
from ocop_desktop.store import Store
from ocop_desktop.text import search_key
from ocop_desktop.validation import integer


@dataclass(frozen=True)
class Place:
    commune_code: int
    legacy_commune_code: int | None
    legacy_district_code: int | None


def describe(code: int) -> str:
    ref = refdata.load()
    c = ref.communes.get(code)
    if c is None:
        return str(code)
    district = ref.district_name(ref.former_district_of.get(code))
    return f"{code} {c.name}" + (f" ({district})" if district else "")


def resolve(store: Store | None, commune_code: object, legacy_commune_code: object) -> Place | None:
    """Validate and convert; checks the node's area when ``store`` is given."""
    ref = refdata.load()
    current = integer(commune_code, "commune_code")
    legacy = integer(legacy_commune_code, "legacy_commune_code")
    legacy_district = None
    if legacy is not None:
        old = ref.legacy_communes.get(legacy)
        if old is None:
            raise ValidationError(
                "validation.unknown_legacy_commune", "legacy_commune_code", code=legacy
            )
        legacy_district = old.district_code
        candidates = ref.convert_legacy(legacy)
        if current is None:
            if len(candidates) != 1:
                raise ValidationError(
                    "validation.legacy_commune_split",
                    "legacy_commune_code",
                    code=legacy,
                    name=old.name,
                    candidates="; ".join(describe(c) for c in candidates),
                )
            current = candidates[0]
        elif current not in candidates:
            raise ValidationError(
                "validation.legacy_mismatch",
                "commune_code",
                code=current,
                legacy=f"{legacy} {old.name}",
                candidates="; ".join(describe(c) for c in candidates),
            )
    if current is None:
        return None
    if current not in ref.communes:
        raise ValidationError("validation.unknown_commune", "commune_code", code=current)
    if store is not None and not store.in_area(current):
        raise ValidationError(
            "validation.commune_outside_area",
            "commune_code",
            commune=describe(current),
            office=store.node.name,
        )
    return Place(current, legacy, legacy_district)


def find(text: str, area: frozenset[int] | None = None, limit: int = 20) -> list[dict]:
    """Communes whose current or legacy name matches ``text`` (diacritics ignored).

    Legacy matches say which current commune(s) they became, for completers.
    """
    ref = refdata.load()
    key = search_key(text)
    out: list[dict] = []
    for code, ckey in ref.commune_keys.items():
        if key in ckey and (area is None or code in area):
            out.append(
                {
                    "code": code,
                    "name": ref.communes[code].name,
                    "legacy": None,
                    "label": describe(code),
                }
            )
    for code, lkey in ref.legacy_commune_keys.items():
        if key not in lkey:
            continue
        old = ref.legacy_communes[code]
        targets = [t for t in ref.convert_legacy(old.code) if area is None or t in area]
        for t in targets:
            out.append(
                {
                    "code": t,
                    "name": ref.communes[t].name,
                    "legacy": old.code,
                    "label": f"{old.name} ({ref.district_name(old.district_code)}) → {describe(t)}",
                    "split": len(ref.convert_legacy(old.code)) > 1,
                }
            )
        if len(out) >= limit:
            break
    return out[:limit]
