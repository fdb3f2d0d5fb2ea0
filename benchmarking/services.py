"""Benchmark builds: gather a period's values, rank them, store and publish.

A build is a background job (see `tasks.py`) whose state lives on its
`BenchmarkBuild` row, so the analyst's page can follow it. A build that fails
is marked failed and changes nothing else: pages keep using the last good
build of the period.
"""

import hashlib
import logging
import math

import pandas as pd
from django.db import transaction
from django.utils import timezone

from authorities.models import Cluster, LocalAuthority, User
from indicators.models import Indicator, Period, ReturnStatus, ReturnValue, Unit
from ria_portal.background import enqueue

from .engine import benchmark_frame
from .groups import comparison_groups
from .models import (
    AreaKind,
    BenchmarkBuild,
    BenchmarkComparator,
    BenchmarkReport,
    BenchmarkResult,
    PublishedValue,
)
from .reports import ReportError, report_render

logger = logging.getLogger(__name__)

MULTIPLIERS = {Unit.PERCENT: 100.0, Unit.RATE_PER_10K: 10_000.0}

INPUT_COLUMNS = [
    "indicator",
    "la",
    "value",
    "numerator",
    "denominator",
    "suppression",
    "shared_with",
]


class BuildError(Exception):
    """A build cannot run, for a reason the analyst can act on."""


def period_inputs(period: Period) -> pd.DataFrame:
    """One row per LA and core indicator with a value (or a reason it has none).

    Quarters use accepted returns; years use published statistics.
    """
    if period.is_quarter:
        rows = ReturnValue.objects.filter(
            return_obj__period=period,
            return_obj__status=ReturnStatus.ACCEPTED,
            indicator__is_core=True,
        ).values_list(
            "indicator_id",
            "return_obj__authority_id",
            "value",
            "numerator",
            "denominator",
        )
        records = [(*row, "", "") for row in rows]
    else:
        records = list(
            PublishedValue.objects.filter(
                period=period, area_kind=AreaKind.LA, indicator__is_core=True
            ).values_list(
                "indicator_id",
                "authority_id",
                "value",
                "numerator",
                "denominator",
                "suppression",
                "shared_with",
            )
        )

    frame = pd.DataFrame.from_records(records, columns=INPUT_COLUMNS)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return _every_la_and_indicator(frame)


def _every_la_and_indicator(frame: pd.DataFrame) -> pd.DataFrame:
    """Add a row without a value for each LA and core indicator that has none,
    so that every LA has its column in the rug even before its return is in."""
    grid = pd.MultiIndex.from_product(
        [
            list(Indicator.objects.core().values_list("pk", flat=True)),
            list(LocalAuthority.objects.values_list("pk", flat=True)),
        ],
        names=["indicator", "la"],
    ).to_frame(index=False)
    full = grid.merge(frame, on=["indicator", "la"], how="left")
    full[["suppression", "shared_with"]] = full[["suppression", "shared_with"]].fillna(
        ""
    )
    return full.sort_values(["indicator", "la"], ignore_index=True)


def inputs_fingerprint(frame: pd.DataFrame) -> str:
    """A hash of the inputs, so two builds can be seen to agree."""
    text = frame.to_csv(index=False, float_format="%.6f")
    return hashlib.sha256(text.encode()).hexdigest()


def _engine_frame(period: Period, inputs: pd.DataFrame) -> pd.DataFrame:
    """The inputs repeated for every comparison group each LA belongs to."""
    indicators = {i.pk: i for i in Indicator.objects.core()}
    inputs = inputs.assign(
        period=period.label,
        polarity=inputs["indicator"].map(lambda pk: indicators[pk].polarity),
        multiplier=inputs["indicator"].map(
            lambda pk: MULTIPLIERS.get(indicators[pk].unit, 1.0)
        ),
    )
    parts = []
    for group in comparison_groups():
        members = inputs[inputs["la"].isin(group.authority_ids)]
        parts.append(members.assign(group=group.key))
    return pd.concat(parts, ignore_index=True)


def benchmark_build_request(*, period: Period, actor: User) -> BenchmarkBuild:
    """Queue a build of `period`; it runs once the request's transaction commits."""
    from .tasks import run_benchmark_build

    build = BenchmarkBuild.objects.create(period=period, requested_by=actor)
    transaction.on_commit(lambda: run_benchmark_build.delay(build.pk))
    logger.info("Build %s of %s requested by user %s", build.pk, period, actor.pk)
    return build


