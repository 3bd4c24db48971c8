"""Opening records, history and trash: the record forms live in their own modules,
imported when first used (and missing ones say what is coming instead of failing)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ocop_desktop import producers, products, recognitions, records
from ocop_desktop.errors import UserError
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store

_DELETE = {
    "producers": producers.delete,
    "products": products.delete,
    "recognitions": recognitions.delete,
}


def record_label(store: Store, table: str, record_id: str) -> str:
    """How a person knows the record: a name, or a decision number with its product."""
    return records.named(store, table, record_id)


def coming(parent: QWidget | None, what: str) -> None:
    QMessageBox.information(parent, tr("app.title"), tr("gui.coming_feature", what=tr(what)))


def open_record(
    parent: QWidget | None, store: Store, table: str, record_id: str | None = None, **defaults: Any
) -> str | None:
    """Open the form of a record (or a new one); the saved id, or None if cancelled."""
    try:
        from ocop_desktop.gui.forms import open_record as open_form
    except ImportError:
        coming(parent, "gui.feature.forms")
        return None
    return open_form(parent, store, table, record_id, **defaults)


def show_history(parent: QWidget | None, store: Store, record_id: str) -> None:
    try:
        from ocop_desktop.gui.history import HistoryDialog
    except ImportError:
        coming(parent, "gui.feature.history")
        return
    HistoryDialog(store, record_id, parent).exec()


def show_trash(parent: QWidget | None, store: Store) -> None:
    try:
        from ocop_desktop.gui.trash import TrashDialog
    except ImportError:
        coming(parent, "gui.feature.trash")
        return
    TrashDialog(store, parent).exec()


def delete_records(parent: QWidget | None, store: Store, table: str, ids: list[str]) -> bool:
    """Move records to the trash after asking; True if anything was moved."""
    if not ids:
        return False
    question = (
        tr("list.delete_confirm_one", name=record_label(store, table, ids[0]))
        if len(ids) == 1
        else tr("list.delete_confirm", count=len(ids))
    )
    answer = QMessageBox.question(parent, tr("app.title"), question)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    moved = False
    for record_id in ids:
        try:
            _DELETE[table](store, record_id)
            moved = True
        except UserError as exc:
            QMessageBox.warning(parent, tr("app.title"), exc.message())
            break
    return moved


def import_spreadsheet(parent: QWidget | None, store: Store) -> bool:
    try:
        from ocop_desktop.gui.import_wizard import run_import_wizard
    except ImportError:
        coming(parent, "gui.feature.import")
        return False
    return bool(run_import_wizard(parent, store))
