"""The sync history dates read like every other date in the app, not as raw UTC
timestamps ('2026-11-22T01:52:39Z')."""

from __future__ import annotations

import re
import time

import pytest

from ocop_desktop import i18n, producers
from ocop_desktop.gui.pages.sync import SyncPage
from ocop_desktop.sync import export_bundle, import_bundle
from tests.sync_helpers import NGA_SON, fill, make_office, make_province


@pytest.fixture
def nodes(tmp_path):
    prov, office = make_province(tmp_path), make_office(tmp_path, NGA_SON)
    yield prov, office
    prov.close()
    office.close()
    i18n.set_language("vi")


@pytest.mark.parametrize(
    ("lang", "pattern"),
    [("vi", r"\d\d/\d\d/\d{4} \d\d:\d\d"), ("en", r"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d")],
)
def test_history_shows_local_dates_in_the_language_format(qtbot, nodes, tmp_path, lang, pattern):
    prov, office = nodes
    import_bundle(prov, export_bundle(office, tmp_path).path, trust_new=True)
    i18n.set_language(lang)
    page = SyncPage(prov)
    qtbot.addWidget(page)
    assert page.history.rowCount() == 1
    assert re.fullmatch(pattern, page.history.item(0, 0).text())


def test_conflict_shows_communes_by_name_not_code(qtbot, nodes, tmp_path):
    prov, office = nodes
    fill(office, NGA_SON, 1)
    pid = office.db.execute("SELECT id FROM producers").fetchone()[0]
    import_bundle(prov, export_bundle(office, tmp_path).path, trust_new=True)
    import_bundle(office, export_bundle(prov, tmp_path, to=NGA_SON).path, trust_new=True)
    producers.edit(prov, pid, {"commune_code": 16171})  # Xã Ba Đình
    time.sleep(0.01)
    producers.edit(office, pid, {"commune_code": 16114})  # Xã Nga Thắng
    import_bundle(prov, export_bundle(office, tmp_path).path)

    page = SyncPage(prov)
    qtbot.addWidget(page)
    page.conflict_list.selectRow(0)
    cells = {
        page.sides.item(i, 0).text(): (page.sides.item(i, 1).text(), page.sides.item(i, 2).text())
        for i in range(page.sides.rowCount())
    }
    assert cells["Xã/phường"] == ("Xã Ba Đình", "Xã Nga Thắng")
    assert not any(re.fullmatch(r"\d{5}", text) for pair in cells.values() for text in pair)
