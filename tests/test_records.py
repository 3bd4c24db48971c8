"""Producers, products, recognitions: the rules a district officer relies on."""

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop_desktop import clock, evaluations, producers, products, recognitions, records, trash
from ocop_desktop.errors import NotFound, UserError, ValidationError
from ocop_desktop.search import search
from ocop_desktop.validation import _CONTROL


def _product(office, producer_id, name="Mắm tôm Ba Làng", product_set=9):
    return products.add(
        office, {"name": name, "producer_id": producer_id, "product_set": product_set}
    )


def test_producer_round_trip_and_search_without_diacritics(office, producer_data):
    pid = producers.add(office, producer_data)
    row = producers.get(office, pid)
    assert row["name"] == "Hợp tác xã Đông Tiến"
    assert row["commune_code"] == 16171
    found = search(office, "dong tien")
    assert [r["id"] for r in found] == [pid]
    assert search(office, "DONG TIEN")[0]["id"] == pid
    assert search(office, "Đông  tiến")[0]["id"] == pid
    assert search(office, "tien dong")[0]["id"] == pid  # words in any order
    assert search(office, "xa") and not search(office, "hoang")


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"tax_code": "28012345"}, "tax_code", "validation.bad_tax_code"),
        ({"tax_code": "2801234567-12"}, "tax_code", "validation.bad_tax_code"),
        ({"phone": "12345"}, "phone", "validation.bad_phone"),
        ({"commune_code": 99999}, "commune_code", "validation.unknown_commune"),
        ({"commune_code": 4}, "commune_code", "validation.commune_outside_area"),
        ({"kind": "cong_ty"}, "kind", "validation.bad_choice"),
        ({"name": "  "}, "name", "validation.required"),
        ({"founded_year": 1700}, "founded_year", "validation.out_of_range"),
        ({"colour": "red"}, None, "validation.unknown_fields"),
    ],
)
def test_bad_producer_fields_are_refused_and_nothing_is_written(
    office, producer_data, change, field, key
):
    before = office.db.execute("SELECT count(*) FROM producers").fetchone()[0]
    seq_before = office.db.execute("SELECT value FROM meta WHERE key='seq'").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        producers.add(office, producer_data | change)
    assert (err.value.field, err.value.key) == (field, key)
    assert office.db.execute("SELECT count(*) FROM producers").fetchone()[0] == before
    assert office.db.execute("SELECT value FROM meta WHERE key='seq'").fetchone()[0] == seq_before


def test_messages_name_the_field_in_vietnamese_and_english(office, producer_data):
    with pytest.raises(ValidationError) as err:
        producers.add(office, producer_data | {"tax_code": "12"})
    assert err.value.message("vi").startswith("Mã số thuế: “12” không đúng dạng mã số thuế")
    assert err.value.message("en").startswith("Tax code: “12” is not a tax code")


def test_valid_tax_codes_and_phones(office, producer_data):
    pid = producers.add(
        office, producer_data | {"tax_code": "2801234567-001", "phone": "+84 912.345.678"}
    )
    row = producers.get(office, pid)
    assert row["tax_code"] == "2801234567-001"
    assert row["phone"] == "+84912345678"
    # Landlines, as many producers (a cooperative's office) give them.
    for typed, kept in (
        ("0237 3868 123", "02373868123"),
        ("024.3825.1234", "02438251234"),
        ("+84 237 3868 123", "+842373868123"),
    ):
        pid = producers.add(office, producer_data | {"name": f"HTX {typed}", "phone": typed})
        assert producers.get(office, pid)["phone"] == kept
    for wrong in ("0237 38 68", "1237 3868 123", "091234567", "0237 3868 1234 5"):
        with pytest.raises(ValidationError):
            producers.add(office, producer_data | {"name": "HTX sai số", "phone": wrong})


def test_legacy_commune_is_kept_and_converted(office, producer_data):
    data = dict(producer_data)
    del data["commune_code"]
    pid = producers.add(office, data | {"legacy_commune_code": 16099})  # Xã Nga Vịnh
    row = producers.get(office, pid)
    assert (row["commune_code"], row["legacy_commune_code"], row["legacy_district_code"]) == (
        16171,
        16099,
        401,
    )


def test_split_legacy_commune_lists_the_candidates(province, producer_data):
    data = dict(producer_data)
    del data["commune_code"]
    with pytest.raises(ValidationError) as err:
        producers.add(province, data | {"legacy_commune_code": 14758})
    msg = err.value.message("vi")
    assert "14758" in msg and "14797" in msg
    pid = producers.add(province, data | {"legacy_commune_code": 14758, "commune_code": 14797})
    assert producers.get(province, pid)["commune_code"] == 14797


