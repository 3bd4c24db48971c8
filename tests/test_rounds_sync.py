"""The province's bundle carries a round, its members' sheets and its batch
decision to the office whose products it scored; there they are read-only."""

from __future__ import annotations

import pytest

from ocop_desktop import batch_decisions, rounds, rubric
from ocop_desktop.errors import UserError
from ocop_desktop.sync import export_bundle, import_bundle
from tests.sync_helpers import NGA_SON, NHU_XUAN, fill, make_office, make_province

pytestmark = pytest.mark.today("2026-11-30")
MEMBERS = ("Nguyễn Văn An", "Lê Thị Hằng", "Trần Quốc Bảo")


def best(product_set: int) -> dict[str, int]:
    sheet = rubric.sheet(product_set)
    return {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria}


def test_a_round_travels_to_the_office_concerned_and_only_there(tmp_path):
    province = make_province(tmp_path)
    nga_son = make_office(tmp_path, NGA_SON)
    nhu_xuan = make_office(tmp_path, NHU_XUAN)
    a_products = fill(nga_son, NGA_SON, 2)
    fill(nhu_xuan, NHU_XUAN, 1)
    for office in (nga_son, nhu_xuan):
        import_bundle(province, export_bundle(office, tmp_path).path, trust_new=True)

    round_id = rounds.create(
        province,
        {
            "name": "Đợt 2 năm 2026",
            "round_date": "2026-10-20",
            "level": "province",
            "chair": MEMBERS[0],
            "members": list(MEMBERS[1:]),
            "products": a_products,
        },
    )
    for product in a_products:
        for member in MEMBERS:
            rounds.record_sheet(province, round_id, product, member, best(1))
    batch_decisions.record(
        province, round_id, {"decision_no": "715/QĐ-UBND", "decision_date": "2026-11-02"}
    )

    to_nga_son = export_bundle(province, tmp_path, to=NGA_SON)
    to_nhu_xuan = export_bundle(province, tmp_path, to=NHU_XUAN)
    assert (to_nga_son.rows["rounds"], to_nga_son.rows["round_products"]) == (1, 2)
    assert (to_nga_son.rows["member_sheets"], to_nga_son.rows["batch_decisions"]) == (6, 1)
    assert to_nga_son.rows["recognitions"] == 2
    assert to_nhu_xuan.total == 0  # none of its products was in the round

    import_bundle(nga_son, to_nga_son.path, trust_new=True)
    seen = rounds.as_dict(nga_son, round_id)
    assert seen["decided"] and [r["total"] for r in seen["results"]] == [100, 100]
    assert [r["recognised_stars"] for r in seen["results"]] == [4, 4]
    annex = batch_decisions.for_round(nga_son, round_id)["recognitions"]
    assert {a["product_id"] for a in annex} == set(a_products)
    # Read-only at the office.
    assert rounds.get(nga_son, round_id).editable is False
    with pytest.raises(UserError) as err:
        rounds.record_sheet(nga_son, round_id, a_products[0], MEMBERS[0], best(1))
    assert err.value.key == "round.read_only"
    # Nothing of the round comes back to the province from the office.
    back = export_bundle(nga_son, tmp_path)
    assert back.rows.get("rounds", 0) == 0 and back.rows.get("member_sheets", 0) == 0


def test_the_province_refuses_a_round_written_at_an_office(tmp_path):
    """An office that writes a provincial council's round (around the service, which
    refuses it) has its whole bundle refused: the round is the province's to write."""
    from ocop_desktop import records
    from ocop_desktop.db import transaction

    province = make_province(tmp_path)
    nga_son = make_office(tmp_path, NGA_SON)
    products = fill(nga_son, NGA_SON, 1)
    import_bundle(province, export_bundle(nga_son, tmp_path).path, trust_new=True)
    with transaction(nga_son.db):
        forged = records.insert(
            nga_son,
            "rounds",
            {
                "name": "Đợt giả",
                "round_date": "2026-10-20",
                "level": "province",
                "chair": MEMBERS[0],
                "members": '["Lê Thị Hằng", "Trần Quốc Bảo"]',
            },
        )
        records.insert(nga_son, "round_products", {"round_id": forged, "product_id": products[0]})
    bundle = export_bundle(nga_son, tmp_path)
    assert bundle.rows["rounds"] == 1
    with pytest.raises(UserError) as err:
        import_bundle(province, bundle.path)
    assert "Đợt giả" in err.value.message()
    assert rounds.list_(province) == []
