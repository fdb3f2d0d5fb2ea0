"""The pieces that keep a report quick to lay out still say the right thing:
the names beside a ranked chart, a trend's axis numbers on its grid lines,
and the cycle collector left as it was found."""

import gc
import re
from types import SimpleNamespace

import pytest

from benchmarking import charts, reports
from benchmarking.reports import RankedChart, RankedRow, TrendChart


def ranked(rows: list[RankedRow]) -> RankedChart:
    return RankedChart(src="", alt="", rows=rows, mean_text="")


def test_the_names_are_a_line_each_with_the_chosen_la_apart():
    chart = ranked(
        [
            RankedRow("Newham", "764.1"),
            RankedRow("Camden", "526.1", highlight=True),
            RankedRow("Lewisham", "312.5"),
        ]
    )

    assert chart.before == "Newham 764.1\n"
    assert chart.highlighted == "Camden 526.1"
    assert chart.after == "\nLewisham 312.5"
    # Put back together, one line per bar, in order.
    whole = chart.before + chart.highlighted + chart.after
    assert whole.splitlines() == ["Newham 764.1", "Camden 526.1", "Lewisham 312.5"]


@pytest.mark.parametrize("place", [0, 2])
def test_the_chosen_la_may_be_first_or_last(place):
    rows = [RankedRow(name, "1") for name in ("Barnet", "Brent", "Bexley")]
    rows[place].highlight = True
    chart = ranked(rows)

    whole = chart.before + chart.highlighted + chart.after
    assert whole.splitlines() == ["Barnet 1", "Brent 1", "Bexley 1"]
    assert chart.highlighted == rows[place].line


def test_without_a_chosen_la_every_name_is_plain():
    chart = ranked([RankedRow("Barnet", "1"), RankedRow("Brent", "2")])

    assert chart.before == "Barnet 1\nBrent 2"
    assert chart.highlighted == "" and chart.after == ""


def trend(ticks: list[float]) -> TrendChart:
    return TrendChart(src="", alt="", first="", last="", la_name="", ticks=ticks)


def test_the_axis_numbers_run_from_the_top_down():
    assert trend([0, 200, 400, 600]).axis == "600\n400\n200\n0"
    assert trend([0, 0.5, 1]).axis == "1\n0.5\n0"


def tick_rule(count: int) -> tuple[float, float]:
    """The line height and offset the stylesheet gives an axis of `count`."""
    rule = next(r for r in reports._trend_rules() if r.startswith(f".ticks-{count} "))
    height = float(re.search(r"line-height: ([\d.]+)px", rule).group(1))
    top = float(re.search(r"top: (-?[\d.]+)px", rule).group(1))
    return height, top


@pytest.mark.parametrize("highest", [0.4, 1.0, 2.0, 87.5, 1200.0])
def test_each_axis_number_sits_on_its_grid_line(highest):
    series = [charts.la_series([0.0, highest])]
    ticks = charts.trend_ticks(series)
    layout = charts.TrendLayout(width=400, left=60, count=2)
    svg = charts.trend_lines(series, layout)
    grid_path = re.search(r'<path d="(M60 [^"]*)" stroke="#dddddd"', svg).group(1)
    # The grid lines, top first, as the numbers are read.
    grid = sorted(float(y) for y in re.findall(r"M60 ([\d.]+)H400", grid_path))

    height, top = tick_rule(len(ticks))
    # The middle of each line of the axis text, down from the chart's top.
    middles = [top + height * (n + 0.5) for n in range(len(ticks))]
    assert middles == pytest.approx(grid, abs=0.1)


class RecordingWeasyPrint:
    """Stands in for WeasyPrint and notes whether the collector was on."""

    def __init__(self):
        self.collector_on = []

    def HTML(self, **kwargs):  # noqa: N802 (WeasyPrint's name)
        return self

    def render(self, **kwargs):
        self.collector_on.append(gc.isenabled())
        return self

    def write_pdf(self, **kwargs):
        self.collector_on.append(gc.isenabled())
        return b"%PDF-"

    pages = [object()]


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_is_paused_while_weasyprint_works_and_put_back(
    monkeypatch, was_on
):
    fake = RecordingWeasyPrint()
    monkeypatch.setattr(reports, "_weasyprint", lambda: fake)
    (gc.enable if was_on else gc.disable)()
    try:
        made = reports.pdf_render("<p>Hello</p>", stylesheets=[])
        assert gc.isenabled() is was_on
    finally:
        gc.enable()

    assert fake.collector_on == [False, False]
    assert made.page_count == 1


def test_the_collector_is_put_back_when_weasyprint_fails(monkeypatch):
    class Failing(RecordingWeasyPrint):
        def render(self, **kwargs):
            raise ValueError("bad document")

    monkeypatch.setattr(reports, "_weasyprint", Failing)
    with pytest.raises(ValueError):
        reports.pdf_render("<p>Hello</p>", stylesheets=[])
    assert gc.isenabled()


def indicator_page(result) -> reports.IndicatorPage:
    panel = SimpleNamespace(result=result)
    return reports.IndicatorPage(panel, None, None, "", summary=None)


def test_a_page_says_rank_band_and_quintile_only_for_a_ranked_value():
    ranked = indicator_page(SimpleNamespace(rank=2.0, quintile=1))
    assert ranked.ranked and ranked.quintile == "1 of 5"

    for result in (None, SimpleNamespace(rank=None, quintile=None)):
        page = indicator_page(result)
        assert not page.ranked and page.quintile == "None"
