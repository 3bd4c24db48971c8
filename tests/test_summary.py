"""Every figure of ``ocop summary --json`` against SQL written here, not the code under test."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from report_data import populate

from ocop_desktop import clock, refdata
from ocop_desktop.cli import cli
from ocop_desktop.store import init_node, open_store

TODAY = clock.today()

IN_FORCE = """
    SELECT r.*, p.producer_id, p.product_set, p.commune_code, p.export_markets, p.ecommerce
    FROM recognitions r JOIN products p ON p.id = r.product_id
    WHERE r.deleted = 0 AND p.deleted = 0 AND r.decision_date <= :d
      AND p.commune_code IN (SELECT value FROM json_each(:area))
      AND NOT EXISTS (
        SELECT 1 FROM recognitions r2
        WHERE r2.product_id = r.product_id AND r2.deleted = 0 AND r2.decision_date <= :d
          AND (r2.decision_date > r.decision_date
               OR (r2.decision_date = r.decision_date AND r2.version > r.version)))
"""
VALID = (
    f"SELECT * FROM ({IN_FORCE}) WHERE (revoked_date IS NULL OR revoked_date > :d) "
    "AND expiry_date >= :d"
)
STAR_CLASS = "CASE WHEN stars = 4 AND potential_5 THEN 'potential_5' ELSE CAST(stars AS TEXT) END"


def scalar(db, sql: str, params: dict) -> int:
    return db.execute(sql, params).fetchone()[0]


def run_summary(path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", str(path), "summary", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def office_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("office") / "office.sqlite"
    store = init_node(path, role="office", office="401", officer="Lê Thị Hoa")
    populate(store, n_products=70, seed=3)
    store.close()
    return path


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("province") / "province.sqlite"
    store = init_node(path, role="province", province=38, officer="Nguyễn Văn An")
    populate(store, n_products=90, seed=5)
    store.close()
    return path


def check_against_sql(path, data: dict, as_of: date) -> None:
    store = open_store(path)
    db = store.db
    area = json.dumps(sorted(store.node.area))
    if data["scope"]["kind"] == "district" and store.node.is_province:
        area = json.dumps(refdata.load().communes_of_former_district[int(data["scope"]["code"])])
    q = {"d": as_of.isoformat(), "area": area}
    scope_products = (
        "SELECT * FROM products WHERE deleted = 0 "
        "AND commune_code IN (SELECT value FROM json_each(:area))"
    )

    p = data["products"]
    assert p["total"] == scalar(db, f"SELECT count(*) FROM ({scope_products})", q)
    assert p["certified"] == scalar(db, f"SELECT count(*) FROM ({VALID})", q)
    assert p["revoked"] == scalar(
        db, f"SELECT count(*) FROM ({IN_FORCE}) WHERE revoked_date <= :d", q
    )
    assert p["expired"] == scalar(
        db,
        f"SELECT count(*) FROM ({IN_FORCE}) "
        "WHERE (revoked_date IS NULL OR revoked_date > :d) AND expiry_date < :d",
        q,
    )
    assert p["never_certified"] == p["total"] - scalar(db, f"SELECT count(*) FROM ({IN_FORCE})", q)
    if as_of == TODAY:
        # the definition in docs/guide-reports.md: the current-recognition cache, not revoked, not expired
        assert p["certified"] == scalar(
            db,
            "SELECT count(*) FROM current_recognition c JOIN products p ON p.id = c.product_id "
            "WHERE p.deleted = 0 AND p.commune_code IN (SELECT value FROM json_each(:area)) "
            "AND NOT c.revoked AND c.expiry_date >= :d",
            q,
        )

    stars = dict(
        db.execute(f"SELECT {STAR_CLASS}, count(*) FROM ({VALID}) GROUP BY 1", q).fetchall()
    )
    assert data["stars"] == {k: stars.get(k, 0) for k in ("3", "4", "potential_5", "5")}

    per_set = dict(
        db.execute(f"SELECT product_set, count(*) FROM ({VALID}) GROUP BY 1", q).fetchall()
    )
    assert {r["code"]: r["certified"] for r in data["by_product_set"]} == {
        code: per_set.get(code, 0) for code in range(1, 27)
    }
    sets = refdata.load().product_sets
    for g in data["by_group"]:
        codes = [c for c, s in sets.items() if s.group_code == g["group_code"]]
        assert g["certified"] == sum(per_set.get(c, 0) for c in codes)
        assert sum(g["stars"].values()) == g["certified"]

    per_commune = dict(
        db.execute(f"SELECT commune_code, count(*) FROM ({VALID}) GROUP BY 1", q).fetchall()
    )
    all_commune = dict(
        db.execute(
            f"SELECT commune_code, count(*) FROM ({scope_products}) GROUP BY 1", q
        ).fetchall()
    )
    for c in data["by_commune"]:
        assert c["certified"] == per_commune.get(c["code"], 0)
        assert c["products"] == all_commune.get(c["code"], 0)
    assert sum(c["certified"] for c in data["by_commune"]) == p["certified"]

    if data["scope"]["kind"] == "province":
        former = refdata.load().former_district_of
        expected: dict[int, int] = {}
        for commune, n in per_commune.items():
            expected[former[commune]] = expected.get(former[commune], 0) + n
        got = {d["code"]: d["certified"] for d in data["by_district"]}
        assert {k: v for k, v in got.items() if v} == expected
        ranks = [d["certified"] for d in data["by_district"]]
        assert ranks == sorted(ranks, reverse=True)
        assert data["by_district"][0]["rank"] == 1

    scope_producers = (
        "SELECT * FROM producers WHERE deleted = 0 "
        "AND commune_code IN (SELECT value FROM json_each(:area))"
    )
    pr = data["producers"]
    assert pr["total"] == scalar(db, f"SELECT count(*) FROM ({scope_producers})", q)
    kinds = dict(db.execute(f"SELECT kind, count(*) FROM ({scope_producers}) GROUP BY 1", q))
    for kind, n in pr["by_kind"].items():
        assert n == kinds.get(None if kind == "unknown" else kind, 0)
    assert pr["representative_female"] == scalar(
        db, f"SELECT count(*) FROM ({scope_producers}) WHERE representative_female = 1", q
    )
    assert pr["representative_ethnic"] == scalar(
        db, f"SELECT count(*) FROM ({scope_producers}) WHERE representative_ethnic = 1", q
    )
    assert pr["with_certified_products"] == scalar(
        db, f"SELECT count(DISTINCT producer_id) FROM ({VALID})", q
    )

    year = data["year"]
    yq = q | {"start": f"{year}-01-01", "end": min(f"{year}-12-31", as_of.isoformat())}
    this_year = (
        "SELECT r.* FROM recognitions r JOIN products p ON p.id = r.product_id "
        "WHERE r.deleted = 0 AND p.deleted = 0 "
        "AND p.commune_code IN (SELECT value FROM json_each(:area)) "
        "AND r.decision_date BETWEEN :start AND :end"
    )
    a = data["year_results"]["achieved"]
    for key, kind in (
        ("new_products", "new"),
        ("upgrades", "upgrade"),
        ("renewals", "renewal"),
        ("downgrades", "downgrade"),
    ):
        assert a[key] == scalar(
            db, f"SELECT count(*) FROM ({this_year}) WHERE kind = :k", yq | {"k": kind}
        )
    raising = f"SELECT * FROM ({this_year}) WHERE kind IN ('new', 'upgrade')"
    assert a["four_star"] == scalar(
        db, f"SELECT count(*) FROM ({raising}) WHERE stars = 4 AND potential_5 = 0", yq
    )
    assert a["potential_five"] == scalar(
        db, f"SELECT count(*) FROM ({raising}) WHERE stars = 4 AND potential_5 = 1", yq
    )
    assert a["total"] == scalar(db, f"SELECT count(*) FROM ({this_year})", yq)
    assert a["revocations"] == scalar(
        db,
        "SELECT count(*) FROM recognitions r JOIN products p ON p.id = r.product_id "
        "WHERE r.deleted = 0 AND p.deleted = 0 "
        "AND p.commune_code IN (SELECT value FROM json_each(:area)) "
        "AND r.revoked_date BETWEEN :start AND :end",
        yq,
    )
    office = "province" if data["scope"]["kind"] == "province" else data["scope"]["code"]
    target = db.execute(
        "SELECT new_products, four_star, potential_five, upgrades, renewals FROM targets "
        "WHERE office_code = ? AND year = ? AND deleted = 0",
        [office, year],
    ).fetchone()
    if target is None:
        assert data["year_results"]["target"] is None
    else:
        t = data["year_results"]["target"]
        assert [
            t["new_products"],
            t["four_star"],
            t["potential_five"],
            t["upgrades"],
            t["renewals"],
        ] == list(target)

    # The warning window is the node's setting, 90 days unless changed.
    until = (as_of + timedelta(days=90)).isoformat()
    assert data["expiring"]["days"] == 90 and data["expiring"]["until"] == until
    expiring = db.execute(
        f"SELECT product_id FROM ({VALID}) WHERE expiry_date <= :until ORDER BY expiry_date",
        q | {"until": until},
    ).fetchall()
    assert data["expiring"]["count"] == len(expiring)
    assert {i["product_id"] for i in data["expiring"]["items"]} == {r[0] for r in expiring}
    assert data["expired_without_renewal"]["count"] == p["expired"]

    for block, column, label in (
        (data["export"], "export_markets", "market"),
        (data["ecommerce"], "ecommerce", "platform"),
    ):
        assert block["products"] == scalar(
            db,
            f"SELECT count(*) FROM ({VALID}) WHERE {column} IS NOT NULL "
            f"AND json_array_length({column}) > 0",
            q,
        )
        per_item = dict(
            db.execute(
                f"SELECT j.value, count(DISTINCT v.product_id) FROM ({VALID}) v, "
                f"json_each(v.{column}) j GROUP BY 1",
                q,
            ).fetchall()
        )
        assert {m[label]: m["products"] for m in block[label + "s"]} == per_item
    store.close()


def test_office_summary_matches_sql(office_db):
    data = run_summary(office_db)
    assert data["scope"]["name"] == "Huyện Nga Sơn"
    assert data["scope"]["place"] == "Nga Sơn"
    assert data["as_of"] == TODAY.isoformat()
    assert data["by_district"] == []
    # the data exercise every branch
    assert data["products"]["certified"] > 0
    assert data["products"]["expired"] > 0
    assert data["products"]["revoked"] > 0
    assert data["expiring"]["count"] > 0
    assert (
        data["year_results"]["achieved"]["upgrades"] + data["year_results"]["achieved"]["renewals"]
        > 0
    )
    assert data["year_results"]["achieved"]["revocations"] > 0
    check_against_sql(office_db, data, TODAY)


def test_office_summary_as_of_a_past_date_matches_sql(office_db):
    past = date(TODAY.year - 1, 6, 30)
    data = run_summary(office_db, "--as-of", past.isoformat(), "--year", str(past.year))
    assert data["as_of"] == past.isoformat() and data["year"] == past.year
    check_against_sql(office_db, data, past)


def test_province_summary_matches_sql_with_ranked_districts(province_db):
    data = run_summary(province_db)
    assert data["scope"]["kind"] == "province"
    assert data["scope"]["place"] == "Thanh Hóa"
    assert len(data["by_district"]) == 26  # Thanh Hóa's former districts, 2025
    assert sum(d["certified"] for d in data["by_district"]) == data["products"]["certified"]
    check_against_sql(province_db, data, TODAY)


def test_province_node_summarises_one_former_district(province_db):
    data = run_summary(province_db, "--district", "381")
    assert data["scope"] == {
        "kind": "district",
        "code": "381",
        "name": "Thị xã Bỉm Sơn",
        "province": "Tỉnh Thanh Hóa",
        "place": "Bỉm Sơn",
        "communes": 2,
    }
    check_against_sql(province_db, data, TODAY)


def test_unknown_district_is_one_line_error(province_db):
    result = CliRunner().invoke(cli, ["--db", str(province_db), "summary", "--district", "999"])
    assert result.exit_code != 0
    assert "999" in str(result.exception)


def test_empty_office_gives_zeros(office):
    from ocop_desktop.summary import compute

    data = compute(office).to_dict()
    assert data["products"]["total"] == 0
    assert data["stars"] == {"3": 0, "4": 0, "potential_5": 0, "5": 0}
    assert data["year_results"]["target"] is None
    assert len(data["by_commune"]) == 6


def test_target_command_sets_what_the_summary_compares_with(office_db, tmp_path):
    import shutil

    from tests.key_helpers import copy_key

    db = tmp_path / "copy.sqlite"
    shutil.copyfile(office_db, db)
    copy_key(office_db, db)
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "target", "--year", str(TODAY.year), "--new-products", "50"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["new_products"] == 50
    data = run_summary(db)
    y = data["year_results"]
    assert y["target"]["new_products"] == 50
    assert y["target"]["upgrades"] == 4  # kept from the target set before
    assert y["percent"]["new_products"] == round(100 * y["achieved"]["new_products"] / 50, 1)


def test_year_after_the_as_of_date_is_refused(office_db):
    result = CliRunner().invoke(
        cli, ["--db", str(office_db), "summary", "--json", "--year", str(TODAY.year + 1)]
    )
    assert result.exit_code != 0
    assert "chưa bắt đầu" in str(result.exception)


def test_office_for_a_cluster_of_communes(tmp_path):
    path = tmp_path / "area.sqlite"
    store = init_node(
        path, role="office", office="cum1", communes=[16171, 16093], name="Cụm xã Nga Sơn"
    )
    populate(store, n_products=16, seed=9)
    store.close()
    data = run_summary(path)
    assert data["scope"]["kind"] == "area"
    assert data["scope"]["place"] == "Nga Sơn"  # the former district of its communes
    assert [c["code"] for c in data["by_commune"]] == [16171, 16093]
    check_against_sql(path, data, TODAY)


@pytest.mark.parametrize(
    ("role", "kwargs", "n"),
    [("office", {"office": "399"}, 250), ("province", {"province": 38}, 600)],
)
def test_demo_database_summary_matches_sql(tmp_path, role, kwargs, n):
    from ocop_desktop.demo import generate

    path = tmp_path / "demo.sqlite"
    store = init_node(path, role=role, **kwargs)
    generate(store, n_products=n, seed=4)
    store.close()
    data = run_summary(path)
    assert data["products"]["total"] == n
    assert data["products"]["certified"] > 0 and data["expiring"]["count"] > 0
    check_against_sql(path, data, TODAY)


def products_with_status(path, status: str, *args: str) -> int:
    result = CliRunner().invoke(
        cli, ["--db", str(path), "products", "list", "--status", status, "--json", *args]
    )
    assert result.exit_code == 0, result.output
    return len(json.loads(result.output))


@pytest.mark.today("2026-12-03")
def test_the_lists_as_of_an_earlier_date_read_the_decisions_in_force_then(tmp_path):
    """``--as-of`` in the lists means what it means in the summary: each product's
    decision in force on that date, not today's latest judged on that date; a
    decision made later is not listed."""
    from ocop_desktop.demo import generate

    path = tmp_path / "demo.sqlite"
    store = init_node(path, role="office", office="401")
    generate(store, n_products=150, seed=6)
    later = store.db.execute(
        "SELECT count(*) FROM recognitions WHERE deleted = 0 AND decision_date > '2025-06-30'"
    ).fetchone()[0]
    store.close()
    assert later > 0  # the date falls before some of the decisions
    when = ("--as-of", "2025-06-30")
    data = run_summary(path, *when)
    p = data["products"]
    in_force = products_with_status(path, "valid", *when) + products_with_status(
        path, "expiring", *when
    )
    assert in_force == p["certified"]
    assert products_with_status(path, "none", *when) == p["never_certified"]
    assert products_with_status(path, "expired", *when) == p["expired"]
    assert products_with_status(path, "revoked", *when) == p["revoked"]
    result = CliRunner().invoke(cli, ["--db", str(path), "recognitions", "list", "--json", *when])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert listed and max(r["decision_date"] for r in listed) <= "2025-06-30"
    current = [r for r in listed if r["status"] in ("valid", "expiring", "expired", "revoked")]
    assert len(current) == p["certified"] + p["expired"] + p["revoked"]


def test_the_list_s_status_counts_match_the_summary_with_never_certified_products(tmp_path):
    """A product with no decision is 'none', never 'valid': valid + expiring is the
    summary's certified count."""
    from ocop_desktop import producers, products
    from ocop_desktop.demo import generate

    path = tmp_path / "demo.sqlite"
    store = init_node(path, role="office", office="401")
    generate(store, n_products=120, seed=5)
    producer = producers.add(
        store,
        {"name": "Hộ kinh doanh Mai Văn Tiến", "kind": "ho_kinh_doanh", "commune_code": 16171},
    )
    for i in range(3):
        products.add(
            store,
            {"name": f"Sản phẩm chưa công nhận {i}", "producer_id": producer, "product_set": 1,
             "commune_code": 16171},
        )  # fmt: skip
    store.close()
    data = run_summary(path)
    assert data["products"]["never_certified"] == 3
    in_force = products_with_status(path, "valid") + products_with_status(path, "expiring")
    assert in_force == data["products"]["certified"]
    assert products_with_status(path, "none") == data["products"]["never_certified"]
    assert products_with_status(path, "expired") == data["products"]["expired"]


def test_the_summary_text_states_the_node_s_warning_window(office_db, tmp_path):
    from tests.key_helpers import copy_database

    db = tmp_path / "copy.sqlite"
    copy_database(office_db, db)
    assert CliRunner().invoke(cli, ["--db", str(db), "warning-days", "45"]).exit_code == 0
    expiring = run_summary(db)["expiring"]["count"]
    for lang, words in (("vi", "trong 45 ngày"), ("en", "within 45 days")):
        result = CliRunner().invoke(cli, ["--db", str(db), "--lang", lang, "summary"])
        assert result.exit_code == 0, result.output
        line = next(x for x in result.output.splitlines() if words in x)
        assert f"{words}): {expiring}," in line and "6" not in line.split(":")[0]
