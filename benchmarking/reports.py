"""The PDF benchmark reports: what each one says, and turning it into a PDF.

Three kinds, all from one published build:

- an LA's report: a cover, a one-page summary, a page per core indicator
  with its ranked and trend charts, the LA's row of the tartan rug and the
  method;
- the London pack: London at a glance, the whole rug across pages and every
  LA's flags;
- a cluster's pack: the cluster's LAs side by side on every indicator.

The words and numbers come from the same code as the web pages
(`authority.py`, `rug.py`, `flags.py`), so a report never disagrees with the
screen. The charts are SVG drawn here (`charts.py`), in the web charts'
colours. WeasyPrint makes tagged PDF/UA documents: a title and language, real
table structure and a text alternative on every chart.
"""

import gc
import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from authorities.models import Cluster, LocalAuthority
from indicators.models import Indicator, Polarity, Unit

from . import charts
from .authority import (
    IndicatorPanel,
    authority_page,
    float_display,
    rank_display,
    value_display,
)
from .flags import FLAGGED, Flags, band_words, flags_for, period_previous
from .groups import LONDON, Group, comparison_groups
from .models import (
    BenchmarkBuild,
    BenchmarkComparator,
    BenchmarkReport,
    BenchmarkResult,
)
from .palette import band_text, cell_colour, key_entries
from .rug import rug_build
from .selectors import build_comparators, build_published, build_results

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).with_name("report.css")
PDF_VARIANT = "pdf/ua-1"

# How many LAs the London pack's rug shows across one landscape page.
RUG_COLUMNS = 11


class ReportError(Exception):
    """A report cannot be made, for a reason the analyst can act on."""


@dataclass
class Rendered:
    pdf: bytes
    page_count: int


@dataclass
class RankedRow:
    """A line of text beside a bar: who, and their value."""

    name: str
    value: str
    highlight: bool = False

    @property
    def line(self) -> str:
        return f"{self.name} {self.value}"


@dataclass
class RankedChart:
    """Bars with the LAs' names and values beside them, best placed first."""

    src: str
    alt: str
    rows: list[RankedRow]
    mean_text: str
    highlight_name: str = ""

    # The rows are set as one block of preformatted text, a line per bar,
    # with the highlighted row in bold: a line of text costs WeasyPrint a
    # third of what a line ended by <br> does.

    @property
    def before(self) -> str:
        """The lines above the highlighted row, or all of them."""
        end = self._highlighted()
        lines = [row.line for row in self.rows[:end]]
        ends_early = lines and end < len(self.rows)
        return "\n".join(lines) + ("\n" if ends_early else "")

    @property
    def highlighted(self) -> str:
        end = self._highlighted()
        return self.rows[end].line if end < len(self.rows) else ""

    @property
    def after(self) -> str:
        rest = [row.line for row in self.rows[self._highlighted() + 1 :]]
        return "\n" + "\n".join(rest) if rest else ""

    def _highlighted(self) -> int:
        return next(
            (i for i, row in enumerate(self.rows) if row.highlight), len(self.rows)
        )


@dataclass
class TrendChart:
    """Lines over the periods, with the value axis's numbers beside them;
    the key names the first and last periods."""

    src: str
    alt: str
    first: str
    last: str
    la_name: str
    ticks: list[float]
    step: str = "quarter"

    @property
    def axis(self) -> str:
        """The axis numbers, top first, a line each (set as one block of
        preformatted text whose lines fall on the grid lines)."""
        return "\n".join(charts.axis_number(tick) for tick in reversed(self.ticks))


# The PDF's content is 180 mm wide: 680 CSS pixels.
CONTENT_WIDTH = 680
NAMES_WIDTH = 270
TREND_LEFT = 60


# Rendering
# ---------


def report_render(report: BenchmarkReport) -> Rendered:
    """Make the PDF for `report` from its build's stored results."""
    template, context = _content(report)
    context = {
        **context,
        "report": report,
        "build": report.build,
        "period": report.build.period,
        "made_at": timezone.now(),
        "language": "en-GB",
        "key": key_entries(),
    }
    return pdf_render(render_to_string(template, context))


