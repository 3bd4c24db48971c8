"""Who may issue which decision, by the rules of the decision's own date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ocop_desktop import authority, evaluations, producers, products, recognitions
from ocop_desktop.errors import ValidationError

pytestmark = pytest.mark.today("2026-11-30")


@pytest.fixture
def product(office, producer_data):
    producer = producers.add(office, producer_data)
    return products.add(
        office, {"name": "Mắm tôm Ba Làng", "producer_id": producer, "product_set": 1}
    )


def _decision(product, no, day, stars, issuer=None, **extra):
    return {
        "product_id": product,
        "decision_no": no,
        "decision_date": day,
        "stars": stars,
        "issuer": issuer,
        **extra,
    }


def test_the_periods_come_from_the_star_bands_with_the_reform_boundary():
    """Decision 148's column runs to 5 July 2025, but the district level ended on
    1 July: from that day its 3-star cell is read as the province's."""
    before, reform, after = authority.periods()
    assert (before.decision, before.end, reform.decision, reform.start, reform.end) == (
        "QD148",
        date(2025, 6, 30),
        "QD148",
        date(2025, 7, 1),
        date(2025, 7, 5),
    )
    assert (after.decision, after.start) == ("QD1489", date(2025, 7, 6))
    assert before.recogniser == {3: "district", 4: "province", 5: "central"}
    assert reform.recogniser == {3: "province", 4: "province", 5: "central"}
    assert after.recogniser == {3: "province", 4: "province", 5: "central"}
    assert authority.recognising_level(3, "2025-06-30") == "district"
    assert authority.recognising_level(3, "2025-07-01") == "province"
    assert authority.recognising_level(3, "2025-07-06") == "province"
    assert authority.proposal_points() == 90


@pytest.mark.parametrize(
    ("issuer", "level"),
    [
        ("UBND huyện Nga Sơn", "district"),
        ("Ủy ban nhân dân thị xã Nghi Sơn", "district"),
        ("UBND thành phố Thanh Hóa", "district"),
        ("UBND TP Thanh Hóa", "district"),
        ("UBND TX. Bỉm Sơn", "district"),
        ("UBND TP. Hà Nội", "province"),
        ("Chủ tịch UBND tỉnh Thanh Hóa", "province"),
        ("UBND tỉnh Thanh Hóa", "province"),
        ("UBND thành phố Hà Nội", "province"),
        ("Bộ Nông nghiệp và Môi trường", "central"),
        ("Bộ NN&PTNT", "central"),
        ("UBND H. Nga Sơn", "district"),
        ("UBND Q. Bình Thạnh", "district"),
        ("UBND T. Thanh Hóa", "province"),
        ("UBND TP. HCM", "province"),
        ("Văn phòng Điều phối NTM huyện", None),
        ("Phòng Kinh tế", None),
    ],
)
def test_an_issuer_is_placed_at_its_level(issuer, level):
    assert authority.level_of_text(issuer) == level


@pytest.mark.parametrize("day", ["2025-07-01", "2025-07-05", "2025-07-06"])
def test_a_district_decision_stands_on_30_june_2025_and_is_refused_from_1_july(
    office, product, day
):
    """No district body exists from 1 July 2025 (Decision 148's column still names
    it until 5 July)."""
    kept = recognitions.add(
        office, _decision(product, "12/QĐ-UBND", "2025-06-30", 3, "UBND huyện Nga Sơn")
    )
    assert recognitions.get(office, kept)["issuer"] == "UBND huyện Nga Sơn"
    with pytest.raises(ValidationError) as err:
        recognitions.add(office, _decision(product, "13/QĐ-UBND", day, 3, "UBND huyện Nga Sơn"))
    assert (err.value.key, err.value.field) == ("authority.wrong_issuer", "issuer")
    message = err.value.message("vi")
    dmy = date.fromisoformat(day).strftime("%d/%m/%Y")
    assert "UBND cấp tỉnh" in message and dmy in message and "\n" not in message
    if day < "2025-07-06":
        assert "148/QĐ-TTg; từ 01/07/2025 không còn cấp huyện" in message
    else:
        assert "1489/QĐ-TTg" in message and "1489/QĐ-TTg" in err.value.message("en")
    assert [r["id"] for r in recognitions.list_(office)] == [kept]
    # Moving the old decision across the boundary is judged by the new date's rules.
    with pytest.raises(ValidationError):
        recognitions.edit(office, kept, {"decision_date": day})
    assert recognitions.get(office, kept)["decision_date"] == "2025-06-30"


@pytest.mark.parametrize(
    ("day", "stars", "issuer"),
    [
        ("2026-11-25", 5, "UBND huyện Nga Sơn"),  # the review's 999/QĐ-UBND
        ("2026-11-25", 5, "UBND tỉnh Thanh Hóa"),  # the province proposes 5 stars only
        ("2026-03-02", 3, "UBND huyện Nga Sơn"),
        ("2024-05-02", 4, "UBND huyện Nga Sơn"),  # 4 stars were the province's before too
        ("2026-03-02", 4, "Văn phòng Điều phối NTM tỉnh"),  # an office is no issuer
    ],
)
def test_decisions_by_the_wrong_level_are_refused(office, product, day, stars, issuer):
    with pytest.raises(ValidationError) as err:
        recognitions.add(office, _decision(product, "999/QĐ-UBND", day, stars, issuer))
    assert err.value.key == "authority.wrong_issuer"
    assert recognitions.list_(office) == []


