"""A table model over a SQL query that holds only row ids and fetches rows on demand.

Filtering and sorting happen in SQL: a new filter re-runs one query returning the
integer row ids (``rid``) in order, a chunk at a time; the visible rows are then
read in blocks by id when the view asks for them (the way Anki's card browser
works). A keystroke costs one ``LIMIT`` query, whatever the size of the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from ocop_desktop import listing
from ocop_desktop.i18n import tr
from ocop_desktop.store import Store, StoreKey

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True)
class Column:
    key: str  # the core's column (``listing.ListColumn``); column chooser, saved state
    title: str  # catalogue key of the header
    fmt: Callable[[Any], str] | None = None
    numeric: bool = False
    hidden: bool = False  # hidden until chosen


class ListSpec:
    """What one list shows: the core's list (``query``) and how its columns look."""

    query: listing.ListQuery
    columns: tuple[Column, ...] = ()

    @property
    def name(self) -> str:
        return self.query.name

    @property
    def table(self) -> str:
        """The record type opened from a row (forms.open_record)."""
        return self.query.table

    @property
    def default_order(self) -> str:
        return self.query.default_order

    def order_of(self, column: int) -> str | None:
        """The order key of the column shown at ``column``; None: not sortable."""
        return self.query.column(self.columns[column].key).order

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