def benchmark_build_run(build: BenchmarkBuild) -> BenchmarkBuild:
    """Run a queued build to the end, recording progress and the outcome.

    Expected problems (no data) fail the build with a message for the
    analyst; anything else fails it with a plain apology and is logged.

    A finished build is left as it is: tasks are acknowledged late, so Celery
    may deliver one again, and a published build must not be recomputed (or
    failed) under the LAs reading it.
    """
    if build.status == BenchmarkBuild.Status.DONE:
        logger.info("Build %s is already done; not running it again", build.pk)
        return build
    _set_state(build, status=BenchmarkBuild.Status.RUNNING, progress=5)
    try:
        _compute_and_store(build)
    except BuildError as error:
        _set_state(build, status=BenchmarkBuild.Status.FAILED, error=str(error))
        logger.warning("Build %s failed: %s", build.pk, error)
    except Exception:
        logger.exception("Build %s failed unexpectedly", build.pk)
        _set_state(
            build,
            status=BenchmarkBuild.Status.FAILED,
            error="Sorry, the build failed because of a problem in the portal. "
            "It has been logged; try again, and tell the portal team if it fails "
            "again.",
        )
    return build


def _compute_and_store(build: BenchmarkBuild) -> None:
    inputs = period_inputs(build.period)
    if inputs["value"].notna().sum() == 0:
        raise BuildError(
            f"There are no values to benchmark for {build.period}: "
            + (
                "no return has been accepted yet."
                if build.period.is_quarter
                else "no published statistics have been imported for it yet."
            )
        )
    _set_state(build, progress=20, fingerprint=inputs_fingerprint(inputs))

    frames = benchmark_frame(_engine_frame(build.period, inputs))
    _set_state(build, progress=60)

    with transaction.atomic():
        BenchmarkResult.objects.filter(build=build).delete()
        BenchmarkComparator.objects.filter(build=build).delete()
        BenchmarkResult.objects.bulk_create(
            _results(build, frames.results), batch_size=2000
        )
        BenchmarkComparator.objects.bulk_create(
            _comparators(build, frames.comparators), batch_size=2000
        )
    _set_state(
        build,
        status=BenchmarkBuild.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    logger.info("Build %s of %s done", build.pk, build.period)


def _number(value):
    return (
        None
        if value is None or (isinstance(value, float) and math.isnan(value))
        else value
    )


def _results(build, results: pd.DataFrame):
    for row in results.itertuples(index=False):
        quintile = row.quintile
        yield BenchmarkResult(
            build=build,
            indicator_id=row.indicator,
            group=row.group,
            authority_id=row.la,
            value=_number(row.value),
            suppression=row.suppression or "",
            shared_with=row.shared_with or "",
            n=int(row.n),
            rank=_number(row.rank),
            position=_number(row.position),
            band=row.band or "",
            quintile=None if pd.isna(quintile) else int(quintile),
        )


def _comparators(build, comparators: pd.DataFrame):
    published = _published_comparators(build.period)
    for row in comparators.itertuples(index=False):
        regions = published.get(row.indicator, {})
        yield BenchmarkComparator(
            build=build,
            indicator_id=row.indicator,
            group=row.group,
            n=int(row.n),
            mean=_number(row.mean),
            median=_number(row.median),
            rate=_number(row.rate),
            england=regions.get(AreaKind.ENGLAND),
            london=regions.get(AreaKind.LONDON),
            inner_london=regions.get(AreaKind.INNER),
            outer_london=regions.get(AreaKind.OUTER),
        )


def _published_comparators(period: Period) -> dict[int, dict[str, float]]:
    """England, London, Inner and Outer London as published, where imported.

    A quarter takes those of the year it falls in.
    """
    values = PublishedValue.objects.filter(
        period__kind=Period.Kind.YEAR,
        period__year_start=period.year_start,
        authority__isnull=True,
        value__isnull=False,
    ).values_list("indicator_id", "area_kind", "value")
    found: dict[int, dict[str, float]] = {}
    for indicator_id, kind, value in values:
        found.setdefault(indicator_id, {})[kind] = float(value)
    return found


def _set_state(build: BenchmarkBuild, **fields) -> None:
    if fields.get("status") == BenchmarkBuild.Status.RUNNING:
        fields["started_at"] = timezone.now()
    for name, value in fields.items():
        setattr(build, name, value)
    # Saved outside any surrounding transaction's results, so that the page
    # polling the build sees its progress as it happens.
    BenchmarkBuild.objects.filter(pk=build.pk).update(**fields)


def benchmark_publish(
    *, build: BenchmarkBuild, actor: User, make_reports: bool = True
) -> BenchmarkBuild:
    """Publish a finished build: its period's positions become visible to
    every London LA user, and (unless `make_reports` is off) its PDF reports
    are queued. A later publication of the same period replaces it.
    """
    if build.status != BenchmarkBuild.Status.DONE:
        raise BuildError("Only a finished build can be published.")
    build.published_at = timezone.now()
    build.published_by = actor
    build.save(update_fields=["published_at", "published_by"])
    logger.info("Build %s of %s published by user %s", build.pk, build.period, actor.pk)
    if make_reports:
        report_set_request(build=build)
    return build


# PDF reports
# -----------


def report_set_request(*, build: BenchmarkBuild) -> list[BenchmarkReport]:
    """Queue the reports of a published build: one per LA, the London pack
    and one pack per cluster of every cluster set.

    Reports already made are left alone, so publishing again or a repeated
    call queues only what is missing or failed. Each report is its own task:
    one that fails is marked failed and does not stop the others.
    """
    if not build.is_published:
        raise BuildError("Reports are made from a published build only.")

    reports = report_set_create(build=build)
    waiting = [r for r in reports if r.status != BenchmarkReport.Status.DONE]
    for report in waiting:
        _report_queue(report)
    logger.info(
        "Build %s: %s of %s reports queued", build.pk, len(waiting), len(reports)
    )
    return reports


def report_set_create(
    *, build: BenchmarkBuild, authority: LocalAuthority | None = None
) -> list[BenchmarkReport]:
    """The build's report rows, created where missing, in the order they are
    made: the London pack first (every London LA's staff may read it), the
    LAs' reports, then the cluster packs. With `authority`, only its report.
    """
    Kind = BenchmarkReport.Kind
    if authority is not None:
        return [_report_row(build, Kind.LA, authority=authority)]
    clusters = Cluster.objects.select_related("cluster_set")
    return [
        _report_row(build, Kind.LONDON),
        *(
            _report_row(build, Kind.LA, authority=authority)
            for authority in LocalAuthority.objects.order_by("name")
        ),
        *(_report_row(build, Kind.CLUSTER, cluster=cluster) for cluster in clusters),
    ]


def _report_row(build, kind, *, authority=None, cluster=None) -> BenchmarkReport:
    report, _ = BenchmarkReport.objects.get_or_create(
        build=build, kind=kind, authority=authority, cluster=cluster
    )
    return report


def report_request(*, report: BenchmarkReport, actor: User) -> BenchmarkReport:
    """Make one report again on demand: a failed one, or one whose template
    or data has changed since it was made."""
    if not report.build.is_published:
        raise BuildError("Reports are made from a published build only.")
    _report_queue(report)
    logger.info("Report %s (%s) requested by user %s", report.pk, report, actor.pk)
    return report


def _report_queue(report: BenchmarkReport) -> None:
    from .tasks import build_report

    report.status = BenchmarkReport.Status.QUEUED
    report.error = ""
    BenchmarkReport.objects.filter(pk=report.pk).update(status=report.status, error="")
    transaction.on_commit(lambda: enqueue(build_report, report.pk))


def report_run(report: BenchmarkReport) -> BenchmarkReport:
    """Make a queued report's PDF and store it with the build.

    An expected problem (WeasyPrint cannot start) fails the report with its
    message; anything else fails it with a plain apology and is logged. The
    report keeps its previous PDF until a new one is made.
    """
    if report.status == BenchmarkReport.Status.DONE:
        logger.info("Report %s is already made; not making it again", report.pk)
        return report
    _set_report_state(
        report,
        status=BenchmarkReport.Status.RUNNING,
        started_at=timezone.now(),
        attempts=report.attempts + 1,
    )
    try:
        rendered = report_render(report)
    except ReportError as error:
        _set_report_state(
            report, status=BenchmarkReport.Status.FAILED, error=str(error)
        )
        logger.warning("Report %s failed: %s", report.pk, error)
        return report
    except Exception:
        logger.exception("Report %s failed unexpectedly", report.pk)
        _set_report_state(
            report,
            status=BenchmarkReport.Status.FAILED,
            error="Sorry, this report could not be made because of a problem in "
            "the portal. It has been logged; try again, and tell the portal team "
            "if it fails again.",
        )
        return report

    _set_report_state(
        report,
        status=BenchmarkReport.Status.DONE,
        pdf=rendered.pdf,
        page_count=rendered.page_count,
        size=len(rendered.pdf),
        finished_at=timezone.now(),
        error="",
    )
    logger.info("Report %s made: %s pages", report.pk, rendered.page_count)
    return report


def _set_report_state(report: BenchmarkReport, **fields) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    # Saved at once, outside any surrounding transaction's results, so that
    # the analyst's page sees each report's progress as it happens.
    BenchmarkReport.objects.filter(pk=report.pk).update(**fields)
