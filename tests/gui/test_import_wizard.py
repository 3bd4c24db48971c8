"""The import wizard: preview every row before writing, import off the UI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

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
    why = [model.index(r, 4).data() for r in range(model.rowCount())]
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
