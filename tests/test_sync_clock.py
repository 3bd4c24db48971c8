"""The hybrid clock between computers (scenario 7 of the sync issue): a bundle
far ahead is refused naming the computer whose clock is wrong, the counter
never outgrows its format, and a window kept open beside a CLI import never
issues a version below the one it edits."""

from __future__ import annotations

import json

import pytest

from ocop_desktop import products, records
from ocop_desktop.errors import UserError
from ocop_desktop.hlc import MAX_COUNTER, Clock, wall_ms
from ocop_desktop.store import open_store
from ocop_desktop.sync import export_bundle, import_bundle
from ocop_desktop.sync.verify import VERSION_RE
from tests.sync_helpers import NGA_SON, fill, make_office, make_province, rewrite, table_hash

HOUR = 3_600_000


@pytest.fixture
def pair(tmp_path):
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    ids = fill(a, NGA_SON, 2)
    import_bundle(prov, export_bundle(a, tmp_path / "a1.zip").path, trust_new=True)
    import_bundle(a, export_bundle(prov, tmp_path / "p1.zip", to=NGA_SON).path, trust_new=True)
    yield prov, a, ids
    prov.close()
    a.close()


def shifted(path, out, store, hours: float, opened_by=None):
    """The bundle with every version moved ``hours`` ahead, re-signed by ``store``."""
    delta = int(hours * HOUR)

    def move(name, data):
        if not name.startswith("data/"):
            return data
        rows = [json.loads(x) for x in data.decode().splitlines() if x]
        for r in rows:
            ms, rest = r["version"].split("-", 1)
            r["version"] = f"{int(ms) + delta:013d}-{rest}"
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()

    return rewrite(path, out, change_member=move, sign_with=store, opened_by=opened_by)


def test_a_bundle_more_than_a_day_ahead_names_the_wrong_clock(pair, tmp_path):
    prov, a, ids = pair
    products.edit(a, ids[0], {"notes": "đồng hồ sai"})
    good = export_bundle(a, tmp_path / "good.zip").path
    bad = shifted(good, tmp_path / "ahead.zip", a, 7 * 24, opened_by=prov)
    before = table_hash(prov.path)
    with pytest.raises(UserError) as err:
        import_bundle(prov, bad)
    assert err.value.key == "sync.refused.clock_ahead"
    assert a.node.name in err.value.message() and a.node.name in err.value.message("en")
    assert table_hash(prov.path) == before
    # Half a day ahead is a time zone or a slow clock, not a wrong date: accepted.
    import_bundle(prov, shifted(good, tmp_path / "near.zip", a, 12, opened_by=prov))


def test_the_counter_never_outgrows_its_format():
    frozen = 1_790_000_000_000
    clock = Clock("n1", wall=lambda: frozen)
    clock.observe(f"{frozen:013d}-{MAX_COUNTER - 2:05d}-other")
    versions = [clock.now() for _ in range(10)]
    assert all(VERSION_RE.match(v) for v in versions)
    assert versions == sorted(versions) and len(set(versions)) == 10
    # Observing a malformed, too large counter cannot push it past the format either.
    clock.observe(f"{frozen + 5:013d}-{MAX_COUNTER:05d}-x")
    assert VERSION_RE.match(clock.now())


def test_an_open_window_beside_a_cli_import_edits_above_what_it_replaces(pair, tmp_path):
    prov, a, ids = pair
    window = open_store(prov.path)  # the app, open since before the import
    window.next_version()  # its clock in memory is now "warm"
    # The office's clock runs an hour ahead (within the day allowed).
    a.clock.wall = lambda: wall_ms() + HOUR
    products.edit(a, ids[0], {"notes": "sửa ở văn phòng"})
    import_bundle(prov, export_bundle(a, tmp_path / "ahead.zip").path)  # the CLI, meanwhile
    office_version = products.get(prov, ids[0])["version"]
    products.edit(window, ids[0], {"notes": "sửa ở tỉnh sau đó"})
    mine = records.get(window, "products", ids[0])
    assert mine["version"] > office_version and mine["base_version"] == office_version
    import_bundle(a, export_bundle(prov, tmp_path / "back.zip", to=NGA_SON).path)
    assert products.get(a, ids[0])["notes"] == "sửa ở tỉnh sau đó"
    assert a.db.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    window.close()


def test_a_bundle_at_the_end_of_the_counter_keeps_every_office_accepting(pair, tmp_path):
    """Scenario 7 on real files: the office's signed bundle carries versions half a
    day ahead whose counter is at the end of its five digits. The province takes
    it; its own edits afterwards stay in the format and above what they replace,
    and the office accepts the province's bundle."""
    prov, a, ids = pair
    products.edit(a, ids[0], {"notes": "đồng hồ nhanh"})
    good = export_bundle(a, tmp_path / "good.zip").path
    ahead = int(12 * HOUR)

    def at_the_end(name, data):
        if not name.startswith("data/"):
            return data
        rows = [json.loads(x) for x in data.decode().splitlines() if x]
        for r in rows:
            ms, _counter, node = r["version"].split("-", 2)
            r["version"] = f"{int(ms) + ahead:013d}-{MAX_COUNTER - 1:05d}-{node}"
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()

    bad = rewrite(good, tmp_path / "end.zip", change_member=at_the_end, sign_with=a, opened_by=prov)
    import_bundle(prov, bad)
    taken = products.get(prov, ids[0])["version"]
    assert taken.split("-")[1] == f"{MAX_COUNTER - 1:05d}"
    for i in range(5):  # past the end of the counter: the clock moves a millisecond on
        products.edit(prov, ids[0], {"notes": f"tỉnh sửa {i}"})
    mine = products.get(prov, ids[0])["version"]
    assert VERSION_RE.match(mine) and mine > taken
    r = import_bundle(a, export_bundle(prov, tmp_path / "back.zip", to=NGA_SON).path)
    assert r.updated >= 1
    assert products.get(a, ids[0])["notes"] == "tỉnh sửa 4"
    assert products.get(a, ids[0])["version"] == mine
