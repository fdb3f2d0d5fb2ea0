"""One LA's benchmarking page, as data: for each core indicator the LA's value,
rank, band and comparators, every LA in the comparison group for the chart,
and the LA's trend over the recent quarters.

A fixed number of queries builds the page whatever the number of LAs,
indicators or quarters. The charts are plotly figures, built here as plain
dictionaries and drawn by plotly.js in the browser, with the same numbers
given as tables. (Building them with plotly's graph objects would check every
property on every request, a third of the page's time; the tests check them
with plotly instead.)
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from authorities.models import LocalAuthority, User
from indicators.models import Indicator, Period, Polarity, SourceCollection

from .groups import LONDON, Group
from .models import BenchmarkBuild, BenchmarkComparator, BenchmarkResult
from .palette import (
    HIGHLIGHT,
    MEAN_LINE,
    OTHER_LAS,
    TEXT,
    TREND_LA,
    TREND_MEAN,
    band_text,
    cell_colour,
)
from .selectors import build_results, builds_published, builds_visible_to

# Two years of quarters (or eight years): enough to see a direction without
# crowding the chart.
TREND_PERIODS = 8

# DfE's symbols for a value it does not give (DESIGN.md section 7).
SUPPRESSION_MEANINGS = {
    "c": "confidential: small numbers",
    "x": "not available",
    "z": "not applicable",
    "k": "fewer than 0.5",
    "u": "low reliability",
    "low": "too low to show",
    ":": "not available",
}

FONT = "arial, sans-serif"


@dataclass
class Comparison:
    label: str
    display: str


@dataclass
class RankedAuthority:
    """One LA's line in the group: a bar in the chart, a row in its table."""

    authority: LocalAuthority
    value: float | None
    display: str
    rank: str
    band: str
    is_this: bool
    shared_with: str = ""


@dataclass
class TrendPoint:
    period: Period
    value: float | None
    display: str
    mean: float | None
    mean_display: str


@dataclass
class IndicatorPanel:
    indicator: Indicator
    result: BenchmarkResult | None
    display: str
    shared_note: str
    rank: str
    band: str
    colour: str
    summary: str
    comparisons: list[Comparison]
    mean: float | None
    ranking: list[RankedAuthority]
    chart: dict | None
    trend: list[TrendPoint]
    trend_summary: str
    trend_chart: dict | None

    @property
    def anchor(self) -> str:
        return indicator_anchor(self.indicator)

    @property
    def chart_id(self) -> str:
        return f"ranking-{self.anchor}"

    @property
    def trend_id(self) -> str:
        return f"trend-{self.anchor}"


@dataclass
class PanelSection:
    label: str
    panels: list[IndicatorPanel] = field(default_factory=list)


@dataclass
class AuthorityPage:
    authority: LocalAuthority
    build: BenchmarkBuild
    group: Group
    sections: list[PanelSection]

    @property
    def panels(self) -> list[IndicatorPanel]:
        return [panel for section in self.sections for panel in section.panels]


def indicator_anchor(indicator: Indicator) -> str:
    """The id of an indicator's section of the page, for links into it."""
    return indicator.code.lower().replace("_", "-")


def authority_groups(authority: LocalAuthority, groups: list[Group]) -> list[Group]:
    """The comparison groups `authority` belongs to: those it can be ranked in."""
    return [group for group in groups if authority.pk in group.authority_ids]


def authority_page(
    *,
    build: BenchmarkBuild,
    authority: LocalAuthority,
    group: Group,
    user: User | None,
) -> AuthorityPage:
    """Everything the LA's page shows for `build`, ranked within `group`.

    The trend takes the builds `user` may see; with no user (a PDF report,
    read by every London LA), published builds only.
    """
    indicators = list(Indicator.objects.core())
    by_indicator: dict[int, list[BenchmarkResult]] = defaultdict(list)
    for result in build_results(build, group.key):
        by_indicator[result.indicator_id].append(result)

    comparators = {
        (row.group, row.indicator_id): row
        for row in BenchmarkComparator.objects.filter(
            build=build, group__in={group.key, LONDON}
        )
    }
    names = _names_by_code(by_indicator)
    trends = authority_trend(
        user=user, authority=authority, until=build, indicators=indicators
    )

    sections = {key: PanelSection(label) for key, label in SourceCollection.choices}
    for indicator in indicators:
        panel = _panel(
            indicator,
            authority,
            group,
            by_indicator.get(indicator.pk, []),
            comparators,
            names,
            trends.get(indicator.pk, []),
        )
        sections[indicator.source].panels.append(panel)
    return AuthorityPage(
        authority=authority,
        build=build,
        group=group,
        sections=[section for section in sections.values() if section.panels],
    )


