"""Council rounds: members' sheets, average totals, minimum requirements by a
majority of members, products proposed upward, and the batch decision."""

from __future__ import annotations

import pytest

from ocop_desktop import (
    batch_decisions,
    evaluations,
    producers,
    products,
    recognitions,
    rounds,
    rubric,
)
from ocop_desktop.errors import UserError, ValidationError

pytestmark = pytest.mark.today("2026-11-30")

CHAIR, MEMBER_1, MEMBER_2 = "Nguyễn Văn An", "Lê Thị Hằng", "Trần Quốc Bảo"


def best(sheet: rubric.Sheet) -> dict[str, int]:
    return {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria}


@pytest.fixture
def two_products(province, producer_data):
    producer = producers.add(province, producer_data)
    return [
        products.add(province, {"name": name, "producer_id": producer, "product_set": 1})
        for name in ("Rau má Nga Sơn", "Dưa hấu Ba Đình")
    ]


@pytest.fixture
def council(province, two_products):
    return rounds.create(
        province,
        {
            "name": "Đợt 2 năm 2026",
            "round_date": "2026-10-20",
            "level": "province",
            "chair": CHAIR,
            "members": [MEMBER_1, MEMBER_2],
            "secretary": "Phạm Thu Trang",
            "place": "Thanh Hóa",
            "products": two_products,
        },
    )


def test_the_majority_rule_for_minimum_requirements():
    sheet = rubric.sheet(1)
    top = best(sheet)
    short = top | {"A2": 2}  # below the 5-star minimum on A2
    assert rubric.score(sheet, short).stars == 4
    # Two of three members meet it: a majority, 5 stars are allowed.
    assert rounds.allowed_by_majority(sheet, [top, top, short]) == (5, ())
    # One of three: not a majority.
    assert rounds.allowed_by_majority(sheet, [top, short, short]) == (4, ("A2 ≥ 5★",))
    # One of two is a tie, and a tie is not a majority.
    assert rounds.allowed_by_majority(sheet, [top, short])[0] == 4


def test_a_round_averages_members_sheets_ranks_and_proposes_upward(province, council, two_products):
    first, second = two_products
    sheet = rubric.sheet(1)
    top = best(sheet)
    # First product: 100, 100 and 98 (one member below the 5-star minimum on A2, A3).
    for member, choice in ((CHAIR, top), (MEMBER_1, top), (MEMBER_2, top | {"A2": 2, "A3": 2})):
        rounds.record_sheet(province, council, first, member, choice)
    # Second product: two members below the 5-star minimum on A2: 4 stars despite 98.67 points.
    low = top | {"A2": 2}
    for member, choice in ((CHAIR, low), (MEMBER_1, low), (MEMBER_2, top | {"A1": 2})):
        rounds.record_sheet(province, council, second, member, choice)
    one, two = rounds.results(province, council)
    assert (one.product_id, one.rank, one.total, one.parts["A"]) == (first, 1, 99.33, 39.33)
    assert (one.stars, one.unmet, one.proposed, one.recognised_stars) == (5, (), True, 4)
    assert (two.product_id, two.rank, two.total, two.stars_by_points) == (second, 2, 98.67, 5)
    assert (two.stars, two.unmet, two.proposed, two.recognised_stars) == (4, ("A2 ≥ 5★",), False, 4)
    # A member replaces their sheet: one sheet per member and product.
    rounds.record_sheet(province, council, second, MEMBER_2, low)
    assert [s.member for s in rounds.result_for(province, council, second).sheets] == [
        CHAIR,
        MEMBER_1,
        MEMBER_2,
    ]


def test_results_are_ranked_by_the_average_total(province, council, two_products):
    first, second = two_products
    sheet = rubric.sheet(1)
    top = best(sheet)
    weaker = top | {"A1": 1}  # 96 points
    for member in (CHAIR, MEMBER_1, MEMBER_2):
        rounds.record_sheet(province, council, first, member, weaker)
        rounds.record_sheet(province, council, second, member, top)
    ranked = rounds.results(province, council)
    assert [(r.product_id, r.rank, r.total) for r in ranked] == [(second, 1, 100), (first, 2, 96)]


def test_sheets_come_only_from_the_council_and_for_submitted_products(
    province, council, two_products, producer_data
):
    top = best(rubric.sheet(1))
    with pytest.raises(ValidationError) as err:
        rounds.record_sheet(province, council, two_products[0], "Người ngoài", top)
    assert err.value.key == "round.not_a_member"
    other = products.add(
        province,
        {
            "name": "Nem chua",
            "producer_id": producers.add(province, producer_data),
            "product_set": 1,
        },
    )
    with pytest.raises(ValidationError) as err:
        rounds.record_sheet(province, council, other, CHAIR, top)
    assert err.value.key == "round.product_not_submitted"
    with pytest.raises(ValidationError) as err:
        rounds.record_sheet(province, council, two_products[0], CHAIR, {"A1": 1})
    assert err.value.key == "rubric.unanswered"
    assert province.db.execute("SELECT count(*) FROM member_sheets").fetchone()[0] == 0


def test_a_district_council_after_the_reform_is_refused(province, two_products):
    data = {
        "name": "Hội đồng huyện",
        "round_date": "2025-07-06",
        "level": "district",
        "chair": CHAIR,
        "members": [MEMBER_1, MEMBER_2],
    }
    with pytest.raises(ValidationError) as err:
        rounds.create(province, data)
    assert err.value.key == "authority.no_such_level"
    assert rounds.list_(province) == []


