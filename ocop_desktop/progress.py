"""The progress convention of long work, shared by the core, the CLI and the GUI.

Long functions take an optional ``progress(done, total)`` callback and call it
now and then. The callback may raise ``Cancelled`` (the GUI does when the person
presses Cancel); the function then stops at a safe point, its transaction rolled
back, and the exception reaches the caller.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The person cancelled the work."""


def no_progress(done: int, total: int) -> None:
    """The default callback: report nothing, never cancel."""
