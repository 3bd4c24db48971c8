"""What an office holding a valid key may claim in its bundles, and what it may
not: rows stamped as the province's own, acknowledgements the province never
earned, deletes that take a province decision along, numbers SQLite cannot
hold, parents of another office, another office's key. Each bundle is built with
the project's own modules as a real zip, signed with the office's real key, and
imported at the province; each test checks what was refused or kept as a
proposal and that the province's records did not change."""

from __future__ import annotations

import json
import time

import pytest

from ocop_desktop import backup, products, recognitions
from ocop_desktop import db as dbmod
from ocop_desktop.store import open_store
from ocop_desktop.sync import export_bundle, import_bundle, keys, lineage, proofs, proposals
from tests import cli_run
from tests.sync_helpers import (
    NGA_SON,
    NHU_XUAN,
    add_recognition,
    fill,
    forged,
    make_office,
    make_province,
    rewrite,
    row_of,
    table_hash,
)

# The crafted rows carry fixed dates (a decision of August 2025, a revocation of
# November 2026): the tests mean a day after them.
pytestmark = pytest.mark.today("2026-12-03")


@pytest.fixture
def world(tmp_path):
    """Province 38 trusting offices 401 (A) and 402 (B), each with products; the
    province has decided 4 stars on one of A's products and sent it to A."""
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    b = make_office(tmp_path, NHU_XUAN)
    a_products = fill(a, NGA_SON, 2)
    b_products = fill(b, NHU_XUAN, 2)
    import_bundle(prov, export_bundle(a, tmp_path / "a1.zip").path, trust_new=True)
    import_bundle(prov, export_bundle(b, tmp_path / "b1.zip").path, trust_new=True)
    p_decision = add_recognition(prov, a_products[0], "12/QĐ-UBND", stars=4)
    import_bundle(a, export_bundle(prov, tmp_path / "pa.zip", to=NGA_SON).path, trust_new=True)
    import_bundle(b, export_bundle(prov, tmp_path / "pb.zip", to=NHU_XUAN).path, trust_new=True)
    w = {
        "prov": prov,
        "a": a,
        "b": b,
        "a_products": a_products,
        "b_products": b_products,
        "p_decision": p_decision,
        "dir": tmp_path,
    }
    yield w
    for s in (w["prov"], w["a"], w["b"]):
        s.close()


def claimed_by_province(prov, row: dict, ms: int | None = None) -> dict:
    """``row`` stamped as the province's own: its origin and its version's node."""
    ms = ms if ms is not None else int(time.time() * 1000) - 60_000
    return row | {"version": f"{ms:013d}-00000-{prov.node.id}", "origin": prov.node.id}


def five_stars(world) -> dict:
    """A 5-star decision on one of A's products, as the province would hold it."""
    return {
        "id": "f" * 32,
        "base_version": None,
        "deleted": 0,
        "updated_at": "2026-11-30T08:00:00Z",
        "updated_by": "Nguyễn Văn An",
        "product_id": world["a_products"][1],
        "decision_no": "9999/QĐ-UBND",
        "decision_date": "2025-08-01",
        "stars": 5,
        "points": 93,
        "issuer": "Bộ Nông nghiệp và Môi trường",
        "kind": "new",
    }


def lineage_of(store) -> tuple[str | None, str | None]:
    return dbmod.get_meta(store.db, "lineage"), dbmod.get_meta(store.db, "rolled_back_at")


def five_star_count(store) -> int:
    return store.db.execute(
        "SELECT count(*) FROM recognitions WHERE stars = 5 AND deleted = 0"
    ).fetchone()[0]


# -- 1. a row that claims to be the province's, with a forged acknowledgement --------


