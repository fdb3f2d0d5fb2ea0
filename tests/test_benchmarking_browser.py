"""The LA benchmarking page and the flags page in Chromium: the plotly charts
are drawn from our own static files, and both pages meet WCAG 2.2 AA as axe
sees them, charts included."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from authorities.models import LocalAuthority
from benchmarking.tests.benchmark_data import store_build
from indicators import services
from indicators.models import Indicator
from indicators.periods import PeriodKey
from tests.browser import BROWSER_TEST, axe_check, use_session_of

pytest_plugins = ["tests.browser"]
pytestmark = BROWSER_TEST


def spread(shift: int) -> dict[str, dict[str, float]]:
    """A value for every LA on every core indicator, varied between them."""
    authorities = list(LocalAuthority.objects.order_by("dfe_code"))
    return {
        indicator.code: {
            authority.dfe_code: 10 + (7 * place + 3 * order + shift) % 40
            for place, authority in enumerate(authorities)
        }
        for order, indicator in enumerate(Indicator.objects.core())
    }


@pytest.fixture
def benchmarked(quarter):
    """Two quarters benchmarked across every group, the second published."""
    previous = services.period_get_or_create(PeriodKey(2025, 1))
    store_build(previous, spread(0), groups=None)
    return store_build(quarter, spread(5), groups=None)


def draw_every_chart(page) -> None:
    """Bring each chart on screen so that it is drawn, and wait for it."""
    charts = page.locator(".ria-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart.locator("svg.main-svg").first).to_be_attached()


def test_the_la_page_draws_its_charts_and_meets_wcag_22_aa(
    page, live_server, editor, benchmarked
):
    use_session_of(page, editor, live_server.url)
    url = reverse("benchmarking:authority", args=[benchmarked.period.slug, "202"])
    page.goto(url)

    ranking = page.locator('[data-figure="ranking-sw-agency"]')
    ranking.scroll_into_view_if_needed()
    expect(ranking.locator("svg.main-svg").first).to_be_attached()
    expect(ranking).to_have_attribute("role", "img")
    expect(ranking.locator("text", has_text="Camden")).not_to_have_count(0)
    trend = page.locator('[data-figure="trend-sw-agency"]')
    trend.scroll_into_view_if_needed()
    expect(trend.locator("svg.main-svg").first).to_be_attached()

    draw_every_chart(page)
    axe_check(page, "LA benchmarking page")

    page.get_by_label("Compare within").select_option(label="Inner London")
    page.get_by_role("button", name="Compare").click()
    expect(
        page.get_by_role("table", name="At a glance: Camden in Inner London")
    ).to_be_visible()
    ranking = page.locator('[data-figure="ranking-sw-agency"]')
    ranking.scroll_into_view_if_needed()
    expect(ranking.locator("svg.main-svg").first).to_be_attached()
    axe_check(page, "LA benchmarking page within Inner London")


def test_the_flags_page_filters_and_meets_wcag_22_aa(
    page, live_server, analyst, benchmarked
):
    use_session_of(page, analyst, live_server.url)
    page.goto(reverse("benchmarking:flags", args=[benchmarked.period.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Flags: LAs in the top and bottom 20%"
    )
    axe_check(page, "flags")

    page.get_by_label("Indicator").select_option(value="SW_AGENCY")
    page.get_by_label("Band", exact=True).select_option(label="Bottom 20% (or lowest)")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#flags-caption")).to_be_visible()
    axe_check(page, "flags, one indicator's bottom band")

    page.goto(
        reverse("benchmarking:flags", args=[benchmarked.period.slug])
        + "?indicator=SW_AGENCY&band=sideways"
    )
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page, "flags with a bad filter")
