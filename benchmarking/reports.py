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

import logging
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from authorities.models import Cluster, LocalAuthority
from indicators.models import Indicator, SourceCollection

from . import charts
from .authority import (
    IndicatorPanel,
    authority_page,
    rank_display,
    value_display,
)
from .flags import FLAGGED, Flags, flags_for
from .groups import LONDON, Group, comparison_groups
from .models import BenchmarkBuild, BenchmarkComparator, BenchmarkReport
from .palette import band_text, cell_colour, key_entries
from .rug import rug_build
from .selectors import build_comparators, build_results

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


@dataclass
class RankedChart:
    """Bars with the LAs' names and values beside them, best placed first."""

    src: str
    alt: str
    rows: list[RankedRow]
    mean_text: str
    highlight_name: str = ""


@dataclass
class TrendChart:
    """Lines over the periods; the words say what the lines show."""

    src: str
    alt: str
    first: str
    last: str
    la_name: str


# The PDF's content is 180 mm wide: 680 CSS pixels.
CONTENT_WIDTH = 680
NAMES_WIDTH = 270
TREND_LEFT = 60
SWATCHES = ("highlight", "other", "mean", "trend-la", "trend-mean")


@cache
def swatches() -> dict[str, str]:
    """The small pictures of each mark for the keys beside the charts."""
    kinds = ("highlight", "other", "mean", "trend-la", "trend-mean")
    return {
        kind.replace("-", "_"): charts.data_uri(charts.swatch(kind)) for kind in kinds
    }


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
        "names_width": NAMES_WIDTH,
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


def pdf_render(html: str) -> Rendered:
    """Lay out `html` with the reports' stylesheet as a tagged PDF/UA file."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT
    )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return Rendered(pdf=pdf, page_count=len(document.pages))


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


def _swatch_uri(kind: str) -> str:
    return charts.data_uri(charts.swatch(kind))


@cache
def _stylesheet():
    """The reports' CSS, parsed once per process rather than per report,
    with the small pictures of the charts' marks for their keys."""
    marks = "".join(
        f".swatch-{kind} {{ background-image: url({_swatch_uri(kind)}); }}\n"
        for kind in SWATCHES
    )
    return _weasyprint().CSS(string=STYLESHEET.read_text() + marks)


# An LA's report
# --------------


@dataclass
class IndicatorPage:
    panel: IndicatorPanel
    ranking_chart: RankedChart | None
    trend_chart: TrendChart | None
    unranked: str

    @property
    def indicator(self) -> Indicator:
        return self.panel.indicator

    @property
    def quintile(self) -> str:
        result = self.panel.result
        if result is None or result.quintile is None:
            return "None"
        return f"{result.quintile} of 5"


@dataclass
class BandCount:
    band: str
    indicators: list[Indicator]


@dataclass
class Move:
    indicator: Indicator
    before: str
    now: str
    change: str


def la_report(build: BenchmarkBuild, authority: LocalAuthority) -> dict:
    """What an LA's report says, ranked among all London."""
    london = _london(comparison_groups())
    page = authority_page(build=build, authority=authority, group=london, user=None)
    flags = flags_for(build=build, group=LONDON, user=None)
    indicator_pages = [
        IndicatorPage(
            panel=panel,
            ranking_chart=_ranking_chart(authority, panel),
            trend_chart=_trend_chart(authority, panel),
            unranked=_unranked(panel),
        )
        for panel in page.panels
    ]
    return {
        "authority": authority,
        "page": page,
        "indicator_pages": indicator_pages,
        "band_counts": _band_counts(page.panels),
        "moves": _moves(flags, authority),
        "previous_period": flags.previous_period if flags.previous_build else None,
        "narratives": [p for p in page.panels if p.result and p.result.band in FLAGGED],
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
    return "" if mean is None else f"London mean: {_float(indicator, mean)}"


def _trend_chart(authority: LocalAuthority, panel: IndicatorPanel) -> TrendChart | None:
    trend = panel.trend
    if len(trend) < 2 or all(point.value is None for point in trend):
        return None
    indicator = panel.indicator
    layout = charts.TrendLayout(CONTENT_WIDTH, TREND_LEFT, len(trend))
    first, last = trend[0].period.label, trend[-1].period.label
    svg = charts.trend_lines(
        [
            charts.la_series([point.value for point in trend]),
            charts.mean_series([point.mean for point in trend]),
        ],
        layout,
        first=first,
        last=last,
    )
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
    )


def _unranked(panel: IndicatorPanel) -> str:
    """The LAs the chart leaves out, and why, in a sentence."""
    missing = [row for row in panel.ranking if row.value is None]
    if not missing:
        return ""
    names = ", ".join(f"{row.authority.name} ({row.display})" for row in missing)
    return f"No value to rank: {names}."


def _float(indicator: Indicator, number: float) -> str:
    # Through the shortest text form, so 12.25 stays 12.25 and rounds up.
    return value_display(indicator, Decimal(repr(number)))


def _band_counts(panels: list[IndicatorPanel]) -> list[BandCount]:
    """How many indicators fall in each band, in the order bands are read."""
    order = [
        "Top 20%",
        "Highest 20%",
        "Middle",
        "Lowest 20%",
        "Bottom 20%",
        "No band",
    ]
    found: dict[str, list[Indicator]] = {band: [] for band in order}
    for panel in panels:
        found.setdefault(panel.band, []).append(panel.indicator)
    return [BandCount(band, found[band]) for band in order if found[band]]


