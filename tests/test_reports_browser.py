"""PDF reports in Chromium: Camden's DCS finds and downloads Camden's report
with the keyboard, and the analyst follows a build's reports as they are made
and makes a failed one again. axe-core checks every page on the way.

Report rows are made directly with a stand-in PDF, and the queue is replaced
by a recorder: the live server would otherwise render real PDFs in-process.
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from authorities.models import Cluster
from benchmarking import services
from benchmarking.models import BenchmarkBuild, BenchmarkReport
from benchmarking.tasks import build_report
from conftest import PASSWORD
from tests.browser import BROWSER_TEST, AxeAudit, sign_in, use_session_of

pytest_plugins = ["tests.browser"]
pytestmark = BROWSER_TEST

PDF = b"%PDF-1.7 stand-in for a benchmarking report"
# Enough presses of Tab to pass the header and navigation, or a page of rows.
MOST_TABS = 40


@pytest.fixture
def audit(page):
    return AxeAudit(page)


@pytest.fixture
def queued_jobs(monkeypatch):
    """What would have gone to the worker. The live server runs in this
    process, so the patch reaches its requests too."""
    calls = []
    monkeypatch.setattr(
        services, "enqueue", lambda task, *args: calls.append((task, *args))
    )
    return calls


@pytest.fixture
def build(quarter, analyst):
    now = timezone.now()
    return BenchmarkBuild.objects.create(
        period=quarter,
        status=BenchmarkBuild.Status.DONE,
        progress=100,
        finished_at=now,
        published_at=now,
        published_by=analyst,
    )


def make_report(build, kind, *, status="done", **fields) -> BenchmarkReport:
    if status == BenchmarkReport.Status.DONE:
        fields.update(pdf=PDF, page_count=22, size=266_240, finished_at=timezone.now())
    return BenchmarkReport.objects.create(
        build=build, kind=kind, status=status, **fields
    )


def north_central() -> Cluster:
    return Cluster.objects.get(
        cluster_set__slug="health-footprints", slug="north-central"
    )


def tab_to(page, text: str) -> None:
    """Press Tab until the focused element's text starts with `text`."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.innerText || ''")
        if focused.strip().startswith(text):
            return
    pytest.fail(f"{MOST_TABS} presses of Tab did not reach {text!r}")


def test_camdens_dcs_downloads_camdens_report_with_the_keyboard(
    page, audit, approver, camden, islington, quarter, build
):
    make_report(build, "la", authority=camden)
    make_report(build, "la", authority=islington)
    make_report(build, "london")
    make_report(build, "cluster", cluster=north_central(), status="running")

    sign_in(page, approver, PASSWORD)
    audit.check("home after signing in")

    tab_to(page, "Reports")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_role("link", name="Reports")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("row", name=re.compile("Islington"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("North Central"))).to_contain_text(
        "Not ready yet"
    )
    audit.check("reports")

    name = f"Download Camden’s report for {quarter.label} (PDF, 22 pages, 260 KB)"
    tab_to(page, name)
    with page.expect_download() as arrival:
        page.keyboard.press("Enter")
    download = arrival.value
    assert download.suggested_filename == f"ria-benchmark-{quarter.slug}-202-camden.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    audit.assert_clean()


def test_an_la_with_no_reports_yet_is_told_so(page, audit, live_server, editor):
    use_session_of(page, editor, live_server.url)
    audit.visit("/benchmarking/reports/", "reports, none yet")
    expect(page.get_by_text("There are no reports yet")).to_be_visible()
    audit.assert_clean()


def test_the_analyst_follows_a_builds_reports_and_retries_a_failed_one(
    page, audit, live_server, analyst, camden, islington, build, queued_jobs
):
    make_report(build, "la", authority=camden, status="queued")
    failed = make_report(
        build,
        "la",
        authority=islington,
        status="failed",
        error="WeasyPrint could not start.",
    )
    make_report(build, "london")
    make_report(build, "cluster", cluster=north_central(), status="running")
    use_session_of(page, analyst, live_server.url)

    audit.visit(f"/benchmarking/builds/{build.pk}/", "build with reports being made")
    summary = page.locator("#reports-summary")
    expect(summary).to_have_text("1 of 4 ready. 1 failed. 2 still to be made.")
    expect(summary).to_have_attribute("aria-live", "polite")
    islington_row = page.get_by_role("row", name=re.compile("Islington’s report"))
    expect(islington_row).to_contain_text("Failed")
    expect(islington_row).to_contain_text("WeasyPrint could not start.")

    # The worker finishes the reports; the page follows without reloading.
    BenchmarkReport.objects.filter(
        build=build, status__in=["queued", "running"]
    ).update(status="done", pdf=PDF, page_count=3, size=2048)
    expect(summary).to_have_text("3 of 4 ready. 1 failed.")
    camden_row = page.get_by_role("row", name=re.compile("Camden’s report"))
    expect(camden_row.get_by_role("link")).to_have_text(
        f"Download Camden’s report for {build.period.label} (PDF, 3 pages, 2 KB)"
    )
    expect(camden_row).to_contain_text("Ready")
    audit.check("build with reports made")

    audit.visit("/benchmarking/reports/", "reports for the RIA team")
    expect(
        page.get_by_role("row", name=re.compile("Islington’s report"))
    ).to_contain_text("could not be made")

    audit.visit(f"/benchmarking/builds/{build.pk}/", "build with one report failed")
    islington_row = page.get_by_role("row", name=re.compile("Islington’s report"))
    islington_row.get_by_role("button", name=re.compile(r"^Retry\s*: ")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "queued to be made again"
    )
    expect(islington_row).to_contain_text("Queued")
    expect(summary).to_have_text("3 of 4 ready. 1 still to be made.")
    audit.check("build after a retry")

    assert queued_jobs == [(build_report, failed.pk)]
    audit.assert_clean()
