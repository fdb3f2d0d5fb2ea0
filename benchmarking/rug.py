"""The tartan rug: indicators by LAs for one build and comparison group.

Built from three queries whatever the number of LAs or indicators (results,
comparators, the catalogue), so the page stays fast as London's data grows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from authorities.models import LocalAuthority
from indicators.models import Indicator, SourceCollection

from .models import BenchmarkBuild, BenchmarkComparator, BenchmarkResult
from .palette import band_text, cell_colour
from .selectors import build_comparators, build_results

SORTS = {"name": "LA name", "code": "DfE code"}


@dataclass
class RugCell:
    result: BenchmarkResult
    colour: str
    band: str

    @property
    def display(self) -> str:
        if self.result.value is None:
            return self.result.suppression or "No value"
        return self.result.indicator.format_value(self.result.value)


@dataclass
class RugRow:
    indicator: Indicator
    cells: list[RugCell | None]
    comparator: BenchmarkComparator | None


@dataclass
class RugSection:
    label: str
    rows: list[RugRow] = field(default_factory=list)


@dataclass
class Rug:
    build: BenchmarkBuild
    group: str
    authorities: list[LocalAuthority]
    sections: list[RugSection]
    sort: str

    @property
    def rows(self) -> list[RugRow]:
        return [row for section in self.sections for row in section.rows]


def rug_build(build: BenchmarkBuild, group: str, sort: str = "name") -> Rug:
    """The rug for `group`, with LAs ordered by name, DfE code, or by their
    rank on the indicator whose code `sort` names (unranked LAs last)."""
    results = list(build_results(build, group))
    comparators = build_comparators(build, group)

    by_indicator: dict[int, dict[int, BenchmarkResult]] = defaultdict(dict)
    authorities: dict[int, LocalAuthority] = {}
    indicators: dict[int, Indicator] = {}
    for result in results:
        by_indicator[result.indicator_id][result.authority_id] = result
        authorities[result.authority_id] = result.authority
        indicators[result.indicator_id] = result.indicator

    ordered = _ordered_authorities(list(authorities.values()), by_indicator, sort)
    sections = {source: RugSection(label) for source, label in SourceCollection.choices}
    for indicator in sorted(indicators.values(), key=lambda i: i.display_order):
        cells = [
            _cell(by_indicator[indicator.pk].get(authority.pk)) for authority in ordered
        ]
        sections[indicator.source].rows.append(
            RugRow(indicator, cells, comparators.get(indicator.pk))
        )
    return Rug(
        build=build,
        group=group,
        authorities=ordered,
        sections=[s for s in sections.values() if s.rows],
        sort=sort,
    )


def _cell(result: BenchmarkResult | None) -> RugCell | None:
    if result is None:
        return None
    polarity = result.indicator.polarity
    return RugCell(
        result=result,
        colour=cell_colour(result.quintile, polarity),
        band=band_text(result.band, polarity),
    )


def _ordered_authorities(authorities, by_indicator, sort):
    if sort == "code":
        return sorted(authorities, key=lambda a: a.dfe_code)

    ranked = next(
        (
            rows
            for rows in by_indicator.values()
            if next(iter(rows.values())).indicator.code == sort
        ),
        None,
    )
    if ranked is None:
        return sorted(authorities, key=lambda a: a.name)

    def by_rank(authority):
        result = ranked.get(authority.pk)
        rank = result.rank if result else None
        return (rank is None, rank or 0, authority.name)

    return sorted(authorities, key=by_rank)