def _content(report: BenchmarkReport) -> tuple[str, dict]:
    if report.kind == BenchmarkReport.Kind.LA:
        return "benchmarking/reports/la.html", la_report(report.build, report.authority)
    if report.kind == BenchmarkReport.Kind.CLUSTER:
        return "benchmarking/reports/cluster.html", cluster_pack(
            report.build, report.cluster
        )
    return "benchmarking/reports/london.html", london_pack(report.build)


def pdf_render(html: str, *, stylesheets=None) -> Rendered:
    """Lay out `html` as a tagged PDF/UA file, with the reports' stylesheet
    unless `stylesheets` are given (the benchmark's plain floor gives none).

    Python's cycle collector is paused meanwhile: WeasyPrint makes hundreds
    of thousands of objects for a report, and the collector walked them all
    again and again as they grew, a fifth of the time. It is turned back on
    at the end, and the report's garbage goes at its next pass.
    """
    weasyprint = _weasyprint()
    if stylesheets is None:
        stylesheets = [_stylesheet()]
    with _collector_paused():
        document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
            stylesheets=stylesheets, pdf_variant=PDF_VARIANT
        )
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return Rendered(pdf=pdf, page_count=len(document.pages))


@contextmanager
def _collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _weasyprint():
    """WeasyPrint, imported when a report is first made: it loads the
    system's Pango library, which only the processes making PDFs need."""
    try:
        import weasyprint
    except OSError as error:
        raise ReportError(
            "PDFs cannot be made on this server: WeasyPrint could not load the "
            "Pango text library it needs (install the libpango-1.0-0 and "
            f"libpangoft2-1.0-0 packages). The error was: {error}"
        ) from error
    return weasyprint


def _shades() -> list[str]:
    """Every colour a cell can have: quintiles of both scales, and none."""
    colours = {colour for colour, _, _ in key_entries()}
    return sorted(colours | {cell_colour(None, "")})


@cache
def _stylesheet():
    """The reports' CSS, parsed once per process rather than per report.

    To it are added a class per cell colour (`bg-85c59a`: templates colour
    a cell by class, because a style attribute on each cell made WeasyPrint
    take two to three times as long over a table), the width of the names
    beside a ranked chart and the lines of a trend's axis numbers.
    """
    rules = [f".bg-{colour[1:]} {{ background: {colour}; }}" for colour in _shades()]
    rules.append(f".ranked-names {{ width: {NAMES_WIDTH}px; }}")
    rules.append(f".ranked .bars {{ left: {NAMES_WIDTH}px; }}")
    rules += _trend_rules()
    return _weasyprint().CSS(string=STYLESHEET.read_text() + "\n".join(rules))


def _trend_rules() -> list[str]:
    """Classes that line a trend's words up with its chart.

    `ticks-N`: an axis of N numbers, one line per grid line, the first on
    the top line.
    """
    plot = charts.TREND_BOTTOM - charts.TREND_TOP
    rules = [
        f".trend-body {{ height: {charts.TREND_HEIGHT}px; }}",
        f".trend-axis {{ width: {TREND_LEFT - 6}px; }}",
    ]
    for count in range(2, 11):
        pitch = plot / (count - 1)
        rules.append(
            f".ticks-{count} {{ line-height: {pitch:.2f}px; "
            f"top: {charts.TREND_TOP - pitch / 2:.2f}px; }}"
        )
    return rules


# An LA's report
# --------------


@dataclass
class IndicatorPage:
    panel: IndicatorPanel
    ranking_chart: RankedChart | None
    trend_chart: TrendChart | None
    unranked: str
    summary: "SummaryRow"

    @property
    def indicator(self) -> Indicator:
        return self.panel.indicator

    @property
    def ranked(self) -> bool:
        result = self.panel.result
        return result is not None and result.rank is not None

    @property
    def quintile(self) -> str:
        result = self.panel.result
        if result is None or result.quintile is None:
            return "None"
        return f"{result.quintile} of 5"


