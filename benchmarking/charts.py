"""Charts for the PDF reports, drawn on the server as SVG.

WeasyPrint cannot run plotly.js, and the reports must be made without a
browser, so these draw the LA web page's two charts (a ranked bar chart and a
trend) directly as SVG, in the same colours (`palette`).

The words that go with a chart (LA names, values, periods) are not drawn in
the SVG but set beside it as ordinary text in the report, lined up with the
bars, grid lines and periods: WeasyPrint lays out SVG text a character at a
time, which made a report several times slower, and words as text can be
read, searched and copied. So the SVG holds only the marks. A ranked chart
needs no value axis, since every bar's value is printed beside it. Every
function here is pure: numbers in, SVG markup out.

Sizes are CSS pixels (96 to the inch), which the report uses unscaled so that
the bars line up with the rows of names beside them.
"""

import math
from dataclasses import dataclass
from urllib.parse import quote

from .palette import HIGHLIGHT, MEAN_LINE, OTHER_LAS, TREND_LA, TREND_MEAN

GRID = "#dddddd"
AXIS = "#505a5f"
DASH = "6 3"

# One bar per row of names beside the chart; the report's CSS gives those
# rows the same height.
BAR_PITCH = 10


@dataclass(frozen=True)
class Series:
    """One line of a trend chart; None where a period has no value."""

    values: list[float | None]
    colour: str
    dashed: bool = False
    marker: str = "circle"


def la_series(values: list[float | None]) -> Series:
    return Series(values, TREND_LA, dashed=False, marker="circle")


def mean_series(values: list[float | None]) -> Series:
    return Series(values, TREND_MEAN, dashed=True, marker="square")


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round numbers for an axis, from at most `low` to at least `high`."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    tick = math.floor(low / step) * step
    ticks = []
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def axis_number(value: float) -> str:
    """An axis label: no trailing zeros, thousands separated."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def data_uri(svg: str) -> str:
    """The SVG as an `img` source, so the PDF can give it a text alternative."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


def _svg(width: float, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}">'
        + "".join(body)
        + "</svg>"
    )


def _line(x1, y1, x2, y2, colour, width=1.0, dashed=False) -> str:
    dash = f' stroke-dasharray="{DASH}"' if dashed else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}" stroke-width="{width:g}"{dash}/>'
    )


def ranked_bars(
    values: list[float],
    *,
    highlight: int | None = None,
    mean: float | None = None,
    width: float = 400,
) -> str:
    """Horizontal bars, one per row (best first, as given), the bar at index
    `highlight` dark, with a dashed line at the mean.

    The LA names and values go in rows of text beside it, BAR_PITCH apart,
    so the bars need no value axis: they start at zero (or at the lowest
    value, if some are below it) and the longest reaches the right edge.
    """
    left, right = 4.0, width - 14
    height = len(values) * BAR_PITCH
    marks = [*values, *([mean] if mean is not None else [])]
    low = min(0.0, *marks) if marks else 0.0
    high = max(marks) if marks else 1.0
    if high <= low:
        high = low + 1

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    # One path per colour rather than an element per bar: WeasyPrint's time
    # goes by the number of SVG elements, and a report has 36 charts.
    parts = []
    zero = x_of(max(low, 0.0))
    bars = {OTHER_LAS: "", HIGHLIGHT: ""}
    for index, value in enumerate(values):
        x = x_of(value)
        colour = HIGHLIGHT if index == highlight else OTHER_LAS
        bars[colour] += f"M{zero:.1f} {(index + 0.5) * BAR_PITCH:.1f}H{x:.1f}"
    # Each bar is a line as thick as a bar, from zero to the value: three
    # numbers to WeasyPrint's Python path parser rather than five.
    parts += [
        f'<path d="{d}" stroke="{colour}" stroke-width="{BAR_PITCH - 3}" fill="none"/>'
        for colour, d in bars.items()
        if d
    ]
    parts.append(_line(zero, 0, zero, height, AXIS))
    if mean is not None:
        x = x_of(mean)
        parts.append(_line(x, 0, x, height, MEAN_LINE, width=1.8, dashed=True))
    return _svg(width, height, parts)


@dataclass(frozen=True)
class TrendLayout:
    """Where a trend chart puts its points across the page, so the table of
    periods and values under it can line up with them."""

    width: float
    left: float
    count: int

    @property
    def step(self) -> float:
        return (self.width - self.left) / max(self.count, 1)

    def x_of(self, index: int) -> float:
        return self.left + self.step * (index + 0.5)


# Where a trend chart's plot area starts and ends, down from its top.
TREND_HEIGHT = 108
TREND_TOP = 6.0
TREND_BOTTOM = TREND_HEIGHT - 8


def trend_ticks(series: list[Series]) -> list[float]:
    """The value axis of a trend chart of `series`, lowest first: the report
    sets these numbers beside the chart, one per grid line."""
    values = [v for s in series for v in s.values if v is not None]
    return nice_ticks(min(0.0, *values), max(values)) if values else [0.0, 1.0]


def trend_lines(series: list[Series], layout: TrendLayout) -> str:
    """A line per series across `layout.count` periods, a grid line at each
    of `trend_ticks(series)` and a tick under each period. The words (the
    axis numbers and periods) are set beside the chart in the report. A
    missing value breaks its line."""
    top, bottom = TREND_TOP, TREND_BOTTOM
    ticks = trend_ticks(series)
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    grid = "".join(f"M{layout.left} {y_of(tick):.1f}H{layout.width}" for tick in ticks)
    marks = "".join(
        f"M{layout.x_of(index):.1f} {bottom}v4" for index in range(layout.count)
    )
    parts = [
        f'<path d="{grid}" stroke="{GRID}" stroke-width="1" fill="none"/>',
        f'<path d="{marks}" stroke="{AXIS}" stroke-width="1" fill="none"/>',
    ]
    for line in series:
        parts.extend(_polyline(line, layout.x_of, y_of))
    return _svg(layout.width, TREND_HEIGHT, parts)


def _polyline(line: Series, x_of, y_of) -> list[str]:
    dash = f' stroke-dasharray="{DASH}"' if line.dashed else ""
    parts, run = [], []
    for index, value in enumerate([*line.values, None]):
        if value is not None:
            run.append(f"{x_of(index):.1f},{y_of(value):.1f}")
            continue
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" '
                f'stroke="{line.colour}" stroke-width="2"{dash}/>'
            )
        run = []
    points = [
        (x_of(index), y_of(value))
        for index, value in enumerate(line.values)
        if value is not None
    ]
    if points:
        parts.append(_markers(line, points))
    return parts


def _markers(line: Series, points: list[tuple[float, float]]) -> str:
    """Every point's marker as one stroked path: a square is a line 7 long
    and 7 thick; a circle is a line of no length with round ends, which
    PDF paints as a dot as wide as the line is thick."""
    if line.marker == "square":
        d = "".join(f"M{x - 3.5:.1f} {y:.1f}h7" for x, y in points)
        return f'<path d="{d}" stroke="{line.colour}" stroke-width="7" fill="none"/>'
    d = "".join(f"M{x:.1f} {y:.1f}h0" for x, y in points)
    return (
        f'<path d="{d}" stroke="{line.colour}" stroke-width="8" '
        'stroke-linecap="round" fill="none"/>'
    )
