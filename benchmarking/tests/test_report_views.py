"""The Reports page, report downloads, and the analyst's view of a build's
reports. Report rows are made directly, with a stand-in PDF: rendering real
ones takes seconds and is tested with the rendering itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import Cluster
from benchmarking import services
from benchmarking.models import BenchmarkBuild, BenchmarkReport
from benchmarking.tasks import build_report
from benchmarking.views_reports import file_size
from indicators.periods import PeriodKey
from indicators.services import period_get_or_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 test"


def publish(period, *, when=None, published=True) -> BenchmarkBuild:
    when = when or timezone.now()
    return BenchmarkBuild.objects.create(
        period=period,
        status=BenchmarkBuild.Status.DONE,
        progress=100,
        finished_at=when,
        published_at=when if published else None,
    )


def make_report(build, kind, *, authority=None, cluster=None, status="done", **extra):
    ready = status == BenchmarkReport.Status.DONE
    return BenchmarkReport.objects.create(
        build=build,
        kind=kind,
        authority=authority,
        cluster=cluster,
        status=status,
        pdf=PDF if ready else b"",
        page_count=22 if ready else 0,
        size=266_240 if ready else 0,
        **extra,
    )


def cluster(name_slug, set_slug="health-footprints") -> Cluster:
    return Cluster.objects.get(cluster_set__slug=set_slug, slug=name_slug)


@pytest.fixture
def build(quarter):
    return publish(quarter)


@pytest.fixture
def camden_report(build, camden):
    return make_report(build, "la", authority=camden)


@pytest.fixture
def islington_report(build, islington):
    return make_report(build, "la", authority=islington)


@pytest.fixture
def london_pack(build):
    return make_report(build, "london")


@pytest.fixture
def north_central_pack(build):
    return make_report(build, "cluster", cluster=cluster("north-central"))


@pytest.fixture
def north_east_pack(build):
    return make_report(build, "cluster", cluster=cluster("north-east"))


@pytest.fixture
def every_kind(camden_report, islington_report, london_pack, north_central_pack):
    return [camden_report, islington_report, london_pack, north_central_pack]


@pytest.fixture
def queued_jobs(monkeypatch):
    """What would have gone to the worker, instead of making the PDFs."""
    calls = []
    monkeypatch.setattr(
        services, "enqueue", lambda task, *args: calls.append((task, *args))
    )
    return calls


def download_url(report):
    return reverse("benchmarking:report-download", args=[report.pk])


def rebuild_url(report):
    return reverse("benchmarking:report-rebuild", args=[report.pk])


REPORTS = reverse("benchmarking:reports")


# Who sees what
# -------------


def test_anonymous_visitors_are_sent_to_sign_in(client, camden_report):
    for url in [REPORTS, download_url(camden_report)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"

    response = client.post(rebuild_url(camden_report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["editor", "approver", "viewer"])
def test_camden_staff_see_and_download_camdens_report_and_the_london_pack(
    request, persona, camden_report, london_pack, quarter
):
    client = request.getfixturevalue(f"{persona}_client")

    page = client.get(REPORTS).content.decode()
    assert "Camden’s report" in page
    assert "London pack" in page
    assert (
        f"Download Camden’s report for {quarter.label} (PDF, 22 pages, 260 KB)" in page
    )
    assert f"Download the London pack for {quarter.label}" in page

    for report in [camden_report, london_pack]:
        response = client.get(download_url(report))
        assert response.status_code == 200
        assert response.content == PDF


def test_camden_staff_cannot_see_islingtons_report(
    editor_client, camden_report, islington_report
):
    assert "Islington" not in editor_client.get(REPORTS).content.decode()
    assert editor_client.get(download_url(islington_report)).status_code == 404


def test_camden_staff_see_their_clusters_packs_and_no_others(
    editor_client, camden_report, north_central_pack, north_east_pack
):
    page = editor_client.get(REPORTS).content.decode()
    assert "North Central cluster pack (Five health-system footprints)" in page
    assert "North East" not in page

    assert editor_client.get(download_url(north_central_pack)).status_code == 200
    assert editor_client.get(download_url(north_east_pack)).status_code == 404


def test_another_la_gets_404_for_camdens_report(outsider_client, camden_report):
    assert outsider_client.get(download_url(camden_report)).status_code == 404
    assert "Camden" not in outsider_client.get(REPORTS).content.decode()


def test_dfe_gets_404_on_every_report_page(dfe_client, build, every_kind):
    assert dfe_client.get(REPORTS).status_code == 404
    for report in every_kind:
        assert dfe_client.get(download_url(report)).status_code == 404
        assert dfe_client.post(rebuild_url(report)).status_code == 404
    progress = reverse("benchmarking:build-reports-progress", args=[build.pk])
    assert dfe_client.get(progress).status_code == 404


def test_la_staff_get_404_for_the_ria_teams_report_pages(
    approver_client, build, camden_report
):
    assert approver_client.post(rebuild_url(camden_report)).status_code == 404
    progress = reverse("benchmarking:build-reports-progress", args=[build.pk])
    assert approver_client.get(progress).status_code == 404


def test_the_reports_of_an_unpublished_build_are_hidden_from_la_users(
    editor_client, analyst_client, quarter, camden
):
    draft = make_report(publish(quarter, published=False), "la", authority=camden)

    assert editor_client.get(download_url(draft)).status_code == 404
    page = editor_client.get(REPORTS).content.decode()
    assert "There are no reports yet" in page
    assert analyst_client.post(rebuild_url(draft)).status_code == 404


def test_the_manager_sees_every_report_but_cannot_make_one_again(
    manager_client, every_kind, camden_report
):
    page = manager_client.get(REPORTS).content.decode()
    for name in ["Camden’s report", "Islington’s report", "London pack"]:
        assert name in page
    assert manager_client.get(download_url(camden_report)).status_code == 200

    # A team member whose role cannot act is told so (authorities.access).
    assert manager_client.post(rebuild_url(camden_report)).status_code == 403
    camden_report.refresh_from_db()
    assert camden_report.status == "done"


def test_the_wrong_method_is_refused(editor_client, analyst_client, camden_report):
    assert editor_client.post(download_url(camden_report)).status_code == 405
    assert analyst_client.get(rebuild_url(camden_report)).status_code == 405
    assert analyst_client.post(REPORTS).status_code == 405


# The Reports page
# ----------------


def test_the_page_says_when_there_are_no_reports_yet(editor_client):
    page = editor_client.get(REPORTS).content.decode()
    assert "There are no reports yet" in page


def test_the_page_gives_reports_not_ready_a_status_in_words(
    editor_client, build, camden, london_pack
):
    make_report(build, "la", authority=camden, status="running")
    page = editor_client.get(REPORTS).content.decode()
    assert "Being made" in page
    assert "Not ready yet" in page
    assert "still being made" in page


def test_an_la_sees_its_own_report_first_and_the_team_sees_packs_first(
    editor_client, analyst_client, every_kind
):
    def rows(client):
        page = client.get(REPORTS).content.decode()
        return [
            line.split(">")[1].split("<")[0]
            for line in page.splitlines()
            if '<th scope="row"' in line
        ]

    assert rows(editor_client) == [
        "Camden’s report",
        "London pack",
        "North Central cluster pack (Five health-system footprints)",
    ]
    assert rows(analyst_client) == [
        "London pack",
        "North Central cluster pack (Five health-system footprints)",
        "Camden’s report",
        "Islington’s report",
    ]


def test_the_page_shows_each_periods_latest_publication_newest_period_first(
    editor_client, quarter, camden
):
    earlier = period_get_or_create(PeriodKey(2025, 1))
    last_week = timezone.now() - datetime.timedelta(days=7)
    old = make_report(publish(quarter, when=last_week), "la", authority=camden)
    new = make_report(publish(quarter), "la", authority=camden)
    make_report(publish(earlier, when=last_week), "la", authority=camden)

    page = editor_client.get(REPORTS).content.decode()
    assert download_url(new) in page
    assert download_url(old) not in page
    assert page.index(quarter.label) < page.index(earlier.label)


def test_the_navigation_offers_reports_to_those_who_see_benchmarking(
    editor_client, analyst_client, dfe_client
):
    page = editor_client.get(REPORTS).content.decode()
    assert f'href="{REPORTS}" aria-current="page"' in page
    index = reverse("benchmarking:index")
    assert f'href="{index}" aria-current="page"' not in page
    assert f'href="{REPORTS}"' in analyst_client.get(index).content.decode()

    home = dfe_client.get(reverse("indicators:dataset")).content.decode()
    assert f'href="{REPORTS}"' not in home


# The download
# ------------


def test_the_download_is_a_private_pdf_attachment_with_its_file_name(
    approver_client, camden_report, quarter
):
    response = approver_client.get(download_url(camden_report))

    assert response["Content-Type"] == "application/pdf"
    filename = f"ria-benchmark-{quarter.slug}-202-camden.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Content-Length"] == str(len(PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_a_report_not_ready_cannot_be_downloaded(
    editor_client, analyst_client, build, camden, status
):
    report = make_report(build, "la", authority=camden, status=status)
    assert editor_client.get(download_url(report)).status_code == 404
    assert analyst_client.get(download_url(report)).status_code == 404


def test_file_sizes_read_as_people_write_them():
    assert file_size(512) == "512 bytes"
    assert file_size(266_240) == "260 KB"
    assert file_size(1_468_006) == "1.4 MB"


# The analyst's view of a build's reports
# ---------------------------------------


def test_the_build_page_counts_the_reports_and_says_why_one_failed(
    analyst_client, build, camden_report, london_pack, islington
):
    make_report(
        build,
        "la",
        authority=islington,
        status="failed",
        error="WeasyPrint could not start.",
    )
    make_report(build, "cluster", cluster=cluster("north-central"), status="queued")

    page = analyst_client.get(
        reverse("benchmarking:build-detail", args=[build.pk])
    ).content.decode()
    assert "PDF reports" in page
    assert "2 of 4 ready. 1 failed. 1 still to be made." in page
    assert 'aria-live="polite">2 of 4 ready.' in page
    assert "WeasyPrint could not start." in page
    assert "Failed" in page and "Queued" in page and "Ready" in page
    assert page.count(">Retry<") == 1
    assert page.count(">Make again<") == 3
    assert rebuild_url(camden_report) in page


def test_the_managers_build_page_shows_the_reports_without_buttons(
    manager_client, build, camden_report
):
    page = manager_client.get(
        reverse("benchmarking:build-detail", args=[build.pk])
    ).content.decode()
    assert "1 of 1 ready." in page
    assert "Make again" not in page


def test_an_unpublished_build_has_no_reports_section(analyst_client, quarter):
    draft = publish(quarter, published=False)
    page = analyst_client.get(
        reverse("benchmarking:build-detail", args=[draft.pk])
    ).content.decode()
    assert 'id="reports-heading"' not in page


def test_the_reports_progress_answers_with_counts_and_each_report(
    manager_client, build, camden_report, islington
):
    failed = make_report(
        build, "la", authority=islington, status="failed", error="No fonts."
    )

    response = manager_client.get(
        reverse("benchmarking:build-reports-progress", args=[build.pk])
    )
    progress = response.json()
    assert progress["total"] == 2
    assert progress["ready"] == 1
    assert progress["failed"] == 1
    assert progress["waiting"] == 0
    assert progress["summary"] == "1 of 2 ready. 1 failed."
    by_id = {report["id"]: report for report in progress["reports"]}
    assert by_id[camden_report.pk]["status_label"] == "Ready"
    assert by_id[camden_report.pk]["download_url"] == download_url(camden_report)
    assert by_id[failed.pk]["error"] == "No fonts."
    assert by_id[failed.pk]["action"] == "Retry"
    assert by_id[failed.pk]["download_url"] == ""


def test_the_analyst_makes_a_report_again_in_the_background(
    analyst_client,
    build,
    camden_report,
    queued_jobs,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(rebuild_url(camden_report))

    assert response.status_code == 302
    assert response.url == reverse("benchmarking:build-detail", args=[build.pk])
    camden_report.refresh_from_db()
    assert camden_report.status == "queued"
    assert queued_jobs == [(build_report, camden_report.pk)]

    page = analyst_client.get(response.url).content.decode()
    assert "is queued to be made again" in page
    assert "0 of 1 ready. 1 still to be made." in page


def test_the_analyst_retries_a_failed_report(
    analyst_client, build, camden, queued_jobs, django_capture_on_commit_callbacks
):
    failed = make_report(
        build, "la", authority=camden, status="failed", error="No fonts."
    )
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(rebuild_url(failed))

    failed.refresh_from_db()
    assert failed.status == "queued"
    assert failed.error == ""
    assert queued_jobs == [(build_report, failed.pk)]


def test_a_report_that_cannot_be_made_again_says_why(
    analyst_client, camden_report, monkeypatch
):
    def refuse(*, report, actor):
        raise services.BuildError("Reports are made from a published build only.")

    monkeypatch.setattr(services, "report_request", refuse)
    response = analyst_client.post(rebuild_url(camden_report), follow=True)

    page = response.content.decode()
    assert "Reports are made from a published build only." in page
    assert "queued to be made again" not in page
