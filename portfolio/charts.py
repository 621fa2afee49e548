"""Horizontal bar charts drawn on the server as SVG: no script, no chart library, nothing from a CDN, and the
same in both languages since the labels are translated text. Each chart keeps the table it is drawn from; the
page shows it under the chart (for screen readers and for reading exact figures) and offers it as CSV."""

from collections.abc import Sequence
from dataclasses import dataclass, field

LABEL_WIDTH = 210
PLOT_WIDTH = 240
VALUE_ROOM = 150
BAR_HEIGHT = 22
BAR_GAP = 10
LEGEND_ROW = 24
SERIES_COUNT = 6  # colour classes .series-0 ... .series-5 in static/css/portfolio.css


@dataclass(frozen=True)
class Segment:
    series: int
    name: str
    value: float
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    text_y: float
    segments: list[Segment]
    value_label: str
    value_x: float


@dataclass(frozen=True)
class LegendItem:
    series: int
    name: str
    x: float
    text_x: float


@dataclass
class Chart:
    key: str
    title: str
    caption: str
    headers: list[str]
    rows: list[list]
    series: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    height: float = 0
    width: float = LABEL_WIDTH + PLOT_WIDTH + VALUE_ROOM
    plot_x: float = LABEL_WIDTH
    label_x: float = LABEL_WIDTH - 8
    empty: bool = False


def draw(
    chart: Chart, bars: Sequence[tuple[str, Sequence[float], str]], *, series: list[str], legend: bool = True
) -> Chart:
    """Lay out `bars` ((label, one value per series, text after the bar)) as stacked horizontal bars, scaled
    to the largest total, with a legend when there is more than one series (unless the bars' own labels
    already name them: `legend=False`)."""
    chart.series = series
    legend = legend and len(series) > 1
    top = LEGEND_ROW if legend else 0
    if legend:
        step = (LABEL_WIDTH + PLOT_WIDTH) / len(series)
        chart.legend = [
            LegendItem(i % SERIES_COUNT, name, i * step, i * step + 16) for i, name in enumerate(series)
        ]
    largest = max((sum(values) for _label, values, _text in bars), default=0)
    scale = PLOT_WIDTH / largest if largest else 0
    chart.empty = largest == 0
    for row, (label, values, text) in enumerate(bars):
        y = top + row * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for i, value in enumerate(values):
            width = value * scale
            if width > 0:
                segments.append(Segment(i % SERIES_COUNT, series[i], value, x, width))
            x += width
        chart.bars.append(Bar(label, y, y + BAR_HEIGHT * 0.7, segments, text, x + 6))
    chart.height = top + len(bars) * (BAR_HEIGHT + BAR_GAP)
    return chart
