"""A validly signed office can do no more than its own work: bundles re-signed
with the office's real key that take over another office's records, move them,
or change the province's decisions are refused or kept as proposals."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from ocop_desktop import evaluations, recognitions, targets
from ocop_desktop.cli import cli
from ocop_desktop.sync import export_bundle, import_bundle, proposals, status
from tests.sync_helpers import (
    NGA_SON,
    NHU_XUAN,
    add_recognition,
    fill,
    forged,
    make_office,
    make_province,
    row_of,
    table_hash,
)


@pytest.fixture
def world(tmp_path):
    """Province 38 trusting offices 401 (A) and 402 (B); each has products, B has
    a district decision, the province has decided on one of A's products."""
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    b = make_office(tmp_path, NHU_XUAN)
    a_products = fill(a, NGA_SON, 2)
    b_products = fill(b, NHU_XUAN, 2)
    b_decision = add_recognition(b, b_products[0], "7/QĐ-UBND", stars=3)
    import_bundle(prov, export_bundle(a, tmp_path / "a1.zip").path, trust_new=True)
    import_bundle(prov, export_bundle(b, tmp_path / "b1.zip").path, trust_new=True)
    p_decision = add_recognition(prov, a_products[0], "12/QĐ-UBND", stars=4)
    import_bundle(a, export_bundle(prov, tmp_path / "pa.zip", to=NGA_SON).path, trust_new=True)
    yield {
        "prov": prov,
        "a": a,
        "b": b,
        "a_products": a_products,
        "b_products": b_products,
        "b_decision": b_decision,
        "p_decision": p_decision,
        "dir": tmp_path,
    }
    for s in (prov, a, b):
        s.close()


def newer(store, row: dict) -> dict:
    ms = int(row["version"][:13]) + 1000
    return row | {
        "version": f"{ms:013d}-00000-{store.node.id}",
        "base_version": row["version"],
        "origin": store.node.id,
        "_anc": [row["version"]],
    }


def test_office_cannot_take_over_another_offices_decision(world):
    """Scenario 4: 401 rewrites 399's (here 402's) decision with its own product,
    5 stars and decision FORGED-999."""
    prov, a = world["prov"], world["a"]
    held = row_of(prov, "recognitions", world["b_decision"])
    bad = newer(a, held) | {
        "product_id": world["a_products"][1],
        "stars": 5,
        "decision_no": "FORGED-999",
    }
    path = forged(world, "recognitions", [bad], "takeover")
    before = table_hash(prov.path)
    with pytest.raises(Exception) as err:
        import_bundle(prov, path)
    assert err.value.key == "sync.refused.out_of_scope"
    assert world["b_decision"] in err.value.message()
    assert table_hash(prov.path) == before
    assert row_of(prov, "recognitions", world["b_decision"])["decision_no"] == "7/QĐ-UBND"


def test_office_cannot_move_its_decision_to_another_product(world):
    prov, a = world["prov"], world["a"]
    own = add_recognition(a, world["a_products"][1], "8/QĐ-UBND", stars=3)
    import_bundle(prov, export_bundle(a, world["dir"] / "own.zip").path)
    held = row_of(prov, "recognitions", own)
    moved = newer(a, held) | {"product_id": world["a_products"][0]}
    path = forged(world, "recognitions", [moved], "move")
    with pytest.raises(Exception) as err:
        import_bundle(prov, path)
    assert err.value.key == "sync.refused.owner_moved"
    assert own in err.value.message() and "product_id" in err.value.message()


def test_office_cannot_take_over_evaluations_of_another_office(world):
    prov, b = world["prov"], world["b"]
    ev = evaluations.add(
        b,
        {
            "product_id": world["b_products"][1],
            "eval_date": "2025-05-02",
            "level": "district",
            "points_a": 30,
            "points_b": 20,
            "points_c": 25,
            "minimums_stated_by": "Chủ tịch Hội đồng",
        },
    )
    import_bundle(prov, export_bundle(b, world["dir"] / "b2.zip").path)
    held = row_of(prov, "evaluations", ev)
    bad = newer(world["a"], held) | {"product_id": world["a_products"][1], "points_a": 40}
    with pytest.raises(Exception) as err:
        import_bundle(prov, forged(world, "evaluations", [bad], "eval"))
    assert err.value.key == "sync.refused.out_of_scope"
    assert ev in err.value.message()


def test_office_change_to_a_province_decision_is_a_proposal(world, tmp_path):
    """Item 9: an office changing or deleting a decision the province issued is
    never applied silently: the province reviews it; the office gets the
    province's record back meanwhile."""
    prov, a = world["prov"], world["a"]
    decision = world["p_decision"]
    recognitions.edit(a, decision, {"decision_no": "12/QĐ-UBND-sửa"})
    r = import_bundle(prov, export_bundle(a, tmp_path / "edit.zip").path)
    assert r.proposals == 1 and r.updated == 0
    assert row_of(prov, "recognitions", decision)["decision_no"] == "12/QĐ-UBND"
    assert status(prov)["open_proposals"] == 1
    [p] = proposals.list_(prov)
    assert p["record_id"] == decision and p["fields"] == ["decision_no"]
    # The office takes the province's record back, without a conflict.
    import_bundle(a, export_bundle(prov, tmp_path / "back.zip", to=NGA_SON).path)
    assert row_of(a, "recognitions", decision)["decision_no"] == "12/QĐ-UBND"
    assert a.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    # Importing the same bundle again keeps no second proposal.
    r = import_bundle(prov, tmp_path / "edit.zip")
    assert r.proposals == 0 and proposals.count_open(prov) == 1
    # Accepted on the CLI: the change becomes the province's edit and travels.
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(prov.path), "sync", "proposals"])
    assert out.exit_code == 0 and p["id"][:8] in out.output
    prov_path = prov.path
    out = runner.invoke(cli, ["--db", str(prov_path), "sync", "accept", p["id"][:8]])
    assert out.exit_code == 0, out.output
    assert row_of(prov, "recognitions", decision)["decision_no"] == "12/QĐ-UBND-sửa"
    import_bundle(a, export_bundle(prov, tmp_path / "back2.zip", to=NGA_SON).path)
    assert row_of(a, "recognitions", decision)["decision_no"] == "12/QĐ-UBND-sửa"
    assert proposals.count_open(prov) == 0


