"""Values and attachments inside a validly signed bundle: checked like a local
save (scenarios 3 and 6 of the sync issue), on real zips re-signed with the
office's own key; and read paths that meet a stored value they cannot parse."""

from __future__ import annotations

import hashlib
import json
import random
import time
import tracemalloc
import uuid

import pytest
from click.testing import CliRunner

from ocop_desktop import attachments, evaluations, producers, products
from ocop_desktop.cli import cli
from ocop_desktop.errors import UserError
from ocop_desktop.sync import export_bundle, import_bundle
from ocop_desktop.sync.export import columns
from tests import cli_run
from tests.sync_helpers import (
    NGA_SON,
    add_recognition,
    fill,
    make_office,
    make_province,
    rewrite,
    table_hash,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
BATCH = b"@echo off\r\nstart calc.exe\r\n"


@pytest.fixture
def world(tmp_path):
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    ids = fill(a, NGA_SON, 2)
    import_bundle(prov, export_bundle(a, tmp_path / "a1.zip").path, trust_new=True)
    import_bundle(a, export_bundle(prov, tmp_path / "p1.zip", to=NGA_SON).path, trust_new=True)
    yield {"prov": prov, "a": a, "products": ids, "dir": tmp_path}
    prov.close()
    a.close()


def refused(store, path, key: str) -> str:
    before = table_hash(store.path)
    with pytest.raises(UserError) as err:
        import_bundle(store, path)
    assert err.value.key == key, err.value.message()
    assert table_hash(store.path) == before
    return err.value.message()


def tampered(world, name: str, table: str, change, extra_members=()):
    """A's next genuine bundle with ``change(row)`` applied to every row of
    ``table``, extra members declared, re-signed with A's real key."""
    good = export_bundle(world["a"], world["dir"] / f"{name}-good.zip").path

    def member(n, data):
        if n != f"data/{table}.jsonl":
            return data
        rows = [json.loads(x) for x in data.decode().splitlines() if x]
        return "".join(json.dumps(change(r), ensure_ascii=False) + "\n" for r in rows).encode()

    def declare(m):
        for n, blob in extra_members:
            m["members"].append(
                {
                    "name": n,
                    "sha256": hashlib.sha256(blob).hexdigest(),
                    "size": len(blob),
                    "rows": 0,
                }
            )

    return rewrite(
        good,
        world["dir"] / f"{name}.zip",
        change_member=member,
        change_manifest=declare,
        add_members=tuple(extra_members),
        sign_with=world["a"],
        opened_by=world["prov"],
    )


# -- scenario 6: values -----------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("recognitions", "stars", 9),
        ("recognitions", "decision_date", "không phải ngày"),
        ("evaluations", "points_a", -5.5),
        ("products", "price", "rất đắt"),
        ("products", "sales_channels", "{not json"),
        ("products", "name", ""),
    ],
)
def test_values_a_local_save_refuses_refuse_the_bundle(world, table, field, value):
    a = world["a"]
    product = world["products"][0]
    if table == "recognitions":
        add_recognition(a, product, "3/QĐ-UBND", stars=3)
    elif table == "evaluations":
        evaluations.add(
            a,
            {
                "product_id": product,
                "eval_date": "2025-05-02",
                "level": "district",
                "points_a": 30,
                "points_b": 20,
                "points_c": 25,
                "minimums_stated_by": "Chủ tịch Hội đồng",
            },
        )
    else:
        products.edit(a, product, {"notes": "sửa"})
    path = tampered(world, f"{table}-{field}", table, lambda r: r | {field: value})
    message = refused(world["prov"], path, "sync.refused.bad_values")
    assert field in message
    rid = next(
        json.loads(x)["id"]
        for x in __import__("zipfile").ZipFile(path).read(f"data/{table}.jsonl").splitlines()
        if x
    )
    assert rid in message


