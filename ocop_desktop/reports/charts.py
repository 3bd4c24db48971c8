"""Bar charts for the report (reportlab.graphics), value axes starting at 0."""

from __future__ import annotations

import math
from typing import Any

from ocop_desktop.reports import fonts
from ocop_desktop.reports.wording import num

BAR_COLOURS = ("#2f5d8a", "#c0792b", "#5b8c3a", "#8a2f4f")


def nice_step(top: float) -> int:
    """An integer tick step giving about five ticks up to ``top``."""
    if top <= 5:
        return 1
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return int(m * power)
    return int(10 * power)


def _value_axis(axis: Any, top: float) -> None:
    step = nice_step(top)
    axis.valueMin = 0
    axis.valueMax = max(step, math.ceil(max(top, 1) * 1.1 / step) * step)
    axis.valueStep = step
    axis.labels.fontName = fonts.REGULAR
    axis.labels.fontSize = 9
    axis.labelTextFormat = lambda v: num(v)
    axis.visibleGrid = True
    axis.gridStrokeColor = _colour("#cccccc")
    axis.gridStrokeWidth = 0.4


def _colour(hex_: str):
    from reportlab.lib.colors import HexColor

    return HexColor(hex_)


def _bar_style(chart: Any, values: list[int], *, label_size: int) -> None:
    """What both bar charts share: axis from 0, one colour, Vietnamese value labels."""
    _value_axis(chart.valueAxis, max(values or [0]))
    chart.bars[0].fillColor = _colour(BAR_COLOURS[0])
    chart.bars.strokeColor = None
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = label_size
    chart.barLabelFormat = lambda v: num(v)


def _finish(d: Any, chart: Any, title: str) -> Any:
    """Add the chart to its drawing, with the title centred above it."""
    from reportlab.graphics.shapes import String

    d.add(chart)
    if title:
        d.add(
            String(
                d.width / 2,
                d.height - 14,
                title,
                fontName=fonts.BOLD,
                fontSize=10,
                textAnchor="middle",
            )
        )
    return d


def column_chart(
    labels: list[str], values: list[int], *, width: float, height: float = 170, title: str = ""
):
    """Vertical bars, one per label, value written above each bar."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing

    fonts.register()
    d = Drawing(width, height, initialFontName=fonts.REGULAR)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 40
    chart.width, chart.height = width - 60, height - 70
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -4
    _bar_style(chart, values, label_size=9)
    chart.barLabels.nudge = 7
    chart.barSpacing = 2
    return _finish(d, chart, title)


def ranked_bars(labels: list[str], values: list[int], *, width: float, title: str = ""):
    """Horizontal bars, largest first (labels read left of the bars): the district ranking."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing

    fonts.register()
    row = 13
    height = 60 + row * max(len(values), 1)
    d = Drawing(width, height, initialFontName=fonts.REGULAR)
    chart = HorizontalBarChart()
    chart.x, chart.y = 95, 25
    chart.width, chart.height = width - 125, height - 50
    # reportlab draws the first category at the bottom: reverse for largest on top
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.visibleTicks = 0
    _bar_style(chart, values, label_size=8)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barSpacing = 1
    return _finish(d, chart, title)
