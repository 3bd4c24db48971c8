"""Hostile and broken bundles: each is refused with a clear message and the
database stays byte-identical (every table's contents, and the file bytes)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop import i18n
from ocop_desktop.errors import UserError
from ocop_desktop.sync import export_bundle, import_bundle, inspect, peers
from tests.sync_helpers import (
    NGA_SON,
    NHU_XUAN,
    add_producer,
    file_bytes,
    fill,
    make_office,
    make_province,
    rewrite,
    table_hash,
    unsealed,
)


@pytest.fixture
def world(tmp_path):
    """Province trusting office 401 (and 402); a fresh bundle from 401 waiting."""
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    b = make_office(tmp_path, NHU_XUAN)
    fill(a, NGA_SON, 3)
    import_bundle(prov, export_bundle(a, tmp_path / "first-a.zip").path, trust_new=True)
    import_bundle(prov, export_bundle(b, tmp_path / "first-b.zip").path, trust_new=True)
    import_bundle(a, export_bundle(prov, tmp_path / "back-a.zip", to=NGA_SON).path, trust_new=True)
    fill(a, NGA_SON, 2, prefix="Mới ")
    sealed = export_bundle(a, tmp_path / "sealed.zip")
    assert sealed.sealed  # to the province, whose key came with its bundle
    good = unsealed(prov, sealed.path, tmp_path / "good.zip")  # these tests edit the zip
    yield {"prov": prov, "a": a, "b": b, "good": good, "dir": tmp_path}
    for s in (prov, a, b):
        s.close()


def refused(store, path, key: str, **kw) -> str:
    """Import must fail with ``key``; the database must not change at all."""
    before, raw = table_hash(store.path), file_bytes(store.path)
    with pytest.raises(UserError) as err:
        import_bundle(store, path, **kw)
    assert err.value.key == key, err.value.message()
    assert table_hash(store.path) == before
    assert file_bytes(store.path) == raw
    message = err.value.message()
    assert "\n" not in message and message
    assert err.value.message("en")
    return message


def test_good_bundle_applies(world):
    r = import_bundle(world["prov"], world["good"])
    assert r.inserted == 4


def test_truncated(world):
    data = world["good"].read_bytes()
    bad = world["dir"] / "truncated.zip"
    bad.write_bytes(data[: len(data) // 2])
    msg = refused(world["prov"], bad, "sync.refused.damaged")
    assert "hỏng" in msg


@pytest.mark.parametrize("where", [0.1, 0.3, 0.5, 0.7, 0.9, 0.97])
def test_bit_flipped(world, where):
    data = bytearray(world["good"].read_bytes())
    data[int(len(data) * where)] ^= 0x10
    bad = world["dir"] / "flipped.zip"
    bad.write_bytes(bytes(data))
    try:
        flipped = inspect(world["prov"], bad)
    except UserError as err:
        assert err.key.startswith("sync.refused.")
        refused(world["prov"], bad, err.key)
        return
    # The flip hit zip metadata nothing reads (a time stamp, a descriptor): what
    # would be applied is still exactly the signed content (each member's rows are
    # hashed as they are read, against the signed manifest).
    good = inspect(world["prov"], world["good"])
    assert (flipped.manifest, flipped.members) == (good.manifest, good.members)
    assert import_bundle(world["prov"], bad).inserted == 4


def test_manifest_edited_after_signing(world):
    def more_rows(m):
        m["max_seq"] += 1000

    bad = rewrite(world["good"], world["dir"] / "edited.zip", change_manifest=more_rows)
    msg = refused(world["prov"], bad, "sync.refused.bad_signature")
    assert "chữ ký" in msg


def test_data_edited_after_signing(world):
    def change(name, data):
        return data.replace("Mới".encode(), "Giả".encode()) if name.startswith("data/") else data

    bad = rewrite(world["good"], world["dir"] / "data.zip", change_member=change, rehash=False)
    refused(world["prov"], bad, "sync.refused.bad_hash")


def test_resigned_by_another_key(world):
    def change(name, data):
        return data.replace("Mới".encode(), "Giả".encode()) if name.startswith("data/") else data

    bad = rewrite(
        world["good"],
        world["dir"] / "forged.zip",
        change_member=change,
        sign_with=Ed25519PrivateKey.generate(),
    )
    msg = refused(world["prov"], bad, "sync.refused.key_changed", trust_new=True)
    assert "khoá khác" in msg
    i18n.set_language("en")
    with pytest.raises(UserError) as err:
        import_bundle(world["prov"], bad, trust_new=True)
    assert "different key" in err.value.message()


def test_bundle_for_another_node(world):
    for_b = export_bundle(world["prov"], world["dir"] / "for-b.zip", to=NHU_XUAN).path
    # Sealed to office 402: office 401 cannot even open it, and is told whose it is.
    assert "Như Xuân" in refused(world["a"], for_b, "sync.refused.sealed_for_other")


def test_replayed_old_bundle_is_harmless(world):
    prov = world["prov"]
    import_bundle(prov, world["good"])
    before = table_hash(prov.path, exclude=("sync_log",))
    for old in ("first-a.zip", "good.zip", "first-a.zip"):
        r = import_bundle(prov, world["dir"] / old)
        assert (r.inserted, r.updated, r.conflicts) == (0, 0, 0)
    assert table_hash(prov.path, exclude=("sync_log",)) == before
    statuses = [r[0] for r in prov.db.execute("SELECT status FROM sync_log WHERE direction='in'")]
    assert statuses[-3:] == ["replay"] * 3


@pytest.mark.parametrize(
    "name",
    [
        "../evil.jsonl",
        "data/../../etc/passwd",
        "/etc/passwd",
        "C:/Windows/evil.dll",
        "data/notatable.jsonl",
    ],
)
def test_unsafe_member_names(world, name):
    bad = rewrite(
        world["good"], world["dir"] / "names.zip", add_members=((name, b"x"),), sign_with=world["a"]
    )
    refused(world["prov"], bad, "sync.refused.bad_member")
    assert not (world["dir"].parent / "evil.jsonl").exists()


def test_zip_bomb(world):
    bomb = b"\0" * (30 * 1024**2)

    def change(name, data):
        return bomb if name == "data/targets.jsonl" else data

    bad = rewrite(
        world["good"], world["dir"] / "bomb.zip", change_member=change, sign_with=world["a"]
    )
    msg = refused(world["prov"], bad, "sync.refused.bomb")
    assert "bom" in msg


def test_file_over_two_gigabytes(world):
    bad = world["dir"] / "huge.zip"
    with open(bad, "wb") as fh:
        fh.truncate(2 * 1024**3 + 1)  # sparse: takes no space on disk
    msg = refused(world["prov"], bad, "sync.refused.too_large")
    assert "quá lớn" in msg


def test_schema_newer_than_the_app(world):
    def newer(m):
        m["schema_version"] = 99
        m["app_version"] = "9.0.0"

    bad = rewrite(
        world["good"], world["dir"] / "newer.zip", change_manifest=newer, sign_with=world["a"]
    )
    msg = refused(world["prov"], bad, "sync.refused.too_new")
    assert "9.0.0" in msg and "cập nhật" in msg


def test_out_of_scope_records_refused_whole(world):
    outside = make_office(world["dir"], NHU_XUAN, "scratch")
    foreign = add_producer(outside, "Cơ sở ngoài địa bàn", 16174)
    row = outside.db.execute("SELECT * FROM producers WHERE id = ?", [foreign]).fetchone()
    names = [d[0] for d in outside.db.execute("SELECT * FROM producers LIMIT 0").description]
    line = {k: v for k, v in zip(names, row, strict=True) if k not in ("rid", "seq")}
    line["origin"] = world["a"].node.id
    outside.close()

    def change(name, data):
        if name == "data/producers.jsonl":
            return data + (json.dumps(line, ensure_ascii=False) + "\n").encode()
        return data

    bad = rewrite(
        world["good"], world["dir"] / "scope.zip", change_member=change, sign_with=world["a"]
    )
    msg = refused(world["prov"], bad, "sync.refused.out_of_scope")
    assert foreign in msg


def test_unknown_sender_needs_confirmation(world, tmp_path):
    stranger = make_office(tmp_path, NGA_SON, "stranger")
    fill(stranger, NGA_SON, 1, prefix="Lạ ")
    path = export_bundle(stranger, tmp_path).path
    msg = refused(world["prov"], path, "sync.untrusted")
    assert "--trust-new" in msg
    stranger.close()


def test_not_a_zip(world):
    bad = world["dir"] / "note.zip"
    bad.write_text("hello")
    refused(world["prov"], bad, "sync.refused.damaged")


def test_sender_clock_far_ahead(world):
    def future(name, data):
        if name != "data/producers.jsonl":
            return data
        lines = [json.loads(x) for x in data.splitlines() if x]
        lines[0]["version"] = "4102444800000-00000-" + lines[0]["version"].split("-", 2)[2]
        return b"".join(json.dumps(x, ensure_ascii=False).encode() + b"\n" for x in lines)

    bad = rewrite(
        world["good"], world["dir"] / "future.zip", change_member=future, sign_with=world["a"]
    )
    msg = refused(world["prov"], bad, "sync.refused.clock_ahead")
    assert "01/01/2100" in msg


def test_attachment_named_by_another_hash(world):
    """The member's bytes match the manifest, but not the hash its name promises."""
    import hashlib

    content = b"not that content"
    name = f"attachments/{'0' * 64}"
    member = {
        "name": name,
        "rows": 0,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    bad = rewrite(
        world["good"],
        world["dir"] / "attach.zip",
        add_members=((name, content),),
        change_manifest=lambda m: m["members"].append(member),
        sign_with=world["a"],
    )
    refused(world["prov"], bad, "sync.refused.bad_hash")
    with pytest.raises(UserError):
        inspect(world["prov"], bad)  # found while checking, before any backup or write


def test_bundle_from_an_older_schema_keeps_defaults(world):
    """Columns an older app did not know are absent: defaults apply."""

    def older(name, data):
        if name != "data/producers.jsonl":
            return data
        rows = [json.loads(x) for x in data.splitlines() if x]
        for r in rows:
            r.pop("representative_female")
        return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)

    def schema_1(m):
        m["schema_version"] = 1

    path = rewrite(
        world["good"],
        world["dir"] / "older.zip",
        change_member=older,
        change_manifest=schema_1,
        sign_with=world["a"],
    )
    result = import_bundle(world["prov"], path)
    assert result.inserted == 4
    flags = (
        world["prov"]
        .db.execute("SELECT DISTINCT representative_female FROM producers WHERE name LIKE 'Mới%'")
        .fetchall()
    )
    assert flags == [(0,)]


