"""Convert the reference CSVs (../shared/data) into resources/refdata/*.json.

Compact JSON loads in a few milliseconds with the C json parser, much faster
than parsing five CSV files row by row at every start. ``refdata.json`` holds
what every start needs (current units, former districts, product sets, star
bands, and each current commune's former district, worked out here once);
``legacy.json`` holds the pre-2025 communes and the conversion table, which only
the commune picker and the spreadsheet import read, so it loads at their first use. Run it again when
the source data changes; tests/test_refdata.py checks that the copy still agrees
with the sources.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "data"
OUT = ROOT / "resources" / "refdata" / "refdata.json"
LEGACY_OUT = OUT.with_name("legacy.json")
LEGACY_KEYS = ("legacy_communes", "conversion", "thanhhoa_communes_2023")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k: unicodedata.normalize("NFC", v.strip()) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def build(src: Path) -> dict:
    au = src / "admin_units"
    oc = src / "ocop"
    data = {
        "provinces": [
            [int(r["code"]), r["name"], r["division_type"]]
            for r in _rows(au / "provinces_2025.csv")
        ],
        "communes": [
            [int(r["code"]), r["name"], r["division_type"], int(r["province_code"])]
            for r in _rows(au / "communes_2025.csv")
        ],
        "legacy_provinces": [
            [int(r["code"]), r["name"], r["division_type"]]
            for r in _rows(au / "legacy_provinces.csv")
        ],
        "legacy_districts": [
            [int(r["code"]), r["name"], r["division_type"], int(r["province_code"])]
            for r in _rows(au / "legacy_districts.csv")
        ],
        "legacy_communes": [
            [
                int(r["code"]),
                r["name"],
                r["division_type"],
                int(r["district_code"]),
                int(r["province_code"]),
            ]
            for r in _rows(au / "legacy_communes.csv")
        ],
        "conversion": [
            [
                int(r["old_commune_code"]),
                int(r["old_district_code"]),
                int(r["partly_merged"]),
                int(r["new_commune_code"]),
            ]
            for r in _rows(au / "commune_conversion_2025.csv")
        ],
        "thanhhoa_districts_2023": [
            [int(r["district_code"]), r["district_name"], r["division_type"], int(r["n_communes"])]
            for r in _rows(au / "thanhhoa_districts_2023.csv")
        ],
        "thanhhoa_communes_2023": [
            [int(r["district_code"]), int(r["ward_code"]), r["ward_name"], r["ward_type"]]
            for r in _rows(au / "thanhhoa_communes_2023.csv")
        ],
        "product_sets": [
            {
                "code": int(r["bo_so"]),
                "group_code": r["nganh_code"],
                "group": r["nganh"],
                "subgroup": r["nhom"],
                "name": r["ten_bo_qd148_2023"],
                "name_2026": r["ten_bo_qd26_2026"],
            }
            for r in _rows(oc / "product_sets.csv")
        ],
        "star_bands": [
            {
                "stars": int(r["stars"]),
                "min_points": float(r["min_points_inclusive"]),
                "max_points": float(r["max_points_exclusive"]),
                "certificate": r["certificate_issued"].startswith("yes"),
                "recognizer_before_2025_07_06": r["recognizing_level_QD148_2023_to_2025-07-05"],
                "recognizer_from_2025_07_06": r["recognizing_level_from_QD1489_2025-07-06"],
            }
            for r in _rows(oc / "star_bands.csv")
        ],
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    data["version"] = f"2026.09.20-{digest}"
    return data


def split(data: dict) -> tuple[dict, dict]:
    """The start-up part (with each current commune's former district) and the legacy part."""
    sys.path.insert(0, str(ROOT))
    from ocop_desktop.refdata import vote_former_districts

    legacy = {k: data[k] for k in LEGACY_KEYS}
    current = {k: v for k, v in data.items() if k not in LEGACY_KEYS}
    districts = {c[0]: c[3] for c in data["legacy_communes"]}
    conversion: dict[int, list[int]] = {}
    for old, _district, _partly, new in data["conversion"]:
        conversion.setdefault(old, []).append(new)
    current["former_district"] = sorted(vote_former_districts(conversion, districts).items())
    return current, legacy


def _write(path: Path, data: dict) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC
    current, legacy = split(build(src))
    _write(OUT, current)
    _write(LEGACY_OUT, legacy)
    print(f"version {current['version']}")


if __name__ == "__main__":
    main()
