"""Product form: producer picker, product set by group, market facts, photos,
and the product's evaluations and certificates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from ocop_desktop import evaluations, products, recognitions
from ocop_desktop.gui import formatting
from ocop_desktop.gui.forms.base import EnterOpens, RecordForm
from ocop_desktop.gui.forms.fields import get_value, parse_number, set_value, show_number
from ocop_desktop.gui.widgets.attachments_view import AttachmentsView
from ocop_desktop.gui.widgets.product_set_combo import fill_product_sets
from ocop_desktop.gui.widgets.record_picker import ProducerPicker
from ocop_desktop.i18n import tr

LIST_FIELDS = products.LIST_FIELDS


class ProductForm(RecordForm):
    table = "products"
    ui_name = "product_form.ui"
    title_key = "forms.product_title"
    default_size = (780, 600)
    service = products
    fields = (
        "name",
        "producer_id",
        "product_set",
        "stage",
        "description",
        "trademark",
        "price",
        "unit",
        "notes",
        "raw_material",
        "packaging",
        "standards",
        "traceability",
        "sales_channels",
        "ecommerce",
        "export_markets",
    )

    def setup(self) -> None:
        self.producer = self.replace_slot("producer_id", ProducerPicker(self.store, self.ui))
        fill_product_sets(self.w("product_set"))
        stage: QComboBox = self.w("stage")
        stage.addItem(tr("forms.none"), None)
        for n in range(1, 7):
            stage.addItem(tr(f"stage.{n}"), n)
        self.photos = self.replace_slot(
            "photos", AttachmentsView(self.store, "products", "photo", "forms.photos_add", self.ui)
        )
        self.table_widget: QTableWidget = self.ui.findChild(QTableWidget, "certificates")
        t = self.table_widget
        t.setColumnCount(3)
        t.setHorizontalHeaderLabels(
            [tr("forms.col_type"), tr("forms.col_date"), tr("forms.col_detail")]
        )
        t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        t.verticalHeader().hide()
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.itemDoubleClicked.connect(self._open_certificate)
        EnterOpens(t, lambda: self._open_certificate(t.item(t.currentRow(), 0)))
        self.hint: QLabel = self.ui.findChild(QLabel, "certificates_hint")
        self.ui.findChild(QPushButton, "add_recognition").clicked.connect(
            lambda: self._add_child("recognitions")
        )
        self.ui.findChild(QPushButton, "add_evaluation").clicked.connect(
            lambda: self._add_child("evaluations")
        )

    def read(self) -> dict[str, Any]:
        data = {f: get_value(self.w(f)) for f in self.fields}
        data["price"] = parse_number(self.w("price").text())
        return data

    def write(self, record: dict[str, Any]) -> None:
        for f in self.fields:
            value = record.get(f)
            if f in LIST_FIELDS:
                value = "; ".join(value) if isinstance(value, list) else value
            elif f == "price":
                value = show_number(value)
            set_value(self.w(f), value)

    def loaded(self) -> None:
        self.photos.set_owner(self.record_id)
        self.refresh_certificates()

    def extra_dirty(self) -> bool:
        return self.photos.has_changes

    def after_save(self, record_id: str) -> None:
        self.photos.commit(record_id)

    # ---- evaluations and certificates ----------------------------------------------
    def refresh_certificates(self) -> None:
        t = self.table_widget
        t.setRowCount(0)
        exists = bool(self.record_id)
        self.hint.setText(
            tr("forms.certificates_hint" if exists else "forms.certificates_save_first")
        )
        if not exists:
            return
        rows = []
        for r in recognitions.list_(self.store, product_id=self.record_id):
            detail = tr(
                "forms.recognition_row",
                decision=r["decision_no"],
                stars=r["stars"],
                status=tr(f"status.{r['status']}"),
            )
            rows.append(("recognitions", r["id"], r["decision_date"], detail))
        for e in evaluations.list_for_product(self.store, self.record_id):
            detail = tr(
                "forms.evaluation_row",
                level=tr(f"level.{e['level']}"),
                points=show_number(e["points"]),
                stars=e["stars"],
            )
            rows.append(("evaluations", e["id"], e["eval_date"], detail))
        rows.sort(key=lambda r: r[2], reverse=True)
        for table, rid, day, detail in rows:
            row = t.rowCount()
            t.insertRow(row)
            kind = tr(
                "forms.type_recognition" if table == "recognitions" else "forms.type_evaluation"
            )
            for col, text in enumerate((kind, formatting.iso_date(day), detail)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (table, rid))
                t.setItem(row, col, item)
        t.resizeColumnToContents(0)
        t.resizeColumnToContents(1)

    def _add_child(self, table: str) -> None:
        from ocop_desktop.gui.forms import open_record

        if not self.record_id and not self.save(close=False):  # a new product: saved first
            return
        if open_record(self, self.store, table, product_id=self.record_id):
            self.refresh_certificates()

    def _open_certificate(self, item: QTableWidgetItem) -> None:
        from ocop_desktop.gui.forms import open_record

        table, rid = item.data(Qt.ItemDataRole.UserRole)
        open_record(self, self.store, table, rid)
        self.refresh_certificates()
