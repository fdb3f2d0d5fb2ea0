"""Benchmarking pages: the index, the analyst's builds, and the tartan rug.

Views load through `selectors` (who may see which build) and hand changes to
`services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities.access import require_analyst, require_ria_team
from indicators.models import Period

from . import selectors, services
from .exports import export_csv
from .groups import LONDON, comparison_groups
from .models import BenchmarkBuild
from .palette import key_entries
from .rug import SORTS, rug_build
from .spreadsheets import rug_workbook
from .views_reports import build_reports


@require_GET
@login_required
def index(request):
    """The periods with a benchmark the user may see."""
    if not selectors.may_see_benchmarking(request.user):
        raise Http404("Not found")
    # The build each period's pages show (selectors.build_current): for LA
    # users the latest published, which need not be the latest finished.
    latest = "finished_at" if request.user.is_ria_team else "published_at"
    builds = {}
    for build in selectors.builds_visible_to(request.user).order_by(latest, "pk"):
        builds[build.period_id] = build
    periods = sorted(
        (build.period for build in builds.values()),
        key=lambda p: (p.start_date, p.kind),
        reverse=True,
    )
    return render(
        request,
        "benchmarking/index.html",
        {"rows": [(p, builds[p.pk]) for p in periods]},
    )


@require_http_methods(["GET", "POST"])
@login_required
def builds(request):
    """The analyst starts builds here and sees every period's latest build."""
    require_ria_team(request.user)
    periods = list(selectors.periods_buildable())

    if request.method == "POST":
        require_analyst(request.user)
        chosen = next(
            (p for p in periods if p.slug == request.POST.get("period")), None
        )
        if chosen is None:
            messages.error(request, "Choose a period that has values to benchmark.")
            return redirect("benchmarking:builds")
        build = services.benchmark_build_request(period=chosen, actor=request.user)
        return redirect("benchmarking:build-detail", build=build.pk)

    latest = {}
    for build in BenchmarkBuild.objects.filter(period__in=periods).order_by("pk"):
        latest[build.period_id] = build
    return render(
        request,
        "benchmarking/builds.html",
        {"rows": [(p, latest.get(p.pk)) for p in periods], "periods": periods},
    )


@require_GET
@login_required
def build_detail(request, build):
    require_ria_team(request.user)
    build = get_object_or_404(BenchmarkBuild.objects.select_related("period"), pk=build)
    reports = build_reports(build, user=request.user)
    return render(
        request,
        "benchmarking/build_detail.html",
        {"build": build, "reports": reports},
    )


@require_GET
@login_required
def build_progress(request, build):
    """The build's state as JSON, for the page that follows it."""
    require_ria_team(request.user)
    build = get_object_or_404(BenchmarkBuild, pk=build)
    return JsonResponse(
        {
            "status": build.status,
            "status_label": build.get_status_display(),
            "progress": build.progress,
            "error": build.error,
        }
    )


@require_POST
@login_required
def build_publish(request, build):
    require_analyst(request.user)
    build = get_object_or_404(BenchmarkBuild.objects.select_related("period"), pk=build)
    try:
        services.benchmark_publish(build=build, actor=request.user)
    except services.BuildError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The {build.period.label} benchmark is published: every London LA "
            "can now see it.",
        )
    return redirect("benchmarking:build-detail", build=build.pk)


def _period_or_404(slug: str) -> Period:
    return get_object_or_404(Period, slug=slug)


def _group_key(request) -> str:
    key = request.GET.get("group", LONDON)
    if key not in {g.key for g in comparison_groups()}:
        raise Http404("No such comparison group")
    return key


@require_GET
@login_required
def rug(request, period):
    """The tartan rug for a period and comparison group, or its download."""
    period = _period_or_404(period)
    build = selectors.build_current_or_404(period, user=request.user)
    group = _group_key(request)

    download = request.GET.get("format")
    if download == "csv":
        return _attachment(
            export_csv(build, group).encode("utf-8-sig"),
            "text/csv; charset=utf-8",
            f"ria-tartan-rug-{period.slug}-{_slug(group)}.csv",
        )
    if download == "xlsx":
        return _attachment(
            rug_workbook(build, group),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"ria-tartan-rug-{period.slug}-{_slug(group)}.xlsx",
        )

    sort = request.GET.get("sort", "name")
    table = rug_build(build, group, sort)
    return render(
        request,
        "benchmarking/rug.html",
        {
            "period": period,
            "build": build,
            "rug": table,
            "groups": comparison_groups(),
            "group": group,
            "sorts": SORTS,
            "key": key_entries(),
        },
    )


def _slug(group: str) -> str:
    return group.replace(":", "-")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