def test_read_paths_survive_values_they_cannot_parse(world, tmp_path):
    """Values written by an older version, before bundles were checked: lists
    and exports show them as text instead of stopping."""
    prov = world["prov"]
    product = world["products"][0]
    rec = add_recognition(prov, product, "12/QĐ-UBND", stars=4)
    prov.db.execute(
        "UPDATE products SET sales_channels = '{not json', price = 'rất đắt' WHERE id = ?",
        [product],
    )
    prov.db.execute("UPDATE recognitions SET decision_date = 'không phải ngày' WHERE id = ?", [rec])
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(prov.path), "products", "list", "--json"])
    assert out.exit_code == 0, out.output
    [listed] = [p for p in json.loads(out.output) if p["id"] == product]
    assert listed["sales_channels"] == ["{not json"]
    assert listed["unreadable"] == ["sales_channels"]  # shown as text, and flagged
    out = runner.invoke(
        cli, ["--db", str(prov.path), "export-excel", "--out", str(tmp_path / "x.xlsx")]
    )
    assert out.exit_code == 0, out.output
    # The record can be repaired: the message names the field to correct.
    out = runner.invoke(
        cli,
        ["--db", str(prov.path), "products", "edit", product, "--json-file", "-"],
        input=json.dumps({"price": 25000}),
    )
    assert out.exit_code == 0, out.output


# -- scenario 3: attachments ------------------------------------------------------


def attachment_row(store, owner_table, owner_id, blob, **over) -> dict:
    sha = hashlib.sha256(blob).hexdigest()
    ms = int(time.time() * 1000)
    row = {c: None for c in columns(store, "attachments")}
    row |= {
        "id": uuid.uuid4().hex,
        "version": f"{ms:013d}-00000-{store.node.id}",
        "origin": store.node.id,
        "deleted": 0,
        "updated_at": "2026-01-01T00:00:00Z",
        "owner_table": owner_table,
        "owner_id": owner_id,
        "sha256": sha,
        "filename": "Ảnh sản phẩm.jpg",
        "mime": "image/jpeg",
        "size": len(blob),
        "kind": "photo",
        "_anc": [],
    }
    return row | over