def authority_trend(
    *,
    user: User | None,
    authority: LocalAuthority,
    until: BenchmarkBuild,
    indicators: list[Indicator],
) -> dict[int, list[TrendPoint]]:
    """The LA's value and the London mean in each recent period of the same
    kind as `until`'s (quarters or years), by indicator, ending with `until`.

    Each earlier period contributes its current build as `user` sees it (the
    rule of `selectors.build_current`; published builds when there is no
    user), ranked among all London, oldest first.
    """
    builds = _trend_builds(user, until)
    if not builds:
        return {}

    results = BenchmarkResult.objects.filter(
        build__in=builds, group=LONDON, authority=authority
    ).values_list("build_id", "indicator_id", "value", "suppression")
    values = {(build, indicator): rest for build, indicator, *rest in results}
    comparators = BenchmarkComparator.objects.filter(
        build__in=builds, group=LONDON
    ).values_list("build_id", "indicator_id", "mean")
    means = {(build, indicator): mean for build, indicator, mean in comparators}

    trends: dict[int, list[TrendPoint]] = {}
    for indicator in indicators:
        points = [
            _trend_point(
                indicator,
                build.period,
                values.get((build.pk, indicator.pk)),
                means.get((build.pk, indicator.pk)),
            )
            for build in builds
        ]
        trends[indicator.pk] = points
    return trends


def _trend_builds(user: User | None, until: BenchmarkBuild) -> list[BenchmarkBuild]:
    """`until` and the latest build `user` may see of each earlier period of
    its kind, oldest first, at most TREND_PERIODS of them, from one query."""
    if user is None:
        builds, latest = builds_published(), "-published_at"
    else:
        # As build_current orders them: LA users see the latest publication.
        builds = builds_visible_to(user)
        latest = "-finished_at" if user.is_ria_team else "-published_at"
    builds = builds.filter(
        period__kind=until.period.kind,
        period__end_date__lt=until.period.end_date,
    ).order_by("-period__start_date", latest, "-pk")

    current: dict[int, BenchmarkBuild] = {until.period_id: until}
    for build in builds:
        current.setdefault(build.period_id, build)
    newest = list(current.values())[:TREND_PERIODS]
    return newest[::-1]


def _trend_point(indicator, period, found, mean) -> TrendPoint:
    value, suppression = found or (None, "")
    return TrendPoint(
        period=period,
        value=None if value is None else float(value),
        display=value_display(indicator, value, suppression, found is not None),
        mean=mean,
        mean_display=float_display(indicator, mean),
    )


def _names_by_code(by_indicator) -> dict[str, str]:
    """LA names by DfE code, asked for only when some value is shared."""
    shared = any(r.shared_with for rows in by_indicator.values() for r in rows)
    if not shared:
        return {}
    return dict(LocalAuthority.objects.values_list("dfe_code", "name"))


def _panel(
    indicator, authority, group, results, comparators, names, trend
) -> IndicatorPanel:
    mine = next((r for r in results if r.authority_id == authority.pk), None)
    comparator = comparators.get((group.key, indicator.pk))
    london = comparators.get((LONDON, indicator.pk))
    ranking = _ranking(indicator, authority, results)

    display = value_display(
        indicator,
        mine.value if mine else None,
        mine.suppression if mine else "",
        mine is not None,
    )
    band = band_text(mine.band, indicator.polarity) if mine else "No band"
    rank = rank_display(mine)
    mean = comparator.mean if comparator else None
    summary = _ranking_summary(authority, group, display, rank, band, mine)
    if mean is not None:
        summary += f" The {group.label} mean is {float_display(indicator, mean)}."
    trend_summary = _trend_summary(authority, indicator, trend)
    return IndicatorPanel(
        indicator=indicator,
        result=mine,
        display=display,
        shared_note=_shared_note(mine, authority, names),
        rank=rank,
        band=band,
        colour=cell_colour(mine.quintile if mine else None, indicator.polarity),
        summary=summary,
        comparisons=_comparisons(indicator, group, comparator, london),
        mean=mean,
        ranking=ranking,
        chart=_ranking_figure(indicator, authority, group, ranking, mean),
        trend=trend,
        trend_summary=trend_summary,
        trend_chart=_trend_figure(indicator, authority, trend),
    )


