"""The one clock every part of the app asks for today's date.

Statuses ("expiring", "expired"), default dates on forms, "no future dates"
checks and report dates all depend on today. Asking ``date.today()`` in many
places made tests that passed one month fail the next, and left no way to
look at a database as of another day. So the core, the CLI and the GUI ask
``clock.today()``; ``OCOP_TODAY=YYYY-MM-DD`` in the environment (or
``clock.pin`` in tests) sets it for the whole process.

Moments stay real: the hybrid logical clock of sync (``hlc``), audit and log
times and backup names read the wall clock, since they order and date events
that really happened, whatever day a user pins.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from ocop_desktop.errors import UserError

ENV = "OCOP_TODAY"

_pinned: date | None = None


def _from_env() -> date | None:
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError("clock.bad_today", value=text) from None


def today() -> date:
    """Today's date: the pinned one, else ``OCOP_TODAY``, else the system's."""
    if _pinned is not None:
        return _pinned
    return _from_env() or date.today()


def pin(day: date | str | None) -> None:
    """Pin today for this process (``None`` unpins); for tests and the app's start."""
    global _pinned
    _pinned = date.fromisoformat(day) if isinstance(day, str) else day


@contextmanager
def pinned(day: date | str) -> Iterator[date]:
    """Pin today within a ``with`` block, restoring what was pinned before."""
    before = _pinned
    pin(day)
    try:
        yield today()
    finally:
        pin(before)
