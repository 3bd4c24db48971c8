"""Producer form (chủ thể OCOP), with the duplicate warning."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
)

from ocop_desktop import producers, products, refdata
from ocop_desktop.errors import ValidationError
from ocop_desktop.gui.forms.base import EnterOpens, RecordForm
from ocop_desktop.gui.forms.fields import get_value, set_value
from ocop_desktop.gui.widgets.commune_picker import CommunePicker
from ocop_desktop.i18n import tr
from ocop_desktop.validation import PRODUCER_KINDS


class ProducerForm(RecordForm):
    table = "producers"
    ui_name = "producer_form.ui"
    title_key = "forms.producer_title"
    default_size = (860, 560)
    service = producers
    # In the order Tab visits them: the left column, then the right one.
    fields = (
        "name",
        "kind",
        "commune_code",
        "village",
        "address",
        "phone",
        "tax_code",
        "representative",
        "representative_female",
        "representative_ethnic",
        "founded_year",
        "workers_total",
        "workers_women",
        "notes",
    )
    aliases = {"legacy_commune_code": "commune_code"}

    def setup(self) -> None:
        self.commune = CommunePicker(self.store.node.area, self.ui)
        self.replace_slot("commune_code", self.commune)
        kind: QComboBox = self.w("kind")
        kind.addItem(tr("forms.choose"), None)
        for k in PRODUCER_KINDS:
            kind.addItem(tr(f"kind.{k}"), k)
        self.banner: QLabel = self.ui.findChild(QLabel, "duplicate_banner")
        self.banner.setStyleSheet("background: #fff4ce; padding: 6px; border: 1px solid #e0c060;")
        self.banner.linkActivated.connect(self._open_link)
        self.banner.hide()
        self.w("name").editingFinished.connect(self.refresh_duplicates)
        self.w("tax_code").editingFinished.connect(self.refresh_duplicates)
        self.commune.changed.connect(self.refresh_duplicates)
        self._acknowledged: set[str] = set()
        self.products_list: QListWidget = self.ui.findChild(QListWidget, "producer_products")
        self.products_list.itemDoubleClicked.connect(self._open_product)
        EnterOpens(self.products_list, lambda: self._open_product(self.products_list.currentItem()))
        self.products_hint: QLabel = self.ui.findChild(QLabel, "products_hint")
        self.add_product: QPushButton = self.ui.findChild(QPushButton, "add_product")
        self.add_product.clicked.connect(self._new_product)

    # ---- values ----------------------------------------------------------------
    def read(self) -> dict[str, Any]:
        data = {f: get_value(self.w(f)) for f in self.fields if f != "commune_code"}
        data["commune_code"], data["legacy_commune_code"] = self.commune.value()
        return data

    def write(self, record: dict[str, Any]) -> None:
        for f in self.fields:
            if f == "commune_code":
                self.commune.set_value(
                    record.get("commune_code"), record.get("legacy_commune_code")
                )
            else:
                set_value(self.w(f), record.get(f))

    def loaded(self) -> None:
        self._acknowledged.clear()
        self.refresh_duplicates()
        self.refresh_products()

    # ---- the producer's products ---------------------------------------------------
    def refresh_products(self) -> None:
        self.products_list.clear()
        exists = bool(self.record_id)
        self.products_hint.setText(
            tr("forms.products_hint" if exists else "forms.products_save_first")
        )
        if not exists:
            return
        for p in products.list_(self.store, producer_id=self.record_id):
            status = tr(f"status.{p['status'] or 'none'}")
            if p["stars"]:
                text = tr("forms.product_row", name=p["name"], stars=p["stars"], status=status)
            else:
                text = tr("forms.product_row_none", name=p["name"], status=status)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p["id"])
            self.products_list.addItem(item)

    def _new_product(self) -> None:
        from ocop_desktop.gui.forms import open_record

        if not self.record_id and not self.save(close=False):  # a new producer: saved first
            return
        if open_record(self, self.store, "products", producer_id=self.record_id):
            self.refresh_products()

    def _open_product(self, item: QListWidgetItem) -> None:
        from ocop_desktop.gui.forms import open_record

        open_record(self, self.store, "products", item.data(Qt.ItemDataRole.UserRole))
        self.refresh_products()

    def validate(self, data: dict[str, Any]) -> None:
        if self.commune.unresolved:
            raise ValidationError("forms.commune_unresolved", "commune_code")
        super().validate(data)

    # ---- duplicates ----------------------------------------------------------------
    def duplicates(self) -> list[dict]:
        data = self.read()
        if not data.get("name") and not data.get("tax_code"):
            return []
        return producers.duplicates(self.store, data, exclude_id=self.record_id)

    def _describe(self, dup: dict) -> str:
        parts = [dup["name"]]
        commune = refdata.load().commune_name(dup["commune_code"])
        if commune:
            parts.append(commune)
        if dup["tax_code"]:
            parts.append(tr("forms.tax_short", tax=dup["tax_code"]))
        return ", ".join(parts)

    def refresh_duplicates(self) -> None:
        if self.closed:
            return
        dups = self.duplicates()
        if not dups:
            self.banner.hide()
            return
        items = "; ".join(
            f'{escape(self._describe(d))} (<a href="open:{d["id"]}">{tr("forms.duplicate_open")}</a>)'
            for d in dups
        )
        self.banner.setText(tr("forms.duplicate_banner", items=items))
        self.banner.show()

    def _open_link(self, link: str) -> None:
        if link.startswith("open:"):
            self.open_existing(link[5:])

    def open_existing(self, producer_id: str) -> None:
        """Close this form (asking about unsaved input) and open the existing producer."""
        self.open_instead = producer_id
        self.reject()

    def confirm_save(self) -> bool:
        identity = {"name", "tax_code", "commune_code"}
        if self.record_id and not identity & set(self.changes()):
            return True  # an old duplicate is not news when the identity did not change
        dups = [d for d in self.duplicates() if d["id"] not in self._acknowledged]
        if not dups:
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("forms.duplicate_title"))
        box.setText(
            tr("forms.duplicate_text", items="\n".join("• " + self._describe(d) for d in dups))
        )
        open_button = box.addButton(
            tr("forms.duplicate_open_existing"), QMessageBox.ButtonRole.ActionRole
        )
        save_button = box.addButton(
            tr("forms.duplicate_save_anyway"), QMessageBox.ButtonRole.AcceptRole
        )
        back = box.addButton(tr("forms.duplicate_back"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save_button:
            self._acknowledged.update(d["id"] for d in dups)
            return True
        if clicked is open_button:
            self.open_instead = dups[0]["id"]
            self._snapshot = self.read()  # the typed duplicate is given up on purpose
            self.done(self.DialogCode.Rejected)
        return False
