"""Ctrl+Z: the last saves and deletions of this session, undone through the normal write path."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ocop_desktop import producers, products


def _undo_action(window) -> QAction:
    return window.findChild(QAction, "actionUndo")


def _row(store, table, record_id):
    return store.db.execute(
        f"SELECT deleted, version, seq FROM {table} WHERE id = ?", [record_id]
    ).fetchone()


def test_nothing_to_undo_at_start_even_with_earlier_edits(window):
    action = _undo_action(window)
    assert action.shortcut() == QKeySequence("Ctrl+Z")
    assert not action.isEnabled() and action.text() == "&Hoàn tác"
    window.undo()  # nothing happens
    assert (
        window.store.db.execute("SELECT count(*) FROM producers WHERE deleted = 1").fetchone()[0]
        == 0
    )


def test_undo_an_edit_names_it_and_puts_the_old_values_back(window, sample):
    pid = sample.ids["Hợp tác xã Đông Tiến"]
    before = producers.get(sample, pid)
    _, version, seq = _row(sample, "producers", pid)
    producers.edit(sample, pid, {"name": "HTX Đông Tiến mới", "phone": "0987654321"})
    window.page("producers").changed.emit()  # as the page does after its form saved
    action = _undo_action(window)
    assert action.isEnabled()
    assert action.text() == "&Hoàn tác: lưu «HTX Đông Tiến mới»"
    action.trigger()
    after = producers.get(sample, pid)
    assert (after["name"], after["phone"]) == (before["name"], before["phone"])
    _, new_version, new_seq = _row(sample, "producers", pid)
    assert new_version > version and new_seq > seq  # an ordinary edit: sync sends it
    assert producers.query(sample, search="dong tien")  # the search key follows the name
    assert "Đã hoàn tác: lưu «HTX Đông Tiến mới»" in window.statusBar().currentMessage()
    assert not action.isEnabled()  # the undo itself is not offered again


def test_undo_a_deletion_and_then_a_new_record(window, sample, answers):
    page = window.show_page("products")
    new_id = products.add(
        sample,
        {
            "name": "Nem chua Đông Tiến",
            "producer_id": sample.ids["Hợp tác xã Đông Tiến"],
            "product_set": 8,
        },
    )
    page.changed.emit()
    page.refresh()
    target = sample.ids["Bánh gai Đào"]
    page.view.selectRow(page.model.row_of(target))
    page.delete_selected()
    assert _row(sample, "products", target)[0] == 1
    action = _undo_action(window)
    assert action.text() == "&Hoàn tác: xóa «Bánh gai Đào»"
    action.trigger()
    assert _row(sample, "products", target)[0] == 0
    assert page.model.row_of(target) >= 0  # back in the list
    assert action.text() == "&Hoàn tác: lưu «Nem chua Đông Tiến»"
    action.trigger()
    assert _row(sample, "products", new_id)[0] == 1  # in the trash, restorable
    assert not action.isEnabled()


def test_undo_speaks_english(window, sample):
    pid = sample.ids["Hợp tác xã Đông Tiến"]
    producers.edit(sample, pid, {"phone": "0911111111"})
    window.page("producers").changed.emit()
    window.set_language("en")
    assert _undo_action(window).text() == "&Undo: save “Hợp tác xã Đông Tiến”"


def test_opening_another_database_starts_a_new_undo_history(window, sample, tmp_path):
    from ocop_desktop.store import init_node

    producers.edit(sample, sample.ids["Hợp tác xã Đông Tiến"], {"phone": "0911111111"})
    window.page("producers").changed.emit()
    other = init_node(tmp_path / "other.sqlite", role="office", office="402")
    other.close()
    window.open_path(other.path)
    assert not _undo_action(window).isEnabled()


def test_a_form_save_from_the_list_is_undone_with_ctrl_z(qtbot, window, sample):
    """The whole path: open a producer from its list, change the phone in the form,
    save; Ctrl+Z in the window puts the old phone back."""
    import warnings

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tests.gui.forms_helpers import answer_next_dialog

    pid = sample.ids["Hợp tác xã Đông Tiến"]
    before = producers.get(sample, pid)["phone"]
    page = window.show_page("producers")
    qtbot.waitUntil(lambda: page.model.row_of(pid) >= 0)

    def change_phone(form):
        form.w("phone").setText("0977000111")
        assert form.save()

    answer_next_dialog(change_phone)
    page.open_row(page.model.row_of(pid))
    assert producers.get(sample, pid)["phone"] == "0977000111"
    with warnings.catch_warnings():  # deprecated, but the offscreen platform needs it
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(window)  # the form has closed: back in the window
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert producers.get(sample, pid)["phone"] == before
    history = [(h["action"], h["field"], h["new"]) for h in producers_history(sample, pid)]
    assert history[-1] == ("update", "phone", before)  # the undo is an edit in the history


def producers_history(store, record_id):
    from ocop_desktop import records

    return records.history(store, record_id)
