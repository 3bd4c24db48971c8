"""The overview (dashboard): cards, three charts and the records needing attention."""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import clock, overview
from ocop_desktop.cert_status import STAR_CLASSES
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.i18n import format_number, tr
from ocop_desktop.store import Store

Index = QModelIndex | QPersistentModelIndex
ACCENT = QColor("#1f6f43")
CHART_BARS = 8


def _nice_max(value: int) -> int:
    """A round axis end a little above ``value`` (axes start at 0), so the count
    printed after the longest bar stays clear of it."""
    value = math.ceil(value * 1.15)
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= m * step:
            return int(m * step)
    return value


def _tick_count(top: int) -> int:
    """Ticks that fall on round numbers (0, 10, 20, 30 rather than 0, 6, 12 …)."""
    for n in (6, 5, 4):
        step = top / (n - 1)
        if step == int(step) and str(int(step)).rstrip("0") in ("1", "2", "25", "5"):
            return n
    return 5


def _group_name(code: str | None, name: str) -> str:
    """The group's short name in the current language ("Dược liệu", "Food"): the full
    names were cut to "Dược liệu và sả…" on the chart's axis at 1024×600."""
    if not code:
        return name or tr("overview.unset")
    return tr(f"group.short.{code}")


class Card(QFrame):
    def __init__(self, title: str, value: str, lines: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#card { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        head = QLabel(title)
        head.setObjectName("cardTitle")
        big = QLabel(value)
        big.setObjectName("cardValue")
        font = QFont(big.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        big.setFont(font)
        big.setStyleSheet(f"color: {ACCENT.name()};")
        layout.addWidget(head)
        layout.addWidget(big)
        detail = QLabel("\n".join(lines))
        detail.setObjectName("cardDetail")
        detail.setWordWrap(True)
        layout.addWidget(detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)


def bar_chart(title: str, labels: list[str], values: list[int], horizontal: bool) -> QChartView:
    if horizontal:  # categories run bottom to top: put the first one on top
        labels, values = labels[::-1], values[::-1]
    bars = QBarSet(tr("overview.chart.products"))
    bars.setColor(ACCENT)
    bars.setLabelColor(QColor("#202020"))
    for v in values:
        bars.append(v)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    chart = QChart()
    chart.setLocalizeNumbers(True)  # 1.370 in Vietnamese, 1,370 in English
    chart.setLocale(fmt.locale())
    chart.setTitle(title)
    chart.addSeries(series)
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(chart.margins() * 0)
    categories = QBarCategoryAxis()
    categories.append(labels or [""])
    counts = QValueAxis()
    top = _nice_max(max(values, default=0))
    counts.setRange(0, top)
    counts.setLabelFormat("%.0f")  # localised by the chart ("%d" shows nothing then)
    counts.setTickCount(_tick_count(top))
    if horizontal:
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(counts)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    view.setObjectName("chart")
    return view


class AttentionModel(QAbstractTableModel):
    """The records needing attention: reason, record, detail. A row's texts are
    made when the view first shows it (most of the 200 never are)."""

    COLUMNS = ("overview.col.reason", "overview.col.record", "overview.col.detail")
    EXPIRED = QColor("#b3261e")

    def __init__(self, items: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = items
        self._texts: dict[int, tuple[str, str, str]] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else max(len(self.items), 1)  # "nothing" when empty

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = 0) -> object:
        if not index.isValid():
            return None
        row = index.row()
        if not self.items:
            return tr("overview.nothing") if role == 0 and index.column() == 0 else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(row)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            item = self.items[row]
            return item["table"], item["id"]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return self.EXPIRED if self.items[row]["reason"] == "expired" else None
        return None

    def texts(self, row: int) -> tuple[str, str, str]:
        if row not in self._texts:
            item = self.items[row]
            detail = item["detail"]
            if item["reason"] in ("expired", "expiring"):
                detail = tr("overview.expires_on", date=fmt.iso_date(detail))
            elif item["reason"] == "missing":
                detail = ", ".join(tr(f"field.{f}") for f in item["missing"])
            self._texts[row] = (
                tr(f"overview.reason.{item['reason']}"),
                f"{tr('overview.table.' + item['table'])}: {item['label']}",
                detail,
            )
        return self._texts[row]


class OverviewPage(QWidget):
    changed = Signal()

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        prefetched: overview.Counting | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("page_overview")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._content: QWidget | None = None
        self.refresh(prefetched)

    def refresh(self, prefetched: overview.Counting | None = None) -> None:
        """Count the figures again and rebuild the page's content. At start-up they
        may come ``prefetched`` (counted while the window was being built)."""
        figures = prefetched.figures() if prefetched is not None else None
        if figures is None:
            figures = overview.compute(self.store), overview.attention(self.store)
        ov, attention = figures
        if self._content is not None:
            old = self._content
            self.layout().removeWidget(old)
            old.hide()
            old.setParent(None)
            old.deleteLater()
        self._content = QWidget(self)
        self.layout().addWidget(self._content)
        self._layout = QVBoxLayout(self._content)
        n = format_number
        cards = QHBoxLayout()
        # The classes are exclusive, as in the reports: a potential 5-star product is
        # not counted again under 4 stars.
        in_force = sum(ov.stars.values())
        cards.addWidget(
            Card(
                tr("overview.card.products"),
                n(in_force),
                [
                    " · ".join(f"{s} ★: {n(ov.stars.get(s, 0))}" for s in ("3", "4", "5")),
                    tr("overview.potential_5", count=n(ov.stars.get("potential_5", 0))),
                ],
            )
        )
        kinds = [f"{tr('kind.' + k)}: {n(c)}" for k, c in ov.producers_by_kind.items() if k]
        cards.addWidget(Card(tr("overview.card.producers"), n(ov.producers_total), kinds))
        cards.addWidget(
            Card(
                tr("overview.card.expiring", days=n(ov.warning_days)),
                n(ov.expiring),
                [tr("overview.expired", count=n(ov.expired))],
            )
        )
        if ov.target_new:
            target_line = tr(
                "overview.target",
                target=n(ov.target_new),
                percent=format_number(100 * ov.new_this_year / ov.target_new),
            )
        else:
            target_line = tr("overview.no_target")
        cards.addWidget(
            Card(
                tr("overview.card.new", year=ov.as_of.year),
                n(ov.new_this_year) + (f" / {n(ov.target_new)}" if ov.target_new else ""),
                [target_line],
            )
        )
        self._layout.addLayout(cards)

        charts = QGridLayout()
        # More bars than this leave no room for their names at 768 pixels high, and
        # Qt then shows every name as "…".
        top_communes = ov.products_by_commune[:CHART_BARS]
        charts.addWidget(
            bar_chart(
                tr("overview.chart.stars"),
                ["3 ★", "4 ★", tr("overview.chart.potential_5"), "5 ★"],
                [ov.stars.get(k, 0) for k in STAR_CLASSES],
                horizontal=False,
            ),
            0,
            0,
        )
        charts.addWidget(
            bar_chart(
                tr("overview.chart.groups"),
                [_group_name(code, name) for code, name, _n in ov.products_by_group],
                [count for *_x, count in ov.products_by_group],
                horizontal=True,
            ),
            0,
            1,
        )
        charts.addWidget(
            bar_chart(
                tr("overview.chart.communes"),
                [fmt.commune(c) or tr("overview.unset") for c, _n in top_communes],
                [count for _c, count in top_communes],
                horizontal=True,
            ),
            0,
            2,
        )
        charts.setColumnStretch(0, 2)
        charts.setColumnStretch(1, 3)
        charts.setColumnStretch(2, 3)
        self._layout.addLayout(charts, 3)

        title = QLabel(tr("overview.attention"))
        title.setObjectName("attentionTitle")
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        self._layout.addWidget(title)
        self.attention = QTreeView()
        self.attention.setObjectName("attentionList")
        self.attention.setRootIsDecorated(False)
        self.attention.setUniformRowHeights(True)
        self.attention.setAlternatingRowColors(True)
        self.attention.setModel(AttentionModel(attention, self.attention))
        self.attention.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # The reason column as wide as its longest label: asking every row for its
        # size (ResizeToContents) cost more than building the rows.
        reasons = {item["reason"] for item in attention}
        widest = max(
            (
                self.attention.fontMetrics().horizontalAdvance(tr(f"overview.reason.{r}"))
                for r in reasons
            ),
            default=0,
        )
        self.attention.header().resizeSection(0, max(widest + 24, 120))
        self.attention.header().resizeSection(1, 420)
        if not attention:  # "nothing needs attention" across the row, not cut at column 1
            self.attention.setFirstColumnSpanned(0, QModelIndex(), True)
        self.attention.activated.connect(self._open)
        self._layout.addWidget(self.attention, 2)
        self.as_of = clock.today()

    def _open(self, index: QModelIndex) -> None:
        target = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if not target:
            return
        table, record_id = target
        from ocop_desktop.gui import actions

        if actions.open_record(self, self.store, table, record_id):
            self.refresh()
            self.changed.emit()
