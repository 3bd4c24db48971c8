"""The shell over demo data of the Nga Sơn area, as "Open demo data" makes it."""

from __future__ import annotations

import pytest

from ocop_desktop.gui.lazy_model import LazyTableModel
from ocop_desktop.gui.list_specs import SPECS
from ocop_desktop.text import search_key


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from ocop_desktop.gui.setup_dialog import make_demo

    path = tmp_path_factory.mktemp("demo") / "ocop-demo.sqlite"
    make_demo(path, products=700).close()
    return path


@pytest.fixture
def demo(demo_path):
    from ocop_desktop.store import open_store

    store = open_store(demo_path)
    yield store
    store.close()


@pytest.mark.parametrize("name", sorted(SPECS))
def test_models_over_demo_data(qtmodeltester, demo, name):
    model = LazyTableModel(demo, SPECS[name])
    model.refresh()
    assert model.rowCount() == model.CHUNK and model.canFetchMore()
    qtmodeltester.check(model, force_py=True)


def test_typing_without_diacritics_over_demo_data(qtbot, demo, answers):
    from ocop_desktop.gui.main_window import MainWindow

    window = MainWindow(demo)
    qtbot.addWidget(window)
    page = window.show_page("products")
    qtbot.waitUntil(page.is_ready)
    everything = page.model.total
    assert everything == 700
    qtbot.keyClicks(page.filter_edit, "banh")
    qtbot.waitUntil(page.is_ready)
    page.model.fetch_all()
    shown = [
        (page.model.display(r, 0), page.model.display(r, 1)) for r in range(page.model.rowCount())
    ]
    assert 0 < len(shown) == page.model.total < everything
    for product, producer in shown:
        assert "banh" in search_key(product) or "banh" in search_key(producer)
    assert any("Bánh" in product for product, _ in shown)
    names = [search_key(p) for p, _ in shown]
    assert names == sorted(names)


def test_open_demo_data_from_the_first_run_dialog(qtbot, tmp_path, monkeypatch):
    from ocop_desktop.gui import setup_dialog

    monkeypatch.setattr(setup_dialog, "DEMO_PRODUCTS", 120)
    dialog = setup_dialog.SetupDialog(tmp_path / "ocop.sqlite")
    qtbot.addWidget(dialog)
    assert dialog.demo_button.isEnabled()
    dialog.demo_button.click()  # made on the worker, behind a progress dialog
    store = dialog.store
    from ocop_desktop.gui.documents import demo_path

    assert store is not None and store.path == demo_path() and store.is_demo
    assert (tmp_path / "ocop.sqlite").exists()  # the real database of the choices, beside it
    assert store.node.name == "Huyện Nga Sơn"
    assert store.db.execute("SELECT count(*) FROM products").fetchone()[0] == 120
    store.close()


def test_overview_agrees_with_the_report_summary(demo):
    from ocop_desktop import overview, summary

    ov = overview.compute(demo)
    sm = summary.compute(demo, as_of=ov.as_of)
    assert sm.stars == ov.stars
    assert sm.expiring["count"] == ov.expiring
    assert sm.products["total"] == ov.products_total
    assert sm.products["expired"] == ov.expired
    assert {k: v for k, v in sm.producers["by_kind"].items() if v} == {
        k: v for k, v in ov.producers_by_kind.items() if v
    }
    assert sm.year_results["achieved"]["new_products"] == ov.new_this_year
    assert sm.year_results["target"]["new_products"] == ov.target_new
    assert {g["group_code"]: g for g in sm.by_group}.keys() >= {
        c for c, _n, _x in ov.products_by_group
    }
    by_commune = {c["code"]: c["products"] for c in sm.by_commune}
    for code, count in ov.products_by_commune:
        assert by_commune[code] == count


def test_overview_leaves_out_products_in_the_trash_as_the_summary_does(demo_path, tmp_path):
    import shutil

    from ocop_desktop import overview, products, summary
    from ocop_desktop.store import open_store
    from tests.key_helpers import copy_key

    shutil.copy(demo_path, tmp_path / "copy.sqlite")
    copy_key(demo_path, tmp_path / "copy.sqlite")
    store = open_store(tmp_path / "copy.sqlite")
    before = overview.compute(store)
    # One product of each kind of certificate: in force by class, expiring, expired.
    picks = {}
    for pid, stars, potential, expiry, revoked in store.db.execute(
        "SELECT product_id, stars, potential_5, expiry_date, revoked FROM current_recognition"
    ).fetchall():
        if revoked:
            continue
        kind = "expired" if expiry < before.as_of.isoformat() else (stars, potential)
        picks.setdefault(kind, pid)
    assert len(picks) >= 4
    for pid in picks.values():
        products.delete(store, pid)
    after = overview.compute(store)
    sm = summary.compute(store, as_of=after.as_of)
    assert sm.stars == after.stars
    assert sm.products["expired"] == after.expired == before.expired - ("expired" in picks)
    in_force = sum(before.stars.values())
    assert sum(after.stars.values()) == in_force - (len(picks) - 1)
    assert after.products_total == before.products_total - len(picks)
    store.close()
