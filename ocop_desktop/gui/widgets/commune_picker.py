"""Commune picker: current communes and their pre-2025 names, typed without accents.

Typing "nga vinh" proposes "Xã Nga Vịnh (Huyện Nga Sơn) → Xã Ba Đình": the field
keeps the legacy commune as recorded and the current commune it became. A
former commune split between several current ones in this office's area opens
a small choice. Communes outside the area are only offered (greyed) when
nothing inside matches; saving such a choice shows the core's area message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import communes, refdata
from ocop_desktop.gui.widgets.completing import CompletingPicker, Entry
from ocop_desktop.i18n import tr


def _district(code: int | None) -> str:
    return refdata.load().district_name(code)


def current_hint(commune_code: int, legacy_code: int | None = None) -> str:
    ref = refdata.load()
    name = ref.commune_name(commune_code) or str(commune_code)
    district = _district(ref.former_district_of.get(commune_code))
    if legacy_code is not None and legacy_code in ref.legacy_communes:
        old = ref.legacy_communes[legacy_code]
        legacy = f"{old.name} ({_district(old.district_code)})"
        return tr("forms.commune_from_legacy", legacy=legacy, commune=name, district=district)
    return tr("forms.commune_current", commune=name, district=district)


class SplitChoiceDialog(QDialog):
    """Which current commune a split former commune's address belongs to now."""

    def __init__(self, legacy_code: int, candidates: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        ref = refdata.load()
        old = ref.legacy_communes[legacy_code]
        self.setWindowTitle(tr("forms.commune_split_title"))
        layout = QVBoxLayout(self)
        legacy = f"{old.name} ({_district(old.district_code)})"
        text = QLabel(tr("forms.commune_split_text", legacy=legacy), self)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget(self)
        for code in candidates:
            item = QListWidgetItem(f"{ref.commune_name(code)} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(self)
        buttons.addButton(tr("forms.save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("forms.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


class CommunePicker(CompletingPicker):
    def __init__(self, area: frozenset[int] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.area = area
        self.commune_code: int | None = None
        self.legacy_code: int | None = None
        self.edit.setPlaceholderText(tr("forms.commune_placeholder"))

    def value(self) -> tuple[int | None, int | None]:
        return self.commune_code, self.legacy_code

    def set_value(self, commune_code: int | None, legacy_code: int | None = None) -> None:
        self.commune_code, self.legacy_code = commune_code, legacy_code
        if commune_code is None:
            self.set_display("")
            return
        name = refdata.load().commune_name(commune_code) or str(commune_code)
        self.set_display(name, current_hint(commune_code, legacy_code))

    def entries(self, text: str) -> list[Entry]:
        found = self._entries(communes.find(text, self.area, limit=40), muted=False)
        if not found and self.area is not None:
            found = self._entries(communes.find(text, None, limit=10), muted=True)
        return found[:20]

    def _entries(self, rows: list[dict], *, muted: bool) -> list[Entry]:
        ref = refdata.load()
        out: list[Entry] = []
        seen_legacy: set[int] = set()
        for row in rows:
            code, legacy = row["code"], row["legacy"]
            if legacy is None:
                district = _district(ref.former_district_of.get(code))
                label = f"{row['name']} ({district})" if district else row["name"]
                data = {"code": code, "legacy": None}
            else:
                if legacy in seen_legacy:
                    continue
                old = ref.legacy_communes[legacy]
                targets = [
                    t
                    for t in ref.convert_legacy(legacy)
                    if muted or self.area is None or t in self.area
                ]
                old_label = f"{old.name} ({_district(old.district_code)})"
                if len(targets) > 1:
                    seen_legacy.add(legacy)
                    label = tr(
                        "forms.commune_split_item",
                        legacy=old.name,
                        district=_district(old.district_code),
                        count=len(targets),
                    )
                    data = {"code": None, "legacy": legacy, "candidates": targets}
                else:
                    label = f"{old_label} → {row['name']}"
                    data = {"code": code, "legacy": legacy}
            if muted:
                label = tr("forms.commune_outside", label=label)
            out.append(Entry(label=label, text=row["name"], data=data, muted=muted))
        return out

    def settled(self, found: list[Entry]) -> Entry | None:
        """A commune's name typed in full also matches the pre-2025 commune of that
        name which became it: both mean today's commune, so take that."""
        codes = {e.data["code"] for e in found}
        if len(codes) == 1 and None not in codes:
            return next((e for e in found if e.data["legacy"] is None), found[0])
        return super().settled(found)

    def apply(self, entry: Entry | None) -> bool:
        if entry is None:
            self.commune_code = self.legacy_code = None
            self.set_display("")
            return True
        code, legacy = entry.data["code"], entry.data["legacy"]
        if code is None:
            dialog = SplitChoiceDialog(legacy, entry.data["candidates"], self)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
                self.edit.setText(self._chosen_text)
                return False
            code = dialog.chosen()
        self.set_value(code, legacy)
        return True