def test_every_edit_is_versioned_counted_and_audited(office, producer_data):
    pid = producers.add(office, producer_data)
    first = records.get(office, "producers", pid)
    producers.edit(office, pid, {"phone": "0987654321", "representative": "Mai Thị Hạnh"})
    second = records.get(office, "producers", pid)
    assert second["version"] > first["version"]
    assert second["base_version"] == first["version"]
    assert second["seq"] > first["seq"]
    assert second["origin"] == office.node.id
    hist = records.history(office, pid)
    assert [h["action"] for h in hist] == ["create", "update", "update"]
    changed = {h["field"]: (h["old"], h["new"]) for h in hist if h["action"] == "update"}
    assert changed["phone"] == ("0912345678", "0987654321")
    assert hist[0]["officer"] == "Lê Thị Hoa"


def test_delete_goes_to_trash_and_restores(office, producer_data):
    pid = producers.add(office, producer_data)
    prod = _product(office, pid)
    with pytest.raises(UserError):
        producers.delete(office, pid)  # still has a product
    products.delete(office, prod)
    assert products.list_(office) == []
    assert [t["id"] for t in trash.list_(office)] == [prod]
    with pytest.raises(NotFound):
        products.get(office, prod)
    trash.restore(office, prod)
    assert [p["id"] for p in products.list_(office)] == [prod]


@settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(name=st.text(min_size=1, max_size=80).filter(lambda s: _CONTROL.sub("", s).strip()))
def test_any_name_comes_back_nfc(office, producer_data, name):
    nfd = unicodedata.normalize("NFD", name)
    pid = producers.add(office, producer_data | {"name": nfd, "tax_code": None})
    stored = producers.get(office, pid)["name"]
    assert unicodedata.is_normalized("NFC", stored)
    # Control characters (NUL, \x01 …) are dropped; everything else is kept.
    assert stored == " ".join(unicodedata.normalize("NFC", _CONTROL.sub("", name)).split())


def test_product_requires_a_known_producer_and_set(office, producer_data):
    pid = producers.add(office, producer_data)
    with pytest.raises(ValidationError) as err:
        products.add(office, {"name": "Nem chua", "producer_id": "nope", "product_set": 8})
    assert err.value.field == "producer_id"
    with pytest.raises(ValidationError) as err:
        products.add(office, {"name": "Nem chua", "producer_id": pid, "product_set": 27})
    assert err.value.field == "product_set"
    prod = _product(office, pid)
    assert products.get(office, prod)["commune_code"] == 16171


def test_recognition_expiry_status_and_kind(office, producer_data):
    pid = producers.add(office, producer_data)
    prod = _product(office, pid)
    today = clock.today()
    old = recognitions.add(
        office,
        {
            "product_id": prod,
            "decision_no": "1114/QĐ-UBND",
            "decision_date": "2020-02-29",
            "stars": 3,
            "points": 62,
        },
    )
    r = recognitions.get(office, old)
    assert r["expiry_date"] == "2023-02-28"
    assert r["kind"] == "new" and r["status"] == "expired"
    soon = (today - timedelta(days=3 * 365 - 30)).isoformat()
    new = recognitions.add(
        office,
        {"product_id": prod, "decision_no": "45/QĐ-UBND", "decision_date": soon, "points": 75},
    )
    r2 = recognitions.get(office, new)
    assert (r2["stars"], r2["kind"], r2["status"]) == (4, "upgrade", "expiring")
    assert recognitions.get(office, old)["status"] == "superseded"
    assert [p["stars"] for p in products.list_(office, stars=4)] == [4]
    assert [p["id"] for p in products.list_(office, status="expiring")] == [prod]
    recognitions.revoke(office, new, today.isoformat(), "vi phạm chất lượng")
    assert recognitions.get(office, new)["status"] == "revoked"
    assert [p["id"] for p in products.list_(office, status="revoked")] == [prod]


@pytest.mark.parametrize(
    ("data", "field", "key"),
    [
        ({"stars": 6}, "stars", "validation.bad_stars"),
        ({"stars": 4, "points": 65}, "stars", "validation.stars_above_points"),
        ({"stars": None, "points": 45}, "points", "validation.points_below_3_stars"),
        ({"points": 101}, "points", "validation.out_of_range"),
        ({"decision_no": "QĐ 12"}, "decision_no", "validation.bad_decision_no"),
        ({"decision_date": "2024-02-30"}, "decision_date", "validation.bad_date"),
        ({"decision_date": "2099-01-01"}, "decision_date", "validation.date_in_future"),
    ],
)
def test_bad_recognitions_are_refused(office, producer_data, data, field, key):
    prod = _product(office, producers.add(office, producer_data))
    base = {
        "product_id": prod,
        "decision_no": "1114/QĐ-UBND",
        "decision_date": "2024-05-02",
        "stars": 3,
        "points": 60,
    }
    with pytest.raises(ValidationError) as err:
        recognitions.add(office, base | data)
    assert (err.value.field, err.value.key) == (field, key)
    assert recognitions.list_(office) == []


