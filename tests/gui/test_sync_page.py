"""The sync page: fingerprint, export with a descriptive name, import with the
sender confirmed by fingerprint, history, and the side-by-side conflict review."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from ocop_desktop import producers
from ocop_desktop.gui.pages.sync import BundleDialog, SyncPage
from ocop_desktop.sync import export_bundle, import_bundle, whoami
from tests.sync_helpers import NGA_SON, fill, make_office, make_province


@pytest.fixture
def nodes(tmp_path):
    prov, office = make_province(tmp_path), make_office(tmp_path, NGA_SON)
    yield prov, office
    prov.close()
    office.close()


def confirm_when_shown() -> list:
    """Answer the bundle dialog the way an officer would once it appears: read the
    fingerprint, tick "compared", press Import. Returns what was seen."""
    seen: list = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, BundleDialog):
            QTimer.singleShot(20, poll)
            return
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        seen.append((dialog.findChild(QLabel, "fingerprint").text(), ok.isEnabled()))
        dialog.trust.setChecked(True)
        ok.click()

    QTimer.singleShot(20, poll)
    return seen


def test_import_from_a_new_office_after_fingerprint_check(qtbot, nodes, tmp_path):
    prov, office = nodes
    fill(office, NGA_SON, 3)
    bundle = export_bundle(office, tmp_path).path
    page = SyncPage(prov)
    qtbot.addWidget(page)
    page.show()
    assert page.fingerprint.text() == whoami(prov)["fingerprint"]
    assert not page.export_button.isEnabled()  # no office known yet

    seen = confirm_when_shown()
    with qtbot.waitSignal(page.imported, timeout=30_000) as blocker:
        page.import_file(str(bundle))
    result = blocker.args[0]
    assert seen == [(whoami(office)["fingerprint"], False)]  # Import disabled until ticked
    assert result.inserted == 6
    assert prov.db.execute("SELECT count(*) FROM products").fetchone()[0] == 3
    assert page.history.rowCount() == 1
    assert page.history.item(0, 3).text() == bundle.name
    assert page.export_button.isEnabled() and "Huyện Nga Sơn" in page.peer_combo.currentText()


def test_export_offers_a_descriptive_name(qtbot, nodes, tmp_path, monkeypatch):
    _, office = nodes
    fill(office, NGA_SON, 2)
    page = SyncPage(office)
    qtbot.addWidget(page)
    assert "4" in page.waiting.text()
    offered = []

    def choose(suggested):
        offered.append(suggested)
        return str(tmp_path / suggested)

    monkeypatch.setattr(page, "choose_export_path", choose)
    with qtbot.waitSignal(page.exported, timeout=30_000):
        page.export_button.click()
    assert offered[0].startswith("ocop-401-huyen-nga-son-to-tinh-38-")
    assert (tmp_path / offered[0]).exists()
    assert page.history.rowCount() == 1


def test_refused_file_is_reported_and_listed(qtbot, nodes, tmp_path):
    prov, _ = nodes
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    page = SyncPage(prov)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.failed, timeout=30_000) as blocker:
        page.import_file(str(bad))
    assert "hỏng" in blocker.args[0]
    assert page.history.rowCount() == 1
    assert "Bị từ chối" in page.history.item(0, 8).text()


def test_conflict_review_side_by_side(qtbot, nodes, tmp_path):
    prov, office = nodes
    fill(office, NGA_SON, 1)
    pid = office.db.execute("SELECT id FROM producers").fetchone()[0]
    import_bundle(prov, export_bundle(office, tmp_path).path, trust_new=True)
    import_bundle(office, export_bundle(prov, tmp_path, to=NGA_SON).path, trust_new=True)
    producers.edit(prov, pid, {"phone": "0911111111"})
    time.sleep(0.01)
    producers.edit(office, pid, {"phone": "0922222222"})
    import_bundle(prov, export_bundle(office, tmp_path).path)

    page = SyncPage(prov)
    qtbot.addWidget(page)
    assert page.conflict_list.rowCount() == 1
    assert "(1)" in page.tabs.tabText(1)
    page.conflict_list.selectRow(0)
    assert page.sides.rowCount() == 1
    assert [page.sides.item(0, j).text() for j in range(3)] == [
        "Điện thoại",
        "0911111111",
        "0922222222",
    ]
    page.keep_mine.click()
    assert producers.get(prov, pid)["phone"] == "0911111111"
    assert page.conflict_list.rowCount() == 0


def test_the_page_says_when_the_peer_went_back_and_what_was_sent_again(qtbot, tmp_path):
    """After the province restored a backup, the office's sync page says so under
    the rows waiting, and its history says it in the officer's language."""
    from ocop_desktop import products
    from tests.test_sync_restores import Pair

    w = Pair(tmp_path)
    ids = fill(w.A, NGA_SON, 1)
    w.send("A")
    w.send("P")
    old = w.backup("P")
    products.edit(w.A, ids[0], {"notes": "Đã sửa bao bì"})
    w.send("A")
    w.send("P")
    w.restore("P", old)
    w.send("A")
    w.send("P")  # the office learns of the restore here
    page = SyncPage(w.A)
    qtbot.addWidget(page)
    assert page.restored.isVisibleTo(page)
    assert "gói tiếp theo" in page.restored.text()  # nothing sent again yet
    w.send("A")
    page.refresh()
    assert "1 gói" in page.restored.text() and "gửi lại" in page.restored.text()
    logged = [
        page.history.item(r, page.history.columnCount() - 1).text()
        for r in range(page.history.rowCount())
    ]
    assert any("bị quay lại" in x for x in logged)
    assert not any("resend from" in x for x in logged)
    w.close()
