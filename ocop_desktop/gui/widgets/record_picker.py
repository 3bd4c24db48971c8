"""Pickers for a producer or a product: type part of the name, accents optional."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ocop_desktop import producers, products, refdata
from ocop_desktop.gui.widgets.completing import CompletingPicker, Entry
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store

LIMIT = 20
# Candidates looked at per keystroke: a common word ("hop tac xa") matches tens of
# thousands of names; the shortest of the first few hundred are good enough to
# pick from, and the query stays a few milliseconds on 100,000 products.
CANDIDATES = 300


class RecordPicker(CompletingPicker):
    table = ""
    placeholder_key = ""
    # From three letters the trigram index answers; two letters would scan every name.
    min_chars = 3

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
        rows = producers.candidates(self.store, text, pool=CANDIDATES, limit=LIMIT)
        return [self._entry(*r) for r in rows]

    def _entry(self, rid: str, name: str, kind: str | None, commune: int | None) -> Entry:
        extra = ", ".join(x for x in (tr(f"kind.{kind}") if kind else "", _commune(commune)) if x)
        label = f"{name} – {extra}" if extra else name
        return Entry(label=label, text=name, data={"id": rid}, hint=extra)

    def describe(self, record_id: str) -> Entry | None:
        row = producers.brief(self.store, record_id)
        return self._entry(*row) if row else None


class ProductPicker(RecordPicker):
    table = "products"
    placeholder_key = "forms.product_placeholder"

    def entries(self, text: str) -> list[Entry]:
        rows = products.candidates(self.store, text, pool=CANDIDATES, limit=LIMIT)
        return [self._entry(*r) for r in rows]

    def _entry(self, rid: str, name: str, producer: str | None) -> Entry:
        label = f"{name} – {producer}" if producer else name
        return Entry(label=label, text=name, data={"id": rid}, hint=producer or "")

    def describe(self, record_id: str) -> Entry | None:
        row = products.brief(self.store, record_id)
        return self._entry(*row) if row else None