class LazyTableModel(QAbstractTableModel):
    """Rows come in chunks: the first screenful at once, more as the view scrolls
    (``canFetchMore``/``fetchMore``), so a keystroke costs one ``LIMIT`` query.
    The total is counted off the UI thread once typing pauses (``count_delay_ms``)."""

    CHUNK = 60  # ids of the first query: a tall screenful and a little more
    TICK = 1000  # SQLite steps between looks at a plan's step limit
    MAX_STEP = 20_000
    BLOCK = 40  # rows read (and formatted) together when shown: about a screenful
    MAX_CACHED = 5000
    countChanged = Signal(int)

    def __init__(self, store: Store, spec: ListSpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.spec = spec
        self.filters: dict[str, Any] = {}
        self.order = spec.default_order
        self.total: int | None = None
        self.count_delay_ms = 250
        self._sql = ""
        self._params: Any = None
        self._more = False
        self._rids: list[int] = []
        self._cache: dict[int, tuple] = {}
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.timeout.connect(self.count_in_background)
        self._generation = 0
        self._counting: Any = None
        self._counted_once = False

    # ---- loading ---------------------------------------------------------
    def set_filter(self, name: str, value: Any) -> None:
        if value in (None, ""):
            self.filters.pop(name, None)
        else:
            self.filters[name] = value
        self.refresh()

    def _ids(self, offset: int, limit: int, steps: int | None = None) -> list[int] | None:
        """Ids of the current query; None when it took more than ``steps`` SQLite steps."""
        query = (self._sql, self._params)
        return listing.ids(self.store, query, limit, offset, steps, self.TICK)

    def _first_ids(self) -> list[int]:
        """The first chunk, by the first of the spec's plans that gets it in its steps."""
        *tries, (last, _) = self.spec.query.ids_plans(self.store, dict(self.filters), self.order)
        for (self._sql, self._params), steps in tries:
            rids = self._ids(0, self.CHUNK, steps)
            if rids is not None:
                return rids
        self._sql, self._params = last
        return self._ids(0, self.CHUNK) or []

    def refresh(self) -> None:
        """Run the id query again (filters, order or data changed): first chunk now,
        the total soon after."""
        rids = self._first_ids()
        self.beginResetModel()
        self._rids = rids
        self._more = len(rids) == self.CHUNK
        self._cache.clear()
        self.endResetModel()
        self.total = None if self._more else len(rids)
        self._generation += 1
        if self.total is None and not self.filters:
            # The whole list: indexes give the count in a few milliseconds, so the
            # window opens with its row count instead of waiting for a worker.
            self._count_timer.stop()
            self.total = self.spec.query.whole_count(self.store)
            if self.total is None:
                self.count()
            else:
                self.countChanged.emit(self.total)
        elif self.total is None:  # the first count at once, later ones when typing pauses
            self._count_timer.start(self.count_delay_ms if self._counted_once else 0)
            self._counted_once = True
        else:
            self._count_timer.stop()
            self.countChanged.emit(self.total)

    def count(self) -> int:
        """Count every row the filters select (not only those loaded), now."""
        if self.total is None:
            self.total = listing.count(self.store, (self._sql, self._params))
            self.countChanged.emit(self.total)
        return self.total

    def count_in_background(self) -> None:
        """Count on a worker with its own read-only connection (a broad filter over
        100,000 rows takes ~0.1 s); a newer filter makes the answer obsolete."""
        if self.total is not None:
            return
        from ocop_desktop.gui.workers import read_pool, start

        self._generation += 1
        generation, query = self._generation, (self._sql, self._params)

        def work(key: StoreKey, _progress: Any) -> int:
            return listing.count_on_own_connection(key.path, query)

        def done(n: int) -> None:
            if generation == self._generation and self.total is None:
                self.total = n
                self.countChanged.emit(n)

        self._counting = start(StoreKey(self.store.path), work, done, pool=read_pool())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        # Each step as large as what is loaded (up to MAX_STEP): scrolling to the end of
        # 100,000 rows takes a dozen queries, not five hundred ever deeper OFFSETs.
        step = min(max(self.CHUNK, len(self._rids)), self.MAX_STEP)
        rids = self._ids(len(self._rids), step)
        self._more = len(rids) == step
        if rids:
            start = len(self._rids)
            self.beginInsertRows(QModelIndex(), start, start + len(rids) - 1)
            self._rids.extend(rids)
            self.endInsertRows()

    def fetch_all(self) -> None:
        while self._more:
            self.fetchMore()

    def _fetch_block(self, row: int) -> None:
        """Read the rows of ``row``'s block and format them once (a paint asks each
        cell several times)."""
        start = row - row % self.BLOCK
        wanted = [r for r in self._rids[start : start + self.BLOCK] if r not in self._cache]
        if not wanted:
            return
        if len(self._cache) > self.MAX_CACHED:
            self._cache.clear()
        formats = [c.fmt or str for c in self.spec.columns]
        for rid, record_id, *values in listing.rows(
            self.store, self.spec.query, wanted, self.spec.keys()
        ):
            shown = tuple("" if v is None else f(v) for f, v in zip(formats, values, strict=True))
            self._cache[rid] = (record_id, shown)
        for rid in wanted:  # gone since the id query (deleted meanwhile): an empty row
            self._cache.setdefault(rid, (None, ("",) * len(formats)))

    def _row(self, row: int) -> tuple[str | None, tuple[str, ...]]:
        rid = self._rids[row]
        cached = self._cache.get(rid)
        if cached is None:
            self._fetch_block(row)
            cached = self._cache[rid]
        return cached

    def record_id(self, row: int) -> str | None:
        if not 0 <= row < len(self._rids):
            return None
        return self._row(row)[0]

    def row_of(self, record_id: str) -> int:
        """The row showing ``record_id`` (-1 if not listed). A listed record beyond the
        rows loaded so far is loaded up to: a record just saved must be selectable even
        when it sorts after the first screenfuls."""
        rid = listing.rid_of(self.store, self.spec.query, record_id)
        if rid is None:
            return -1
        if rid not in self._rids and self._more and self._lists(rid):
            while self._more and rid not in self._rids[-self.MAX_STEP :]:
                self.fetchMore()
        try:
            return self._rids.index(rid)
        except ValueError:
            return -1

    def _lists(self, rid: int) -> bool:
        """Whether the current filters keep ``rid`` (one query, no rows loaded)."""
        return listing.selects(self.store, (self._sql, self._params), rid)

    # ---- Qt model --------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def display(self, row: int, column: int) -> str:
        """The text shown in a cell (as formatted for the current language)."""
        if not 0 <= row < len(self._rids):
            return ""
        return self._row(row)[1][column]

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY or role == _TOOLTIP:
            row = index.row()
            if not index.isValid() or row >= len(self._rids):
                return None
            return self._row(row)[1][index.column()]
        if role == _ALIGN:
            if not index.isValid():
                return None
            return _RIGHT if self.spec.columns[index.column()].numeric else _LEFT
        if role == _USER:
            return self.record_id(index.row()) if index.isValid() else None
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.spec.columns):
                return tr(self.spec.columns[section].title)
            return None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.spec.columns):
            return
        key = self.spec.order_of(column)
        if key is None:
            return
        self.order = key + (" DESC" if order == Qt.SortOrder.DescendingOrder else "")
        self.refresh()