# Words and numbers
# -----------------


def value_display(indicator, value, suppression="", present=True) -> str:
    """The value with its unit, or what stands in for it."""
    if not present:
        return "Not returned"
    if value is None:
        if suppression:
            meaning = SUPPRESSION_MEANINGS.get(suppression)
            return f"{suppression} ({meaning})" if meaning else suppression
        return "No value"
    return indicator.format_value(value)


def float_display(indicator: Indicator, number: float | None) -> str:
    """A figure stored as a float (a mean, a rate) as people read it."""
    if number is None:
        return "Not available"
    # Through the shortest text form, so 12.25 stays 12.25 and rounds up.
    return indicator.format_value(Decimal(repr(number)))


def rank_display(result: BenchmarkResult | None) -> str:
    """'7 of 33', '7.5 of 33' for a tie, or why there is no rank."""
    if result is None or result.value is None:
        return "Not ranked: no value"
    if result.rank is None:
        return "Not ranked: fewer than 5 LAs have a value"
    rank = f"{result.rank:g}"
    return f"{rank} of {result.n}"


def _shared_note(result, authority, names) -> str:
    """Which other LA a value also belongs to, when two report together."""
    if result is None or not result.shared_with:
        return ""
    codes = [code.strip() for code in result.shared_with.split("/")]
    others = [names.get(code, code) for code in codes if code != authority.dfe_code]
    together = " and ".join(others) or result.shared_with
    return (
        f"Reported jointly with {together} (DfE codes {result.shared_with}): "
        "the value applies to both."
    )


def _comparisons(indicator, group, comparator, london) -> list[Comparison]:
    def line(label, number):
        return Comparison(label, float_display(indicator, number))

    rows = []
    if comparator is not None:
        rows += [
            line(f"{group.label} mean", comparator.mean),
            line(f"{group.label} median", comparator.median),
        ]
    if london is not None:
        if group.key != LONDON:
            rows.append(line("All London mean", london.mean))
        if london.rate is not None:
            rows.append(line("London rate (summed across LAs)", london.rate))
        published = [
            ("England (published)", london.england),
            ("London (published)", london.london),
            ("Inner London (published)", london.inner_london),
            ("Outer London (published)", london.outer_london),
        ]
        rows += [
            line(label, number) for label, number in published if number is not None
        ]
    return rows


def _ranking(indicator, authority, results) -> list[RankedAuthority]:
    """Every LA in the group from best to worst, those without a value last."""

    def best_first(result):
        if result.value is None:
            return (1, 0, result.authority.name)
        value = float(result.value)
        ordered = value if indicator.polarity == Polarity.LOW_GOOD else -value
        return (0, ordered, result.authority.name)

    return [
        RankedAuthority(
            authority=result.authority,
            value=None if result.value is None else float(result.value),
            display=value_display(indicator, result.value, result.suppression),
            rank=rank_display(result),
            band=band_text(result.band, indicator.polarity),
            is_this=result.authority_id == authority.pk,
            shared_with=result.shared_with,
        )
        for result in sorted(results, key=best_first)
    ]


def _ranking_summary(authority, group, display, rank, band, result) -> str:
    if result is None or result.value is None:
        return f"{authority.name} has no value to rank ({display.lower()})."
    if result.rank is None:
        return f"{authority.name}: {display}. {rank}."
    return (
        f"{authority.name} is ranked {rank} in {group.label}, "
        f"at {display}: {band.lower()}."
    )


