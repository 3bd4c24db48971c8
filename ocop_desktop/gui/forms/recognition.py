"""Recognition (certificate) form: decision, stars, points; expiry and status live."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ocop_desktop import cert_status, clock, evaluations, recognitions, refdata
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.gui.forms.base import RecordForm
from ocop_desktop.gui.forms.fields import (
    get_value,
    parse_number,
    set_value,
    setup_date_edit,
    show_number,
)
from ocop_desktop.gui.widgets.attachments_view import AttachmentsView
from ocop_desktop.gui.widgets.record_picker import ProductPicker
from ocop_desktop.i18n import format_date, tr


class RecognitionForm(RecordForm):
    table = "recognitions"
    ui_name = "recognition_form.ui"
    title_key = "forms.recognition_title"
    default_size = (620, 640)
    service = recognitions
    fields = (
        "product_id",
        "decision_no",
        "decision_date",
        "issuer",
        "stars",
        "potential_5",
        "points",
        "notes",
    )
    aliases = {"expiry_date": "decision_date", "revoked_date": "decision_date"}

    def setup(self) -> None:
        self.product = self.replace_slot("product_id", ProductPicker(self.store, self.ui))
        stars: QComboBox = self.w("stars")
        stars.addItem(tr("forms.stars_auto"), None)
        for n in (3, 4, 5):
            stars.addItem(tr("forms.stars_n", n=n), n)
        self.w("points").textChanged.connect(self.refresh_band)
        self.product.changed.connect(self.product_chosen)
        setup_date_edit(self.w("decision_date"))
        self.w("decision_date").dateChanged.connect(self.refresh_expiry)
        # Blank: the body the rules name for the decision's date and stars.
        self.w("issuer").setPlaceholderText(tr("round.issuer_default"))
        self.expiry: QLabel = self.ui.findChild(QLabel, "expiry_date")
        self.status: QLabel = self.ui.findChild(QLabel, "status_display")
        self.revocation: QLabel = self.ui.findChild(QLabel, "revocation_display")
        self.scans = self.replace_slot(
            "scans",
            AttachmentsView(self.store, "recognitions", "certificate", "forms.scans_add", self.ui),
        )

    def extra_buttons(self) -> list[QPushButton]:
        self.revoke_button = QPushButton(tr("forms.revoke"), self)
        self.revoke_button.clicked.connect(self.revoke)
        return [self.revoke_button]

    def display_name(self) -> str:
        return str(self.record.get("decision_no") or "")

    def new_record(self) -> dict[str, Any]:
        record = {"decision_date": clock.today().isoformat(), **self.defaults}
        if record.get("product_id") and record.get("points") is None:
            record |= scored(self.store, record["product_id"])
        return record

    def product_chosen(self) -> None:
        """A new certificate takes the points and stars of the product's evaluation."""
        if self.record_id or self.product.unresolved:
            return
        product_id = get_value(self.product)
        if not product_id or self.w("points").text().strip():
            return
        basis = scored(self.store, product_id)
        if basis:
            set_value(self.w("points"), show_number(basis["points"]))
            set_value(self.w("stars"), basis["stars"])

    def read(self) -> dict[str, Any]:
        data = {f: get_value(self.w(f)) for f in self.fields}
        data["points"] = parse_number(self.w("points").text())
        return data

    def write(self, record: dict[str, Any]) -> None:
        for f in self.fields:
            value = show_number(record.get(f)) if f == "points" else record.get(f)
            set_value(self.w(f), value)

    def loaded(self) -> None:
        self.scans.set_owner(self.record_id)
        revoked = self.record.get("revoked_date")
        self.revoke_button.setVisible(bool(self.record_id) and not revoked)
        label = self.ui.findChild(QLabel, "label_revocation_display")
        label.setVisible(bool(revoked))
        self.revocation.setVisible(bool(revoked))
        if revoked:
            reason = self.record.get("revoke_reason")
            self.revocation.setText(
                tr(
                    "forms.revoked_on",
                    date=format_date(date.fromisoformat(revoked)),
                    reason=f" – {reason}" if reason else "",
                )
            )
        self.refresh_expiry()

    def extra_dirty(self) -> bool:
        return self.scans.has_changes

    def after_save(self, record_id: str) -> None:
        self.scans.commit(record_id)

    def validate(self, data: dict[str, Any]) -> None:
        if self.product.unresolved:
            raise ValidationError("forms.picker_unresolved", "product_id")
        merged = self.merged(data)
        if self.record_id and "decision_date" in self.changes(data):
            merged["expiry_date"] = None
        recognitions.clean(self.store, merged, record_id=self.record_id)

    # ---- live expiry and status -------------------------------------------------------
    def expiry_date(self) -> date:
        decided = self.w("decision_date").date().toPython()
        stored = self.record.get("expiry_date")
        if stored and self.record.get("decision_date") == decided.isoformat():
            return date.fromisoformat(stored)
        return recognitions.add_months(decided, recognitions.VALID_MONTHS)

    def refresh_expiry(self) -> None:
        expiry = self.expiry_date()
        stored = self.record.get("expiry_date")
        if stored and expiry.isoformat() == stored:
            self.expiry.setText(format_date(expiry))
        else:
            self.expiry.setText(tr("forms.expiry_computed", date=format_date(expiry)))
        if self.record_id and self.record.get("status"):
            status = self.record["status"]
            if (
                self.record.get("decision_date")
                != self.w("decision_date").date().toPython().isoformat()
            ):
                status = self._status_of(expiry)
        else:
            status = self._status_of(expiry)
        self.status.setText(tr(f"status.{status}"))

    def _status_of(self, expiry: date) -> str:
        """The status the certificate takes with this expiry, by the one rule."""
        return cert_status.status(
            revoked_date=self.record.get("revoked_date"),
            expiry_date=expiry.isoformat(),
            at=cert_status.as_of(self.store.db),
        )

    def refresh_band(self) -> None:
        """Name the star class the typed points reach, on the "from the points" choice."""
        points = parse_number(self.w("points").text())
        text = tr("forms.stars_auto")
        if isinstance(points, float) and 0 <= points <= 100:
            text = tr("forms.stars_auto_band", stars=refdata.load().stars_for_points(points))
        self.w("stars").setItemText(0, text)

    # ---- revoke ------------------------------------------------------------------------------
    def revoke(self) -> None:
        if not self.record_id:
            return
        if self.is_dirty() and not self.save_in_place():
            return
        dialog = RevokeDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            recognitions.revoke(
                self.store, self.record_id, dialog.day().isoformat(), dialog.reason()
            )
        except UserError as exc:
            self.show_error(exc)
            return
        self.saved_id = self.record_id
        self.load()

    def save_in_place(self) -> bool:
        """Save without closing (before a revocation)."""
        record_id = self.record_id
        if not self.check():
            return False
        try:
            recognitions.edit(self.store, record_id, self.changes())
        except UserError as exc:
            self.show_error(exc)
            return False
        self.load()
        return True


def scored(store: Any, product_id: str) -> dict[str, Any]:
    """Points and stars of the evaluation a certificate of the product follows: the
    newest council evaluation (province or central), else the newest of any level;
    {} when the product has no scored evaluation."""
    found = [e for e in evaluations.list_for_product(store, product_id) if e.get("points")]
    council = [e for e in found if e.get("level") in ("province", "central")]
    chosen = (council or found or [None])[0]
    if chosen is None:
        return {}
    stars = chosen.get("stars") or 0
    return {"points": chosen["points"], "stars": stars if stars >= 3 else None}


class RevokeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("forms.revoke_title"))
        layout = QFormLayout(self)
        self.date_edit = QDateEdit(self)
        setup_date_edit(self.date_edit)
        set_value(self.date_edit, clock.today())
        self.reason_edit = QLineEdit(self)
        layout.addRow(tr("field.revoked_date"), self.date_edit)
        layout.addRow(tr("field.revoke_reason"), self.reason_edit)
        buttons = QDialogButtonBox(self)
        buttons.addButton(tr("forms.revoke_confirm"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("forms.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def day(self) -> date:
        return self.date_edit.date().toPython()

    def reason(self) -> str | None:
        return self.reason_edit.text().strip() or None