def test_a_decision_claiming_the_provinces_name_with_a_forged_ack_is_a_proposal(world):
    prov = world["prov"]
    incarnation = lineage.current(prov)

    def forge_ack(m):
        m["ack_incarnation"] = incarnation
        m["ack_seq"] = 1_000_000

    row = claimed_by_province(prov, five_stars(world))
    path = forged(world, "recognitions", [row], "forged-ack", manifest=forge_ack)
    before_lineage = lineage_of(prov)
    r = import_bundle(prov, path)
    assert (r.inserted, r.proposals) == (0, 1)
    assert not r.self_restored
    assert five_star_count(prov) == 0
    assert (
        prov.db.execute("SELECT count(*) FROM recognitions WHERE id = ?", [row["id"]]).fetchone()[0]
        == 0
    )
    # The province does not believe it was restored: same history, nothing re-sent.
    assert lineage_of(prov) == before_lineage
    [p] = proposals.list_(prov)
    assert p["record_id"] == row["id"] and p["new_record"]


def test_a_signature_made_with_the_offices_own_key_proves_nothing(world):
    """A proof must be the province's: the office signing the row itself, in the
    proof's exact form, still only makes a proposal."""
    prov, a = world["prov"], world["a"]
    row = claimed_by_province(prov, five_stars(world))
    row[proofs.KEY] = keys.sign(a, proofs.payload("recognitions", row)).hex()
    r = import_bundle(prov, forged(world, "recognitions", [row], "self-signed"))
    assert (r.inserted, r.proposals) == (0, 1)
    assert five_star_count(prov) == 0


def test_a_genuine_proof_of_another_content_proves_nothing(world):
    """The proof the province made for its 4-star decision, carried by a version
    with 5 stars and a later stamp: the signature does not hold for that row."""
    prov, a = world["prov"], world["a"]
    held = row_of(a, "recognitions", world["p_decision"])
    [[signature]] = a.db.execute(
        "SELECT signature FROM sync_proofs WHERE record_id = ?", [world["p_decision"]]
    ).fetchall()
    assert proofs.holds(keys.public_key_b64(prov), "recognitions", held | {"_sig": signature})
    changed = claimed_by_province(prov, held, ms=int(held["version"][:13]) + 1000) | {
        "stars": 5,
        "issuer": "Bộ Nông nghiệp và Môi trường",
        "base_version": held["version"],
        "_anc": [held["version"]],
        proofs.KEY: signature,
    }
    before = row_of(prov, "recognitions", world["p_decision"])
    r = import_bundle(prov, forged(world, "recognitions", [changed], "other-content"))
    assert (r.updated, r.proposals) == (0, 1)
    after = row_of(prov, "recognitions", world["p_decision"])
    assert after["stars"] == 4 and after["decision_no"] == before["decision_no"]


# -- 2. after a real restore at the province ----------------------------------------


def test_after_a_restore_an_office_cannot_revoke_a_province_decision_in_its_name(world):
    """The province restores a backup (a real restore, noticed by the next
    exchange); any office then sending a version of a province decision stamped
    with the province's name and a date before the restore makes a proposal."""
    tmp = world["dir"]
    prov = world["prov"]
    copy = backup.backup_now(prov.path, prov.db.conn, reason="test")
    import_bundle(prov, export_bundle(world["a"], tmp / "a2.zip").path)
    path = prov.path
    prov.close()
    backup.restore_from(path, copy)
    prov = world["prov"] = open_store(path)
    import_bundle(prov, export_bundle(world["b"], tmp / "b2.zip").path)  # noticed here
    assert dbmod.get_meta(prov.db, "rolled_back_at") is not None

    held = row_of(prov, "recognitions", world["p_decision"])
    ms = int(held["version"][:13]) + 1
    revoked = claimed_by_province(prov, held, ms=ms) | {
        "revoked_date": "2026-11-01",
        "base_version": held["version"],
        "_anc": [held["version"]],
    }
    before = table_hash(prov.path, exclude=("sync_proposals", "sync_log", "sync_peers", "meta"))
    r = import_bundle(prov, forged(world, "recognitions", [revoked], "revoke", office="a"))
    assert (r.updated, r.proposals) == (0, 1)
    assert row_of(prov, "recognitions", world["p_decision"])["revoked_date"] is None
    after = table_hash(prov.path, exclude=("sync_proposals", "sync_log", "sync_peers", "meta"))
    changed = {t for t in before if before[t] != after[t]}
    # Only the province's own row is written again over the proposal (a version
    # the office takes back), as for any proposal; audit and ancestry note it.
    assert changed <= {"recognitions", "audit", "sync_ancestry"}


