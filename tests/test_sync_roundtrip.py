"""The scripted round of the issue: province, two offices, bundles both ways."""

from __future__ import annotations

import os
import stat
import time

import pytest

from ocop_desktop import producers
from ocop_desktop.errors import UserError
from ocop_desktop.sync import conflicts, export_bundle, import_bundle, status, whoami
from tests.sync_helpers import (
    NGA_SON,
    NHU_XUAN,
    add_recognition,
    fill,
    make_office,
    make_province,
    table_hash,
)


@pytest.fixture
def nodes(tmp_path):
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    b = make_office(tmp_path, NHU_XUAN)
    yield prov, a, b
    for s in (prov, a, b):
        s.close()


def test_round_through_the_province(tmp_path, nodes):
    prov, a, b = nodes
    a_products = fill(a, NGA_SON, 5)
    fill(b, NHU_XUAN, 4)
    # Offices' first bundles are made before the province is known.
    fa = export_bundle(a, tmp_path)
    fb = export_bundle(b, tmp_path)
    assert fa.peer is None and fa.total == 10
    assert fa.path.name.startswith("ocop-401-huyen-nga-son-to-tinh-38-")
    with pytest.raises(UserError) as err:
        import_bundle(prov, fa.path)
    assert "--trust-new" in err.value.message()
    r = import_bundle(prov, fa.path, trust_new=True)
    assert (r.inserted, r.updated, r.conflicts) == (10, 0, 0)
    import_bundle(prov, fb.path, trust_new=True)
    assert prov.db.execute("SELECT count(*) FROM products").fetchone()[0] == 9
    # The province decides on a product of Nga Sơn.
    add_recognition(prov, a_products[0], "12/QĐ-UBND", stars=4)
    back_a = export_bundle(prov, tmp_path, to=NGA_SON)
    back_b = export_bundle(prov, tmp_path, to=NHU_XUAN)
    # The decision travels with its product and the product's producer (an office
    # that went back in time may have lost them); nothing else of its own comes back.
    assert back_a.rows["recognitions"] == back_a.rows["products"] == 1
    assert back_a.rows["producers"] == 1 and back_a.total == 3
    assert back_b.total == 0
    held = {t: h for t, h in table_hash(a.path).items() if t in ("producers", "products")}
    r = import_bundle(a, back_a.path, trust_new=True)
    assert (r.inserted, r.updated, r.conflicts) == (1, 0, 0)
    assert {t: table_hash(a.path)[t] for t in held} == held  # they change nothing there
    cur = a.db.execute(
        "SELECT stars FROM current_recognition WHERE product_id = ?", [a_products[0]]
    ).fetchone()
    assert cur == (4,)
    import_bundle(b, back_b.path, trust_new=True)
    # Acknowledgements: the office's next bundle carries nothing already received.
    again = export_bundle(a, tmp_path)
    assert again.total == 0
    import_bundle(prov, again.path)
    assert status(prov)["peers"][0]["waiting"] >= 0
    # Re-importing any bundle changes nothing.
    for node, path in ((prov, fa.path), (prov, fb.path), (a, back_a.path), (b, back_b.path)):
        before = table_hash(node.path, exclude=("sync_log",))
        r = import_bundle(node, path)
        assert r.inserted == r.updated == r.conflicts == 0
        assert table_hash(node.path, exclude=("sync_log",)) == before


def test_two_laptops_of_one_office_converge(tmp_path, nodes):
    prov, a, _ = nodes
    a2 = make_office(tmp_path, NGA_SON, "office-401-second")
    fill(a, NGA_SON, 3, prefix="A ")
    fill(a2, NGA_SON, 2, prefix="B ")
    import_bundle(prov, export_bundle(a, tmp_path).path, trust_new=True)
    with pytest.raises(UserError) as err:  # a second key for office 401: a person says what
        import_bundle(prov, export_bundle(a2, tmp_path).path, trust_new=True)
    assert err.value.key == "sync.same_office"
    assert a.node.id not in err.value.message() and whoami(a2)["fingerprint"] in err.value.message()
    assert whoami(a)["fingerprint"] in err.value.message()
    import_bundle(prov, export_bundle(a2, tmp_path).path, trust_new=True, office_choice="second")
    with pytest.raises(UserError):
        export_bundle(prov, tmp_path, to=NGA_SON)  # two laptops: ambiguous
    import_bundle(a, export_bundle(prov, tmp_path, to=a.node.id).path, trust_new=True)
    import_bundle(a2, export_bundle(prov, tmp_path, to=a2.node.id).path, trust_new=True)
    ids = lambda s: {r[0]: r[1] for r in s.db.execute("SELECT id, version FROM products")}  # noqa: E731
    assert ids(a) == ids(a2) == ids(prov) and len(ids(a)) == 5
    a2.close()


