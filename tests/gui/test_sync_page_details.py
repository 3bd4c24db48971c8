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
