"""PDF reports: the page that lists those a user may see, their download, and
the RIA team's view of a build's reports while they are made.

Reports are loaded through `selectors`, which decide who may see which, and
made again through `services`. A report's file leaves the portal only through
`report_download`, never from a public media URL: the packs name LAs and
their positions.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from authorities.access import require_analyst, require_ria_team
from authorities.models import User
from indicators.models import Period

from . import selectors, services
from .models import BenchmarkBuild, BenchmarkReport

logger = logging.getLogger(__name__)

Status = BenchmarkReport.Status
Kind = BenchmarkReport.Kind

# Every tag also says its status in words; the colour only repeats it.
TAG_CLASSES = {
    Status.QUEUED: "govuk-tag--grey",
    Status.RUNNING: "govuk-tag--light-blue",
    Status.FAILED: "govuk-tag--red",
    Status.DONE: "govuk-tag--green",
}
WAITING = {Status.QUEUED, Status.RUNNING}


@dataclass
class ReportRow:
    """One report as the pages show it, with words that stand on their own."""

    report: BenchmarkReport
    name: str
    download_text: str
    download_url: str
    action: str

    @property
    def status(self) -> str:
        return self.report.status

    @property
    def status_label(self) -> str:
        return self.report.get_status_display()

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.report.status]

    @property
    def error(self) -> str:
        return self.report.error if self.report.status == Status.FAILED else ""

    def as_json(self) -> dict:
        return {
            "id": self.report.pk,
            "status": self.status,
            "status_label": self.status_label,
            "tag_class": self.tag_class,
            "error": self.error,
            "download_url": self.download_url,
            "download_text": self.download_text,
            "action": self.action,
        }


@dataclass
class BuildReports:
    """A build's reports, with the counts the analyst follows."""

    rows: list[ReportRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def ready(self) -> int:
        return sum(row.status == Status.DONE for row in self.rows)

    @property
    def failed(self) -> int:
        return sum(row.status == Status.FAILED for row in self.rows)

    @property
    def waiting(self) -> int:
        return sum(row.status in WAITING for row in self.rows)

    @property
    def summary(self) -> str:
        """The counts in words: 40 of 43 ready. 1 failed. 2 still to be made."""
        parts = [f"{self.ready} of {self.total} ready."]
        if self.failed:
            parts.append(f"{self.failed} failed.")
        if self.waiting:
            parts.append(f"{self.waiting} still to be made.")
        return " ".join(parts)

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "ready": self.ready,
            "failed": self.failed,
            "waiting": self.waiting,
            "summary": self.summary,
            "reports": [row.as_json() for row in self.rows],
        }


@dataclass
class PeriodReports:
    """The reports of one period's latest publication."""

    period: Period
    build: BenchmarkBuild
    rows: list[ReportRow]

    @property
    def waiting(self) -> bool:
        return any(row.status in WAITING for row in self.rows)


def file_size(size: int) -> str:
    """A file's size as people read it: 512 bytes, 260 KB, 1.4 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def report_row(report: BenchmarkReport) -> ReportRow:
    """How the pages name `report` and offer its file."""
    if report.kind == Kind.LA:
        name = f"{_possessive(report.authority.name)} report"
        named = name
    elif report.kind == Kind.CLUSTER:
        cluster = report.cluster
        name = f"{cluster.name} cluster pack ({cluster.cluster_set.name})"
        named = f"the {name}"
    else:
        name = "London pack"
        named = "the London pack"

    # Several periods share a page, so the period goes into the link text
    # too: a list of links read on its own must still tell them apart.
    download_text = download_url = ""
    if report.is_ready:
        pages = "1 page" if report.page_count == 1 else f"{report.page_count} pages"
        download_text = (
            f"Download {named} for {report.build.period.label} "
            f"(PDF, {pages}, {file_size(report.size)})"
        )
        download_url = reverse("benchmarking:report-download", args=[report.pk])

    action = "Retry" if report.status == Status.FAILED else "Make again"
    return ReportRow(report, name, download_text, download_url, action)


def _in_order(reports, *, own_first: bool) -> list[BenchmarkReport]:
    """The London pack, the cluster packs (the default set first), then the
    LA reports by name; for an LA's staff, their own report comes first."""

    def key(report):
        if report.kind == Kind.LA:
            return (0 if own_first else 3, report.authority.name)
        if report.kind == Kind.CLUSTER:
            cluster_set = report.cluster.cluster_set
            return (
                2,
                not cluster_set.is_default,
                cluster_set.name,
                report.cluster.name,
            )
        return (1,)

    return sorted(reports, key=key)


def build_reports(build: BenchmarkBuild, *, user: User) -> BuildReports:
    """The reports of `build` that `user` may see, in the order pages list
    them: none until the build is published."""
    reports = selectors.reports_visible_to(user).filter(build=build)
    rows = [report_row(r) for r in _in_order(reports, own_first=False)]
    return BuildReports(rows)


@require_GET
@login_required
def reports(request):
    """The PDF reports the user may see, newest period first."""
    user = request.user
    if not selectors.may_see_benchmarking(user):
        raise Http404("Not found")

    builds = selectors.builds_published_latest()
    by_build = defaultdict(list)
    visible = selectors.reports_visible_to(user).filter(build__in=builds)
    for report in visible:
        by_build[report.build_id].append(report)

    own_first = not user.is_ria_team
    periods = [
        PeriodReports(
            build.period,
            build,
            [report_row(r) for r in _in_order(by_build[build.pk], own_first=own_first)],
        )
        for build in builds
        if by_build[build.pk]
    ]
    return render(request, "benchmarking/reports_index.html", {"periods": periods})


@require_GET
@login_required
def report_download(request, report):
    """The report's PDF, to the people who may see it, once it is made."""
    report = selectors.report_get_for_user(request.user, report)
    if not report.is_ready:
        raise Http404("This report is not ready")

    pdf = bytes(report.pdf)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    # The file names LAs and their positions: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    logger.info("Report %s downloaded by user %s", report.pk, request.user.pk)
    return response


@require_POST
@login_required
def report_rebuild(request, report):
    """The analyst makes one report again: a failed one, or one on demand."""
    require_analyst(request.user)
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=report)
    try:
        services.report_request(report=report, actor=request.user)
    except services.BuildError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{report.title} is queued to be made again. This page "
            "shows when it is ready.",
        )
    return redirect("benchmarking:build-detail", build=report.build_id)


@require_GET
@login_required
def build_reports_progress(request, build):
    """The build's reports as JSON, for the page that follows them."""
    require_ria_team(request.user)
    build = get_object_or_404(BenchmarkBuild, pk=build)
    return JsonResponse(build_reports(build, user=request.user).as_json())
