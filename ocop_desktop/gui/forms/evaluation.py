"""Evaluation form: parts A/B/C (maxima 40/25/35) → total and stars, live.

The points are typed per part, or come from the scoring sheet ("Phiếu chấm
điểm…"): then the parts show the sheet's points read-only, the chosen options
are saved with the evaluation and the stars respect the sheet's minimum
requirements.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDoubleSpinBox, QLabel, QPushButton

from ocop_desktop import clock, evaluations, products, refdata, rubric
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.gui.forms.base import RecordForm
from ocop_desktop.gui.forms.fields import setup_date_edit, setup_spin, show_number
from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog, stars_text
from ocop_desktop.gui.widgets.record_picker import ProductPicker
from ocop_desktop.i18n import tr
from ocop_desktop.validation import EVALUATION_LEVELS, PART_MAX

PARTS = tuple(f"points_{p}" for p in PART_MAX)


class EvaluationForm(RecordForm):
    table = "evaluations"
    ui_name = "evaluation_form.ui"
    title_key = "forms.evaluation_title"
    default_size = (560, 460)
    service = evaluations
    fields = (
        "product_id",
        "level",
        "eval_date",
        *PARTS,
        "council",
        "minimums_stated_by",
        "notes",
    )

    # The options chosen on the scoring sheet (criterion -> option), None when typed,
    # and the product set whose sheet they were chosen on.
    options: dict[str, int] | None = None
    options_set: int | None = None

    def setup(self) -> None:
        self.product = self.replace_slot("product_id", ProductPicker(self.store, self.ui))
        self.product.changed.connect(self._product_changed)
        level: QComboBox = self.w("level")
        level.addItem(tr("forms.choose"), None)
        for lv in EVALUATION_LEVELS:
            level.addItem(tr(f"level.{lv}"), lv)
        setup_date_edit(self.w("eval_date"))
        self.w("eval_date").dateChanged.connect(self._levels_for_date)
        for part, hi in PART_MAX.items():
            spin: QDoubleSpinBox = self.w(f"points_{part}")
            setup_spin(spin)
            spin.setRange(0, hi)
            spin.setSuffix(f" / {show_number(hi)}")
            spin.valueChanged.connect(self.refresh_total)
        self.total: QLabel = self.ui.findChild(QLabel, "total_display")
        self.stars: QLabel = self.ui.findChild(QLabel, "stars_display")

    def _levels_for_date(self) -> None:
        """Grey out the councils that do not exist on the date (no district from
        6 July 2025); saving one anyway says which rule refuses it."""
        from ocop_desktop import authority

        day = self.w("eval_date").date().toString("yyyy-MM-dd")
        if not day:
            return
        allowed = {authority.PRE_CHECK, *authority.period_for(day).levels}
        combo: QComboBox = self.w("level")
        model = combo.model()
        for i in range(combo.count()):
            level = combo.itemData(i)
            item = model.item(i) if hasattr(model, "item") else None
            if item is not None and level is not None:
                item.setEnabled(level in allowed)

    def extra_buttons(self) -> list[QPushButton]:
        self.sheet_button = QPushButton(tr("rubric.open_sheet"), self)
        self.sheet_button.setObjectName("sheet_button")
        self.sheet_button.clicked.connect(self.open_sheet)
        return [self.sheet_button]

    def read(self) -> dict[str, Any]:
        options = None
        if self.options is not None:
            options = {"product_set": self.options_set, "choices": self.options}
        return super().read() | {"options": options}

    def write(self, record: dict[str, Any]) -> None:
        stored = record.get("options") or {}
        self.options = stored.get("choices")
        self.options_set = stored.get("product_set")
        super().write(record)
        self._lock_points()

    def _lock_points(self) -> None:
        for p in PARTS:
            spin: QDoubleSpinBox = self.w(p)
            spin.setReadOnly(self.options is not None)
            spin.setToolTip(tr("rubric.from_sheet") if self.options is not None else "")

    def _product_changed(self) -> None:
        """Another product of another set: the chosen options mean nothing there."""
        if self.options is None:
            return
        try:
            same = self.sheet().product_set == self.options_set
        except UserError:
            same = False
        if not same:
            self.options = self.options_set = None
            self._lock_points()
            self.refresh_total()

    def sheet(self) -> rubric.Sheet:
        """The scoring sheet of the chosen product's set (UserError when there is none)."""
        product_id = self.product.value()
        if not product_id or self.product.unresolved:
            raise ValidationError("rubric.choose_product_first", "product_id")
        product = products.get(self.store, product_id)
        if product.get("product_set") is None:
            raise ValidationError("rubric.no_product_set", "product_id")
        return rubric.sheet(int(product["product_set"]))

    def open_sheet(self) -> bool:
        """Show the sheet; OK puts its points in the parts and keeps the options.
        True when the form took a result."""
        try:
            sheet = self.sheet()
        except UserError as exc:
            self.clear_errors()
            self.show_error(exc)
            return False
        same_set = self.options is not None and self.options_set == sheet.product_set
        dialog = ScoringSheetDialog(
            sheet,
            self.options if same_set else None,
            product_name=self.product.edit.text(),
            allow_clear=self.options is not None,
            parent=self,
        )
        self.sheet_dialog = dialog  # for tests and screenshots
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if dialog.cleared:
            self.options = self.options_set = None
        else:
            result = dialog.score()
            self.options = dialog.choices()
            self.options_set = sheet.product_set
            for part in PART_MAX:
                self.w(f"points_{part}").setValue(result.parts.get(part.upper(), 0.0))
        self._lock_points()
        self.refresh_total()
        self._field_edited()
        return True

    def display_name(self) -> str:
        return tr(f"level.{self.record.get('level')}") if self.record.get("level") else ""

    def new_record(self) -> dict[str, Any]:
        return {"eval_date": clock.today().isoformat(), **self.defaults}

    def loaded(self) -> None:
        self.refresh_total()

    def validate(self, data: dict[str, Any]) -> None:
        if self.product.unresolved:
            raise ValidationError("forms.picker_unresolved", "product_id")
        super().validate(data)

    def refresh_total(self) -> None:
        total = round(sum(self.w(p).value() for p in PARTS), 2)
        self.total.setText(f"{show_number(total)} / 100")
        result = self._sheet_score() if self.options is not None else None
        if result is not None:
            if result.capped_by:
                criteria = ", ".join(r.criterion.key for r in result.capped_by)
                text = tr(
                    "rubric.form_capped",
                    stars=stars_text(result),
                    by_points=result.stars_by_points,
                    criteria=criteria,
                )
            else:
                text = tr("rubric.form_stars", stars=stars_text(result))
            self.stars.setText(text)
            return
        ref = refdata.load()
        stars = ref.stars_for_points(total)
        key = "forms.stars_band" if ref.band(stars).certificate else "forms.stars_no_certificate"
        self.stars.setText(tr(key, stars=stars))

    def _sheet_score(self) -> rubric.Score | None:
        try:
            sheet = self.sheet()
        except UserError:
            return None
        if sheet.product_set != self.options_set:  # saving will say so
            return None
        return rubric.score(sheet, self.options or {})