def with_attachment(world, name: str, row: dict, blob: bytes | None):
    good = export_bundle(world["a"], world["dir"] / f"{name}-good.zip").path
    line = (json.dumps(row, ensure_ascii=False) + "\n").encode()
    extra = ((f"attachments/{row['sha256']}", blob),) if blob is not None else ()

    def member(n, data):
        return data + line if n == "data/attachments.jsonl" else data

    def declare(m):
        for n, b in extra:
            m["members"].append(
                {"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b), "rows": 0}
            )

    return rewrite(
        good,
        world["dir"] / f"{name}.zip",
        change_member=member,
        change_manifest=declare,
        add_members=extra,
        sign_with=world["a"],
        opened_by=world["prov"],
    )


def test_a_batch_file_named_as_a_photo_is_refused(world):
    row = attachment_row(
        world["a"], "products", world["products"][0], BATCH, filename="Ảnh sản phẩm.jpg.bat"
    )
    path = with_attachment(world, "bat", row, BATCH)
    refused(world["prov"], path, "sync.refused.attachment_type")
    assert not (world["prov"].data_dir / "attachments" / row["sha256"]).exists()


def test_a_photo_with_a_runnable_name_is_opened_as_a_photo(world):
    row = attachment_row(
        world["a"], "products", world["products"][0], JPEG, filename="Ảnh sản phẩm.jpg.bat"
    )
    import_bundle(world["prov"], with_attachment(world, "jpgbat", row, JPEG))
    [stored] = attachments.list_(world["prov"], "products", world["products"][0])
    assert attachments.view_name(stored["filename"], stored["path"]) == "Ảnh sản phẩm.jpg"


def test_a_stored_file_that_is_not_a_photo_is_never_opened(tmp_path):
    script = tmp_path / "blob"
    script.write_bytes(BATCH)
    with pytest.raises(UserError) as err:
        attachments.view_name("Ảnh.jpg", script)
    assert err.value.key == "attachment.bad_type"


def test_the_local_size_limit_applies_to_bundles_without_reading_it_all(world):
    big = JPEG + random.Random(1).randbytes(attachments.MAX_BYTES)  # does not compress
    row = attachment_row(world["a"], "products", world["products"][0], big)
    path = with_attachment(world, "big", row, big)
    tracemalloc.start()
    refused(world["prov"], path, "sync.refused.attachment_too_large")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < attachments.MAX_BYTES  # refused from the zip's directory


@pytest.mark.parametrize(
    ("owner_table", "owner", "key"),
    [
        ("sync_peers", "1" * 32, "sync.refused.bad_values"),
        ("products", "0" * 32, "sync.refused.missing_parent"),
    ],
)
def test_attachment_owner_must_be_a_record(world, owner_table, owner, key):
    row = attachment_row(world["a"], owner_table, owner, JPEG)
    refused(world["prov"], with_attachment(world, f"own-{owner_table}", row, JPEG), key)


def test_attachment_type_must_match_its_content(world):
    png_row = attachment_row(world["a"], "products", world["products"][0], JPEG, mime="image/png")
    message = refused(
        world["prov"], with_attachment(world, "mime", png_row, JPEG), "sync.refused.bad_values"
    )
    assert "mime" in message


def test_attachments_added_locally_get_a_safe_name(world, tmp_path):
    photo = tmp_path / "Ảnh sản phẩm.jpg.bat"
    photo.write_bytes(JPEG)
    aid = attachments.add(world["a"], "products", world["products"][0], photo)
    row = world["a"].db.execute("SELECT filename FROM attachments WHERE id = ?", [aid]).fetchone()
    assert row[0] == "Ảnh sản phẩm.jpg"


def test_pages_and_the_product_form_show_unparsable_values(qtbot, world, tmp_path):
    """The Products page, the certificates page and the product form open on a
    stored date and list that cannot be parsed, showing them as text."""
    from ocop_desktop.gui.forms.product import ProductForm
    from ocop_desktop.gui.main_window import MainWindow
    from tests.gui.forms_helpers import show_form

    prov = world["prov"]
    product = world["products"][0]
    rec = add_recognition(prov, product, "12/QĐ-UBND", stars=4)
    prov.db.execute("UPDATE products SET sales_channels = '{not json' WHERE id = ?", [product])
    prov.db.execute("UPDATE recognitions SET decision_date = 'không phải ngày' WHERE id = ?", [rec])
    window = MainWindow(prov)
    qtbot.addWidget(window)
    for page in ("products", "certificates", "overview"):
        window.show_page(page)
    from PySide6.QtWidgets import QTableWidget

    form = show_form(qtbot, ProductForm(prov, product))
    table = form.findChildren(QTableWidget)
    shown = [t.item(r, 1).text() for t in table for r in range(t.rowCount()) if t.item(r, 1)]
    assert "không phải ngày" in shown


# -- values no local save writes: sizes, missing files, districts, stamps, ids -----


def refused_on_the_cli(store, path, key_words: str, *, lang: str | None = None) -> str:
    """The CLI import fails in one line naming ``key_words``, with no traceback,
    the refusal noted beside the database, and the database exactly as before."""
    before = table_hash(store.path)
    out = cli_run.ocop(
        "--db", store.path, *(["--lang", lang] if lang else []), "sync", "import", path
    )
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert key_words in out.stderr
    assert table_hash(store.path) == before
    log = (store.data_dir / "sync-refused.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(log[-1])["file_name"] == path.name
    return out.stderr.strip()


def test_an_attachment_row_must_state_the_size_of_its_file(world):
    row = attachment_row(world["a"], "products", world["products"][0], JPEG, size=12_345_678)
    path = with_attachment(world, "size-lies", row, JPEG)
    message = refused(world["prov"], path, "sync.refused.bad_values")
    assert f"{row['id']} (size)" in message
    refused_on_the_cli(world["prov"], path, "Tệp bị từ chối")
    refused_on_the_cli(world["prov"], path, "Bundle refused", lang="en")
    assert not (world["prov"].data_dir / "attachments" / row["sha256"]).exists()


def test_an_attachment_row_whose_file_is_nowhere_is_kept_and_shown_missing(world):
    """The sender's export leaves out a copy it has lost or finds damaged: the row
    still arrives (refusing it would hold back every other change of that office),
    and its file is missing here until a bundle brings it."""
    blob = JPEG + b"zz"
    row = attachment_row(world["a"], "products", world["products"][0], blob)
    import_bundle(world["prov"], with_attachment(world, "nowhere", row, None))
    held = (
        world["prov"]
        .db.execute("SELECT size FROM attachments WHERE id = ?", [row["id"]])
        .fetchone()
    )
    assert held == (len(blob),)
    assert not (world["prov"].data_dir / "attachments" / row["sha256"]).exists()


def test_an_attachment_row_may_name_a_file_this_computer_holds(world):
    """A second row for a file the province already stored needs no copy in the
    bundle; its size is checked against the copy held."""
    prov, product = world["prov"], world["products"][0]
    first = attachment_row(world["a"], "products", product, JPEG)
    import_bundle(prov, with_attachment(world, "first", first, JPEG))
    lying = attachment_row(world["a"], "products", product, JPEG, size=len(JPEG) + 1)
    message = refused(
        prov, with_attachment(world, "held-lying", lying, None), "sync.refused.bad_values"
    )
    assert f"{lying['id']} (size)" in message
    second = attachment_row(world["a"], "products", product, JPEG, filename="Ảnh 2.jpg")
    import_bundle(prov, with_attachment(world, "held", second, None))
    names = {a["filename"] for a in attachments.list_(prov, "products", product)}
    assert names == {"Ảnh sản phẩm.jpg", "Ảnh 2.jpg"}


def _edited(world, table: str) -> None:
    """A change in ``table`` so that A's next bundle carries its rows."""
    product = world["products"][0]
    if table == "producers":
        [pid] = (
            world["a"]
            .db.execute("SELECT producer_id FROM products WHERE id = ?", [product])
            .fetchone()
        )
        producers.edit(world["a"], pid, {"notes": "sửa"})
    else:
        products.edit(world["a"], product, {"notes": "sửa"})


@pytest.mark.parametrize(
    ("table", "value"),
    [
        ("producers", "junk"),
        ("producers", 999),
        ("producers", 401),  # no former commune: a save derives none
        ("products", "junk"),
        ("products", 999),
        ("products", 2),  # a district of Hà Nội, not of this province
        ("products", 401.5),
    ],
)
def test_a_former_district_no_save_would_store_refuses_the_bundle(world, table, value):
    _edited(world, table)
    path = tampered(
        world, f"district-{table}-{value}", table, lambda r: r | {"legacy_district_code": value}
    )
    message = refused(world["prov"], path, "sync.refused.bad_values")
    assert "legacy_district_code" in message


def test_former_districts_a_save_stores_travel(world):
    """A producer's district derived from its former commune, and a product's
    former district of this province (one of the 2023 units included), arrive."""
    a, prov = world["a"], world["prov"]
    product = world["products"][0]
    [pid] = a.db.execute("SELECT producer_id FROM products WHERE id = ?", [product]).fetchone()
    producers.edit(a, pid, {"legacy_commune_code": 16093})  # Thị trấn Nga Sơn, district 401
    products.edit(a, product, {"notes": "sửa"})
    path = tampered(world, "district-ok", "products", lambda r: r | {"legacy_district_code": 405})
    import_bundle(prov, path)
    assert prov.db.execute(
        "SELECT legacy_district_code FROM producers WHERE id = ?", [pid]
    ).fetchone() == (401,)
    assert prov.db.execute(
        "SELECT legacy_district_code FROM products WHERE id = ?", [product]
    ).fetchone() == (405,)


@pytest.mark.parametrize(
    "value",
    ["not a date", "2026-02-30T10:00:00Z", "2026-12-03 10:00:00", "2026-12-03T10:00:00Z\n", None],
)
def test_an_updated_at_the_app_never_writes_refuses_the_bundle(world, value):
    _edited(world, "products")
    path = tampered(world, f"stamp-{value!r}", "products", lambda r: r | {"updated_at": value})
    message = refused(world["prov"], path, "sync.refused.bad_rows")
    assert "products" in message
    if value == "not a date":
        refused_on_the_cli(world["prov"], path, "products", lang="en")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("id", "../../" + "a" * 26),
        ("id", "A" * 32),
        ("id", "a" * 31),
        ("id", "a" * 32 + "\n"),
        ("id", "a" * 64),
        ("producer_id", "../../" + "a" * 26),
    ],
)
def test_a_record_id_the_app_never_makes_refuses_the_bundle(world, column, value):
    _edited(world, "products")
    path = tampered(world, f"id-{column}-{len(value)}", "products", lambda r: r | {column: value})
    message = refused(world["prov"], path, "sync.refused.bad_rows")
    assert "products" in message
    if value.startswith("../"):
        refused_on_the_cli(world["prov"], path, "products")
