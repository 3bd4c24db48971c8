"""The import wizard: preview every row before writing, import off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlcipher3 import dbapi2

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QWizard  # noqa: E402

from ocop_desktop.gui.import_wizard import ImportWizard, RowsModel  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ocop_thanhhoa_messy.xlsx"


def _counts(store):
    return tuple(
        store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("producers", "products", "recognitions")
    )


def test_wizard_previews_then_imports_and_saves_the_report(qtbot, province, tmp_path):
    wizard = ImportWizard(province)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(SAMPLE))
    assert wizard.file_page.sheet_box.currentText() == "Danh sách"
    wizard.next()

    # Detected two-row header and mapping, editable
    mapping = wizard.mapping_page
    assert wizard.currentPage() is mapping
    assert "5+6" in mapping.hint.text()
    assert mapping.boxes[2].currentData() == "producer_name"
    notes = mapping.boxes[8]
    notes.setCurrentIndex(0)  # the officer ignores the notes column
    wizard.next()
    assert wizard.table.columns[8].field is None

    # Preview: every row with its outcome, TCVN3 conversions shown, nothing written
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    model = preview.model
    assert model.rowCount() == 11
    statuses = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert statuses.count("mới") == 4 and statuses.count("lỗi") == 1
    why = [model.index(r, 5).data() for r in range(model.rowCount())]
    assert any("Quảng Xương" in w for w in why)
    filter_box = preview.status_filter
    filter_box.setCurrentIndex(filter_box.findData("incomplete"))
    assert model.rowCount() == 3
    filter_box.setCurrentIndex(0)
    assert model.rowCount() == 11
    assert preview.conversions.rowCount() == 8
    assert preview.conversions.item(0, 3).text() == "Hợp tác xã Cói Ba Đình"
    assert preview.incomplete_box.isVisibleTo(wizard)
    assert _counts(province) == (0, 0, 0)

    preview.skip_incomplete.setChecked(True)
    wizard.next()
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.finished, timeout=20000)
    assert wizard.imported
    assert _counts(province) == (4, 4, 4)  # incomplete rows skipped as chosen
    assert run.report_button.isEnabled()
    report = run.save_report(tmp_path / "report.xlsx")
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[0][0] == "Dòng" and any(r[1] == "lỗi" for r in rows[1:])
    assert wizard.button(QWizard.FinishButton).isEnabled()


def test_wizard_refuses_a_bad_file_with_one_message(qtbot, office, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01\x02 junk" * 50)
    wizard = ImportWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(junk))
    assert "không phải bảng tính" in wizard.file_page.message.text()
    assert not wizard.file_page.isComplete()


def test_rows_model_passes_the_model_tester(qtmodeltester, province):
    from ocop_desktop.importer import load_table, plan_import

    model = RowsModel(plan_import(province, load_table(SAMPLE)))
    qtmodeltester.check(model)


# ---- slow steps run off the UI thread -------------------------------------------------
def _office_list(path: Path, rows: int, empty_sheet: bool = False) -> Path:
    """A real .xlsx of ``rows`` products of the Nga Sơn area."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Hạng sao", "Số QĐ", "Ngày QĐ",
               "Bộ sản phẩm"])  # fmt: skip
    for i in range(rows):
        ws.append([i + 1, f"Mật ong Ba Đình {i}", "HTX Ba Đình", "xã Ba Đình, huyện Nga Sơn",
                   "3 sao", f"{1000 + i}/QĐ-UBND", "23/12/2019", 21])  # fmt: skip
    if empty_sheet:
        wb.create_sheet("Trống")
    wb.save(path)
    return path


def _state(store):
    from ocop_desktop.db import get_meta

    return _counts(store), get_meta(store.db, "seq")