@dataclass
class BandCount:
    band: str
    count: int


@dataclass
class SummaryRow:
    """One indicator's band now and in the period before, for the summary."""

    indicator: Indicator
    now: str
    before: str
    change: str
    needs_narrative: bool
    # Into or out of the top or bottom band (or between them).
    moved: bool = False


def la_report(build: BenchmarkBuild, authority: LocalAuthority) -> dict:
    """What an LA's report says, ranked among all London."""
    london = _london(comparison_groups())
    page = authority_page(build=build, authority=authority, group=london, user=None)
    previous_period = period_previous(build.period)
    previous_build = build_published(previous_period) if previous_period else None
    summary = _summary_rows(page.panels, _bands_in(previous_build, authority))
    indicator_pages = [
        IndicatorPage(
            panel=panel,
            ranking_chart=_ranking_chart(authority, panel),
            trend_chart=_trend_chart(authority, panel),
            unranked=_unranked(panel),
            summary=row,
        )
        for panel, row in zip(page.panels, summary, strict=True)
    ]
    return {
        "authority": authority,
        "page": page,
        "indicator_pages": indicator_pages,
        "band_counts": _band_counts(page.panels),
        "moves": [row for row in summary if row.moved],
        "previous_period": previous_period if previous_build else None,
        "narratives": [row for row in summary if row.needs_narrative],
    }


def _london(groups: list[Group]) -> Group:
    return next(group for group in groups if group.key == LONDON)


def _ranking_chart(
    authority: LocalAuthority, panel: IndicatorPanel
) -> RankedChart | None:
    ranked = [row for row in panel.ranking if row.value is not None]
    if not ranked:
        return None
    indicator = panel.indicator
    highlight = next((i for i, row in enumerate(ranked) if row.is_this), None)
    svg = charts.ranked_bars(
        [row.value for row in ranked],
        highlight=highlight,
        mean=panel.mean,
        width=CONTENT_WIDTH - NAMES_WIDTH,
    )
    order = "lowest first" if indicator.polarity == "low_good" else "highest first"
    alt = (
        f"Bar chart of {len(ranked)} London LAs' values for {indicator.name}, "
        f"{order}, with {authority.name} highlighted and a dashed line at the "
        f"London mean. {panel.summary}"
    )
    return RankedChart(
        src=charts.data_uri(svg),
        alt=alt,
        rows=[
            RankedRow(row.authority.name, row.display, row.is_this) for row in ranked
        ],
        mean_text=_mean_text(indicator, panel.mean),
        highlight_name=authority.name if highlight is not None else "",
    )


def _mean_text(indicator: Indicator, mean: float | None) -> str:
    return "" if mean is None else f"London mean: {float_display(indicator, mean)}"


def _trend_chart(authority: LocalAuthority, panel: IndicatorPanel) -> TrendChart | None:
    trend = panel.trend
    if len(trend) < 2 or all(point.value is None for point in trend):
        return None
    indicator = panel.indicator
    layout = charts.TrendLayout(CONTENT_WIDTH, TREND_LEFT, len(trend))
    first, last = trend[0].period.label, trend[-1].period.label
    series = [
        charts.la_series([point.value for point in trend]),
        charts.mean_series([point.mean for point in trend]),
    ]
    svg = charts.trend_lines(series, layout)
    values = "; ".join(
        f"{point.period.label} {point.display} (London mean {point.mean_display})"
        for point in trend
    )
    alt = (
        f"Line chart of {authority.name}'s {indicator.name} against the London "
        f"mean in each of {len(trend)} periods from {first} to {last}. "
        f"{values}."
    )
    return TrendChart(
        src=charts.data_uri(svg),
        alt=alt,
        first=first,
        last=last,
        la_name=authority.name,
        ticks=charts.trend_ticks(series),
        step="quarter" if trend[-1].period.is_quarter else "year",
    )


