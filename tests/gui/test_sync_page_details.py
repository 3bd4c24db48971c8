"""The sync page in the window: the export's result under the export button, the peer
named in the app's language, the status bar up to date."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox

from ocop_desktop import refdata


def test_export_result_place_peer_name_and_status_bar(qtbot, window, tmp_path, monkeypatch):
    page = window.show_page("sync")
    sync_label = window._status["sync"]
    assert sync_label.text().endswith("chưa có")
    monkeypatch.setattr(page, "choose_export_path", lambda name: str(tmp_path / name))
    with qtbot.waitSignal(page.exported, timeout=30_000):
        page.export_button.click()
    box = page.export_result.parentWidget()
    assert isinstance(box, QGroupBox) and box is page.export_button.parentWidget()
    assert page.export_result.text().startswith("Đã ghi")
    assert page.last_result.text() == ""  # the import box says nothing about an export
    assert not sync_label.text().endswith("chưa có")
    peer = page.history.item(0, 2).text()
    assert peer == refdata.load().provinces[38] and "province" not in peer


def test_the_province_sync_page_refuses_a_demo_file_and_says_why(qtbot, tmp_path):
    from ocop_desktop.gui.pages.sync import SyncPage
    from ocop_desktop.store import init_node
    from ocop_desktop.sync import export_bundle
    from tests.sync_helpers import add_producer, make_province

    demo = init_node(tmp_path / "demo.sqlite", role="office", office="401", demo=True)
    add_producer(demo, "Hợp tác xã Mẫu", 16171)
    bundle = export_bundle(demo, tmp_path).path
    demo.close()
    province = make_province(tmp_path)
    page = SyncPage(province)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.failed, timeout=30_000) as blocker:
        page.import_file(str(bundle))
    assert "xuất từ dữ liệu mẫu" in blocker.args[0]
    assert province.db.execute("SELECT count(*) FROM producers").fetchone()[0] == 0
    province.close()
