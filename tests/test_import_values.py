"""Reading what officers type: stars, dates, decisions, kinds, sets, legacy fonts, addresses."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ocop_desktop.importer import address, legacy
from ocop_desktop.importer import values as val


@pytest.mark.parametrize(
    "raw, stars, potential",
    [
        ("3", 3, False),
        (3, 3, False),
        (4.0, 4, False),
        ("3 sao", 3, False),
        ("3 SAO", 3, False),
        ("3*", 3, False),
        ("★★★", 3, False),
        ("★★★★", 4, False),
        ("***", 3, False),
        ("4 sao (tiềm năng 5 sao)", 4, True),
        ("Tiềm năng 5 sao", 4, True),
        ("Ba sao", 3, False),
        ("5 sao", 5, False),
        ("Đạt 3 sao", 3, False),
        ("OCOP 4 sao", 4, False),
    ],
)
def test_star_spellings(raw, stars, potential):
    assert val.parse_stars(raw) == val.Stars(stars, potential)


@pytest.mark.parametrize("raw", ["2 sao", "abc", 7])
def test_stars_that_cannot_be_taken(raw):
    with pytest.raises(val.Unclear):
        val.parse_stars(raw)


@pytest.mark.parametrize(
    "raw",
    [datetime(2019, 12, 23), date(2019, 12, 23), "23/12/2019", "23-12-2019", "2019-12-23", 43822],
)
def test_date_spellings(raw):
    assert val.parse_date(raw) == date(2019, 12, 23)


@pytest.mark.parametrize("raw", [2019, "2019", "Năm 2019"])
def test_year_only_is_unclear(raw):
    with pytest.raises(val.Unclear) as exc:
        val.parse_date(raw)
    assert exc.value.key == "import.year_only"


def test_impossible_date_is_unclear():
    with pytest.raises(val.Unclear):
        val.parse_date("31/02/2020")


def test_decision_with_its_date_in_one_cell():
    number, when = val.parse_decision("Quyết định số 3150/QĐ-UBND ngày 15/8/2021")
    assert number == "3150/QĐ-UBND" and when == date(2021, 8, 15)
    assert val.parse_decision("1114 / QĐ-UBND") == ("1114/QĐ-UBND", None)
    assert val.decision_key("1114/QĐ-UBND") == val.decision_key("1114/qd-ubnd")


@pytest.mark.parametrize(
    "name, kind",
    [
        ("HTX Nông nghiệp Hoằng Phụ", "hop_tac_xa"),
        ("Hợp tác xã Cói Ba Đình", "hop_tac_xa"),
        ("Công ty TNHH Bánh gai", "doanh_nghiep"),
        ("DNTN Thương mại Hà Bình", "doanh_nghiep"),
        ("THT Nước mắm", "to_hop_tac"),
        ("Tổ hợp tác Nước mắm", "to_hop_tac"),
        ("Hộ kinh doanh Mai Văn Tiến", "ho_kinh_doanh"),
        ("Hộ SXKD Lê Thị Hoa", "ho_kinh_doanh"),
        ("Hộ ông Lê Văn Nam", "ho_kinh_doanh"),
        ("Hộ bà Trần Thị Lan", "ho_kinh_doanh"),
        ("Cơ sở Bánh gai Tứ Trụ", None),
    ],
)
def test_kind_from_the_name(name, kind):
    assert val.kind_from_name(name) == kind


def test_kind_column():
    assert val.parse_kind("HTX") == "hop_tac_xa"
    assert val.parse_kind("Doanh nghiệp") == "doanh_nghiep"
    assert val.parse_kind("hộ kinh doanh") == "ho_kinh_doanh"
    with pytest.raises(val.Unclear):
        val.parse_kind("Trường học")


def test_product_set_by_number_or_name_and_group_left_to_choose():
    assert val.parse_product_set(21) == 21
    assert val.parse_product_set("Bộ 3") == 3
    assert val.parse_product_set("rau, cu, qua, hat tuoi") == 1
    with pytest.raises(val.Unclear) as exc:
        val.parse_product_set("Thực phẩm")
    assert exc.value.key == "import.product_set_choose"


def test_tcvn3_and_vni_typed_text_comes_out_in_unicode():
    assert legacy.decode_cell("Hîp t¸c x· N«ng nghiÖp") == ("Hợp tác xã Nông nghiệp", "tcvn3")
    assert legacy.decode_cell("Hôïp taùc xaõ Noâng nghieäp") == ("Hợp tác xã Nông nghiệp", "vni")
    assert legacy.decode_cell("HîP T¸C X·")[0] == "HỢP TÁC XÃ"


@pytest.mark.parametrize(
    "text", ["Cà phê", "Chè xanh", "Bánh gai", "Nước mắm", "Cty TNHH", "Nem chua"]
)
def test_unicode_text_is_left_alone(text):
    assert legacy.decode_cell(text) == (text, None)


def test_a_tcvn3_column_converts_its_undecided_cells_too():
    cells = ["Hîp t¸c x· N«ng nghiÖp", "Thµnh phè Thanh Hãa", "Cµ phª"]
    encoding = legacy.column_encoding(cells)
    assert encoding == "tcvn3"
    assert legacy.decode_cell("Chî", encoding)[0] == "Chợ"


def test_a_mixed_column_converts_only_its_clear_cells():
    cells = ["Hîp t¸c x· N«ng nghiÖp", "Hợp tác xã Đông Tiến", "Cá rô"]
    assert legacy.column_encoding(cells) is None
    assert legacy.decode_cell("Cá rô", legacy.column_encoding(cells)) == ("Cá rô", None)


def test_legacy_commune_and_district_convert_to_the_2025_commune():
    r = address.resolve(38, address="xã Hoằng Phụ, huyện Hoằng Hóa")
    assert (r.commune_code, r.legacy_commune_code) == (16000, 16003)
    r = address.resolve(38, commune="Ba Đình", district="Nga Sơn")
    assert r.commune_code == 16171


def test_a_district_without_commune_lists_candidates_and_guesses_nothing():
    r = address.resolve(38, address="huyện Quảng Xương")
    assert not r.resolved and r.problem == "import.district_only"
    assert 16438 in r.candidates and len(r.candidates) > 1


def test_a_split_old_commune_lists_the_new_ones():
    r = address.resolve(38, address="Xã Hà Bình, huyện Hà Trung")
    assert not r.resolved and r.problem == "import.commune_split"
    assert sorted(r.candidates) == [15271, 15286]


def test_marks_tell_communes_apart_but_are_optional():
    assert address.resolve(38, address="Xã Hoằng Phú").commune_code == 15889
    loose = address.resolve(38, address="xa Hoang Phu, huyen Hoang Hoa")
    assert not loose.resolved and set(loose.candidates) == {15889, 16000}


def test_a_current_2025_commune_name_is_understood():
    r = address.resolve(38, address="Thôn 3, xã Hồ Vương")
    assert r.commune_code == 16138 and r.village == "Thôn 3"


def test_a_district_named_without_its_unit_word():
    r = address.resolve(38, address="Thôn Đông, xã Đông Khê - Đông Sơn - Thanh Hóa")
    assert r.resolved
    r = address.resolve(38, address="Xã Hoằng Phụ - Hoằng Hóa - Thanh Hóa")
    assert (r.commune_code, r.legacy_commune_code) == (16000, 16003)


# ---- what provincial lists write ---------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "stars"),
    [("4★", 4), ("4*", 4), ("03 sao", 3), ("Bốn sao", 4), ("Hạng 3", 3), ("3 sao (CNL)", 3)],
)
def test_stars_as_provincial_lists_write_them(raw, stars):
    assert val.parse_stars(raw).stars == stars


@pytest.mark.parametrize(
    ("raw", "number", "when"),
    [
        ("715/QĐ-UBND ngày 20/3/2026", "715/QĐ-UBND", date(2026, 3, 20)),
        ("QĐ số 715/QĐ-UBND, ngày 20/03/2026", "715/QĐ-UBND", date(2026, 3, 20)),
        ("715/QĐ-UBND (20-3-2026)", "715/QĐ-UBND", date(2026, 3, 20)),
        ("Số 88/QĐ-UBND ngày 12 tháng 6 năm 2024", "88/QĐ-UBND", date(2024, 6, 12)),
        ("20/3/2026 - 715/QĐ-UBND", "715/QĐ-UBND", date(2026, 3, 20)),
        ("3214/QĐ-UBND ngày 31/02/2025", "3214/QĐ-UBND", None),  # no such day: number kept
    ],
)
def test_number_and_date_in_one_cell(raw, number, when):
    assert val.parse_decision(raw) == (number, when)


@pytest.mark.parametrize(
    ("raw", "year"),
    [("2025", 2025), (2024, 2024), ("T3/2023", 2023), ("năm 2022", 2022), ("x", None)],
)
def test_the_year_a_date_cell_gives(raw, year):
    assert val.year_in(raw) == year


def test_product_set_proposals_from_name_and_group():
    from ocop_desktop.importer.set_proposals import group_sets, propose

    food = group_sets("I. THỰC PHẨM")
    assert food == list(range(1, 14))
    assert group_sets("Đồ uống") == [14, 15, 16, 17]
    assert group_sets("Ngành hàng dược liệu") == [18, 19, 20]
    assert group_sets("Huyện Nga Sơn") == []
    assert propose("Nước mắm Ba Làng") == [9]
    assert propose("Mắm tép Hoằng Phụ") == [9]
    assert propose("Trà hoa vàng") == [11, 12]
    assert propose("Cà phê bột") == [13]
    assert propose("Rượu ngô men lá") == [14, 15]
    assert propose("Mật ong bạc hà") == [4]
    assert propose("Gạo tám thơm") == [3, 6]
    assert propose("Nấm linh chi") == [18, 1]
    assert propose("Tinh dầu sả") == [20]
    assert propose("Khu du lịch sinh thái Pù Luông") == [26]
    assert propose("Bún gạo") == [6]  # the first word names the product
    assert propose("Chè lam", food) == [11, 12]
    assert propose("Rượu nếp", food) == []  # not a food: nothing proposed inside the group
    assert propose("Sản phẩm X", [26]) == [26]  # a group of one set
