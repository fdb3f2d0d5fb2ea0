"""Finished benchmark builds for page tests, without returns to accept.

The values are ranked by the real engine, so positions and bands follow the
rule; only the gathering of inputs and the background job are skipped.
"""

import math

import pandas as pd
from django.utils import timezone

from authorities.models import LocalAuthority
from benchmarking.engine import benchmark_frame
from benchmarking.groups import LONDON, comparison_groups
from benchmarking.models import BenchmarkBuild, BenchmarkComparator, BenchmarkResult
from indicators.models import Indicator


def store_build(
    period,
    values: dict[str, dict[str, object]],
    *,
    groups=(LONDON,),
    published=True,
    shared_with: dict[str, str] | None = None,
) -> BenchmarkBuild:
    """A done build of `period` from `values`: {indicator code: {DfE code:
    number, None, or a suppression symbol}}, ranked within each of `groups`
    (every group when `groups` is None)."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    authorities = {a.dfe_code: a for a in LocalAuthority.objects.all()}
    members = {g.key: g.authority_ids for g in comparison_groups()}
    chosen = list(members) if groups is None else list(groups)
    shared_with = shared_with or {}

    rows = []
    for code, by_la in values.items():
        indicator = indicators[code]
        for dfe_code, value in by_la.items():
            authority = authorities[dfe_code]
            number = value if isinstance(value, int | float) else None
            for group in chosen:
                if authority.pk not in members[group]:
                    continue
                rows.append(
                    {
                        "period": period.label,
                        "indicator": indicator.pk,
                        "group": group,
                        "la": authority.pk,
                        "value": math.nan if number is None else float(number),
                        "polarity": indicator.polarity,
                        "suppression": value if isinstance(value, str) else "",
                        "shared_with": shared_with.get(dfe_code, ""),
                    }
                )
    frames = benchmark_frame(pd.DataFrame(rows))

    now = timezone.now()
    build = BenchmarkBuild.objects.create(
        period=period,
        status=BenchmarkBuild.Status.DONE,
        progress=100,
        finished_at=now,
        published_at=now if published else None,
    )
    BenchmarkResult.objects.bulk_create(
        BenchmarkResult(
            build=build,
            indicator_id=row.indicator,
            group=row.group,
            authority_id=row.la,
            value=None if math.isnan(row.value) else row.value,
            suppression=row.suppression,
            shared_with=row.shared_with,
            n=int(row.n),
            rank=None if math.isnan(row.rank) else row.rank,
            position=None if math.isnan(row.position) else row.position,
            band=row.band or "",
            quintile=None if pd.isna(row.quintile) else int(row.quintile),
        )
        for row in frames.results.itertuples(index=False)
    )
    BenchmarkComparator.objects.bulk_create(
        BenchmarkComparator(
            build=build,
            indicator_id=row.indicator,
            group=row.group,
            n=int(row.n),
            mean=None if math.isnan(row.mean) else row.mean,
            median=None if math.isnan(row.median) else row.median,
            rate=None if math.isnan(row.rate) else row.rate,
        )
        for row in frames.comparators.itertuples(index=False)
    )
    return build


def codes(first: int, last: int) -> list[str]:
    """DfE codes from `first` to `last`, inclusive, as strings."""
    return [str(code) for code in range(first, last + 1)]