def _cancel_when_the_dialog_shows(wizard):
    """Press Cancel on the progress dialog once it is up (after half a second); the
    returned event is set once pressed. Checks meanwhile that Next cannot be pressed
    again while the step runs."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    pressed = threading.Event()

    def look() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog) and w.isVisible() and not pressed.is_set():
                assert not wizard.button(QWizard.NextButton).isEnabled()
                w.findChild(QPushButton).click()
                pressed.set()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(look)
    timer.start()
    return pressed, timer


def _held_until(pressed: threading.Event, real):
    """``real`` itself, its progress held at the first report until Cancel is pressed."""

    def wrapper(*args, **kwargs):
        name = "progress" if "progress" in kwargs else None
        report = kwargs[name] if name else args[2]

        def progress(done: int, total: int) -> None:
            report(done, total)  # raises Cancelled once the officer has cancelled
            assert pressed.wait(10), "the progress dialog never showed"

        if name:
            kwargs[name] = progress
        else:
            args = (*args[:2], progress, *args[3:])
        return real(*args, **kwargs)

    return wrapper


def test_reading_and_planning_run_off_the_ui_thread(qtbot, office, tmp_path, monkeypatch):
    import ocop_desktop.importer as importer
    from ocop_desktop.importer import reader

    threads: dict[str, int] = {}
    connections = []
    real_read, real_plan = reader.read_sheet, importer.plan_import

    def read_sheet(*args, **kwargs):
        threads["read"] = threading.get_ident()
        return real_read(*args, **kwargs)

    def plan_import(store, *args, **kwargs):
        threads["plan"] = threading.get_ident()
        connections.append(store.db.conn)
        return real_plan(store, *args, **kwargs)

    monkeypatch.setattr(reader, "read_sheet", read_sheet)
    monkeypatch.setattr(importer, "plan_import", plan_import)
    wizard = ImportWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(_office_list(tmp_path / "ds.xlsx", 3)))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    assert wizard.plan.counts()["new"] == 3

    ui = threading.get_ident()
    assert threads["read"] != ui and threads["plan"] != ui
    # Planned over its own connection (the lists behind the wizard use the store's),
    # closed once done.
    (conn,) = connections
    assert conn is not office.db.conn
    with pytest.raises(dbapi2.ProgrammingError):
        conn.execute("SELECT 1")


def test_cancelling_the_planning_keeps_the_columns_page_usable(
    qtbot, office, tmp_path, monkeypatch
):
    import ocop_desktop.importer as importer

    before = _state(office)
    wizard = ImportWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(_office_list(tmp_path / "ds.xlsx", 5)))
    wizard.next()
    mapping = wizard.mapping_page
    table = wizard.table
    pressed, timer = _cancel_when_the_dialog_shows(wizard)
    monkeypatch.setattr(importer, "plan_import", _held_until(pressed, importer.plan_import))
    wizard.next()
    timer.stop()

    assert pressed.is_set()
    assert wizard.currentPage() is mapping
    assert wizard.plan is None and wizard.table is table
    assert mapping.message.text() == ""
    assert _state(office) == before
    assert wizard.button(QWizard.NextButton).isEnabled()

    wizard.next()  # the officer tries again and lets it finish
    assert wizard.currentPage() is wizard.preview_page
    assert wizard.plan.counts()["new"] == 5
    assert _state(office) == before  # previewing writes nothing


def test_cancelling_the_read_stays_on_the_file_page(qtbot, office, tmp_path, monkeypatch):
    from ocop_desktop.importer import reader

    # Two progress reports: Cancel is pressed at the first, the second stops the read.
    path = _office_list(tmp_path / "ds.xlsx", 2 * reader.PROGRESS_EVERY + 10)
    wizard = ImportWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    pressed, timer = _cancel_when_the_dialog_shows(wizard)
    monkeypatch.setattr(reader, "read_sheet", _held_until(pressed, reader.read_sheet))
    wizard.next()
    timer.stop()

    assert pressed.is_set()
    assert wizard.currentPage() is wizard.file_page
    assert wizard.raw is None and wizard.table is None
    assert wizard.file_page.message.text() == ""
    assert wizard.button(QWizard.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page


def test_a_sheet_refused_while_reading_shows_one_line(qtbot, office, tmp_path):
    from ocop_desktop.errors import UserError

    path = _office_list(tmp_path / "ds.xlsx", 2, empty_sheet=True)
    wizard = ImportWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.sheet_box.setCurrentText("Trống")
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    message = UserError("import.sheet_empty", sheet="Trống").message()
    assert wizard.file_page.message.text() == message
    assert wizard.button(QWizard.NextButton).isEnabled()


# ---- a provincial annex: mapping of every column, product-set proposals -----------
ANNEX = Path(__file__).resolve().parents[1] / "data" / "annex_list.xlsx"


@pytest.mark.today("2026-06-01")  # the annex carries decisions of March 2026
def test_wizard_shows_the_two_row_header_and_takes_proposals_row_by_row(qtbot, province, tmp_path):
    from PySide6.QtCore import Qt

    from ocop_desktop.gui.import_wizard import PROPOSAL_COLUMN

    wizard = ImportWizard(province)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(ANNEX))
    wizard.next()
    mapping = wizard.mapping_page
    assert "6+7" in mapping.hint.text()
    labels = [mapping.grid.item(i, 1).text() for i in range(mapping.grid.rowCount())]
    assert labels[7] == "Quyết định công nhận / Ngày"
    assert [b.currentData() for b in mapping.boxes][5:8] == [
        "stars",
        "decision_no",
        "decision_date",
    ]
    wizard.next()

    preview = wizard.preview_page
    model = preview.model
    assert preview.proposals_box.isVisibleTo(wizard)
    rows = {model.index(r, 2).data(): r for r in range(model.rowCount())}
    fish = model.index(rows["Nước mắm Nga Hải"], PROPOSAL_COLUMN)
    assert fish.data().startswith("9 Tương, nước mắm")
    assert fish.data(Qt.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.flags(fish) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(fish, Qt.CheckState.Checked, Qt.CheckStateRole)
    preview.view.resizeColumnsToContents()
    wizard.resize(1200, 700)
    wizard.grab().save(str(tmp_path / "preview.png"))
    wizard.next()
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.finished, timeout=30000)
    sets = dict(province.db.execute("SELECT name, product_set FROM products").fetchall())
    assert sets["Nước mắm Nga Hải"] == 9  # the one the officer ticked
    assert sets["Gạo nếp cái hoa vàng"] is None  # proposed, not accepted
    assert _counts(province) == (15, 15, 15)


def test_accept_all_ticks_every_proposal(qtbot, province):
    from PySide6.QtCore import Qt

    from ocop_desktop.gui.import_wizard import PROPOSAL_COLUMN
    from ocop_desktop.importer import load_table, plan_import

    model = RowsModel(plan_import(province, load_table(ANNEX)))
    model.accept_all()
    ticked = [
        model.index(r, PROPOSAL_COLUMN).data(Qt.CheckStateRole)
        for r in range(model.rowCount())
        if model.index(r, PROPOSAL_COLUMN).data()
    ]
    assert len(ticked) == model.proposals() == 14
    assert set(ticked) == {Qt.CheckState.Checked}
