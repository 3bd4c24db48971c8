"""Convert the reference CSVs (../shared/data) into resources/refdata/refdata.json.

One compact JSON file loads in a few milliseconds with the C json parser, much
faster than parsing five CSV files row by row at every start. Run it again when
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


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC
    data = build(src)
    OUT.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes), version {data['version']}")


if __name__ == "__main__":
    main()
