"""Who an office is (scenario 5 of the sync issue): its area comes from its
office code or the province's assignment, never from its bundle; a new key
for an office already trusted is a second laptop or a replacement, said by a
person who saw both fingerprints."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ocop_desktop import refdata
from ocop_desktop.cli import cli
from ocop_desktop.errors import UserError
from ocop_desktop.store import init_node
from ocop_desktop.sync import export_bundle, import_bundle, peers, whoami
from tests.sync_helpers import NGA_SON, fill, make_office, make_province, rewrite, table_hash
from tests.test_sync_cli import ocop


def test_a_claimed_area_is_ignored(tmp_path):
    """A fresh node "401" claiming all 166 communes gets the area of Nga Sơn."""
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 1)
    everything = sorted(refdata.load().communes_by_province[38])

    def claim(m):
        m["sender"]["area"] = everything

    path = rewrite(
        export_bundle(a, tmp_path / "a.zip").path,
        tmp_path / "claim.zip",
        change_manifest=claim,
        sign_with=a,
    )
    import_bundle(prov, path, trust_new=True)
    [peer] = peers.all_peers(prov)
    assert sorted(peer.area) == sorted(a.node.area) and len(peer.area) < len(everything)
    prov.close()
    a.close()


def test_a_second_key_for_an_office_asks_second_or_replacement(tmp_path):
    prov = make_province(tmp_path)
    old = make_office(tmp_path, NGA_SON, "old")
    new = make_office(tmp_path, NGA_SON, "new")
    import_bundle(prov, export_bundle(old, tmp_path / "old.zip").path, trust_new=True)
    bundle = export_bundle(new, tmp_path / "new.zip").path
    before = table_hash(prov.path)
    out = ocop(prov.path, "import", str(bundle), "--trust-new")
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    assert whoami(old)["fingerprint"] in out.stderr and whoami(new)["fingerprint"] in out.stderr
    assert "--as" in out.stderr
    assert table_hash(prov.path) == before
    out = ocop(prov.path, "import", str(bundle), "--trust-new", "--as", "replacement")
    assert out.returncode == 0, out.stderr
    assert [p.node_id for p in peers.all_peers(prov)] == [new.node.id]
    # The replaced computer is no longer trusted: its next bundle needs confirming.
    with pytest.raises(UserError) as err:
        import_bundle(prov, export_bundle(old, tmp_path / "old2.zip").path)
    assert err.value.key == "sync.untrusted"
    for s in (prov, old, new):
        s.close()


def test_an_office_of_a_commune_cluster_needs_an_assigned_area(tmp_path):
    prov = make_province(tmp_path)
    cluster = init_node(
        tmp_path / "cum.sqlite", role="office", office="cum1", communes=[16171, 16093]
    )
    bundle = export_bundle(cluster, tmp_path / "cum.zip").path
    with pytest.raises(UserError) as err:
        import_bundle(prov, bundle, trust_new=True)
    assert err.value.key == "sync.refused.office_area_unknown"
    assert "assign-area" in err.value.message()
    out = CliRunner().invoke(
        cli, ["--db", str(prov.path), "sync", "assign-area", "cum1", "16171", "16093"]
    )
    assert out.exit_code == 0, out.output
    import_bundle(prov, bundle, trust_new=True)
    assert peers.all_peers(prov)[0].area == frozenset({16171, 16093})
    prov.close()
    cluster.close()


def test_the_import_dialog_asks_second_laptop_or_replacement(qtbot, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox, QLabel, QRadioButton

    from ocop_desktop.gui.pages.sync import BundleDialog
    from ocop_desktop.sync import check_bundle

    prov = make_province(tmp_path)
    old = make_office(tmp_path, NGA_SON, "old")
    new = make_office(tmp_path, NGA_SON, "new")
    import_bundle(prov, export_bundle(old, tmp_path / "old.zip").path, trust_new=True)
    bundle = check_bundle(prov, export_bundle(new, tmp_path / "new.zip").path)
    dialog = BundleDialog(bundle)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "same_office").text()
    assert whoami(old)["fingerprint"] in text and whoami(new)["fingerprint"] in text
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    dialog.trust.setChecked(True)
    assert not ok.isEnabled()  # trusted, but second laptop or replacement not said
    dialog.findChild(QRadioButton, "choice_second").setChecked(True)
    assert ok.isEnabled() and dialog.office_choice() == "second"
    dialog.show()
    dialog.grab().save(str(tmp_path / "same-office.png"))
    for s in (prov, old, new):
        s.close()
