"""The PDF reports' SVG charts: marks where the numbers say, in the palette."""

import re
from itertools import pairwise
from urllib.parse import unquote

from defusedxml import ElementTree

from benchmarking import charts
from benchmarking.palette import HIGHLIGHT, MEAN_LINE, OTHER_LAS, TREND_LA, TREND_MEAN

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return ElementTree.fromstring(svg)


def bar_extents(root, colour):
    """(left, middle, width) of each bar drawn in `colour`, top to bottom.

    A bar is a thick line from zero to its value: "M<zero> <middle>H<end>".
    """
    paths = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == colour]
    bars = []
    for path in paths:
        assert float(path.get("stroke-width")) > 0
        for x, y, end in re.findall(r"M([\d.]+) ([\d.]+)H([\d.]+)", path.get("d")):
            left, right = sorted((float(x), float(end)))
            bars.append((left, float(y), right - left))
    return sorted(bars, key=lambda bar: bar[1])


def test_nice_ticks_cover_the_values_with_round_steps():
    assert charts.nice_ticks(0, 87.5) == [0, 25, 50, 75, 100]
    assert charts.nice_ticks(0, 4) == [0, 1, 2, 3, 4]
    ticks = charts.nice_ticks(0, 0.37)
    assert ticks[0] == 0 and ticks[-1] >= 0.37
    # A flat series still gets an axis.
    assert len(charts.nice_ticks(5, 5)) >= 2


def test_axis_numbers_read_plainly():
    assert charts.axis_number(2500.0) == "2,500"
    assert charts.axis_number(2.5) == "2.5"
    assert charts.axis_number(0.25) == "0.25"


def test_ranked_bars_are_as_long_as_their_values_with_the_chosen_la_dark():
    svg = charts.ranked_bars([40.0, 20.0, 10.0], highlight=1, width=300)
    root = parse(svg)

    others = bar_extents(root, OTHER_LAS)
    chosen = bar_extents(root, HIGHLIGHT)
    assert len(others) == 2 and len(chosen) == 1
    # Rows one pitch apart, in the order given.
    assert [round(bar[1]) for bar in others] == [5, 25]
    assert round(chosen[0][1]) == 15
    # Lengths in proportion: 40 is twice 20, which is twice 10.
    first, last = others
    assert abs(first[2] - 2 * chosen[0][2]) < 0.5
    assert abs(chosen[0][2] - 2 * last[2]) < 0.5


def test_ranked_bars_mark_the_mean_with_a_dashed_line_where_it_falls():
    svg = charts.ranked_bars([40.0, 0.0], mean=20.0, width=300)
    root = parse(svg)

    mean = next(
        line for line in root.iter(f"{SVG}line") if line.get("stroke") == MEAN_LINE
    )
    assert mean.get("stroke-dasharray")
    longest = bar_extents(root, OTHER_LAS)[0]
    # Halfway along the 40 bar.
    assert abs(float(mean.get("x1")) - (longest[0] + longest[2] / 2)) < 0.5


def test_charts_hold_no_words():
    """Names, values, axis numbers and periods go beside the charts as text
    (see charts.py), so the SVG has none."""
    ranked = charts.ranked_bars([12.5, 3.0], mean=7.0, width=300)
    layout = charts.TrendLayout(width=400, left=60, count=2)
    trend = charts.trend_lines([charts.la_series([1.0, 2.0])], layout)
    for svg in (ranked, trend):
        assert not list(parse(svg).iter(f"{SVG}text"))


def test_negative_values_run_left_of_zero():
    root = parse(charts.ranked_bars([10.0, -10.0], width=214))
    (positive_left, _, positive), (negative_left, _, negative) = bar_extents(
        root, OTHER_LAS
    )
    # Zero is halfway: the negative bar ends where the positive one starts.
    assert abs(negative_left + negative - positive_left) < 0.2
    assert abs(positive - negative) < 0.2


def test_a_trend_breaks_its_line_where_a_period_has_no_value():
    layout = charts.TrendLayout(width=400, left=60, count=4)
    la = charts.la_series([10.0, 12.0, None, 15.0])
    mean = charts.mean_series([11.0, 11.0, 11.0, 11.0])
    root = parse(charts.trend_lines([la, mean], layout))

    lines = list(root.iter(f"{SVG}polyline"))
    la_runs = [line for line in lines if line.get("stroke") == TREND_LA]
    mean_runs = [line for line in lines if line.get("stroke") == TREND_MEAN]
    # Two points then a gap then one point: one run of two; the lone point
    # is still marked.
    assert len(la_runs) == 1 and len(la_runs[0].get("points").split()) == 2
    assert len(mean_runs) == 1 and mean_runs[0].get("stroke-dasharray")
    # Circles are dots: lines of no length with round ends.
    la_markers = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == TREND_LA]
    assert la_markers[0].get("d").count("M") == 3
    assert la_markers[0].get("d").count("h0") == 3
    assert la_markers[0].get("stroke-linecap") == "round"


def test_a_trend_has_a_grid_line_at_each_axis_number():
    layout = charts.TrendLayout(width=400, left=60, count=2)
    series = [charts.la_series([0.0, 87.5]), charts.mean_series([50.0, 60.0])]
    assert charts.trend_ticks(series) == [0, 25, 50, 75, 100]
    root = parse(charts.trend_lines(series, layout))
    grid = next(p for p in root.iter(f"{SVG}path") if p.get("d").endswith("H400"))
    heights = [float(y) for y in re.findall(r"M60 ([\d.]+)H400", grid.get("d"))]
    # Evenly spaced from the bottom of the plot (0) to its top (100).
    assert heights[0] == charts.TREND_BOTTOM and heights[-1] == charts.TREND_TOP
    gaps = {round(b - a, 1) for a, b in pairwise(heights)}
    assert len(gaps) == 1


def test_trend_points_sit_over_the_periods_columns():
    layout = charts.TrendLayout(width=460, left=60, count=4)
    assert layout.step == 100
    assert [layout.x_of(i) for i in range(4)] == [110, 210, 310, 410]


def test_data_uris_round_trip():
    svg = charts.ranked_bars([1.0], mean=1.0, width=100)
    uri = charts.data_uri(svg)
    assert uri.startswith("data:image/svg+xml")
    root = parse(unquote(uri.split(",", 1)[1]))
    assert any(line.get("stroke") == MEAN_LINE for line in root.iter(f"{SVG}line"))
