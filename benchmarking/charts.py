"""Charts for the PDF reports, drawn on the server as SVG.

WeasyPrint cannot run plotly.js, and the reports must be made without a
browser, so these draw the LA web page's two charts (a ranked bar chart and a
trend) directly as SVG, in the same colours (`palette`).

The words that go with a chart (LA names, values, periods) are not drawn in
the SVG but set beside it as ordinary text in the report, lined up with the
bars and points: WeasyPrint lays out SVG text a character at a time, which
made a report several times slower, and words as text can be read, searched
and copied. So the SVG holds the marks and the axis numbers only. Every
function here is pure: numbers in, SVG markup out.

Sizes are CSS pixels (96 to the inch), which the report uses unscaled so that
the bars line up with the rows of names beside them.
"""

import math
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

from .palette import HIGHLIGHT, MEAN_LINE, OTHER_LAS, TEXT, TREND_LA, TREND_MEAN

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
GRID = "#dddddd"
AXIS = "#505a5f"
DASH = "6 3"

# One bar per row of names beside the chart; the report's CSS gives those
# rows the same height.
BAR_PITCH = 10
# Room under the bars for the value axis's numbers.
AXIS_ROOM = 16


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
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'font-family="{FONT}" font-size="9" fill="{TEXT}">' + "".join(body) + "</svg>"
    )


def _line(x1, y1, x2, y2, colour, width=1.0, dashed=False) -> str:
    dash = f' stroke-dasharray="{DASH}"' if dashed else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}" stroke-width="{width:g}"{dash}/>'
    )


def _label(x, y, words, anchor="middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(words)}</text>'
    )


def ranked_bars(
    values: list[float],
    *,
    highlight: int | None = None,
    mean: float | None = None,
    width: float = 400,
) -> str:
    """Horizontal bars, one per row (best first, as given), the bar at index
    `highlight` dark, with a dashed line at the mean and a value axis below.

    The LA names and values go in rows of text beside it, BAR_PITCH apart.
    """
    left, right = 4.0, width - 14
    height = len(values) * BAR_PITCH
    marks = [*values, *([mean] if mean is not None else [])]
    ticks = nice_ticks(min(0.0, *marks), max(marks)) if marks else [0.0, 1.0]
    low, high = ticks[0], ticks[-1]

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    # One path per colour rather than an element per bar: WeasyPrint's time
    # goes by the number of SVG elements, and a report has 36 charts.
    grid = "".join(f"M{x_of(tick):.1f} 0V{height}" for tick in ticks)
    parts = [f'<path d="{grid}" stroke="{GRID}" stroke-width="1" fill="none"/>']
    parts += [_label(x_of(tick), height + 12, axis_number(tick)) for tick in ticks]
    zero = x_of(max(low, 0.0))
    bars = {OTHER_LAS: "", HIGHLIGHT: ""}
    for index, value in enumerate(values):
        x = x_of(value)
        colour = HIGHLIGHT if index == highlight else OTHER_LAS
        bars[colour] += (
            f"M{min(x, zero):.1f} {index * BAR_PITCH + 1.5:.1f}"
            f"h{abs(x - zero):.1f}v{BAR_PITCH - 3}h{-abs(x - zero):.1f}z"
        )
    parts += [f'<path d="{d}" fill="{colour}"/>' for colour, d in bars.items() if d]
    parts.append(_line(zero, 0, zero, height, AXIS))
    if mean is not None:
        x = x_of(mean)
        parts.append(_line(x, 0, x, height, MEAN_LINE, width=1.8, dashed=True))
    return _svg(width, height + AXIS_ROOM, parts)


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


def trend_lines(
    series: list[Series],
    layout: TrendLayout,
    *,
    first: str = "",
    last: str = "",
    height: float = 120,
) -> str:
    """A line per series across `layout.count` periods, with the value axis's
    numbers in the left margin and a tick for each period. Only the first
    and last periods are named, under their ticks; the words beside the
    chart give the values. A missing value breaks its line."""
    top, bottom = 6.0, height - 20
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min(0.0, *values), max(values)) if values else [0.0, 1.0]
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
    parts += [
        _label(layout.left - 5, y_of(tick) + 3, axis_number(tick), anchor="end")
        for tick in ticks
    ]
    if first:
        parts.append(_label(layout.x_of(0), bottom + 14, first))
    if last and layout.count > 1:
        parts.append(_label(layout.x_of(layout.count - 1), bottom + 14, last))
    for line in series:
        parts.extend(_polyline(line, layout.x_of, y_of))
    return _svg(layout.width, height, parts)


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
    """Every point's marker as one path: squares, or circles of two arcs."""
    if line.marker == "square":
        d = "".join(f"M{x - 3.5:.1f} {y - 3.5:.1f}h7v7h-7z" for x, y in points)
    else:
        d = "".join(
            f"M{x - 4:.1f} {y:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0z" for x, y in points
        )
    return f'<path d="{d}" fill="{line.colour}"/>'


def swatch(kind: str) -> str:
    """A small picture of a chart's mark for the key beside it: the chosen
    LA's bar, another LA's bar, the mean's dashed line, or a trend's line."""
    if kind in ("highlight", "other"):
        colour = HIGHLIGHT if kind == "highlight" else OTHER_LAS
        body = [f'<rect x="0" y="2" width="22" height="7" fill="{colour}"/>']
    elif kind == "mean":
        body = [_line(0, 5.5, 22, 5.5, MEAN_LINE, width=1.8, dashed=True)]
    else:
        line = la_series([]) if kind == "trend-la" else mean_series([])
        body = [
            _line(0, 5.5, 22, 5.5, line.colour, width=2, dashed=line.dashed),
            _markers(line, [(11, 5.5)]),
        ]
    return _svg(22, 11, body)
