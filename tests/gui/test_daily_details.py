"""What a daily user trips on: certificate from the evaluation, the expiring list's
order, a delete that names the record, readable filters and headings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ocop_desktop import clock, evaluations, products, recognitions, rubric
from tests.gui.forms_helpers import show_form


def _score(store, product_id, level="province"):
    """A council's scoring of the product: the best options, but short of five stars."""
    sheet = rubric.sheet(6)
    options = {}
    for c in sheet.criteria:
        ranked = sorted(c.options, key=lambda o: o.points, reverse=True)
        options[c.key] = (ranked[1] if ranked[0].min_stars == 5 else ranked[0]).key
    return evaluations.add(
        store,
        {
            "product_id": product_id,
            "eval_date": clock.today().isoformat(),
            "level": level,
            "options": options,
        },
    )


def test_a_new_certificate_takes_the_points_and_stars_just_scored(qtbot, sample):
    from ocop_desktop.gui.forms.recognition import RecognitionForm

    product = sample.ids["Bánh gai Đào"]
    evaluation = evaluations.get(sample, _score(sample, product))
    assert evaluation["points"] and evaluation["stars"] >= 3
    form = show_form(qtbot, RecognitionForm(sample, None, None, product_id=product))
    assert form.w("points").text() == f"{evaluation['points']:g}".replace(".", ",")
    assert form.w("stars").currentData() == evaluation["stars"]


def test_choosing_the_product_fills_the_evaluation_too(qtbot, sample):
    from ocop_desktop.gui.forms.recognition import RecognitionForm

    product = sample.ids["Bánh gai Đào"]
    evaluation = evaluations.get(sample, _score(sample, product))
    form = show_form(qtbot, RecognitionForm(sample, None, None))
    assert form.w("points").text() == ""
    entry = form.product.describe(product)
    form.product.choose(entry)
    assert form.w("points").text() == f"{evaluation['points']:g}".replace(".", ",")
    assert form.w("stars").currentData() == evaluation["stars"]


def test_the_expiring_filter_lists_the_soonest_first(qtbot, window, sample):
    today = clock.today()
    producer = sample.ids["Hợp tác xã Đông Tiến"]
    for n, days_ago in enumerate((1050, 1085, 1070)):  # 36 months ≈ 1096 days of validity
        product = products.add(
            sample, {"name": f"Nem chua {n}", "producer_id": producer, "product_set": 8}
        )
        recognitions.add(
            sample,
            {
                "product_id": product,
                "decision_no": f"{900 + n}/QĐ-UBND",
                "decision_date": (today - timedelta(days=days_ago)).isoformat(),
                "stars": 3,
            },
        )
    page = window.show_page("certificates").current()
    page.refresh()
    page.set_combo("status", "expiring")
    qtbot.waitUntil(lambda: page.model.total is not None)
    expiry = page.spec.columns.index(next(c for c in page.spec.columns if c.key == "expiry"))
    dates = [page.model.index(r, expiry).data() for r in range(page.model.rowCount())]
    raw = [
        sample.db.execute(
            "SELECT expiry_date FROM recognitions WHERE id = ?", [page.model.record_id(r)]
        ).fetchone()[0]
        for r in range(page.model.rowCount())
    ]
    assert len(raw) >= 3 and raw == sorted(raw), dates
    assert page.view.horizontalHeader().sortIndicatorSection() == expiry


def test_the_delete_question_names_the_record(qtbot, window, answers):
    page = window.show_page("products")
    qtbot.waitUntil(lambda: page.model.total is not None)
    row = next(
        r for r in range(page.model.rowCount()) if page.model.display(r, 0) == "Bánh gai Đào"
    )
    page.view.selectRow(row)
    page.delete_selected()
    assert answers[-1][0] == "question"
    assert "«Bánh gai Đào»" in answers[-1][1]


def test_the_product_set_filter_has_no_leading_spaces(qtbot, window):
    page = window.show_page("products")
    combo = page.combos["set"]
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert any(t.startswith("09 · ") for t in texts)
    assert not any(t.startswith(" ") for t in texts)
    combo.setCurrentIndex(combo.findData("set:9"))
    assert combo.currentText().startswith("09 · ")


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_filters_stay_readable_at_1024_by_600(qtbot, window, width):
    window.resize(width, 600)
    page = window.show_page("products")
    QApplication.processEvents()
    for combo in page.combos.values():
        text = combo.currentText()
        needed = combo.fontMetrics().horizontalAdvance(text)
        assert combo.width() - 30 >= needed, (text, combo.width(), needed)
    assert page.new_button.width() >= page.new_button.sizeHint().width()
    window.grab().save(str(window.store.path.with_name(f"products-{width}.png")))


def test_the_empty_attention_list_says_so_across_the_row(qtbot, db_path):
    from ocop_desktop.gui.main_window import MainWindow
    from ocop_desktop.store import init_node

    store = init_node(db_path, role="office", office="401")
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    page = window.show_page("overview")
    QApplication.processEvents()
    assert page.attention.isFirstColumnSpanned(0, page.attention.rootIndex())
    store.close()


def test_history_headings_are_whole(qtbot, sample):
    from ocop_desktop.gui.history import COLUMNS, HistoryDialog
    from ocop_desktop.i18n import tr

    dialog = HistoryDialog(sample, sample.ids["Mắm tôm Ba Làng"])
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    header = dialog.table.horizontalHeader()
    for i, c in enumerate(COLUMNS):
        assert header.sectionSize(i) >= header.fontMetrics().horizontalAdvance(tr(f"history.{c}"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_chart_labels_are_whole_at_1024_by_600(qtbot, window, lang):
    """The group and commune names fit left of their bars (a name that does not is
    cut to "Dược liệu và sả…", and its full width exceeds that room)."""
    from PySide6.QtCharts import QBarCategoryAxis, QChartView
    from PySide6.QtGui import QFontMetricsF

    window.set_language(lang)
    window.resize(1024, 600)
    page = window.show_page("overview")
    qtbot.waitUntil(lambda: len(page.findChildren(QChartView)) == 3, timeout=10_000)
    window.grab()  # laid out and drawn at this size
    QApplication.processEvents()
    checked = 0
    for view in page.findChildren(QChartView):
        chart = view.chart()
        (axis,) = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
        if axis.alignment() != Qt.AlignmentFlag.AlignLeft:
            continue  # the stars chart: "3 ★" under its bar
        room = chart.plotArea().left() - chart.geometry().left()
        metrics = QFontMetricsF(axis.labelsFont())
        for name in axis.categories():
            assert metrics.horizontalAdvance(name) <= room, (name, room)
            checked += 1
    assert checked >= 6


def test_the_product_form_set_combo_shows_its_text_from_the_left(qtbot, sample):
    from ocop_desktop.gui.forms.product import ProductForm

    form = show_form(qtbot, ProductForm(sample, sample.ids["Mắm tôm Ba Làng"], None))
    combo = form.w("product_set")
    assert combo.currentText().startswith("9. ")
    index = combo.model().index(combo.currentIndex(), 0)
    assert index.data(Qt.ItemDataRole.DecorationRole) is None  # no blank icon before it
    popup_indent = combo.itemDelegate()
    assert popup_indent is not None and type(popup_indent).__name__ == "_Indented"
