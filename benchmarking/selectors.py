"""Reads for benchmarking, scoped to the user asking.

The RIA team sees a period's latest finished build, published or not, so the
analyst can check it before publishing. London LA users see the latest
published build only (DESIGN.md section 2). Nobody else sees benchmarking.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from authorities.models import Cluster, User
from indicators.models import Period, ReturnStatus, ReturnValue

from .models import (
    BenchmarkBuild,
    BenchmarkComparator,
    BenchmarkReport,
    BenchmarkResult,
    PublishedValue,
)


def may_see_benchmarking(user: User) -> bool:
    return user.is_authenticated and (user.is_ria_team or user.is_la_user)


def builds_visible_to(user: User) -> QuerySet[BenchmarkBuild]:
    builds = BenchmarkBuild.objects.select_related("period").filter(
        status=BenchmarkBuild.Status.DONE
    )
    if not may_see_benchmarking(user):
        return builds.none()
    if user.is_ria_team:
        return builds
    return builds.filter(published_at__isnull=False)


def builds_published() -> QuerySet[BenchmarkBuild]:
    """Every published build: what any London LA user may see."""
    return BenchmarkBuild.objects.select_related("period").filter(
        status=BenchmarkBuild.Status.DONE, published_at__isnull=False
    )


def builds_published_latest() -> list[BenchmarkBuild]:
    """Each period's latest published build, newest period first: a later
    publication of a period replaces an earlier one, reports included."""
    latest = {}
    for build in builds_published().order_by("published_at", "pk"):
        latest[build.period_id] = build
    return sorted(
        latest.values(),
        key=lambda build: (build.period.start_date, build.period.kind),
        reverse=True,
    )


def build_published(period: Period) -> BenchmarkBuild | None:
    """The period's build as London LAs see it: its latest publication."""
    return (
        builds_published()
        .filter(period=period)
        .order_by("-published_at", "-pk")
        .first()
    )


def build_current(period: Period, *, user: User | None = None) -> BenchmarkBuild | None:
    """The build pages show for `period`: the latest the user may see.

    Without a user (the commands), the latest finished build.
    """
    builds = (
        builds_visible_to(user)
        if user is not None
        else BenchmarkBuild.objects.filter(status=BenchmarkBuild.Status.DONE)
    )
    if user is not None and not user.is_ria_team:
        builds = builds.order_by("-published_at", "-pk")
    else:
        builds = builds.order_by("-finished_at", "-pk")
    return builds.filter(period=period).first()


def build_current_or_404(period: Period, *, user: User) -> BenchmarkBuild:
    if not may_see_benchmarking(user):
        raise Http404("Not found")
    build = build_current(period, user=user)
    if build is None:
        raise Http404("This period has no benchmark yet")
    return build


def build_results(build: BenchmarkBuild, group: str) -> QuerySet[BenchmarkResult]:
    return (
        BenchmarkResult.objects.filter(build=build, group=group)
        .select_related("indicator", "authority")
        .order_by("indicator__display_order", "authority__name")
    )


def build_comparators(
    build: BenchmarkBuild, group: str
) -> dict[int, BenchmarkComparator]:
    rows = BenchmarkComparator.objects.filter(build=build, group=group)
    return {row.indicator_id: row for row in rows}


def periods_buildable() -> QuerySet[Period]:
    """Quarters with an accepted return and years with published values,
    newest first: the periods a build would have something to rank."""
    accepted = ReturnValue.objects.filter(
        return_obj__period=OuterRef("pk"), return_obj__status=ReturnStatus.ACCEPTED
    )
    published = PublishedValue.objects.filter(period=OuterRef("pk"))
    return (
        Period.objects.annotate(has_values=Exists(accepted) | Exists(published))
        .filter(has_values=True)
        .order_by("-start_date", "kind")
    )


def reports_visible_to(user: User) -> QuerySet[BenchmarkReport]:
    """The PDF reports `user` may see, without their files.

    The RIA team sees every report. An LA's staff see, for published builds,
    their own LA's reports, the London pack and the packs of the clusters
    their LA belongs to. Nobody else sees any.
    """
    reports = (
        BenchmarkReport.objects.select_related(
            "build__period", "authority", "cluster__cluster_set"
        )
        .defer("pdf")
        .filter(build__published_at__isnull=False)
    )
    if not may_see_benchmarking(user):
        return reports.none()
    if user.is_ria_team:
        return reports
    own_clusters = Cluster.objects.filter(authorities=user.authority_id)
    return reports.filter(
        Q(kind=BenchmarkReport.Kind.LA, authority=user.authority_id)
        | Q(kind=BenchmarkReport.Kind.LONDON)
        | Q(kind=BenchmarkReport.Kind.CLUSTER, cluster__in=own_clusters)
    )


def report_get_for_user(user: User, report_id: int) -> BenchmarkReport:
    """One report `user` may see, with its file; 404 otherwise."""
    report = reports_visible_to(user).defer(None).filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report")
    return report
