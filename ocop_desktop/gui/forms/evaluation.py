"""Evaluation form: parts A/B/C (maxima 40/25/35) → total and stars, live."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel

from ocop_desktop import evaluations, refdata
from ocop_desktop.errors import ValidationError
from ocop_desktop.gui.forms.base import RecordForm
from ocop_desktop.gui.forms.fields import setup_date_edit, setup_spin, show_number
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
    fields = ("product_id", "level", "eval_date", *PARTS, "council", "notes")

    def setup(self) -> None:
        self.product = self.replace_slot("product_id", ProductPicker(self.store, self.ui))
        level: QComboBox = self.w("level")
        level.addItem(tr("forms.choose"), None)
        for lv in EVALUATION_LEVELS:
            level.addItem(tr(f"level.{lv}"), lv)
        setup_date_edit(self.w("eval_date"))
        for part, hi in PART_MAX.items():
            spin: QDoubleSpinBox = self.w(f"points_{part}")
            setup_spin(spin)
            spin.setRange(0, hi)
            spin.setSuffix(f" / {show_number(hi)}")
            spin.valueChanged.connect(self.refresh_total)
        self.total: QLabel = self.ui.findChild(QLabel, "total_display")
        self.stars: QLabel = self.ui.findChild(QLabel, "stars_display")

    def display_name(self) -> str:
        return tr(f"level.{self.record.get('level')}") if self.record.get("level") else ""

    def new_record(self) -> dict[str, Any]:
        return {"eval_date": date.today().isoformat(), **self.defaults}

    def loaded(self) -> None:
        self.refresh_total()

    def validate(self, data: dict[str, Any]) -> None:
        if self.product.unresolved:
            raise ValidationError("forms.picker_unresolved", "product_id")
        super().validate(data)

    def refresh_total(self) -> None:
        total = round(sum(self.w(p).value() for p in PARTS), 2)
        self.total.setText(f"{show_number(total)} / 100")
        ref = refdata.load()
        stars = ref.stars_for_points(total)
        key = "forms.stars_band" if ref.band(stars).certificate else "forms.stars_no_certificate"
        self.stars.setText(tr(key, stars=stars))
