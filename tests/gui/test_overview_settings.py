"""The overview's figures and attention list; settings: officer, backups, restore."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ocop_desktop import backup, clock, overview, producers


def test_overview_figures(sample):
    ov = overview.compute(sample)
    assert ov.stars == {"3": 3, "4": 1, "potential_5": 0, "5": 0}  # the rug's has expired
    assert ov.expiring == 1 and ov.expired == 1
    assert ov.producers_by_kind == {
        "doanh_nghiep": 1,
        "hop_tac_xa": 1,
        "to_hop_tac": 1,
        "ho_kinh_doanh": 1,
        "": 1,
    }
    assert ov.target_new == 10
    assert ov.new_this_year == sum(
        1
        for d in (400, 1040, 200, 1200, 30)
        if date.fromordinal(clock.today().toordinal() - d).year == clock.today().year
    )
    assert [n for *_x, n in ov.products_by_group] == [4, 2]  # food, handicrafts
    assert sum(n for _c, n in ov.products_by_commune) == 6


def test_overview_page_shows_cards_charts_and_attention(window, opened, sample):
    page = window.show_page("overview")
    values = [w.text() for w in page.findChildren(QLabel, "cardValue")]
    assert values[:3] == ["4", "5", "1"]
    charts = page.findChildren(QChartView)
    assert len(charts) == 3
    for view in charts:
        axis = [
            a for a in view.chart().axes() if hasattr(a, "min") and not hasattr(a, "categories")
        ][0]
        assert axis.min() == 0  # value axes start at 0
    view, model = page.attention, page.attention.model()
    reasons = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert reasons == ["Chứng nhận sắp hết hạn", "Chứng nhận đã hết hạn", "Hồ sơ chưa đầy đủ"]
    assert model.index(0, 2).data().startswith("hết hạn ")
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    for reason in reasons:  # every reason read whole
        assert view.fontMetrics().horizontalAdvance(reason) < view.columnWidth(0), reason
    page._open(model.index(2, 1))
    assert opened == [("producers", sample.ids["incomplete"])]


def test_attention_model_passes_qt_model_tester(qtmodeltester, sample):
    from ocop_desktop import overview
    from ocop_desktop.gui.pages.overview import AttentionModel

    model = AttentionModel(overview.attention(sample))
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=True)
    empty = AttentionModel([])
    assert empty.index(0, 0).data() == "Không có hồ sơ nào cần chú ý."
    assert empty.index(0, 0).data(Qt.ItemDataRole.UserRole) is None
    qtmodeltester.check(empty, force_py=True)


def test_officer_name_is_saved_and_shown(window, sample):
    page = window.show_page("settings")
    page.officer_edit.setText("  Nguyễn   Văn An ")
    page.save_officer()
    assert sample.officer == "Nguyễn Văn An"
    assert window._status["officer"].text() == "Cán bộ: Nguyễn Văn An"
    from ocop_desktop.store import open_store

    again = open_store(sample.path)
    assert again.officer == "Nguyễn Văn An"
    again.close()


def test_back_up_now_then_restore_keeps_a_copy_first(window, sample, answers):
    page = window.show_page("settings")
    page.backup_now()
    assert len(backup.list_backups(sample.path)) == 1
    assert page.backup_list.count() == 1
    assert "thủ công" in page.backup_list.item(0).text()
    assert window._status["backup"].text() != "Sao lưu: chưa có"
    added = producers.add(
        sample, {"name": "Hộ bà Trịnh Thị Gấm", "kind": "ho_kinh_doanh", "commune_code": 16171}
    )
    page.backup_list.setCurrentRow(0)
    page.restore()  # asks (answered yes), then the window reopens the restored file
    assert any(kind == "question" for kind, _ in answers)
    store = window.store
    assert store is not sample
    assert (
        store.db.execute("SELECT count(*) FROM producers WHERE id = ?", [added]).fetchone()[0] == 0
    )
    kept = [p for p in backup.list_backups(store.path) if "before-restore" in p.name]
    assert len(kept) == 1  # the file as it was before the restore, with the new producer
    from tests.key_helpers import connect

    conn = connect(kept[0])
    assert conn.execute("SELECT count(*) FROM producers WHERE id = ?", [added]).fetchone()[0] == 1
    conn.close()
    products = window.show_page("products")
    assert products.model.rowCount() == 6
    window.drop_pages()
    store.close()


def test_status_bar_shows_the_last_sync(window, sample, tmp_path):
    from ocop_desktop.sync.export import export_bundle

    assert window._status["sync"].text() == "Đồng bộ: chưa có"
    export_bundle(sample, tmp_path)  # an office's bundle for its province
    window.update_status()
    text = window._status["sync"].text()
    assert text.startswith("Đồng bộ: ") and text != "Đồng bộ: chưa có"
    # An event's time is the real moment it happened, not the clock's (movable) today.
    from datetime import datetime

    assert datetime.now().astimezone().strftime("%d/%m/%Y") in text


def test_overview_counted_at_start_up_is_used_and_a_failed_count_is_redone(qtbot, sample, tmp_path):
    from ocop_desktop.gui.pages.overview import OverviewPage

    def card_values(page):
        return [w.text() for w in page.findChildren(QLabel, "cardValue")]

    sample.db.execute("PRAGMA wal_checkpoint(FULL)")
    early = overview.Counting(sample.path)
    ov, _attention = early.figures()
    assert ov.stars == overview.compute(sample).stars
    page = OverviewPage(sample, None, early)
    qtbot.addWidget(page)
    assert card_values(page)[:3] == ["4", "5", "1"]

    broken = tmp_path / "not-a-database.sqlite"
    broken.write_bytes(b"this is not SQLite" * 100)
    failed = overview.Counting(broken)
    assert failed.figures() is None
    page = OverviewPage(sample, None, failed)  # counts itself
    qtbot.addWidget(page)
    assert card_values(page)[:3] == ["4", "5", "1"]


def test_one_warning_window_for_the_overview_the_lists_and_the_summary(window, sample):
    """The sample's 3-star fish sauce expires in about 55 days: expiring with the
    default 90-day window, valid once the window is set to 30 days."""
    from ocop_desktop import products, summary

    def figures():
        listed = products.list_(sample, status="expiring")
        return overview.compute(sample).expiring, len(listed), summary.compute(sample).expiring

    ov, listed, sm = figures()
    assert ov == listed == sm["count"] == 1 and sm["days"] == 90
    page = window.show_page("settings")
    page.warning_spin.setValue(30)
    page.warning_spin.editingFinished.emit()
    ov, listed, sm = figures()
    assert ov == listed == sm["count"] == 0 and sm["days"] == 30
    window.show_page("overview")
    card_titles = [w.text() for w in window.page("overview").findChildren(QLabel)]
    assert "Chứng nhận hết hạn trong 30 ngày" in card_titles


def test_refresh_changes_the_figures_in_place(qtbot, sample):
    """A save elsewhere refreshes the overview: the same cards, charts and list show
    the new figures; nothing is built again (no flicker, no lost selection)."""
    from shiboken6 import Shiboken

    from ocop_desktop.gui.pages.overview import OverviewPage

    def widgets():
        return {
            Shiboken.getCppPointer(w)[0]
            for w in page.findChildren(QLabel) + page.findChildren(QChartView) + [page.attention]
        }

    def producers_shown() -> int:  # the second card
        return int(page.findChildren(QLabel, "cardValue")[1].text())

    page = OverviewPage(sample)
    qtbot.addWidget(page)
    before, shown = widgets(), producers_shown()
    rows = page.attention.model().rowCount()
    producers.delete(sample, sample.ids["incomplete"])
    page.refresh()
    assert widgets() == before
    assert producers_shown() == shown - 1
    assert page.attention.model().rowCount() == rows - 1  # it lacked its kind