def _moves(flags: Flags, authority: LocalAuthority) -> list[Move]:
    """What moved into, out of or between bands since the previous period."""
    if flags.previous_build is None:
        return []
    moves = [
        Move(
            flag.result.indicator,
            flag.was or "Middle or no band",
            flag.band,
            flag.change,
        )
        for flag in flags.flags
        if flag.result.authority_id == authority.pk and flag.change != "No change"
    ]
    moves += [
        Move(left.previous.indicator, left.was, left.now, left.change)
        for left in flags.left
        if left.previous.authority_id == authority.pk
    ]
    return sorted(moves, key=lambda move: move.indicator.display_order)


# The London pack
# ---------------


@dataclass
class GlanceRow:
    indicator: Indicator
    comparator: BenchmarkComparator | None
    figures: list[str]
    top: int
    bottom: int


@dataclass
class FlagCount:
    authority: LocalAuthority
    top: list[str]
    bottom: list[str]


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
        glance.append(
            GlanceRow(
                indicator=indicator,
                comparator=comparator,
                figures=_comparator_figures(indicator, comparator),
                top=counts[(indicator.pk, "top")],
                bottom=counts[(indicator.pk, "bottom")],
            )
        )
    return {
        "rug": rug,
        "rug_pages": _rug_pages(rug),
        "glance": glance,
        "flags": flags,
        "flag_counts": _flag_counts(rug.authorities, flags),
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
    return "Not available" if number is None else _float(indicator, number)


@dataclass
class RugPage:
    """The rug's indicators against some of London's LAs: one landscape page."""

    first: int
    last: int
    authorities: list[LocalAuthority]
    sections: list[tuple[str, list[tuple[Indicator, list]]]]


def _rug_pages(rug) -> list[RugPage]:
    pages = []
    for start in range(0, len(rug.authorities), RUG_COLUMNS):
        end = start + RUG_COLUMNS
        sections = [
            (
                section.label,
                [(row.indicator, row.cells[start:end]) for row in section.rows],
            )
            for section in rug.sections
        ]
        authorities = rug.authorities[start:end]
        pages.append(
            RugPage(start + 1, start + len(authorities), authorities, sections)
        )
    return pages


def _flag_counts(authorities, flags: Flags) -> list[FlagCount]:
    by_la = {authority.pk: FlagCount(authority, [], []) for authority in authorities}
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
class ClusterCell:
    display: str
    rank: str
    band: str
    colour: str


@dataclass
class ClusterRow:
    indicator: Indicator
    cells: list[ClusterCell]
    cluster_mean: str
    london_mean: str
    chart: RankedChart | None


def cluster_pack(build: BenchmarkBuild, cluster: Cluster) -> dict:
    """The cluster's LAs side by side on every indicator, each placed among
    all London (a cluster of a handful of LAs is too small to band alone)."""
    authorities = sorted(cluster.authorities.all(), key=lambda a: a.name)
    members = {authority.pk for authority in authorities}
    key = f"cluster:{cluster.cluster_set.slug}:{cluster.slug}"
    results: dict[int, dict[int, object]] = {}
    for result in build_results(build, LONDON).filter(authority__in=members):
        results.setdefault(result.indicator_id, {})[result.authority_id] = result
    london = build_comparators(build, LONDON)
    own = build_comparators(build, key)

    sections = {label: [] for _, label in SourceCollection.choices}
    for indicator in Indicator.objects.core():
        row = _cluster_row(
            indicator,
            authorities,
            results.get(indicator.pk, {}),
            own.get(indicator.pk),
            london.get(indicator.pk),
            cluster,
        )
        sections[indicator.get_source_display()].append(row)
    return {
        "cluster": cluster,
        "authorities": authorities,
        "sections": [(label, rows) for label, rows in sections.items() if rows],
        "key": key_entries(),
    }


def _cluster_row(indicator, authorities, results, own, london, cluster) -> ClusterRow:
    cells = []
    for authority in authorities:
        result = results.get(authority.pk)
        if result is None:
            cells.append(ClusterCell("Not returned", "Not ranked", "No band", "#fff"))
            continue
        cells.append(
            ClusterCell(
                display=value_display(indicator, result.value, result.suppression),
                rank=rank_display(result),
                band=band_text(result.band, indicator.polarity),
                colour=cell_colour(result.quintile, indicator.polarity),
            )
        )
    london_mean = london.mean if london else None
    return ClusterRow(
        indicator=indicator,
        cells=cells,
        cluster_mean=_figure(indicator, own.mean if own else None),
        london_mean=_figure(indicator, london_mean),
        chart=_cluster_chart(indicator, authorities, results, london_mean, cluster),
    )


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
        f"{a.name} {value_display(indicator, r.value)} ({rank_display(r)} in London)"
        for a, r in ranked
    )
    mean_words = f" of {_float(indicator, mean)}" if mean is not None else ""
    alt = (
        f"Bar chart of {indicator.name} for the {cluster.name} cluster's LAs, "
        f"best placed first, with a dashed line at the London mean{mean_words}. "
        f"{values}."
    )
    return RankedChart(
        src=charts.data_uri(svg),
        alt=alt,
        rows=[
            RankedRow(
                a.name, f"{value_display(indicator, r.value)} ({rank_display(r)})"
            )
            for a, r in ranked
        ],
        mean_text=_mean_text(indicator, mean),
    )
