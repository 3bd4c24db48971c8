"""Pickers for a producer or a product: type part of the name, accents optional."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ocop_desktop import refdata
from ocop_desktop.gui.widgets.completing import CompletingPicker, Entry
from ocop_desktop.i18n import tr
from ocop_desktop.search import match_ids
from ocop_desktop.store import Store

LIMIT = 20


class RecordPicker(CompletingPicker):
    table = ""
    placeholder_key = ""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.record_id: str | None = None
        self.edit.setPlaceholderText(tr(self.placeholder_key))

    def value(self) -> str | None:
        return self.record_id

    def set_value(self, record_id: str | None) -> None:
        self.record_id = record_id
        if record_id is None:
            self.set_display("")
            return
        row = self.describe(record_id)
        if row is None:
            self.set_display(record_id)
        else:
            self.set_display(row.text, row.hint)

    def apply(self, entry: Entry | None) -> bool:
        self.set_value(entry.data["id"] if entry else None)
        return True

    def describe(self, record_id: str) -> Entry | None:
        raise NotImplementedError


def _commune(code: int | None) -> str:
    return refdata.load().commune_name(code)


class ProducerPicker(RecordPicker):
    table = "producers"
    placeholder_key = "forms.producer_placeholder"

    def entries(self, text: str) -> list[Entry]:
        sub, params = match_ids("producers", text)
        rows = self.store.db.execute(
            "SELECT id, name, kind, commune_code FROM producers "
            f"WHERE deleted = 0 AND rid IN ({sub}) ORDER BY length(name_key), name_key LIMIT ?",
            [*params, LIMIT],
        ).fetchall()
        return [self._entry(*r) for r in rows]

    def _entry(self, rid: str, name: str, kind: str | None, commune: int | None) -> Entry:
        extra = ", ".join(x for x in (tr(f"kind.{kind}") if kind else "", _commune(commune)) if x)
        label = f"{name} – {extra}" if extra else name
        return Entry(label=label, text=name, data={"id": rid}, hint=extra)

    def describe(self, record_id: str) -> Entry | None:
        row = self.store.db.execute(
            "SELECT id, name, kind, commune_code FROM producers WHERE id = ?", [record_id]
        ).fetchone()
        return self._entry(*row) if row else None


class ProductPicker(RecordPicker):
    table = "products"
    placeholder_key = "forms.product_placeholder"

    def entries(self, text: str) -> list[Entry]:
        sub, params = match_ids("products", text)
        rows = self.store.db.execute(
            "SELECT p.id, p.name, pr.name FROM products p "
            "LEFT JOIN producers pr ON pr.id = p.producer_id "
            f"WHERE p.deleted = 0 AND p.rid IN ({sub}) "
            "ORDER BY length(p.name_key), p.name_key LIMIT ?",
            [*params, LIMIT],
        ).fetchall()
        return [self._entry(*r) for r in rows]

    def _entry(self, rid: str, name: str, producer: str | None) -> Entry:
        label = f"{name} – {producer}" if producer else name
        return Entry(label=label, text=name, data={"id": rid}, hint=producer or "")

    def describe(self, record_id: str) -> Entry | None:
        row = self.store.db.execute(
            "SELECT p.id, p.name, pr.name FROM products p "
            "LEFT JOIN producers pr ON pr.id = p.producer_id WHERE p.id = ?",
            [record_id],
        ).fetchone()
        return self._entry(*row) if row else None
