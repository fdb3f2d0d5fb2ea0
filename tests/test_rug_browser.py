"""The analyst builds and publishes a benchmark in the browser, watching it
run, then reads the tartan rug by keyboard; axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from authorities.models import LocalAuthority, Role
from benchmarking import services
from conftest import PASSWORD, make_user
from tests.browser import BROWSER_TEST, AxeAudit, accept_return_with_values, sign_in

pytest_plugins = ["tests.browser"]
pytestmark = BROWSER_TEST


@pytest.fixture
def accepted_quarter(quarter, analyst):
    """Six LAs' accepted returns in the open quarter, shares 10% to 60%."""
    for share, authority in enumerate(
        LocalAuthority.objects.order_by("dfe_code")[:6], start=1
    ):
        editor = make_user(f"e{authority.dfe_code}@x.test", Role.LA_EDITOR, authority)
        accept_return_with_values(quarter, authority, editor, analyst, share * 10)
    return quarter


@pytest.fixture
def queued_reports(monkeypatch):
    """The report ids publishing hands to the worker, kept here instead: the
    live server runs in this process, and making 43 PDFs would outlast the
    click. tests/test_reports_browser.py follows reports being made."""
    queued = []
    monkeypatch.setattr(services, "enqueue", lambda task, pk: queued.append(pk))
    return queued


def test_analyst_builds_publishes_and_reads_the_rug(
    page, accepted_quarter, analyst, editor, queued_reports
):
    audit = AxeAudit(page)
    sign_in(page, analyst, PASSWORD)

    page.goto("/benchmarking/builds/")
    audit.check("builds page")
    page.get_by_label("Build a benchmark").select_option(accepted_quarter.slug)
    page.get_by_role("button", name="Start the build").click()

    expect(page.locator("#build-done")).to_be_visible()
    expect(page.locator("#build-status")).to_have_text("Done")
    audit.check("finished build")
    page.get_by_role("button", name="Publish this build").click()
    expect(page.get_by_text("benchmark is published")).to_be_visible()
    # Every LA's report, the London pack and the nine cluster packs.
    assert len(queued_reports) == 43

    page.get_by_role(
        "link", name=f"Open the {accepted_quarter.label} tartan rug"
    ).click()
    rug = page.get_by_role("region", name=f"{accepted_quarter.label}: 33 LAs")
    expect(rug).to_be_visible()
    audit.check("tartan rug")

    # The scrolling rug is reachable by keyboard, so it can be scrolled.
    rug.focus()
    expect(rug).to_be_focused()
    page.keyboard.press("ArrowRight")

    page.get_by_label("Compare within").select_option("inner")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("columnheader", name="Barnet")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Camden")).to_be_visible()
    audit.check("tartan rug, Inner London")

    page.context.clear_cookies()
    sign_in(page, editor, PASSWORD)
    page.goto("/benchmarking/")
    audit.check("benchmarking index for an LA")
    page.get_by_role("link", name=f"{accepted_quarter.label} tartan rug").click()
    expect(page.locator(".ria-rug__band", has_text="Top 20%").first).to_be_visible()
    audit.assert_clean()