def _trend_summary(authority, indicator, trend) -> str:
    known = [point for point in trend if point.value is not None]
    if not known:
        return f"{authority.name} has no values in the periods benchmarked so far."
    first, last = known[0], known[-1]
    if first is last:
        return f"{authority.name}: {last.display} in {last.period.label}."
    return (
        f"{authority.name} went from {first.display} in {first.period.label} "
        f"to {last.display} in {last.period.label}; the London mean in "
        f"{last.period.label} was {last.mean_display}."
    )


# Charts
# ------


def _layout(indicator: Indicator, **extra) -> dict:
    return {
        "font": {"family": FONT, "size": 14, "color": TEXT},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "yaxis": {
            "title": {"text": indicator.get_unit_display()},
            "rangemode": "tozero",
            "gridcolor": "#dddddd",
            "fixedrange": True,
        },
        **extra,
    }


def _ranking_figure(indicator, authority, group, ranking, mean) -> dict | None:
    """Bars for every LA with a value, best first, the chosen LA dark and
    named, and a dashed line at the group mean."""
    bars = [row for row in ranking if row.value is not None]
    if not bars:
        return None

    names = [row.authority.name for row in bars]
    bar = {
        "type": "bar",
        "x": names,
        "y": [row.value for row in bars],
        "marker": {"color": [HIGHLIGHT if row.is_this else OTHER_LAS for row in bars]},
        "customdata": [[row.display, row.rank, row.band] for row in bars],
        "hovertemplate": "<b>%{x}</b><br>%{customdata[0]}<br>Rank %{customdata[1]}"
        "<br>%{customdata[2]}<extra></extra>",
    }
    shapes, annotations = [], []
    this = next((row for row in bars if row.is_this), None)
    if this is not None:
        annotations.append(
            {
                "x": this.authority.name,
                "y": this.value,
                "text": f"<b>{this.authority.name}</b>: {this.display}",
                "showarrow": True,
                "arrowhead": 2,
                "arrowcolor": HIGHLIGHT,
                "ax": 0,
                "ay": -40,
                "bgcolor": "#ffffff",
                "bordercolor": HIGHLIGHT,
            }
        )
    if mean is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": mean,
                "y1": mean,
                "line": {"color": MEAN_LINE, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "y": mean,
                "yanchor": "bottom",
                "showarrow": False,
                "text": f"{group.label} mean: {float_display(indicator, mean)}",
                "font": {"color": MEAN_LINE},
                "bgcolor": "#ffffff",
            }
        )
    layout = _layout(
        indicator,
        height=440,
        margin={"l": 72, "r": 16, "t": 48, "b": 8},
        showlegend=False,
        xaxis={"tickangle": -60, "automargin": True, "fixedrange": True},
        shapes=shapes,
        annotations=annotations,
    )
    return {"data": [bar], "layout": layout}


def _trend_figure(indicator, authority, trend) -> dict | None:
    """The LA's line against the London mean's, when there are two quarters."""
    if len(trend) < 2 or all(point.value is None for point in trend):
        return None

    labels = [point.period.label for point in trend]
    la_line = {
        "type": "scatter",
        "x": labels,
        "y": [point.value for point in trend],
        "name": authority.name,
        "mode": "lines+markers",
        "line": {"color": TREND_LA, "width": 3},
        "marker": {"symbol": "circle", "size": 9},
        "customdata": [point.display for point in trend],
        "hovertemplate": "%{x}: %{customdata}<extra>" + authority.name + "</extra>",
    }
    mean_line = {
        "type": "scatter",
        "x": labels,
        "y": [point.mean for point in trend],
        "name": "London mean",
        "mode": "lines+markers",
        "line": {"color": TREND_MEAN, "width": 2, "dash": "dash"},
        "marker": {"symbol": "square", "size": 8},
        "customdata": [point.mean_display for point in trend],
        "hovertemplate": "%{x}: %{customdata}<extra>London mean</extra>",
    }
    layout = _layout(
        indicator,
        height=340,
        margin={"l": 72, "r": 16, "t": 48, "b": 8},
        legend={"orientation": "h", "x": 0, "y": 1.15},
        xaxis={"type": "category", "automargin": True, "fixedrange": True},
    )
    return {"data": [la_line, mean_line], "layout": layout}