@pytest.mark.today("2026-11-30")
def test_evaluation_parts_and_stars(office, producer_data):
    prod = _product(office, producers.add(office, producer_data))
    eid = evaluations.add(
        office,
        {
            "product_id": prod,
            "eval_date": "2025-09-10",
            "level": "province",
            "points_a": 30,
            "points_b": 20,
            "points_c": 25.5,
            "minimums_stated_by": "Trần Văn Bình, Chủ tịch Hội đồng",
        },
    )
    e = evaluations.get(office, eid)
    assert (e["points"], e["stars"]) == (75.5, 4)
    with pytest.raises(ValidationError) as err:
        evaluations.add(
            office,
            {
                "product_id": prod,
                "eval_date": "2025-09-10",
                "level": "province",
                "points_a": 41,
                "points_b": 20,
                "points_c": 25,
            },
        )
    assert err.value.field == "points_a"


def test_records_outside_the_area_cannot_be_edited(province, office, producer_data):
    """A province node may hold any commune; an office refuses other areas."""
    pid = producers.add(province, producer_data | {"commune_code": 15880})
    assert producers.get(province, pid)["commune_code"] == 15880
    with pytest.raises(ValidationError) as err:
        producers.add(office, producer_data | {"commune_code": 15880})
    assert err.value.key == "validation.commune_outside_area"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(-120, 120))
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months):
    import calendar

    end = recognitions.add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])


def test_invisible_characters_are_dropped_and_wide_digits_read_as_digits(office):
    """Pasted from web pages and chat apps: zero-width spaces, a byte-order mark, a
    right-to-left override that turns the name around on screen."""
    pid = producers.add(
        office,
        {
            "name": "HTX\u200b Ba Đình\u202e\ufeff",
            "kind": "hop_tac_xa",
            "commune_code": 16171,
            "tax_code": "２８０１２３４５６７",
            "phone": "０９１２ ３４５ ６７８",
        },
    )
    saved = producers.get(office, pid)
    assert saved["name"] == "HTX Ba Đình"
    assert saved["tax_code"] == "2801234567" and saved["phone"] == "0912345678"
    with pytest.raises(ValidationError) as err:
        producers.add(office, {"name": "\u200b\u202e", "kind": "hop_tac_xa"})
    assert err.value.key == "validation.required"
    with pytest.raises(ValidationError):  # Arabic-Indic digits are no tax code here
        producers.add(office, {"name": "X", "kind": "hop_tac_xa", "tax_code": "٢٨٠١٢٣٤٥٦٧"})


def test_pickers_and_labels_come_from_the_core_in_one_query(office, producer_data):
    """A picker's candidates carry the producer's name from the same query, and a
    record in the trash keeps its label (the history still names it)."""
    maker = producers.add(office, producer_data)
    ids = [
        products.add(
            office,
            {"name": name, "producer_id": maker, "commune_code": 16171, "product_set": 9},
        )
        for name in ("Nước mắm Đông Tiến", "Nước mắm cốt Đông Tiến đặc biệt", "Mắm tôm")
    ]
    queries: list[str] = []
    office.db.conn.set_trace_callback(queries.append)
    found = products.candidates(office, "nuoc mam")
    office.db.conn.set_trace_callback(None)
    assert [row[1] for row in found] == ["Nước mắm Đông Tiến", "Nước mắm cốt Đông Tiến đặc biệt"]
    assert {row[2] for row in found} == {producer_data["name"]}
    assert len([q for q in queries if q.lstrip().upper().startswith("SELECT")]) == 1
    products.delete(office, ids[2])
    assert records.label(office, "products", ids[2]) == "Mắm tôm"
    assert records.label_of_any(office, maker) == producer_data["name"]
    assert records.label_of_any(office, "no-such-id") is None


def test_a_products_former_district_is_one_of_this_province(office, producer_data):
    """The former district an imported address named (commune unknown): one of this
    province's, the 2023 units included; a code of nowhere or of another province is
    refused, as a bundle carrying it is."""
    pid = producers.add(office, producer_data)
    kept = products.add(
        office,
        {"name": "Chiếu cói Nga Sơn", "producer_id": pid, "product_set": 21,
         "legacy_district_code": 401},
    )  # fmt: skip
    held = office.db.execute("SELECT legacy_district_code FROM products WHERE id = ?", [kept])
    assert held.fetchone()[0] == 401
    for wrong in (999, 2):  # nowhere; a district of Hà Nội
        with pytest.raises(ValidationError) as refused:
            products.add(
                office,
                {"name": f"Sản phẩm {wrong}", "producer_id": pid, "product_set": 21,
                 "legacy_district_code": wrong},
            )  # fmt: skip
        assert refused.value.field == "legacy_district_code"
        assert "không phải mã huyện cũ của tỉnh này" in refused.value.message("vi")