def _unranked(panel: IndicatorPanel) -> str:
    """The LAs the chart leaves out, and why, in a sentence."""
    missing = [row for row in panel.ranking if row.value is None]
    if not missing:
        return ""
    names = ", ".join(f"{row.authority.name} ({row.display})" for row in missing)
    return f"No value to rank: {names}."


def _band_counts(panels: list[IndicatorPanel]) -> list[BandCount]:
    """How many indicators fall in each band, in the order bands are read."""
    order = ["Top 20%", "Highest 20%", "Middle", "Lowest 20%", "Bottom 20%", "No band"]
    counts = Counter(panel.band for panel in panels)
    return [BandCount(band, counts[band]) for band in order if counts[band]]


def _bands_in(build: BenchmarkBuild | None, authority) -> dict[int, str] | None:
    """The LA's band on each indicator in `build`, by indicator id."""
    if build is None:
        return None
    results = BenchmarkResult.objects.filter(
        build=build, group=LONDON, authority=authority
    ).values_list("indicator_id", "band")
    return dict(results)


def _summary_rows(panels, before: dict[int, str] | None) -> list[SummaryRow]:
    rows = []
    for panel in panels:
        polarity = panel.indicator.polarity
        now = panel.result.band if panel.result else ""
        if before is None:
            was, change, moved = "", "No earlier benchmark", False
        else:
            earlier = before.get(panel.indicator.pk, "")
            was, change = band_text(earlier, polarity), _change(earlier, now, polarity)
            moved = earlier != now and (earlier in FLAGGED or now in FLAGGED)
        rows.append(
            SummaryRow(panel.indicator, panel.band, was, change, now in FLAGGED, moved)
        )
    return rows


def _change(before: str, now: str, polarity: str) -> str:
    """A move between bands in words: 'Into top 20%', 'Out of lowest 20%'."""
    was, now_words = band_words(before, polarity), band_words(now, polarity)
    if before == now:
        return "No change"
    if before in FLAGGED and now in FLAGGED:
        return f"Moved from {was} to {now_words}"
    if now in FLAGGED:
        return f"Into {now_words}"
    if before in FLAGGED:
        return f"Out of {was}"
    return f"{band_text(before, polarity)} to {now_words}"


# The London pack
# ---------------

# A cluster pack's table shows at most this many LAs across a landscape page,
# beside the cluster and London means; a bigger cluster is split evenly.
CLUSTER_COLUMNS = 8

POLARITY_WORDS = {
    Polarity.HIGH_GOOD: "higher is better",
    Polarity.LOW_GOOD: "lower is better",
    Polarity.NEITHER: "neither direction is better",
}


@dataclass
class PackCell:
    """One LA on one indicator in a pack's table: the words, and the quintile
    colour that repeats them."""

    value: str
    band: str
    colour: str
    rank: str
    joint: bool = False


@dataclass
class PackLine:
    """An indicator's row across some of the LAs."""

    indicator: Indicator
    cells: list[PackCell]
    cluster_mean: str = ""
    london_mean: str = ""

    @property
    def polarity(self) -> str:
        return POLARITY_WORDS.get(self.indicator.polarity, "")


@dataclass
class PackTable:
    """Indicators, grouped by source collection, against some of the LAs:
    what one landscape page holds."""

    first: int
    last: int
    total: int
    authorities: list[LocalAuthority]
    sections: list[tuple[str, list[PackLine]]]
    joint_note: str


@dataclass
class GlanceRow:
    indicator: Indicator
    comparator: BenchmarkComparator | None
    n: int
    figures: list[str]
    top: int
    bottom: int


@dataclass
class FlagCount:
    authority: LocalAuthority
    top: list[str]
    bottom: list[str]
    valued: int = 0


