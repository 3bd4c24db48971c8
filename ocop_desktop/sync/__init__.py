"""File-based sync between offices and the province: signed, incremental,
idempotent bundles (see docs/sync-format.md). No Qt here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ocop_desktop.errors import UserError
from ocop_desktop.records import now_iso
from ocop_desktop.store import Store
from ocop_desktop.sync import identity
from ocop_desktop.sync.apply import ApplyResult, apply_bundle
from ocop_desktop.sync.export import ExportResult, export_bundle, suggested_name
from ocop_desktop.sync.status import history, note_refused, status, whoami
from ocop_desktop.sync.verify import Bundle, inspect, verify

__all__ = [
    "ApplyResult",
    "Bundle",
    "ExportResult",
    "apply_bundle",
    "apply_checked",
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
    office_choice: str | None = None,
) -> ApplyResult:
    """Verify ``path`` completely, then apply it. A refusal is noted beside the
    database (not in it) and raised. ``office_choice`` ("second" or
    "replacement") answers for a new computer of an office already trusted."""
    with _noting_refusal(store, path):
        checked = verify(store, path, trust_new=trust_new, office_choice=office_choice)
        return apply_bundle(store, checked, progress)


def check_bundle(store: Store, path: Path | str) -> Bundle:
    """Verify ``path`` and show what it holds, before a person confirms it (the app's
    import dialog); then :func:`apply_checked`."""
    with _noting_refusal(store, path):
        return inspect(store, path)


def apply_checked(
    store: Store,
    bundle: Bundle,
    progress: Callable[[int, int], None] | None = None,
    office_choice: str | None = None,
) -> ApplyResult:
    """Apply a bundle :func:`check_bundle` passed and a person confirmed (trusting
    its sender if new, and saying for a new computer of an office already trusted
    whether it is a second laptop or a replacement). Members are read again and
    hashed again as they are applied, so a file swapped meanwhile is refused."""
    with _noting_refusal(store, bundle.path):
        if not bundle.known:
            identity.check_choice(bundle.same_office, bundle.sender, office_choice)
        if not bundle.complete:  # the sender is trusted now: read the members
            full = inspect(store, bundle.path, read_untrusted=True)
            if full.sha256 != bundle.sha256 or full.sender.public_key != bundle.sender.public_key:
                raise UserError("sync.refused.changed_meanwhile", name=bundle.path.name)
            bundle = full
        bundle.office_choice = office_choice
        return apply_bundle(store, bundle, progress)


@contextmanager
def _noting_refusal(store: Store, path: Path | str) -> Iterator[None]:
    try:
        yield
    except UserError as exc:
        note_refused(store, Path(path).name, exc.message(), now_iso())
        raise
