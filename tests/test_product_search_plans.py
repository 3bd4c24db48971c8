"""The list search gives the same rows whichever plan it picks (few or many matches)."""

from __future__ import annotations

import pytest

from ocop_desktop import products, recognitions, search
from ocop_desktop.demo import generate
from ocop_desktop.text import search_key


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from ocop_desktop.store import init_node

    store = init_node(tmp_path_factory.mktemp("demo") / "demo.sqlite", role="office", office="401")
    generate(store, n_products=600, seed=3)
    yield store
    store.close()


def product_rids(store, text) -> list[int]:
    sql, params = products.query(store, columns="p.rid", search=text)
    return [r[0] for r in store.db.execute(sql, params).fetchall()]


def certificate_rids(store, text) -> list[int]:
    sql, params = recognitions.query(store, columns="r.rid", search=text)
    return [r[0] for r in store.db.execute(sql, params).fetchall()]


@pytest.mark.parametrize("text", ["mam", "hop tac", "dong tien", "Nga Sơn", "xyzq", "m", "ba l"])
def test_every_plan_finds_the_same_rows_in_order(demo, monkeypatch, text):
    rows = demo.db.execute(
        "SELECT p.rid, p.name_key, coalesce(pr.name_key, '') FROM products p "
        "LEFT JOIN producers pr ON pr.id = p.producer_id WHERE p.deleted = 0 "
        "ORDER BY p.name_key, p.rid"
    ).fetchall()
    words = search_key(text).split()
    wanted = [
        rid
        for rid, own, maker in rows
        if all(w in own for w in words) or all(w in maker for w in words)
    ]
    certificates = []
    for dense in (10**9, 1):  # the "few matches" plans, then the "many matches" ones
        monkeypatch.setattr(search, "DENSE", dense)
        assert product_rids(demo, text) == wanted
        certificates.append(certificate_rids(demo, text))
    assert certificates[0] == certificates[1]
    assert (len(wanted) > 0) == (text != "xyzq")
