"""Ctrl+Z: undo the last saves and deletions of this session, read from the audit log.

Every write already lands in the audit log (``records.audit``) with the old and new
value of each field, so the stack keeps no copies of records: it remembers where
the log stood when the database was opened and groups what this node wrote since
into actions (one save, one deletion). Undoing one goes back through the same
service functions as a form or the trash (``edit``, ``delete``, ``restore``), so
validation runs and sync sees an ordinary edit; the rows that undo writes are not
themselves offered for undo.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, Signal

from ocop_desktop import records
from ocop_desktop.errors import UserError
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store

# The services of the tables undo knows (imported when an undo runs: the window is
# made at start-up, and the record services are not needed before a record is).
SERVICES = ("producers", "products", "recognitions", "evaluations")


def service(table: str) -> ModuleType:
    import importlib

    return importlib.import_module("." + table, "ocop_desktop")


ACTIONS = ("create", "update", "delete", "restore")
DEPTH = 50  # actions kept


class Action:
    """One save or deletion: its audit rows, oldest first."""

    __slots__ = ("table", "record_id", "kind", "at", "rows")

    def __init__(self, table: str, record_id: str, kind: str, at: str) -> None:
        self.table, self.record_id, self.at = table, record_id, at
        self.kind = kind  # "create", "update", "delete" or "restore"
        self.rows: list[dict[str, Any]] = []


class UndoStack(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._seen = 0  # last audit id looked at
        self._actions: list[Action] = []

    def clear(self) -> None:
        """Forget everything: a database was opened (its earlier writes are not undoable)."""
        self._store = None
        self._actions.clear()
        self.changed.emit()

    def _last_id(self, store: Store) -> int:
        return records.last_audit_id(store)

    def capture(self, store: Store) -> None:
        """Take in what was written since the last look, as actions."""
        if self._store is not store:
            self._store, self._seen, self._actions = store, self._last_id(store), []
            return
        rows = records.audit_since(store, self._seen)
        before = len(self._actions)
        for audit_id, at, table, record_id, kind, fld, old in rows:
            self._seen = audit_id
            if table not in SERVICES or kind not in ACTIONS:
                continue
            last = self._actions[-1] if len(self._actions) > before else None
            same = (
                last is not None
                and last.at == at
                and (last.record_id == record_id or kind == last.kind)
            )
            if not same:
                last = Action(table, record_id, kind, at)
                self._actions.append(last)
            last.rows.append(
                {"table": table, "id": record_id, "action": kind, "field": fld, "old": old}
            )
        del self._actions[:-DEPTH]
        if len(self._actions) != before or rows:
            self.changed.emit()

    def next_label(self) -> str:
        """What Ctrl+Z would undo, in words ("" when nothing)."""
        if self._store is None or not self._actions:
            return ""
        action = self._actions[-1]
        kind = "delete" if action.kind == "delete" else "save"
        name = records.named(self._store, action.table, action.record_id)
        return tr(f"undo.{kind}", name=name)

    def undo(self, store: Store) -> str:
        """Undo the last action; returns its label ("" when there was nothing to undo)."""
        self.capture(store)
        label = self.next_label()
        if not label:
            return ""
        action = self._actions.pop()
        try:
            _revert(store, action)
        finally:
            self._seen = self._last_id(store)  # undo's own writes are not offered again
            self.changed.emit()
        return label


def _revert(store: Store, action: Action) -> None:
    updates: dict[tuple[str, str], dict[str, Any]] = {}
    for row in reversed(action.rows):
        module = service(row["table"])
        if row["action"] == "create":
            module.delete(store, row["id"])
        elif row["action"] == "delete":
            module.restore(store, row["id"])
        elif row["action"] == "restore":
            module.delete(store, row["id"])
        elif row["field"] in module.FIELDS:
            updates.setdefault((row["table"], row["id"]), {})[row["field"]] = row["old"]
    for (table, record_id), olds in updates.items():
        module = service(table)
        current = module.get(store, record_id)
        types = records.column_types(store, table)
        changes = {f: _typed(v, current.get(f), types.get(f, "")) for f, v in olds.items()}
        module.edit(store, record_id, changes)


def _typed(text: str | None, current: Any, declared: str) -> Any:
    """An audit value (text) back in the type of its column."""
    if text is None:
        return None
    if isinstance(current, (dict, list)):
        return json.loads(text)
    try:
        if isinstance(current, bool):
            return text in ("1", "True", "true")
        if isinstance(current, int) or "INT" in declared:
            return int(text)
        if isinstance(current, float) or "REAL" in declared:
            return float(text)
    except ValueError as exc:
        raise UserError("undo.cannot", what=text) from exc
    return text