def test_office_delete_of_a_province_decision_can_be_rejected(world, tmp_path):
    prov, a = world["prov"], world["a"]
    decision = world["p_decision"]
    recognitions.delete(a, decision)
    r = import_bundle(prov, export_bundle(a, tmp_path / "del.zip").path)
    assert r.proposals == 1
    assert row_of(prov, "recognitions", decision)["deleted"] == 0
    [p] = proposals.list_(prov)
    proposals.decide(prov, p["id"], "reject")
    assert row_of(prov, "recognitions", decision)["deleted"] == 0
    import_bundle(a, export_bundle(prov, tmp_path / "back.zip", to=NGA_SON).path)
    assert row_of(a, "recognitions", decision)["deleted"] == 0


def test_office_targets_are_proposals(world, tmp_path):
    prov, a = world["prov"], world["a"]
    targets.set_target(a, 2026, {"new_products": 99})
    r = import_bundle(prov, export_bundle(a, tmp_path / "t.zip").path)
    assert r.proposals == 1
    assert prov.db.execute("SELECT count(*) FROM targets").fetchone()[0] == 0


def test_new_province_decision_typed_at_an_office_is_a_proposal(world, tmp_path):
    prov, a = world["prov"], world["a"]
    rid = add_recognition(a, world["a_products"][1], "99/QĐ-UBND", stars=4)
    r = import_bundle(prov, export_bundle(a, tmp_path / "new.zip").path)
    assert r.proposals == 1 and r.inserted == 0
    assert (
        prov.db.execute("SELECT count(*) FROM recognitions WHERE id = ?", [rid]).fetchone()[0] == 0
    )
    [p] = proposals.list_(prov)
    assert p["new_record"]
    proposals.decide(prov, p["id"], "reject")
    import_bundle(a, export_bundle(prov, tmp_path / "back.zip", to=NGA_SON).path)
    assert row_of(a, "recognitions", rid)["deleted"] == 1  # in the trash at the office too


def test_district_decision_of_the_office_applies(world, tmp_path):
    prov, a = world["prov"], world["a"]
    rid = add_recognition(a, world["a_products"][1], "5/QĐ-UBND", stars=3)
    r = import_bundle(prov, export_bundle(a, tmp_path / "own.zip").path)
    assert r.inserted == 1 and r.proposals == 0
    assert row_of(prov, "recognitions", rid)["decision_no"] == "5/QĐ-UBND"


def test_bundles_are_checked_against_real_zips(world):
    with zipfile.ZipFile(forged(world, "recognitions", [], "plain")) as zf:
        assert "manifest.sig" in zf.namelist()


@pytest.mark.parametrize("table", ["producers", "products"])
def test_office_cannot_pull_another_offices_record_into_its_area(world, table):
    """Scenario 4, the area: 401 rewrites 402's producer (or product) with a
    commune of its own area. The incoming row lies in 401's area; the row the
    province holds does not, and that is the one that counts."""
    prov, a = world["prov"], world["a"]
    product = world["b_products"][1]
    rid = (
        product
        if table == "products"
        else prov.db.execute("SELECT producer_id FROM products WHERE id = ?", [product]).fetchone()[
            0
        ]
    )
    held = row_of(prov, table, rid)
    bad = newer(a, held) | {"commune_code": 16093, "name": "Chiếm quyền"}
    before = table_hash(prov.path)
    with pytest.raises(Exception) as err:
        import_bundle(prov, forged(world, table, [bad], f"pull-{table}"))
    assert err.value.key == "sync.refused.out_of_scope"
    assert rid in err.value.message()
    assert table_hash(prov.path) == before
    assert row_of(prov, table, rid)["commune_code"] != 16093


def test_an_office_change_undone_makes_no_proposal(world, tmp_path):
    """The office changes the province's decision and changes it back before the
    next exchange: its row has a newer version but the values the province holds.
    There is nothing to decide, so no proposal; both end on one version."""
    prov, a = world["prov"], world["a"]
    decision = world["p_decision"]
    held = row_of(prov, "recognitions", decision)
    recognitions.edit(a, decision, {"decision_no": "12/QĐ-UBND-sửa", "notes": "nhầm"})
    recognitions.edit(a, decision, {"decision_no": "12/QĐ-UBND", "notes": None})
    r = import_bundle(prov, export_bundle(a, tmp_path / "undone.zip").path)
    assert r.proposals == 0 and proposals.count_open(prov) == 0
    now = row_of(prov, "recognitions", decision)
    stamps = ("version", "base_version", "origin", "updated_at", "updated_by")
    assert {k: v for k, v in now.items() if k not in stamps} == {
        k: v for k, v in held.items() if k not in stamps
    }
    import_bundle(a, export_bundle(prov, tmp_path / "back.zip", to=NGA_SON).path)
    assert row_of(a, "recognitions", decision)["version"] == now["version"]
    assert a.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    assert prov.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    # A real change after it is a proposal again.
    recognitions.edit(a, decision, {"notes": "Đề nghị đính chính"})
    r = import_bundle(prov, export_bundle(a, tmp_path / "real.zip").path)
    assert r.proposals == 1
