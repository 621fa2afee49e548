"""Charts drawn on the server as SVG: no script, no chart library, nothing from a CDN, and the same in both
languages since the labels are translated text. Each chart keeps the table it is drawn from; the page shows it
under the chart (folded, with its total, for screen readers and for reading exact figures) and offers it as CSV.

Drawn for a phone first: each bar's label stands on its own line above the bar, so the drawing is 360 units
wide and a phone shows its text at about the size it was drawn; the legend is HTML beside the drawing and
wraps with the screen. Colours are fill attributes (the same on the page and in the PDF), each named in the
legend and each bar carrying its figure as text: never colour alone."""

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 360
LABEL_ROW = 18  # the label's line above its bar
BAR_HEIGHT = 16
ROW_GAP = 12
VALUE_ROOM = 84  # right of the longest bar, for its figure
PLOT_WIDTH = WIDTH - VALUE_ROOM

# Columns of the trend chart.
COLUMN_TOP = 18  # room for the figure above the tallest column
COLUMN_PLOT = 96
COLUMN_LABELS = 34  # month, and the year under January and the first month

# Risk tiers, as on every page of the site (the tier badges of static/css/vetted.css): critical red, high
# orange, medium amber, low green; not assessed grey.
TIER_COLOURS = {
    "critical": "#c62828",
    "high": "#ef6c00",
    "medium": "#f0ad00",
    "low": "#2e7d32",
    "": "#8a8f98",
}
# Other series, from the Okabe-Ito palette, which colour-blind readers can tell apart.
PALETTE = ("#0072b2", "#e69f00", "#d55e00", "#009e73", "#56b4e9", "#8a8f98")


@dataclass(frozen=True)
class Segment:
    colour: str
    name: str
    value: float
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    label_y: float
    y: float
    segments: list[Segment]
    value_label: str
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Column:
    label: str
    year: str
    x: float
    width: float
    centre: float
    y: float
    height: float
    value_label: str
    value_y: float
    colour: str
    note: str  # said in the column's tooltip (e.g. reconstructed from the records)


@dataclass(frozen=True)
class LegendItem:
    colour: str
    name: str


COLUMN_LABEL_Y = COLUMN_TOP + COLUMN_PLOT + 14
COLUMN_YEAR_Y = COLUMN_LABEL_Y + 14


@dataclass
class Chart:
    key: str
    title: str
    caption: str
    headers: list[str]
    rows: list[list]
    total_label: str = ""  # the summary of the folded table, e.g. "Total: 42"
    legend: list[LegendItem] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    height: float = 0
    width: float = WIDTH
    empty: bool = False
    note: str = ""  # a line under the chart (what is left out, where figures come from)
    column_label_y: float = COLUMN_LABEL_Y
    column_year_y: float = COLUMN_YEAR_Y


def draw(
    chart: Chart,
    bars: Sequence[tuple[str, Sequence[float], str]],
    *,
    series: list[str],
    colours: list[str] | None = None,
    legend: bool = True,
) -> Chart:
    """Lay out `bars` ((label, one value per series, text after the bar)) as stacked horizontal bars, scaled
    to the largest total, each label above its bar. The legend names the series when there is more than one
    (unless the bars' own labels already name them: `legend=False`)."""
    colours = list(colours or PALETTE)
    colour = {name: colours[i % len(colours)] for i, name in enumerate(series)}
    if legend and len(series) > 1:
        chart.legend = [LegendItem(colour[name], name) for name in series]
    largest = max((sum(values) for _label, values, _text in bars), default=0)
    scale = PLOT_WIDTH / largest if largest else 0
    chart.empty = largest == 0
    row_height = LABEL_ROW + BAR_HEIGHT + ROW_GAP
    for row, (label, values, text) in enumerate(bars):
        top = row * row_height
        y = top + LABEL_ROW
        x = 0.0
        segments = []
        for name, value in zip(series, values, strict=True):
            width = value * scale
            if width > 0:
                segments.append(Segment(colour[name], name, value, x, max(width, 1.5)))
            x += width
        chart.bars.append(Bar(label, top + 13, y, segments, text, x + 6, y + BAR_HEIGHT - 3.5))
    chart.height = max(len(bars) * row_height - ROW_GAP, 0)
    return chart


def draw_columns(
    chart: Chart, columns: list[tuple[str, str, float | None, str, str]], *, colour: str = PALETTE[0]
) -> Chart:
    """Lay out `columns` ((month label, year label or "", value from 0 to 1 or None, text above, note)) as
    vertical columns over the full width: the trend of a share, month by month."""
    count = max(len(columns), 1)
    pitch = WIDTH / count
    width = min(pitch * 0.62, 22)
    chart.empty = all(value is None for _l, _y, value, _t, _n in columns)
    for i, (label, year, value, text, note) in enumerate(columns):
        centre = i * pitch + pitch / 2
        height = (value or 0) * COLUMN_PLOT
        chart.columns.append(
            Column(
                label=label,
                year=year,
                x=centre - width / 2,
                width=width,
                centre=centre,
                y=COLUMN_TOP + COLUMN_PLOT - height,
                height=max(height, 1.5) if value is not None else 0,
                value_label=text,
                value_y=COLUMN_TOP + COLUMN_PLOT - height - 4,
                colour=colour,
                note=note,
            )
        )
    chart.height = COLUMN_TOP + COLUMN_PLOT + COLUMN_LABELS
    return chart
