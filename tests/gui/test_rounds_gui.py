"""A council round in the app: three members fill their sheets on two products,
the results follow, the decision is recorded and its documents are written."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ocop_desktop import producers, products, recognitions, rounds, rubric
from ocop_desktop.gui.round_dialog import RoundDialog, RoundsPanel
from tests.gui.forms_helpers import answer_next_dialog

pytestmark = pytest.mark.today("2026-11-30")
MEMBERS = ("Nguyễn Văn An", "Lê Thị Hằng", "Trần Quốc Bảo")


def best(product_set: int) -> dict[str, int]:
    sheet = rubric.sheet(product_set)
    return {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria}


@pytest.fixture
def council(province, producer_data):
    producer = producers.add(province, producer_data)
    ids = [
        products.add(province, {"name": name, "producer_id": producer, "product_set": 9})
        for name in ("Mắm tôm Ba Làng", "Nước mắm Hòa Lộc")
    ]
    round_id = rounds.create(
        province,
        {
            "name": "Đợt 2 năm 2026",
            "round_date": "2026-10-20",
            "level": "province",
            "chair": MEMBERS[0],
            "members": list(MEMBERS[1:]),
            "secretary": "Phạm Thu Trang",
            "products": ids,
        },
    )
    return round_id, ids


def _fill(choices: dict[str, int]):
    def act(dialog) -> None:
        for key, option in choices.items():
            dialog.buttons[(key, option)].setChecked(True)
        dialog.accept()

    return act


def test_members_fill_their_sheets_and_the_round_decides(qtbot, province, council, tmp_path):
    round_id, ids = council
    dialog = RoundDialog(province, round_id)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    assert table.rowCount() == 2
    assert [table.horizontalHeaderItem(c).text() for c in range(2, 5)] == list(MEMBERS)
    assert table.item(0, 2).text() == "—"
    assert not dialog.buttons["decision"].isEnabled()

    top = best(9)
    weaker = top | {"A1": 1}
    for product, row_choices in ((ids[0], (top, top, weaker)), (ids[1], (weaker,) * 3)):
        for column, choice in enumerate(row_choices, start=2):
            row = [r.product_id for r in dialog.results].index(product)  # rows follow the rank
            answer_next_dialog(_fill(choice))
            assert dialog.open_cell(row, column)
    first = dialog.results[0]
    assert (first.product_id, first.total, first.recognised_stars, first.proposed) == (
        ids[0],
        98.67,
        4,
        True,
    )
    assert table.item(0, 5).text() == "98,67"
    assert "Đề nghị cấp trên" in table.item(0, 7).text()
    # A member reopens their sheet: it shows their earlier choice.
    answer_next_dialog(lambda d: d.reject())
    dialog.open_cell(0, 2)
    assert dialog.sheet_dialog.choices() == top

    def fill_decision(d) -> None:
        d.number.setText("715/QĐ-UBND")
        d.signer.setText("Lê Đức Giang")
        d.accept()

    answer_next_dialog(fill_decision)
    assert dialog.decide()
    assert "715/QĐ-UBND" in dialog.council.text()
    assert {r["product_id"] for r in recognitions.list_(province)} == set(ids)
    assert dialog.buttons["certificates"].isEnabled() and not dialog.buttons["decide"].isEnabled()
    for kind in ("minutes", "results", "decision", "certificates"):
        out = dialog.save_pdf(kind, str(tmp_path / f"{kind}.pdf"))
        assert out is not None and out.read_bytes().startswith(b"%PDF"), kind


def test_a_refused_sheet_says_why_and_changes_nothing(qtbot, province, council):
    round_id, ids = council
    dialog = RoundDialog(province, round_id)
    qtbot.addWidget(dialog)
    assert not dialog.record(ids[0], "Người ngoài", best(9))
    assert dialog.message.isVisibleTo(dialog) and "không phải thành viên" in dialog.message.text()
    assert province.db.execute("SELECT count(*) FROM member_sheets").fetchone()[0] == 0


def test_the_rounds_tab_lists_rounds_and_makes_a_new_one(qtbot, province, council):
    panel = RoundsPanel(province)
    qtbot.addWidget(panel)
    assert panel.list.count() == 1 and "Đợt 2 năm 2026" in panel.list.item(0).text()

    def fill(d) -> None:
        d.name.setText("Đợt 3 năm 2026")
        d.chair.setText("Nguyễn Văn An")
        d.members.setPlainText("Lê Thị Hằng\nTrần Quốc Bảo")
        d.accept()
        QApplication.processEvents()
        # The new round opens at once: close it.
        answer_next_dialog(lambda r: r.accept())

    answer_next_dialog(fill)
    panel.new_record()
    assert panel.list.count() == 2
    made = [r for r in rounds.list_(province) if r["name"] == "Đợt 3 năm 2026"]
    assert [(r["level"], r["round_date"], r["chair"]) for r in made] == [
        ("province", "2026-11-30", "Nguyễn Văn An")
    ]


def test_a_product_is_added_to_the_round_with_the_picker(qtbot, province, council, producer_data):
    round_id, ids = council
    extra = products.add(
        province,
        {
            "name": "Nem chua Thanh Hóa",
            "producer_id": producers.add(province, producer_data),
            "product_set": 8,
        },
    )
    dialog = RoundDialog(province, round_id)
    qtbot.addWidget(dialog)

    def pick(d) -> None:
        from ocop_desktop.gui.widgets.record_picker import ProductPicker

        d.findChild(ProductPicker).set_value(extra)
        d.accept()

    answer_next_dialog(pick)
    assert dialog.add_product()
    assert dialog.table.rowCount() == 3
    assert rounds.get(province, round_id).product_ids == [*ids, extra]
    # The same product twice is refused, with the reason shown.
    answer_next_dialog(pick)
    assert not dialog.add_product()
    assert "đã có trong đợt" in dialog.message.text()


def test_the_evaluation_form_greys_out_the_district_council_after_the_reform(
    qtbot, province, council
):
    from PySide6.QtCore import QDate

    from ocop_desktop.gui.forms.evaluation import EvaluationForm
    from tests.gui.forms_helpers import show_form

    _, ids = council
    form = show_form(qtbot, EvaluationForm(province, None, None, product_id=ids[0]))
    combo = form.w("level")
    district = combo.findData("district")

    def enabled() -> bool:
        return combo.model().item(district).isEnabled()

    form.w("eval_date").setDate(QDate(2025, 6, 30))
    assert enabled()
    form.w("eval_date").setDate(QDate(2025, 7, 1))  # the district level ended that day
    assert not enabled() and combo.model().item(combo.findData("province")).isEnabled()
