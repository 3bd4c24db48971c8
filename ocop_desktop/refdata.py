"""Reference data: administrative units before and after the 2025 reform, OCOP
product sets and star bands. Loaded once from ``resources/refdata/refdata.json``
(built by ``tools/build_refdata.py``) into plain dicts; the pre-2025 communes and
the conversion table (``legacy.json``, two thirds of the data) load at first use,
which keeps them off the desktop app's start-up.

Commune codes are ambiguous across the reform: 3,310 of the 3,321 current codes
are also legacy codes, often of another commune. Here ``communes`` always means
current (2025) units and ``legacy_communes`` the units before 1 July 2025.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from ocop_desktop.paths import resource
from ocop_desktop.text import search_key


class Commune(NamedTuple):
    code: int
    name: str
    kind: str
    province_code: int


class LegacyCommune(NamedTuple):
    code: int
    name: str
    kind: str
    district_code: int
    province_code: int


class District(NamedTuple):
    code: int
    name: str
    kind: str
    province_code: int


@dataclass(frozen=True, slots=True)
class ProductSet:
    code: int
    group_code: str
    group: str
    subgroup: str
    name: str
    name_2026: str


@dataclass(frozen=True, slots=True)
class StarBand:
    stars: int
    min_points: float
    max_points: float
    certificate: bool
    recognizer_before_2025_07_06: str
    recognizer_from_2025_07_06: str


def vote_former_districts(
    conversion: dict[int, list[int]], legacy_district: dict[int, int]
) -> dict[int, int]:
    """Current commune -> the former district most of its source communes came from.

    161 of Thanh Hóa's 166 communes lie inside one former district; for the
    few that straddle two, the district contributing most source communes
    (ties: the lower code) owns it, so the former districts partition the
    province and every commune is counted once in a per-district report.
    ``conversion``: old commune -> new communes; ``legacy_district``: old commune ->
    its district. Worked out when the reference data is built.
    """
    votes: dict[int, Counter] = defaultdict(Counter)
    for old, targets in conversion.items():
        district = legacy_district.get(old)
        if district is None:
            continue
        for new in targets:
            votes[new][district] += 1
    return {
        new: max(counter.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        for new, counter in votes.items()
    }


@dataclass
class RefData:
    version: str
    provinces: dict[int, str]
    legacy_provinces: dict[int, str]
    communes: dict[int, Commune]
    legacy_districts: dict[int, District]
    product_sets: dict[int, ProductSet]
    star_bands: list[StarBand]
    # current commune -> the former district that owns it (see vote_former_districts)
    former_district_of: dict[int, int]
    thanhhoa_districts_2023: dict[int, District] = field(default_factory=dict)

    # ---- the legacy part, loaded at first use ------------------------------
    @cached_property
    def _legacy(self) -> dict:
        return json.loads(resource("refdata", "legacy.json").read_bytes())

    @cached_property
    def legacy_communes(self) -> dict[int, LegacyCommune]:
        return {r[0]: LegacyCommune._make(r) for r in self._legacy["legacy_communes"]}

    @cached_property
    def conversion(self) -> dict[int, list[tuple[int, bool]]]:
        """Old commune code -> list of (new commune code, partly_merged)."""
        out: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for old, _district, partly, new in self._legacy["conversion"]:
            out[old].append((new, bool(partly)))
        return dict(out)

    # ---- derived lookups (computed on first use) -------------------------
    @cached_property
    def communes_by_province(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for c in self.communes.values():
            out[c.province_code].append(c.code)
        return dict(out)

    @cached_property
    def communes_of_former_district(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for new, district in self.former_district_of.items():
            out[district].append(new)
        return {k: sorted(v) for k, v in out.items()}

    @cached_property
    def commune_keys(self) -> dict[int, str]:
        return {c.code: search_key(c.name) for c in self.communes.values()}

    @cached_property
    def legacy_commune_keys(self) -> dict[int, str]:
        return {c.code: search_key(c.name) for c in self.legacy_communes.values()}

    # ---- questions the app asks ----------------------------------------
    def commune_name(self, code: int | None) -> str:
        c = self.communes.get(code) if code is not None else None
        return c.name if c else ""

    def district_name(self, code: int | None) -> str:
        d = self.legacy_districts.get(code) if code is not None else None
        if d is None and code is not None:
            d = self.thanhhoa_districts_2023.get(code)
        return d.name if d else ""

    def convert_legacy(self, old_code: int) -> list[int]:
        """Current commune codes an old commune became (more than one if it was split)."""
        return [new for new, _ in self.conversion.get(old_code, [])]

    def product_set_condition(self, group_code: str, column: str = "p.product_set") -> str:
        """SQL condition for the product sets of a group (I–VI); only integer codes are spliced."""
        codes = [str(ps.code) for ps in self.product_sets.values() if ps.group_code == group_code]
        return f"{column} IN ({','.join(codes) or 'NULL'})"

    def stars_for_points(self, points: float) -> int:
        for band in self.star_bands:
            if band.min_points <= points < band.max_points:
                return band.stars
        raise ValueError(f"points out of range: {points}")

    def band(self, stars: int) -> StarBand:
        for b in self.star_bands:
            if b.stars == stars:
                return b
        raise KeyError(stars)

    def rubric(self, product_set: int) -> list[dict]:
        """The scoring sheet rows of a product set (title, description, level, stars, score)."""
        path = resource("refdata", "rubric_qd148", f"set_{product_set:02d}.csv")
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load() -> RefData:
    raw = json.loads(resource("refdata", "refdata.json").read_bytes())
    return RefData(
        version=raw["version"],
        provinces={c: n for c, n, _ in raw["provinces"]},
        legacy_provinces={c: n for c, n, _ in raw["legacy_provinces"]},
        communes={r[0]: Commune._make(r) for r in raw["communes"]},
        legacy_districts={r[0]: District._make(r) for r in raw["legacy_districts"]},
        product_sets={d["code"]: ProductSet(**d) for d in raw["product_sets"]},
        star_bands=[StarBand(**d) for d in raw["star_bands"]],
        former_district_of=dict(raw["former_district"]),
        thanhhoa_districts_2023={
            c: District(c, n, k, 38) for c, n, k, _ in raw["thanhhoa_districts_2023"]
        },
    )
