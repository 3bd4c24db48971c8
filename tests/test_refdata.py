"""The shipped reference data agrees with its sources in ../shared/data."""

import csv
from pathlib import Path

import pytest

from ocop_desktop import refdata

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_counts_of_the_shipped_copy():
    ref = refdata.load()
    assert len(ref.provinces) == 34
    assert len(ref.communes) == 3321
    assert len(ref.legacy_provinces) == 63
    assert len(ref.legacy_districts) == 696
    assert len(ref.legacy_communes) == 10051
    assert sum(len(v) for v in ref.conversion.values()) == 10565
    assert len(ref.thanhhoa_districts_2023) == 27
    assert ref.thanhhoa_districts_2023[405].name == "Huyện Đông Sơn"
    assert len(ref.product_sets) == 26
    assert len({s.group_code for s in ref.product_sets.values()}) == 6
    assert len(ref.communes_by_province[38]) == 166
    assert ref.version.startswith("2026.09.20-")


def test_the_same_code_means_different_communes_before_and_after_the_reform():
    ref = refdata.load()
    assert ref.communes[16171].name == "Xã Ba Đình"
    assert ref.legacy_communes[16171].name == "Xã Nga Trường"
    assert ref.convert_legacy(16099) == [16171]  # Xã Nga Vịnh -> Xã Ba Đình


def test_former_districts_partition_the_province():
    ref = refdata.load()
    th = set(ref.communes_by_province[38])
    owned = [
        c
        for d, cs in ref.communes_of_former_district.items()
        if ref.legacy_districts[d].province_code == 38
        for c in cs
    ]
    assert sorted(owned) == sorted(th)
    assert ref.communes_of_former_district[401] == [16093, 16108, 16114, 16138, 16144, 16171]


def test_the_shipped_former_districts_are_those_the_conversion_table_votes_for():
    ref = refdata.load()
    conversion = {old: [new for new, _ in targets] for old, targets in ref.conversion.items()}
    districts = {c.code: c.district_code for c in ref.legacy_communes.values()}
    assert refdata.vote_former_districts(conversion, districts) == ref.former_district_of
    # Thanh Hóa's straddling communes go to the district that gave most of their parts.
    assert ref.former_district_of[16171] == 401


def test_star_bands():
    ref = refdata.load()
    assert ref.stars_for_points(49.9) == 2
    assert ref.stars_for_points(50) == 3
    assert ref.stars_for_points(69.99) == 3
    assert ref.stars_for_points(70) == 4
    assert ref.stars_for_points(90) == 5
    assert ref.stars_for_points(100) == 5


def _csv(name):
    with (SHARED / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")
def test_copy_agrees_with_the_shared_sources():
    ref = refdata.load()
    au = "admin_units/"
    assert len(_csv(au + "communes_2025.csv")) == len(ref.communes)
    for row in _csv(au + "communes_2025.csv")[::97]:
        assert ref.communes[int(row["code"])].name == row["name"]
    for row in _csv(au + "legacy_communes.csv")[::211]:
        c = ref.legacy_communes[int(row["code"])]
        assert (c.name, c.district_code) == (row["name"], int(row["district_code"]))
    conv = _csv(au + "commune_conversion_2025.csv")
    assert len(conv) == sum(len(v) for v in ref.conversion.values())
    for row in conv[::131]:
        assert int(row["new_commune_code"]) in ref.convert_legacy(int(row["old_commune_code"]))
    sets = _csv("ocop/product_sets.csv")
    assert [s["ten_bo_qd148_2023"] for s in sets] == [
        ref.product_sets[i].name for i in range(1, 27)
    ]
    bands = _csv("ocop/star_bands.csv")
    assert [float(b["min_points_inclusive"]) for b in bands] == [
        b.min_points for b in ref.star_bands
    ]


def test_every_product_set_has_a_scoring_sheet():
    ref = refdata.load()
    for code in ref.product_sets:
        rows = ref.rubric(code)
        parts = [r for r in rows if r["level"] == "0"]
        assert len(parts) == 3, code
        assert sum(float(p["score"]) for p in parts) == 100
