"""File-based sync between offices and the province: signed, incremental,
idempotent bundles (see docs/sync-format.md). No Qt here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ocop_desktop.errors import UserError
from ocop_desktop.records import now_iso
from ocop_desktop.store import Store
from ocop_desktop.sync.apply import ApplyResult, apply_bundle
from ocop_desktop.sync.export import ExportResult, export_bundle, suggested_name
from ocop_desktop.sync.status import history, note_refused, status, whoami
from ocop_desktop.sync.verify import Bundle, inspect, verify

__all__ = [
    "ApplyResult",
    "Bundle",
    "ExportResult",
    "apply_bundle",
    "check_bundle",
    "export_bundle",
    "history",
    "import_bundle",
    "inspect",
    "status",
    "suggested_name",
    "verify",
    "whoami",
]


def import_bundle(
    store: Store,
    path: Path | str,
    *,
    trust_new: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ApplyResult:
    """Verify ``path`` completely, then apply it. A refusal is noted beside the
    database (not in it) and raised."""
    try:
        bundle = verify(store, path, trust_new=trust_new)
    except UserError as exc:
        note_refused(store, Path(path).name, exc.message(), now_iso())
        raise
    return apply_bundle(store, bundle, progress)


def check_bundle(store: Store, path: Path | str) -> Bundle:
    """Verify ``path`` and show what it holds, before a person confirms it (the app's
    import dialog). A refusal is noted beside the database and raised."""
    try:
        return inspect(store, path)
    except UserError as exc:
        note_refused(store, Path(path).name, exc.message(), now_iso())
        raise