def london_pack(build: BenchmarkBuild) -> dict:
    """The whole London picture: at a glance, the rug and every LA's flags."""
    rug = rug_build(build, LONDON, "name")
    flags = flags_for(build=build, group=LONDON, user=None)
    counts = Counter(
        (flag.result.indicator_id, flag.result.band) for flag in flags.flags
    )
    comparators = build_comparators(build, LONDON)
    glance = []
    for row in rug.rows:
        indicator = row.indicator
        comparator = comparators.get(indicator.pk)
        valued = sum(1 for cell in row.cells if cell and cell.result.value is not None)
        glance.append(
            GlanceRow(
                indicator=indicator,
                comparator=comparator,
                n=comparator.n if comparator else valued,
                figures=_comparator_figures(indicator, comparator),
                top=counts[(indicator.pk, "top")],
                bottom=counts[(indicator.pk, "bottom")],
            )
        )
    return {
        "rug": rug,
        "rug_pages": _rug_pages(rug),
        "glance": glance,
        "has_england": any(
            row.comparator and row.comparator.england is not None for row in glance
        ),
        "flags": flags,
        "flag_groups": _by_indicator(flags.flags, lambda flag: flag.result),
        "left_rows": _left_rows(flags),
        "no_comparison": _no_comparison(flags),
        "flag_counts": _flag_counts(rug, flags),
        "key": key_entries(),
    }


def _comparator_figures(indicator, comparator) -> list[str]:
    """London mean, median and rate, and England as published, as text."""
    if comparator is None:
        return ["Not available"] * 4
    return [
        _figure(indicator, number)
        for number in (
            comparator.mean,
            comparator.median,
            comparator.rate,
            comparator.england,
        )
    ]


def _figure(indicator, number) -> str:
    """A London or cluster figure for a narrow cell."""
    return _unit_off(indicator, float_display(indicator, number))


def _unit_off(indicator: Indicator, text: str) -> str:
    """A rate without its ' per 10,000', to fit a narrow cell: the
    indicator's name and the table's note say what it is per."""
    if indicator.unit == Unit.RATE_PER_10K:
        return text.removesuffix(indicator.unit_suffix)
    return text


def _pack_cell(result) -> PackCell:
    """The cell of a pack's table for `result` (None: not in the build).
    A suppressed value is shown as DfE's symbol alone; the method page
    explains each symbol."""
    if result is None:
        return PackCell("Not in benchmark", "No band", cell_colour(None, ""), "")
    indicator = result.indicator
    if result.value is None:
        value, rank = result.suppression or "No value", ""
    else:
        value = _unit_off(indicator, indicator.format_value(result.value))
        rank = _rank_short(result)
    return PackCell(
        value=value,
        band=band_text(result.band, indicator.polarity),
        colour=cell_colour(result.quintile, indicator.polarity),
        rank=rank,
        joint=bool(result.shared_with),
    )


def _rank_short(result) -> str:
    """'Rank 7 of 33', kept on one line: it follows the value where the
    column is wide enough, or takes a line of its own."""
    if result.rank is None:
        return "Not ranked: under 5 values"
    return f"Rank {rank_display(result)}".replace(" ", "\N{NO-BREAK SPACE}")


def _joint_note(results) -> str:
    """Who reports together, for the cells marked 'joint'."""
    shared = sorted({r.shared_with for r in results if r and r.shared_with})
    if not shared:
        return ""
    names = dict(LocalAuthority.objects.values_list("dfe_code", "name"))
    together = [
        " and ".join(names.get(code.strip(), code.strip()) for code in codes.split("/"))
        for codes in shared
    ]
    return (
        f"Joint: {'; '.join(together)} report together in DfE’s statistics; "
        "the value shown applies to each."
    )


