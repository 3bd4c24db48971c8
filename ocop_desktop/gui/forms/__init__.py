"""Record forms. ``open_record`` is the one entry point the rest of the GUI uses."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

TABLES = ("producers", "products", "recognitions", "evaluations")


def form_class(table: str) -> type:
    if table == "producers":
        from ocop_desktop.gui.forms.producer import ProducerForm

        return ProducerForm
    if table == "products":
        from ocop_desktop.gui.forms.product import ProductForm

        return ProductForm
    if table == "recognitions":
        from ocop_desktop.gui.forms.recognition import RecognitionForm

        return RecognitionForm
    if table == "evaluations":
        from ocop_desktop.gui.forms.evaluation import EvaluationForm

        return EvaluationForm
    raise ValueError(f"no form for {table!r}")


def open_record(
    parent: QWidget | None,
    store: Any,
    table: str,
    record_id: str | None = None,
    **defaults: Any,
) -> str | None:
    """Open the form of a record (or a new one with ``defaults``) as a modal dialog.

    Returns the id of the saved record, or None when nothing was saved (cancelled,
    or the record was moved to the trash: callers refresh their lists either way).
    When the producer form's duplicate warning is followed, the existing producer
    opens in its place.
    """
    cls = form_class(table)
    while True:
        form = cls(store, record_id, parent, **defaults)
        result = form.exec()
        if form.open_instead:
            record_id, defaults = form.open_instead, {}
            continue
        saved = result == QDialog.DialogCode.Accepted or form.saved_id is not None
        return form.saved_id if saved and not form.deleted else None