def test_concurrent_edit_is_kept_as_conflict_and_resolvable(tmp_path, nodes):
    prov, a, _ = nodes
    pid = fill(a, NGA_SON, 1)[0]
    producer_id = a.db.execute("SELECT producer_id FROM products WHERE id = ?", [pid]).fetchone()[0]
    import_bundle(prov, export_bundle(a, tmp_path).path, trust_new=True)
    import_bundle(a, export_bundle(prov, tmp_path, to=NGA_SON).path, trust_new=True)
    producers.edit(prov, producer_id, {"phone": "0911111111"})
    time.sleep(0.01)  # versions are milliseconds first: make the office's edit the later one
    producers.edit(a, producer_id, {"phone": "0922222222"})  # later: wins
    import_bundle(prov, export_bundle(a, tmp_path).path)
    import_bundle(a, export_bundle(prov, tmp_path, to=NGA_SON).path)
    assert producers.get(prov, producer_id)["phone"] == "0922222222"
    assert producers.get(a, producer_id)["phone"] == "0922222222"
    [c] = conflicts.list_(prov)
    assert c["winner"] == "theirs" and c["mine_row"]["phone"] == "0911111111"
    assert c["fields"] == ["phone"]
    conflicts.resolve(prov, c["id"], "mine")
    assert producers.get(prov, producer_id)["phone"] == "0911111111"
    assert conflicts.list_(prov) == []
    # The resolution is an edit that travels.
    import_bundle(a, export_bundle(prov, tmp_path, to=NGA_SON).path)
    assert producers.get(a, producer_id)["phone"] == "0911111111"


def test_private_key_owner_only_and_fingerprint_stable(nodes):
    _, a, _ = nodes
    first = whoami(a)["fingerprint"]
    key = a.data_dir / "sync_key.pem"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert whoami(a)["fingerprint"] == first and len(first.split()) == 8


def test_attachments_travel_by_hash(tmp_path, nodes):
    import hashlib

    from ocop_desktop import records
    from ocop_desktop.db import transaction

    prov, a, _ = nodes
    pid = fill(a, NGA_SON, 1)[0]
    photo = b"\xff\xd8\xff\xe0" + "Ảnh sản phẩm – nước mắm".encode() * 50  # a JPEG's start
    sha = hashlib.sha256(photo).hexdigest()
    folder = a.data_dir / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / sha).write_bytes(photo)
    with transaction(a.db):
        records.insert(
            a,
            "attachments",
            {
                "owner_table": "products",
                "owner_id": pid,
                "sha256": sha,
                "filename": "anh.jpg",
                "mime": "image/jpeg",
                "size": len(photo),
            },
        )
    result = export_bundle(a, tmp_path)
    assert result.attachments == 1
    import_bundle(prov, result.path, trust_new=True)
    assert (prov.data_dir / "attachments" / sha).read_bytes() == photo
    # The private key never travels.
    import zipfile

    with zipfile.ZipFile(result.path) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
    assert a.data_dir.joinpath("sync_key.pem").read_bytes() not in blob
    assert b"PRIVATE KEY" not in blob


def test_province_moves_a_record_to_another_office(tmp_path, nodes):
    """A producer corrected to a commune of another district: the office it left
    learns the move (and an edit it made meanwhile does not block its bundles);
    the office it joins receives it with its products and their decisions."""
    prov, a, b = nodes
    product = fill(a, NGA_SON, 1)[0]
    add_recognition(a, product, "7/QĐ-UBND", stars=3)
    producer = a.db.execute("SELECT producer_id FROM products WHERE id = ?", [product]).fetchone()[
        0
    ]
    import_bundle(prov, export_bundle(a, tmp_path).path, trust_new=True)
    import_bundle(prov, export_bundle(b, tmp_path).path, trust_new=True)
    import_bundle(a, export_bundle(prov, tmp_path, to=NGA_SON).path, trust_new=True)
    import_bundle(b, export_bundle(prov, tmp_path, to=NHU_XUAN).path, trust_new=True)

    producers.edit(prov, producer, {"commune_code": 16174})  # Như Xuân
    time.sleep(0.01)
    producers.edit(a, producer, {"phone": "0933333333"})  # meanwhile, at Nga Sơn

    r = import_bundle(prov, export_bundle(a, tmp_path).path)  # not refused
    assert r.conflicts == 1
    assert producers.get(prov, producer)["commune_code"] == 16174
    import_bundle(a, export_bundle(prov, tmp_path, to=NGA_SON).path)
    import_bundle(b, export_bundle(prov, tmp_path, to=NHU_XUAN).path)
    version = producers.get(prov, producer)["version"]
    assert producers.get(a, producer)["version"] == version
    assert producers.get(b, producer)["version"] == version
    assert (
        b.db.execute(
            "SELECT count(*) FROM recognitions WHERE product_id = ?", [product]
        ).fetchone()[0]
        == 1
    )
    assert conflicts.list_(a) == []
    # Nga Sơn's next bundle goes through and carries nothing new.
    r = import_bundle(prov, export_bundle(a, tmp_path).path)
    assert r.inserted == r.updated == r.conflicts == 0