def test_a_province_decision_lost_in_a_restore_comes_back_as_the_provinces(world):
    """The genuine case: the office sends back the province's decision, with the
    province's proof, after the province lost it in a restore."""
    tmp = world["dir"]
    prov = world["prov"]
    copy = backup.backup_now(prov.path, prov.db.conn, reason="test")
    decision = add_recognition(prov, world["a_products"][1], "30/QĐ-UBND", stars=4)
    import_bundle(world["a"], export_bundle(prov, tmp / "p2.zip", to=NGA_SON).path)
    path = prov.path
    prov.close()
    backup.restore_from(path, copy)
    prov = world["prov"] = open_store(path)
    import_bundle(prov, export_bundle(world["a"], tmp / "a2.zip").path)  # noticed
    import_bundle(world["a"], export_bundle(prov, tmp / "p3.zip", to=NGA_SON).path)
    r = import_bundle(prov, export_bundle(world["a"], tmp / "a3.zip").path)
    assert r.proposals == 0
    row = row_of(prov, "recognitions", decision)
    assert row["decision_no"] == "30/QĐ-UBND" and row["origin"] == prov.node.id
    assert recognitions.get(prov, decision)["stars"] == 4


def test_a_forged_acknowledgement_does_not_start_a_new_history(world):
    """A bare number, even in the province's current history, is no evidence that
    the province went back in time: only its own signature of that number is."""
    prov = world["prov"]
    incarnation = lineage.current(prov)

    def forge_ack(m):
        m["ack_incarnation"] = incarnation
        m["ack_seq"] = 1_000_000
        m["ack_proof"] = {"incarnation": incarnation, "seq": 1_000_000, "signature": "0" * 128}

    before = lineage_of(prov)
    r = import_bundle(prov, forged(world, "products", [], "ack-only", manifest=forge_ack))
    assert not r.self_restored
    assert lineage_of(prov) == before
    [peer] = [p for p in prov.db.execute("SELECT acked_seq FROM sync_peers").fetchall() if p[0]]
    assert peer[0] <= int(dbmod.get_meta(prov.db, "seq"))


# -- 3. an office's delete that would take a province decision along -----------------


