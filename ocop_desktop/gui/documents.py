"""Databases as documents: the recent list, the demo file, new and open.

A database is one file the officer can make, open and switch between, like a
document. The demo is always its own file (``ocop-demo.sqlite`` in the data
folder), marked as demo inside (``Store.is_demo``); it goes on the recent list
but is never the database the app opens at start.
"""

from __future__ import annotations

from pathlib import Path

from ocop_desktop.gui import settings
from ocop_desktop.paths import data_dir

RECENT_MAX = 8
DEMO_FILE = "ocop-demo.sqlite"
FILTERS_KEY = "documents.filter"


def demo_path() -> Path:
    return data_dir() / DEMO_FILE


def recent() -> list[Path]:
    """Databases opened lately, newest first (files since removed are left out)."""
    lines = (settings.get("recent_dbs") or "").splitlines()
    return [Path(line) for line in lines if line and Path(line).exists()][:RECENT_MAX]


def remember(path: Path, *, demo: bool) -> None:
    """Put ``path`` first on the recent list; a real database is also the one opened at start."""
    path = Path(path).resolve()
    others = [p for p in recent() if p.resolve() != path]
    changes = {"recent_dbs": "\n".join(str(p) for p in [path, *others][:RECENT_MAX])}
    if not demo:
        changes["last_db"] = str(path)
    changed = {k: v for k, v in changes.items() if settings.get(k) != v}
    if changed:  # writing the settings file costs a few ms: only when something changed
        settings.put_all(changed)
