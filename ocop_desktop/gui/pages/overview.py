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
    """A figure with its title and a few lines of detail; ``set`` changes them in place."""

    def __init__(
        self,
        title: str = "",
        value: str = "",
        lines: list[str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#card { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.head = QLabel()
        self.head.setObjectName("cardTitle")
        self.big = QLabel()
        self.big.setObjectName("cardValue")
        font = QFont(self.big.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.big.setFont(font)
        self.big.setStyleSheet(f"color: {ACCENT.name()};")
        layout.addWidget(self.head)
        layout.addWidget(self.big)
        self.detail = QLabel()
        self.detail.setObjectName("cardDetail")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set(title, value, lines or [])

    def set(self, title: str, value: str, lines: list[str]) -> None:
        self.head.setText(title)
        self.big.setText(value)
        self.detail.setText("\n".join(lines))


class BarChart(QChartView):
    """A bar chart of counts whose bars, names and axis ``set`` replaces in place."""

    def __init__(self, horizontal: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.bars = QBarSet(tr("overview.chart.products"))
        self.bars.setColor(ACCENT)
        self.bars.setLabelColor(QColor("#202020"))
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(self.bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        chart = QChart()
        chart.setLocalizeNumbers(True)  # 1.370 in Vietnamese, 1,370 in English
        chart.setLocale(fmt.locale())
        chart.addSeries(series)
        chart.legend().setVisible(False)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(chart.margins() * 0)
        self.categories = QBarCategoryAxis()
        self.counts = QValueAxis()
        self.counts.setLabelFormat("%.0f")  # localised by the chart ("%d" shows nothing then)
        names, numbers = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom
        if not horizontal:
            names, numbers = numbers, names
        chart.addAxis(self.categories, names)
        chart.addAxis(self.counts, numbers)
        series.attachAxis(self.categories)
        series.attachAxis(self.counts)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.setObjectName("chart")

    def set(self, title: str, labels: list[str], values: list[int]) -> None:
        if self.horizontal:  # categories run bottom to top: put the first one on top
            labels, values = labels[::-1], values[::-1]
        self.chart().setTitle(title)
        self.chart().setLocale(fmt.locale())
        if self.bars.count():
            self.bars.remove(0, self.bars.count())
        for v in values:
            self.bars.append(v)
        self.categories.clear()
        self.categories.append(labels or [""])
        top = _nice_max(max(values, default=0))
        self.counts.setRange(0, top)
        self.counts.setTickCount(_tick_count(top))


class AttentionModel(QAbstractTableModel):
    """The records needing attention: reason, record, detail. A row's texts are
    made when the view first shows it (most of the 200 never are)."""

    COLUMNS = ("overview.col.reason", "overview.col.record", "overview.col.detail")
    EXPIRED = QColor("#b3261e")

    def __init__(self, items: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = items
        self._texts: dict[int, tuple[str, str, str]] = {}

    def set_items(self, items: list[dict]) -> None:
        self.beginResetModel()
        self.items = items
        self._texts.clear()
        self.endResetModel()

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
    """Built once; ``refresh`` counts again and changes the figures in place."""

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
        self._build()
        self.refresh(prefetched)

    def _build(self) -> None:
        self._layout = QVBoxLayout(self)
        cards = QHBoxLayout()
        self.cards = {k: Card() for k in ("products", "producers", "expiring", "new")}
        for card in self.cards.values():
            cards.addWidget(card)
        self._layout.addLayout(cards)

        charts = QGridLayout()
        self.charts = {
            "stars": BarChart(horizontal=False),
            "groups": BarChart(horizontal=True),
            "communes": BarChart(horizontal=True),
        }
        for column, (chart, stretch) in enumerate(
            zip(self.charts.values(), (2, 3, 3), strict=True)
        ):
            charts.addWidget(chart, 0, column)
            charts.setColumnStretch(column, stretch)
        self._layout.addLayout(charts, 3)

        self.attention_title = QLabel()
        self.attention_title.setObjectName("attentionTitle")
        font = QFont(self.attention_title.font())
        font.setBold(True)
        self.attention_title.setFont(font)
        self._layout.addWidget(self.attention_title)
        self.attention = QTreeView()
        self.attention.setObjectName("attentionList")
        self.attention.setRootIsDecorated(False)
        self.attention.setUniformRowHeights(True)
        self.attention.setAlternatingRowColors(True)
        self.attention.setModel(AttentionModel([], self.attention))
        self.attention.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.attention.activated.connect(self._open)
        self._layout.addWidget(self.attention, 2)

    def refresh(self, prefetched: overview.Counting | None = None) -> None:
        """Count the figures again and show them. At start-up they may come
        ``prefetched`` (counted while the window was being built)."""
        figures = prefetched.figures() if prefetched is not None else None
        if figures is None:
            figures = overview.compute(self.store), overview.attention(self.store)
        ov, attention = figures
        self._show_cards(ov)
        self._show_charts(ov)
        self._show_attention(attention)
        self.as_of = clock.today()

    def _show_cards(self, ov: overview.Overview) -> None:
        n = format_number
        # The classes are exclusive, as in the reports: a potential 5-star product is
        # not counted again under 4 stars.
        in_force = sum(ov.stars.values())
        self.cards["products"].set(
            tr("overview.card.products"),
            n(in_force),
            [
                " · ".join(f"{s} ★: {n(ov.stars.get(s, 0))}" for s in ("3", "4", "5")),
                tr("overview.potential_5", count=n(ov.stars.get("potential_5", 0))),
            ],
        )
        kinds = [f"{tr('kind.' + k)}: {n(c)}" for k, c in ov.producers_by_kind.items() if k]
        self.cards["producers"].set(tr("overview.card.producers"), n(ov.producers_total), kinds)
        self.cards["expiring"].set(
            tr("overview.card.expiring", days=n(ov.warning_days)),
            n(ov.expiring),
            [tr("overview.expired", count=n(ov.expired))],
        )
        if ov.target_new:
            target_line = tr(
                "overview.target",
                target=n(ov.target_new),
                percent=format_number(100 * ov.new_this_year / ov.target_new),
            )
        else:
            target_line = tr("overview.no_target")
        self.cards["new"].set(
            tr("overview.card.new", year=ov.as_of.year),
            n(ov.new_this_year) + (f" / {n(ov.target_new)}" if ov.target_new else ""),
            [target_line],
        )

    def _show_charts(self, ov: overview.Overview) -> None:
        # More bars than this leave no room for their names at 768 pixels high, and
        # Qt then shows every name as "…".
        top_communes = ov.products_by_commune[:CHART_BARS]
        self.charts["stars"].set(
            tr("overview.chart.stars"),
            ["3 ★", "4 ★", tr("overview.chart.potential_5"), "5 ★"],
            [ov.stars.get(k, 0) for k in STAR_CLASSES],
        )
        self.charts["groups"].set(
            tr("overview.chart.groups"),
            [_group_name(code, name) for code, name, _n in ov.products_by_group],
            [count for *_x, count in ov.products_by_group],
        )
        self.charts["communes"].set(
            tr("overview.chart.communes"),
            [fmt.commune(c) or tr("overview.unset") for c, _n in top_communes],
            [count for _c, count in top_communes],
        )

    def _show_attention(self, attention: list[dict]) -> None:
        self.attention_title.setText(tr("overview.attention"))
        model = self.attention.model()
        assert isinstance(model, AttentionModel)
        model.set_items(attention)
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
        # "nothing needs attention" across the row, not cut at column 1
        self.attention.setFirstColumnSpanned(0, QModelIndex(), not attention)

    def _open(self, index: QModelIndex) -> None:
        target = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if not target:
            return
        table, record_id = target
        from ocop_desktop.gui import actions

        if actions.open_record(self, self.store, table, record_id):
            self.refresh()
            self.changed.emit()
