"""Hybrid logical clock: versions that sort as text and never go backwards.

A version is ``"<ms:013d>-<counter:05d>-<node>"``: wall-clock milliseconds, a
counter that breaks ties within one millisecond (or while the wall clock is
behind the last version seen), and the node id that made it. Comparing two
versions as strings orders them by time, then counter, then node, which gives
sync a deterministic winner for concurrent edits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# The counter is written with five digits: past this it would break the format
# (and every peer's check of it), so the clock moves on by a millisecond instead.
MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        ms, counter, node = text.split("-", 2)
        return cls(int(ms), int(counter), node)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """Issues versions for one node. ``last`` is persisted by the caller."""

    def __init__(self, node: str, last: str | None = None, wall: Callable[[], int] | None = None):
        self.node = node
        # None: the module's ``wall_ms``, looked up at each call (a test can replace it)
        self.wall = wall
        self._ms, self._counter = (0, 0)
        if last:
            s = Stamp.parse(last)
            self._ms, self._counter = s.ms, s.counter

    def now(self) -> str:
        w = self.wall() if self.wall is not None else wall_ms()
        if w > self._ms:
            self._ms, self._counter = w, 0
        elif self._counter >= MAX_COUNTER:
            self._ms, self._counter = self._ms + 1, 0
        else:
            self._counter += 1
        return str(Stamp(self._ms, self._counter, self.node))

    def observe(self, version: str) -> None:
        """Move past a version seen from another node, so later local edits sort after it."""
        s = Stamp.parse(version)
        counter = min(s.counter, MAX_COUNTER)
        if (s.ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = s.ms, counter

    @property
    def last(self) -> str:
        return str(Stamp(self._ms, self._counter, self.node))
