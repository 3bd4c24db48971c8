"""A database made as demo says so, and its bundles never reach real data."""

from __future__ import annotations

import json
import zipfile

import pytest

from ocop_desktop.errors import UserError
from ocop_desktop.store import init_node
from ocop_desktop.sync import export_bundle, import_bundle
from tests.sync_helpers import add_producer, make_province, table_hash
from tests.test_cli import file_hash, ocop


def test_init_demo_marks_the_database_and_plain_init_does_not(tmp_path):
    demo_db, real_db = tmp_path / "demo.sqlite", tmp_path / "real.sqlite"
    assert ocop(demo_db, "init", "--role", "office", "--office", "401", "--demo").returncode == 0
    assert ocop(demo_db, "demo", "--products", "5").returncode == 0  # still fills it
    assert ocop(real_db, "init", "--role", "office", "--office", "401").returncode == 0
    from ocop_desktop.store import open_store

    demo, real = open_store(demo_db), open_store(real_db)
    assert demo.is_demo and not real.is_demo
    demo.close()
    real.close()


def test_a_bundle_from_demo_data_is_refused_by_the_province(tmp_path):
    demo = init_node(tmp_path / "demo.sqlite", role="office", office="401", demo=True)
    add_producer(demo, "Hợp tác xã Mẫu", 16171)
    province = make_province(tmp_path)
    bundle = export_bundle(demo, tmp_path).path
    with zipfile.ZipFile(bundle) as zf:
        assert json.loads(zf.read("manifest.json"))["demo"] is True
    before = table_hash(province.path)
    with pytest.raises(UserError) as err:
        import_bundle(province, bundle, trust_new=True)
    assert err.value.key == "sync.refused.demo"
    assert "dữ liệu mẫu" in err.value.message()
    assert "demo data" in err.value.message("en")
    assert table_hash(province.path) == before
    demo.close()
    province.close()


def test_the_command_line_refuses_a_demo_bundle_with_one_line(tmp_path):
    demo = init_node(tmp_path / "demo.sqlite", role="office", office="401", demo=True)
    add_producer(demo, "Hợp tác xã Mẫu", 16171)
    bundle = export_bundle(demo, tmp_path).path
    demo.close()
    province = make_province(tmp_path)
    province.close()
    before = file_hash(province.path)
    result = ocop(province.path, "sync", "import", str(bundle), "--trust-new")
    assert result.returncode != 0
    assert "dữ liệu mẫu" in result.stderr
    assert file_hash(province.path) == before


def test_a_real_bundle_carries_no_demo_flag(tmp_path):
    real = init_node(tmp_path / "real.sqlite", role="office", office="401")
    bundle = export_bundle(real, tmp_path).path
    with zipfile.ZipFile(bundle) as zf:
        assert "demo" not in json.loads(zf.read("manifest.json"))
    real.close()