def _rug_pages(rug) -> list[PackTable]:
    pages = []
    for start in range(0, len(rug.authorities), RUG_COLUMNS):
        end = start + RUG_COLUMNS
        results = [
            cell.result if cell else None
            for row in rug.rows
            for cell in row.cells[start:end]
        ]
        sections = [
            (
                section.label,
                [
                    PackLine(
                        row.indicator,
                        [
                            _pack_cell(cell.result if cell else None)
                            for cell in row.cells[start:end]
                        ],
                    )
                    for row in section.rows
                ],
            )
            for section in rug.sections
        ]
        authorities = rug.authorities[start:end]
        pages.append(
            PackTable(
                first=start + 1,
                last=start + len(authorities),
                total=len(rug.authorities),
                authorities=authorities,
                sections=sections,
                joint_note=_joint_note(results),
            )
        )
    return pages


def _by_indicator(items: list, result_of) -> list[tuple[Indicator, list]]:
    """`items`, in indicator order already, as (indicator, its items)."""
    groups: list[tuple[Indicator, list]] = []
    for item in items:
        indicator = result_of(item).indicator
        if not groups or groups[-1][0].pk != indicator.pk:
            groups.append((indicator, []))
        groups[-1][1].append(item)
    return groups


@dataclass
class LeftRow:
    """The LAs that left an indicator's top and bottom bands since the
    previous period, each with where it stands now."""

    indicator: Indicator
    top: list[str]
    bottom: list[str]


def _left_rows(flags: Flags) -> list[LeftRow]:
    # A row per indicator rather than per LA: a quarter in which many LAs
    # made no return has a long list, and WeasyPrint pays for every cell.
    rows = []
    for indicator, lefts in _by_indicator(flags.left, lambda left: left.previous):
        row = LeftRow(indicator, [], [])
        for left in lefts:
            now = left.now.removeprefix("No band: ")
            now = now[:1].lower() + now[1:]
            names = row.top if left.previous.band == "top" else row.bottom
            names.append(f"{left.previous.authority.name} (now {now})")
        rows.append(row)
    return rows


def _no_comparison(flags: Flags) -> str:
    """Why there are no changes to show, in a sentence; empty when there are."""
    if flags.previous_build is not None:
        return ""
    if flags.previous_period is None:
        return (
            f"The period before {flags.build.period.label} has not been set up, "
            "so there is no previous published period to compare with and no "
            "changes are shown."
        )
    return (
        f"{flags.previous_period.label} has no published benchmark, so there is "
        "no previous published period to compare with and no changes are shown."
    )


def _flag_counts(rug, flags: Flags) -> list[FlagCount]:
    """Each LA's indicators in the top and bottom bands, and how many
    indicators it has a value for (none: it is in no band for that reason)."""
    by_la = {}
    for index, authority in enumerate(rug.authorities):
        cells = [row.cells[index] for row in rug.rows]
        valued = sum(1 for cell in cells if cell and cell.result.value is not None)
        by_la[authority.pk] = FlagCount(authority, [], [], valued)
    for flag in flags.flags:
        count = by_la.get(flag.result.authority_id)
        if count is None:
            continue
        names = count.top if flag.result.band == "top" else count.bottom
        names.append(flag.result.indicator.name)
    return list(by_la.values())


# A cluster's pack
# ----------------


@dataclass
class ClusterChart:
    indicator: Indicator
    chart: RankedChart | None
    unranked: str


def cluster_pack(build: BenchmarkBuild, cluster: Cluster) -> dict:
    """The cluster's LAs side by side on every indicator, each placed among
    all London (a cluster of a handful of LAs is too small to band alone).

    The cluster mean is the plain mean of the values in the row, so a reader
    can check it against the cells beside it."""
    authorities = sorted(cluster.authorities.all(), key=lambda a: a.name)
    results: dict[int, dict[int, object]] = {}
    members = build_results(build, LONDON).filter(authority__in=authorities)
    for result in members:
        results.setdefault(result.indicator_id, {})[result.authority_id] = result
    london = build_comparators(build, LONDON)

    lines: list[PackLine] = []
    figures: list[ClusterChart] = []
    for indicator in Indicator.objects.core():
        if indicator.pk not in london and indicator.pk not in results:
            continue  # not in this build, as the London pack's rug
        own = results.get(indicator.pk, {})
        comparator = london.get(indicator.pk)
        mean = comparator.mean if comparator else None
        lines.append(_cluster_line(indicator, authorities, own, mean))
        figures.append(
            ClusterChart(
                indicator,
                _cluster_chart(indicator, authorities, own, mean, cluster),
                _cluster_unranked(authorities, own),
            )
        )
    return {
        "cluster": cluster,
        "authorities": authorities,
        "tables": _cluster_tables(authorities, lines, list(members)),
        "charts": figures,
        "key": key_entries(),
    }