def test_an_office_cannot_hold_a_province_round(office):
    with pytest.raises(UserError) as err:
        rounds.create(
            office,
            {
                "name": "Đợt 1",
                "round_date": "2026-03-01",
                "level": "province",
                "chair": CHAIR,
                "members": [MEMBER_1, MEMBER_2],
            },
        )
    assert err.value.key == "round.read_only"


def test_the_batch_decision_recognises_every_product_in_one_step(province, council, two_products):
    first, second = two_products
    top = best(rubric.sheet(1))
    with pytest.raises(UserError) as err:  # sheets missing
        batch_decisions.record(
            province, council, {"decision_no": "715/QĐ-UBND", "decision_date": "2026-11-02"}
        )
    assert err.value.key == "round.sheets_missing"
    assert province.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0
    for member in (CHAIR, MEMBER_1, MEMBER_2):
        rounds.record_sheet(province, council, first, member, top)
        rounds.record_sheet(province, council, second, member, top | {"A1": 1, "B5": 3})
    batch = batch_decisions.record(
        province, council, {"decision_no": "715/QĐ-UBND", "decision_date": "2026-11-02"}
    )
    decision = batch_decisions.get(province, batch)
    assert decision["issuer"] == "UBND tỉnh Thanh Hóa"
    annex = decision["recognitions"]
    assert [(r["product_id"], r["stars"], r["potential_5"]) for r in annex] == [
        (first, 4, 1),  # 100 points: proposed to the ministry, 4 stars "tiềm năng 5 sao"
        (second, 3, 0),  # the 4-star minimum on B5 missed by every member
    ]
    for r in annex:
        rec = recognitions.get(province, r["id"])
        assert (rec["decision_no"], rec["kind"], rec["batch_id"]) == ("715/QĐ-UBND", "new", batch)
        ev = evaluations.get(province, rec["evaluation_id"])
        assert (ev["round_id"], ev["level"], ev["eval_date"]) == (council, "province", "2026-10-20")
    # Decided: the sheets are closed, and there is one decision per round.
    with pytest.raises(UserError) as err:
        rounds.record_sheet(province, council, first, CHAIR, top)
    assert err.value.key == "round.already_decided"
    with pytest.raises(UserError):
        batch_decisions.record(
            province, council, {"decision_no": "716/QĐ-UBND", "decision_date": "2026-11-02"}
        )


def test_a_batch_decision_is_all_or_nothing(province, council, two_products):
    first, second = two_products
    top = best(rubric.sheet(1))
    for member in (CHAIR, MEMBER_1, MEMBER_2):
        rounds.record_sheet(province, council, first, member, top)
        rounds.record_sheet(province, council, second, member, top)
    # The second product already holds a decision with that number (of that date:
    # one number of one issuer in one year is one decision).
    recognitions.add(
        province,
        {"product_id": second, "decision_no": "715/QĐ-UBND", "decision_date": "2026-11-02",
         "stars": 3},
    )  # fmt: skip
    before = province.db.execute("SELECT count(*) FROM recognitions").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        batch_decisions.record(
            province, council, {"decision_no": "715/QĐ-UBND", "decision_date": "2026-11-02"}
        )
    assert err.value.key == "validation.duplicate_decision"
    # The same number of the same issuer on another day of 2026 is another decision.
    with pytest.raises(ValidationError) as err:
        batch_decisions.record(
            province, council, {"decision_no": "715/QĐ-UBND", "decision_date": "2026-11-03"}
        )
    assert err.value.key == "validation.decision_other_date"
    assert "02/11/2026" in err.value.message("vi")
    assert province.db.execute("SELECT count(*) FROM recognitions").fetchone()[0] == before
    assert province.db.execute("SELECT count(*) FROM batch_decisions").fetchone()[0] == 0
    assert province.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0
    # A 5-star decision by the province is refused by the rule of authority.
    with pytest.raises(ValidationError) as err:
        batch_decisions.record(
            province,
            council,
            {
                "decision_no": "800/QĐ-UBND",
                "decision_date": "2026-11-02",
                "issuer": "UBND huyện Nga Sơn",
            },
        )
    assert err.value.key == "authority.wrong_issuer"


def test_a_district_council_before_the_reform_recognises_3_stars_and_proposes_the_rest(
    office, producer_data
):
    producer = producers.add(office, producer_data)
    ids = [
        products.add(office, {"name": name, "producer_id": producer, "product_set": 1})
        for name in ("Rau má Nga Sơn", "Dưa hấu Ba Đình")
    ]
    round_id = rounds.create(
        office,
        {
            "name": "Đợt 1 năm 2025",
            "round_date": "2025-06-10",
            "level": "district",
            "chair": CHAIR,
            "members": [MEMBER_1, MEMBER_2],
            "products": ids,
        },
    )
    top = best(rubric.sheet(1))
    three = top | {"B5": 3}  # meets the 3-star minimum on B5, not the 4-star one
    for member in (CHAIR, MEMBER_1, MEMBER_2):
        rounds.record_sheet(office, round_id, ids[0], member, top)
        rounds.record_sheet(office, round_id, ids[1], member, three)
    by_product = {x.product_id: x for x in rounds.results(office, round_id)}
    assert (by_product[ids[0]].stars, by_product[ids[0]].proposed) == (5, True)
    assert by_product[ids[0]].recognised_stars is None  # the province's (and ministry's) to decide
    assert (by_product[ids[1]].stars, by_product[ids[1]].recognised_stars) == (3, 3)
    batch = batch_decisions.record(
        office, round_id, {"decision_no": "88/QĐ-UBND", "decision_date": "2025-06-30"}
    )
    decision = batch_decisions.get(office, batch)
    assert decision["issuer"] == "UBND huyện Nga Sơn"
    assert [(r["product_id"], r["stars"]) for r in decision["recognitions"]] == [(ids[1], 3)]
