"""Queueing and making the PDF reports of a published build.

Making a real PDF takes seconds, so these tests stand a fast fake in for the
renderer (`services.report_render`); test_reports.py makes real ones.
"""

import threading

import pytest

from authorities.models import Cluster, LocalAuthority
from benchmarking import services
from benchmarking.models import BenchmarkBuild, BenchmarkReport
from benchmarking.reports import Rendered, ReportError
from ria_portal import background

pytestmark = pytest.mark.django_db

REPORTS_PER_BUILD = 33 + 1 + 9


@pytest.fixture
def finished_build(quarter):
    return BenchmarkBuild.objects.create(
        period=quarter, status=BenchmarkBuild.Status.DONE, progress=100
    )


@pytest.fixture
def published_build(finished_build):
    finished_build.published_at = finished_build.created_at
    finished_build.save()
    return finished_build


@pytest.fixture
def queued(monkeypatch):
    """The ids of the reports queued, in order, instead of running them."""
    ids = []
    monkeypatch.setattr(
        services, "enqueue", lambda task, report_id: ids.append(report_id)
    )
    return ids


@pytest.fixture
def fake_renderer(monkeypatch):
    """A renderer that makes a tiny 'PDF' at once, or fails for the reports
    whose subjects are listed in `fake_renderer.failing`."""

    class Fake:
        failing: dict[str, Exception] = {}
        made: list[str] = []

        def __call__(self, report):
            if report.subject in self.failing:
                raise self.failing[report.subject]
            self.made.append(report.subject)
            return Rendered(pdf=b"%PDF-1.7 " + report.subject.encode(), page_count=3)

    fake = Fake()
    fake.failing, fake.made = {}, []
    monkeypatch.setattr(services, "report_render", fake)
    return fake


def test_publishing_queues_every_las_report_the_london_pack_and_each_cluster_pack(
    finished_build, analyst, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.benchmark_publish(build=finished_build, actor=analyst)

    reports = BenchmarkReport.objects.filter(build=finished_build)
    assert reports.count() == REPORTS_PER_BUILD
    assert set(reports.filter(kind="la").values_list("authority", flat=True)) == set(
        LocalAuthority.objects.values_list("pk", flat=True)
    )
    assert reports.filter(kind="london").count() == 1
    assert set(reports.filter(kind="cluster").values_list("cluster", flat=True)) == set(
        Cluster.objects.values_list("pk", flat=True)
    )
    assert sorted(queued) == sorted(reports.values_list("pk", flat=True))
    assert set(reports.values_list("status", flat=True)) == {"queued"}


def test_nothing_is_queued_until_the_publication_commits(
    finished_build, analyst, queued
):
    services.benchmark_publish(build=finished_build, actor=analyst)

    # Still inside the test's transaction: a worker could not see the rows yet.
    assert queued == []


def test_one_failing_report_does_not_stop_the_others(
    finished_build, analyst, fake_renderer, django_capture_on_commit_callbacks
):
    fake_renderer.failing = {"Islington": RuntimeError("a bug")}

    with django_capture_on_commit_callbacks(execute=True):
        services.benchmark_publish(build=finished_build, actor=analyst)

    reports = BenchmarkReport.objects.filter(build=finished_build)
    failed = reports.get(status="failed")
    assert failed.authority.name == "Islington"
    assert failed.error.startswith("Sorry, this report could not be made")
    assert "a bug" not in failed.error
    assert failed.pdf == b""
    assert reports.filter(status="done").count() == REPORTS_PER_BUILD - 1
    london = reports.get(kind="london")
    assert bytes(london.pdf).startswith(b"%PDF") and london.page_count == 3
    assert london.size == len(london.pdf)


def test_an_expected_failure_keeps_its_message_for_the_analyst(
    published_build, analyst, queued, fake_renderer
):
    reports = services.report_set_request(build=published_build)
    camden = next(r for r in reports if r.subject == "Camden")
    fake_renderer.failing = {"Camden": ReportError("Pango is missing.")}

    services.report_run(camden)

    camden.refresh_from_db()
    assert camden.status == "failed"
    assert camden.error == "Pango is missing."
    assert camden.attempts == 1


def test_a_failed_report_can_be_retried_and_is_then_made(
    published_build, analyst, queued, fake_renderer
):
    reports = services.report_set_request(build=published_build)
    camden = next(r for r in reports if r.subject == "Camden")
    fake_renderer.failing = {"Camden": RuntimeError("flaky")}
    services.report_run(camden)
    assert camden.status == "failed"

    fake_renderer.failing = {}
    services.report_request(report=camden, actor=analyst)
    camden.refresh_from_db()
    assert camden.status == "queued" and camden.error == ""
    services.report_run(camden)

    camden.refresh_from_db()
    assert camden.status == "done"
    assert camden.attempts == 2
    assert bytes(camden.pdf) == b"%PDF-1.7 Camden"


def test_asking_again_queues_only_the_reports_not_yet_made(
    published_build, analyst, queued, fake_renderer, django_capture_on_commit_callbacks
):
    reports = services.report_set_request(build=published_build)
    for report in reports[:10]:
        services.report_run(report)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_set_request(build=published_build)

    assert len(again) == REPORTS_PER_BUILD
    assert BenchmarkReport.objects.filter(build=published_build).count() == len(again)
    assert sorted(queued) == sorted(r.pk for r in reports[10:])


def test_a_report_delivered_twice_is_made_once(
    published_build, analyst, queued, fake_renderer
):
    london = next(
        r
        for r in services.report_set_request(build=published_build)
        if r.kind == "london"
    )
    services.report_run(london)
    services.report_run(london)

    assert fake_renderer.made == ["London"]
    london.refresh_from_db()
    assert london.attempts == 1


def test_an_unpublished_build_has_no_reports(finished_build, analyst, queued):
    with pytest.raises(services.BuildError, match="published build only"):
        services.report_set_request(build=finished_build)
    report = BenchmarkReport.objects.create(build=finished_build, kind="london")
    with pytest.raises(services.BuildError):
        services.report_request(report=report, actor=analyst)
    assert queued == []


def test_without_a_broker_tasks_run_on_a_background_thread(settings):
    settings.TASKS_IN_BACKGROUND_THREAD = True
    ran = threading.Event()
    threads = []

    class Task:
        name = "probe"

        def apply(self, args, throw):
            threads.append(threading.current_thread().name)
            ran.set()

    background.enqueue(Task(), 1)

    assert ran.wait(timeout=10)
    assert threads == ["ria-background-tasks"]


def test_a_report_stuck_past_its_time_limit_is_marked_failed(
    published_build, analyst, queued, fake_renderer
):
    from celery.exceptions import SoftTimeLimitExceeded

    from benchmarking.tasks import REPORT_SOFT_LIMIT, build_report

    # The worker raises this inside the task when the soft limit passes.
    assert build_report.soft_time_limit == REPORT_SOFT_LIMIT
    assert build_report.time_limit > REPORT_SOFT_LIMIT
    london = next(
        r
        for r in services.report_set_request(build=published_build)
        if r.kind == "london"
    )
    fake_renderer.failing = {"London": SoftTimeLimitExceeded()}

    build_report(london.pk)

    london.refresh_from_db()
    assert london.status == "failed"
    assert london.error.startswith("Sorry")