def test_an_office_records_received_copies_under_the_issuing_body(office, product):
    """Left blank, the issuer is the body the rule of the date names."""
    early = recognitions.add(office, _decision(product, "5/QĐ-UBND", "2024-05-02", 3))
    later = recognitions.add(office, _decision(product, "715/QĐ-UBND", "2026-03-02", 4))
    top = recognitions.add(office, _decision(product, "88/QĐ-BNNMT", "2026-10-01", 5, points=92))
    issuers = [recognitions.get(office, r)["issuer"] for r in (early, later, top)]
    assert issuers == ["UBND huyện Nga Sơn", "UBND tỉnh Thanh Hóa", "Bộ Nông nghiệp và Môi trường"]


def test_stars_that_change_across_the_reform_take_each_period_s_issuer(province, producer_data):
    producer = producers.add(province, producer_data)
    pid = products.add(province, {"name": "Nem chua", "producer_id": producer, "product_set": 1})
    first = recognitions.add(
        province, _decision(pid, "7/QĐ-UBND", "2024-01-10", 3, "UBND huyện Nga Sơn")
    )
    up = recognitions.add(
        province, _decision(pid, "715/QĐ-UBND", "2026-03-02", 4, "UBND tỉnh Thanh Hóa")
    )
    down = recognitions.add(
        province, _decision(pid, "900/QĐ-UBND", "2026-11-20", 3, "UBND tỉnh Thanh Hóa")
    )
    kinds = [recognitions.get(province, r)["kind"] for r in (first, up, down)]
    assert kinds == ["new", "upgrade", "downgrade"]


def test_kinds_first_renewal_upgrade_downgrade_and_after_revocation(office, product):
    def add(no, day, stars, **extra):
        rid = recognitions.add(office, _decision(product, no, day, stars, **extra))
        return recognitions.get(office, rid)

    five = add("1/QĐ-BNN", "2022-01-10", 5, issuer="Bộ NN&PTNT", points=91)
    assert five["kind"] == "new"
    # The review's case: 3 stars after 5 is a downgrade, not a re-recognition.
    assert add("2/QĐ-UBND", "2025-01-10", 3, issuer="UBND huyện Nga Sơn")["kind"] == "downgrade"
    assert add("3/QĐ-UBND", "2025-12-10", 3)["kind"] == "renewal"
    assert add("4/QĐ-UBND", "2026-02-10", 4)["kind"] == "upgrade"
    with pytest.raises(ValidationError) as err:
        add("5/QĐ-UBND", "2026-03-10", 3, kind="renewal")
    assert err.value.key == "recognition.kind_contradicts_history"
    last = recognitions.list_(office)[0]
    recognitions.revoke(office, last["id"], "2026-04-01", "vi phạm")
    # After a revocation the next decision is new: a typed re-recognition is refused.
    with pytest.raises(ValidationError) as err:
        add("6/QĐ-UBND", "2026-06-10", 3, kind="renewal")
    assert err.value.key == "recognition.kind_after_revocation"
    assert "01/04/2026" in err.value.message("vi")
    assert add("6/QĐ-UBND", "2026-06-10", 3)["kind"] == "new"


@pytest.mark.parametrize(
    ("day", "level", "ok"),
    [
        ("2025-06-30", "district", True),
        ("2025-07-01", "district", False),
        ("2025-07-05", "district", False),
        ("2025-07-06", "district", False),
        ("2026-03-02", "district", False),
        ("2026-03-02", "province", True),
        ("2026-03-02", "commune", True),
        ("2026-03-02", "central", True),
    ],
)
def test_evaluation_levels_fit_their_date(office, product, day, level, ok):
    data = {
        "product_id": product,
        "eval_date": day,
        "level": level,
        "points_a": 30,
        "points_b": 15,
        "points_c": 20,
        "minimums_stated_by": "Lê Văn Sơn",
    }
    if ok:
        assert evaluations.get(office, evaluations.add(office, data))["level"] == level
        return
    with pytest.raises(ValidationError) as err:
        evaluations.add(office, data)
    assert (err.value.key, err.value.field) == ("authority.no_such_level", "level")
    assert evaluations.list_for_product(office, product) == []


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")
def test_the_shipped_star_bands_are_the_shared_source():
    from ocop_desktop.paths import resource

    shipped = resource("refdata", "star_bands.csv").read_bytes()
    assert shipped == (SHARED / "ocop" / "star_bands.csv").read_bytes()


def test_no_decision_or_council_before_the_programme_began(office, product):
    """OCOP began with Decision 490/QĐ-TTg of 7 May 2018."""
    with pytest.raises(ValidationError) as err:
        recognitions.add(
            office, _decision(product, "1/QĐ-UBND", "2018-05-06", 3, "UBND huyện Nga Sơn")
        )
    assert (err.value.key, err.value.field) == ("authority.before_programme", "decision_date")
    assert "07/05/2018" in err.value.message("vi") and "490/QĐ-TTg" in err.value.message("vi")
    kept = recognitions.add(
        office, _decision(product, "1/QĐ-UBND", "2018-05-07", 3, "UBND huyện Nga Sơn")
    )
    assert [r["id"] for r in recognitions.list_(office)] == [kept]
    with pytest.raises(ValidationError) as err:
        evaluations.add(
            office,
            {
                "product_id": product,
                "eval_date": "2017-12-01",
                "level": "district",
                "points_a": 30,
                "points_b": 15,
                "points_c": 20,
                "minimums_stated_by": "Lê Văn Sơn",
            },
        )
    assert (err.value.key, err.value.field) == ("authority.before_programme", "eval_date")