def stars_at(store) -> dict:
    out = cli_run.ocop("--db", store.path, "summary", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["stars"]


def test_an_office_deleting_a_product_with_a_province_decision_makes_a_proposal(world):
    prov, a = world["prov"], world["a"]
    x = world["a_products"][0]  # holds the province's 4-star decision
    products.delete(a, x)
    path = export_bundle(a, world["dir"] / "delete.zip").path
    figures = stars_at(prov)
    out = cli_run.ocop("--db", prov.path, "sync", "import", path)
    assert out.returncode == 0, out.stderr
    assert "đề xuất 1" in out.stdout
    assert row_of(prov, "products", x)["deleted"] == 0
    assert stars_at(prov) == figures
    [p] = proposals.list_(prov)
    assert (p["table_name"], p["record_id"], p["fields"]) == ("products", x, ["deleted"])
    # The office gets its product back meanwhile; accepted, the delete travels.
    import_bundle(a, export_bundle(prov, world["dir"] / "back.zip", to=NGA_SON).path)
    assert row_of(a, "products", x)["deleted"] == 0
    proposals.decide(prov, p["id"], "accept")
    assert row_of(prov, "products", x)["deleted"] == 1


def test_an_office_deleting_a_product_without_province_decisions_applies(world):
    prov, a = world["prov"], world["a"]
    y = world["a_products"][1]
    products.delete(a, y)
    r = import_bundle(prov, export_bundle(a, world["dir"] / "delete.zip").path)
    assert (r.updated, r.proposals) == (1, 0)
    assert row_of(prov, "products", y)["deleted"] == 1


# -- 4. numbers SQLite cannot hold ---------------------------------------------------


def refused_on_the_cli(store, path, *, lang: str | None = None) -> str:
    """The import fails in one line, with no traceback, no backup, the refusal
    noted, and the database exactly as before."""
    backups = store.data_dir / "backups"
    before_backups = sorted(backups.glob("*")) if backups.exists() else []
    before = table_hash(store.path)
    out = cli_run.ocop(
        "--db", store.path, *(["--lang", lang] if lang else []), "sync", "import", path
    )
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert table_hash(store.path) == before
    assert (sorted(backups.glob("*")) if backups.exists() else []) == before_backups
    log = (store.data_dir / "sync-refused.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(log[-1])["file_name"] == path.name
    return out.stderr.strip()


@pytest.mark.parametrize("value", [2**63, 2**70])
def test_a_manifest_number_beyond_sqlite_is_refused_in_one_line(world, value):
    def huge(m):
        m["max_seq"] = value

    path = forged(world, "products", [], f"max-seq-{value}", manifest=huge)
    message = refused_on_the_cli(world["prov"], path)
    assert "bản kê khai" in message
    assert "manifest" in refused_on_the_cli(world["prov"], path, lang="en")


def test_a_row_number_beyond_sqlite_is_refused_in_one_line(world):
    a = world["a"]
    [pid] = a.db.execute(
        "SELECT producer_id FROM products WHERE id = ?", [world["a_products"][0]]
    ).fetchone()
    row = row_of(a, "producers", pid)
    ms = int(row["version"][:13]) + 1000
    row |= {
        "version": f"{ms:013d}-00000-{a.node.id}",
        "base_version": row["version"],
        "_anc": [row["version"]],
        "legacy_district_code": 2**70,
    }
    path = forged(world, "producers", [row], "huge-row")
    assert "producers" in refused_on_the_cli(world["prov"], path)


# -- 5. a product under another office's producer ------------------------------------


def b_producer(world) -> str:
    return (
        world["b"]
        .db.execute("SELECT producer_id FROM products WHERE id = ?", [world["b_products"][0]])
        .fetchone()[0]
    )


@pytest.mark.parametrize("how", ["new", "moved"])
def test_an_office_cannot_hang_a_product_on_another_offices_producer(world, how):
    prov, a = world["prov"], world["a"]
    other = b_producer(world)
    if how == "new":
        ours = row_of(a, "products", world["a_products"][1])
        ms = int(ours["version"][:13]) + 1000
        row = ours | {
            "id": "e" * 32,
            "name": "Chè lam Mường Xia",
            "name_key": "che lam muong xia",
            "version": f"{ms:013d}-00000-{a.node.id}",
            "producer_id": other,
        }
    else:
        held = row_of(a, "products", world["a_products"][1])
        ms = int(held["version"][:13]) + 1000
        row = held | {
            "version": f"{ms:013d}-00000-{a.node.id}",
            "base_version": held["version"],
            "_anc": [held["version"]],
            "producer_id": other,
        }
    path = forged(world, "products", [row], f"reparent-{how}")
    message = refused_on_the_cli(world["prov"], path)
    assert row["id"] in message
    found = prov.db.execute("SELECT producer_id FROM products WHERE id = ?", [row["id"]]).fetchone()
    assert found is None or found[0] != other


def test_a_product_in_use_cannot_arrive_under_a_producer_the_bundle_deletes(world):
    """A new producer sent already in the trash, with a decided product moved under
    it: no save makes that (a producer with live products cannot be deleted), and
    the province could no longer edit the product. Refused, naming the product."""
    prov, a = world["prov"], world["a"]
    product = row_of(a, "products", world["a_products"][0])
    mine = row_of(a, "producers", product["producer_id"])
    ms = int(max(product["version"], mine["version"])[:13]) + 1000
    ghost = mine | {
        "id": "d" * 32,
        "name": "HTX Dịch vụ Nga Hải",
        "name_key": "htx dich vu nga hai",
        "version": f"{ms:013d}-00000-{a.node.id}",
        "deleted": 1,
    }
    moved = product | {
        "version": f"{ms:013d}-00001-{a.node.id}",
        "base_version": product["version"],
        "_anc": [product["version"]],
        "producer_id": ghost["id"],
    }
    good = export_bundle(a, world["dir"] / "trashed-good.zip").path

    def change(member, data):
        extra = {"data/producers.jsonl": ghost, "data/products.jsonl": moved}.get(member)
        if extra is None:
            return data
        kept = [x for x in data.decode().splitlines() if x and json.loads(x)["id"] != extra["id"]]
        return "".join(x + "\n" for x in [*kept, json.dumps(extra, ensure_ascii=False)]).encode()

    path = rewrite(
        good,
        world["dir"] / "trashed.zip",
        change_member=change,
        sign_with=a,
        opened_by=prov,
    )
    message = refused_on_the_cli(prov, path)
    assert "chủ thể mà chính tệp này xóa" in message and product["name"] in message
    assert "deletes" in refused_on_the_cli(prov, path, lang="en")
    held = prov.db.execute(
        "SELECT producer_id FROM products WHERE id = ?", [product["id"]]
    ).fetchone()
    assert held[0] == product["producer_id"]


# -- 6. one key, one office ----------------------------------------------------------


def test_a_key_trusted_for_one_office_is_not_trusted_for_another(world):
    """Office 401's key, in a bundle from a new node that says it is office 402
    (whose computer the province trusts already): refused, naming 401, even when
    the officer would take it as 402's second laptop."""
    prov = world["prov"]

    def pose_as_402(m):
        m["sender"].update(node="c" * 32, office_code=NHU_XUAN, name="Huyện Như Xuân")

    path = forged(world, "products", [], "pose", manifest=pose_as_402)
    trusted = prov.db.execute("SELECT node_id, office_code FROM sync_peers").fetchall()
    before = table_hash(prov.path)
    out = cli_run.ocop("--db", prov.path, "sync", "import", path, "--trust-new", "--as", "second")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Huyện Nga Sơn (401)" in out.stderr
    assert table_hash(prov.path) == before
    assert prov.db.execute("SELECT node_id, office_code FROM sync_peers").fetchall() == trusted
    out = cli_run.ocop("--db", prov.path, "--lang", "en", "sync", "import", path, "--trust-new")
    assert "one key belongs to one office" in out.stderr


def test_the_offices_own_key_from_another_database_is_no_second_computer(world):
    """Office 401's trusted key, in a bundle from a new database of 401: a copy of
    that computer or its key. Said as such (not "a new key"), never trusted as a
    second computer; it may replace the first."""
    prov = world["prov"]

    def new_database(m):
        m["sender"].update(node="c" * 32)

    path = forged(world, "products", [], "copy", manifest=new_database)
    trusted = prov.db.execute("SELECT node_id, office_code FROM sync_peers").fetchall()
    before = table_hash(prov.path)
    for extra in ((), ("--as", "second")):
        out = cli_run.ocop("--db", prov.path, "sync", "import", path, "--trust-new", *extra)
        assert out.returncode != 0
        assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
        assert "bản sao của máy đó" in out.stderr and "khóa mới" not in out.stderr
    assert table_hash(prov.path) == before
    assert prov.db.execute("SELECT node_id, office_code FROM sync_peers").fetchall() == trusted
    out = cli_run.ocop("--db", prov.path, "--lang", "en", "sync", "import", path, "--trust-new")
    assert "cannot be a second computer" in out.stderr