def _cluster_line(indicator, authorities, results, london_mean) -> PackLine:
    values = [
        float(results[a.pk].value)
        for a in authorities
        if a.pk in results and results[a.pk].value is not None
    ]
    cluster_mean = sum(values) / len(values) if values else None
    return PackLine(
        indicator=indicator,
        cells=[_pack_cell(results.get(authority.pk)) for authority in authorities],
        cluster_mean=_figure(indicator, cluster_mean),
        london_mean=_figure(indicator, london_mean),
    )


def _cluster_tables(authorities, lines, results) -> list[PackTable]:
    """The side-by-side table, split evenly when the cluster is too big for
    one page's width."""
    parts = -(-len(authorities) // CLUSTER_COLUMNS) or 1
    size = -(-len(authorities) // parts) or 1
    tables = []
    for start in range(0, max(len(authorities), 1), size):
        end = start + size
        chosen = {authority.pk for authority in authorities[start:end]}
        sections: dict[str, list[PackLine]] = {}
        for line in lines:
            label = line.indicator.get_source_display()
            sections.setdefault(label, []).append(
                PackLine(
                    line.indicator,
                    line.cells[start:end],
                    line.cluster_mean,
                    line.london_mean,
                )
            )
        tables.append(
            PackTable(
                first=start + 1,
                last=min(end, len(authorities)),
                total=len(authorities),
                authorities=authorities[start:end],
                sections=list(sections.items()),
                joint_note=_joint_note(
                    [r for r in results if r.authority_id in chosen]
                ),
            )
        )
    return tables


def _cluster_unranked(authorities, results) -> str:
    missing = [
        a.name
        for a in authorities
        if a.pk not in results or results[a.pk].value is None
    ]
    return f"No value to chart: {', '.join(missing)}." if missing else ""


def _cluster_chart(
    indicator, authorities, results, mean, cluster
) -> RankedChart | None:
    """The cluster's LAs from best to worst, against the London mean."""
    ranked = [
        (authority, results[authority.pk])
        for authority in authorities
        if authority.pk in results and results[authority.pk].value is not None
    ]
    if not ranked:
        return None
    ranked.sort(
        key=lambda pair: (pair[1].rank is None, pair[1].rank or 0, pair[0].name)
    )
    svg = charts.ranked_bars(
        [float(result.value) for _, result in ranked],
        mean=mean,
        width=CONTENT_WIDTH - NAMES_WIDTH,
    )
    values = "; ".join(
        f"{a.name} {value_display(indicator, r.value)} ({_rank_words(r)})"
        for a, r in ranked
    )
    mean_words = f" of {float_display(indicator, mean)}" if mean is not None else ""
    alt = (
        f"Bar chart of {indicator.name} for the {cluster.name} cluster's LAs, "
        f"best placed first, with a dashed line at the London mean{mean_words}. "
        f"{values}."
    )
    return RankedChart(
        src=charts.data_uri(svg),
        alt=alt,
        rows=[
            RankedRow(a.name, f"{value_display(indicator, r.value)} ({_rank(r)})")
            for a, r in ranked
        ],
        mean_text=_mean_text(indicator, mean),
    )


def _rank(result) -> str:
    return "not ranked" if result.rank is None else rank_display(result)


def _rank_words(result) -> str:
    return f"{_rank(result)} in London"