def test_replaced_province_computer_after_forget(world, tmp_path):
    """A reinstalled province computer is refused until a person forgets the old one."""
    a = world["a"]
    new_province = make_province(tmp_path, "province-reinstalled")
    import_bundle(new_province, world["dir"] / "first-a.zip", trust_new=True)
    bundle = export_bundle(new_province, tmp_path / "from-new.zip", to=NGA_SON).path
    msg = refused(a, bundle, "sync.refused.key_changed", trust_new=True)
    assert "ocop sync forget" in msg
    peers.forget(a, "province")
    assert import_bundle(a, bundle, trust_new=True).newly_trusted
    # The office's next bundle carries what the new province has not acknowledged.
    again = export_bundle(a, tmp_path / "to-new.zip")
    assert import_bundle(new_province, again.path).inserted == 4
    count = "SELECT count(*) FROM products"
    assert new_province.db.execute(count).fetchone() == a.db.execute(count).fetchone()
    new_province.close()


BAD_ROWS = {
    "nested value": (lambda r: r.update(notes={"x": 1}), "sync.refused.bad_rows"),
    "list outside _anc": (lambda r: r.update(notes=["a"]), "sync.refused.bad_rows"),
    "bad version": (lambda r: r.update(version="yesterday"), "sync.refused.bad_rows"),
    "bad ancestry": (lambda r: r.update(_anc=[1]), "sync.refused.bad_rows"),
    "deleted not 0/1": (lambda r: r.update(deleted=2), "sync.refused.bad_rows"),
    "boolean flag": (lambda r: r.update(deleted=True), "sync.refused.bad_rows"),
    "no id": (lambda r: r.pop("id"), "sync.refused.bad_rows"),
    "unknown column": (lambda r: r.update(password="x"), "sync.refused.unknown_columns"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_malformed_rows_from_a_trusted_sender(world, case):
    change_row, key = BAD_ROWS[case]

    def change(name, data):
        if name != "data/producers.jsonl":
            return data
        rows = [json.loads(x) for x in data.splitlines() if x]
        change_row(rows[-1])
        return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)

    bad = rewrite(
        world["good"], world["dir"] / "rows.zip", change_member=change, sign_with=world["a"]
    )
    msg = refused(world["prov"], bad, key)
    if key.endswith("bad_rows"):
        assert "producers" in msg and "dòng 2" in msg


def test_duplicate_ids_in_one_table(world):
    def change(name, data):
        if name != "data/producers.jsonl":
            return data
        first = data.splitlines()[0]
        return data + first + b"\n"

    bad = rewrite(
        world["good"], world["dir"] / "dup.zip", change_member=change, sign_with=world["a"]
    )
    refused(world["prov"], bad, "sync.refused.bad_rows")
