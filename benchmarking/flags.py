"""The programme team's flags: every LA in a top or bottom band for a period,
and what moved into or out of a band since the period before.

A flag is a (LA, indicator) in the top or bottom 20% of its comparison group;
on a core indicator it asks the LA for a narrative (DESIGN.md section 6).
"""

from dataclasses import dataclass

from authorities.models import User
from indicators.models import Period
from indicators.periods import PeriodKey

from .authority import indicator_anchor, rank_display, value_display
from .models import BenchmarkBuild, BenchmarkResult
from .palette import band_text, cell_colour
from .selectors import build_current, build_published, build_results

TOP = BenchmarkResult.Band.TOP
BOTTOM = BenchmarkResult.Band.BOTTOM
FLAGGED = (TOP, BOTTOM)


@dataclass
class Flag:
    """One LA in a band now, and how it stood in the period before."""

    result: BenchmarkResult
    display: str
    rank: str
    band: str
    colour: str
    change: str
    was: str = ""

    @property
    def anchor(self) -> str:
        return indicator_anchor(self.result.indicator)


@dataclass
class LeftBand:
    """One LA that was in a band in the period before and is not now."""

    previous: BenchmarkResult
    was: str
    now: str
    change: str


@dataclass
class Flags:
    build: BenchmarkBuild
    previous_period: Period | None
    previous_build: BenchmarkBuild | None
    flags: list[Flag]
    left: list[LeftBand]

    @property
    def top_count(self) -> int:
        return sum(1 for flag in self.flags if flag.result.band == TOP)

    @property
    def bottom_count(self) -> int:
        return sum(1 for flag in self.flags if flag.result.band == BOTTOM)


def period_previous(period: Period) -> Period | None:
    """The period of the same kind before `period`: the quarter before, or the
    year before. None when it has not been set up."""
    if period.is_quarter:
        key = PeriodKey(period.year_start, period.quarter).previous_quarter()
    else:
        key = PeriodKey(period.year_start - 1)
    return Period.objects.filter(label=key.label).first()


def flags_for(
    *,
    build: BenchmarkBuild,
    group: str,
    user: User | None,
    indicator: str = "",
    band: str = "",
) -> Flags:
    """The flags of `build` in `group`, compared with the previous period's
    current build in the same group.

    `indicator` (a code) and `band` (top or bottom), when given, narrow both
    the flags and the LAs that left a band. With no user (a PDF report, read
    by every London LA) the previous period's build is its published one.
    """
    previous_period = period_previous(build.period)
    previous_build = None
    if previous_period is not None:
        previous_build = (
            build_published(previous_period)
            if user is None
            else build_current(previous_period, user=user)
        )

    current = _narrowed(build_results(build, group), indicator)
    now = {(r.indicator_id, r.authority_id): r for r in current}
    before = {}
    if previous_build is not None:
        earlier = build_results(previous_build, group).filter(band__in=FLAGGED)
        before = {
            (r.indicator_id, r.authority_id): r for r in _narrowed(earlier, indicator)
        }

    flags = [
        _flag(result, before.get(key), previous_build is not None)
        for key, result in now.items()
        if result.band in FLAGGED and (not band or result.band == band)
    ]
    left = [
        _left(result, now.get(key))
        for key, result in before.items()
        if _has_left(result, now.get(key)) and (not band or result.band == band)
    ]
    return Flags(
        build=build,
        previous_period=previous_period,
        previous_build=previous_build,
        flags=sorted(flags, key=lambda f: _order(f.result)),
        left=sorted(left, key=lambda f: _order(f.previous)),
    )


def _narrowed(results, indicator: str) -> list[BenchmarkResult]:
    if indicator:
        results = results.filter(indicator__code=indicator)
    return list(results)


def _order(result: BenchmarkResult):
    """By indicator, the top band before the bottom, then by rank."""
    return (
        result.indicator.display_order,
        result.indicator.code,
        result.band != TOP,
        result.rank or 0,
        result.authority.name,
    )


def band_words(band: str, polarity: str) -> str:
    """A band in the middle of a sentence: 'top 20%', 'lowest 20%'."""
    text = band_text(band, polarity)
    return text[:1].lower() + text[1:]


def _flag(result: BenchmarkResult, before, compared: bool) -> Flag:
    polarity = result.indicator.polarity
    if not compared:
        change = "No earlier benchmark"
    elif before is None:
        change = f"New in {band_words(result.band, polarity)}"
    elif before.band == result.band:
        change = "No change"
    else:
        was, now = band_words(before.band, polarity), band_words(result.band, polarity)
        change = f"Moved from {was} to {now}"
    return Flag(
        result=result,
        display=value_display(result.indicator, result.value, result.suppression),
        rank=rank_display(result),
        band=band_text(result.band, polarity),
        colour=cell_colour(result.quintile, polarity),
        change=change,
        was=band_text(before.band, polarity) if before is not None else "",
    )


def _has_left(before: BenchmarkResult, now: BenchmarkResult | None) -> bool:
    """Out of a band altogether; a move to the other band is a flag's change."""
    return now is None or now.band not in FLAGGED


def _left(before: BenchmarkResult, now: BenchmarkResult | None) -> LeftBand:
    polarity = before.indicator.polarity
    if now is None:
        standing = "Not in this benchmark"
    elif now.band:
        standing = band_text(now.band, polarity)
    elif now.value is None:
        standing = "No band: no value"
    else:
        standing = "No band: fewer than 5 LAs have a value"
    return LeftBand(
        previous=before,
        was=band_text(before.band, polarity),
        now=standing,
        change=f"Left {band_words(before.band, polarity)}",
    )
