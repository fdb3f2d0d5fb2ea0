"""The programme team's flags page: top and bottom bands and what moved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.flags import period_previous
from benchmarking.tests.benchmark_data import codes, store_build
from indicators import services as returns
from indicators.periods import PeriodKey

pytestmark = pytest.mark.django_db

AGENCY = "SW_AGENCY"  # lower is better
REFERRALS = "REF_RATE"  # neither direction is better

# Ten LAs, 201 to 210. Lower is better, so among ten the top band is ranks 1
# and 2 and the bottom band ranks 9 and 10.
BEFORE = dict(zip(codes(201, 210), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], strict=True))
NOW = {
    "201": 1,  # top, still top
    "203": 2,  # middle, now top
    "204": 3,
    "205": 4,
    "209": 5,  # bottom, now middle
    "206": 6,
    "207": 7,
    "208": 8,
    "202": 9.5,  # top, now bottom
    "210": 10,  # bottom, still bottom
}


def flags_url(period, **query):
    url = reverse("benchmarking:flags", args=[period.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def changes(response):
    return {
        (f.result.indicator.code, f.result.authority.dfe_code): f.change
        for f in response.context["report"].flags
    }


@pytest.fixture
def previous_quarter(quarter):
    return returns.period_get_or_create(PeriodKey(2025, 1))


@pytest.fixture
def compared(quarter, previous_quarter):
    """Q1 and Q2 built; referrals benchmarked for the first time in Q2."""
    store_build(previous_quarter, {AGENCY: BEFORE}, groups=None)
    return store_build(
        quarter, {AGENCY: NOW, REFERRALS: BEFORE}, groups=None, published=False
    )


def test_it_lists_every_band_with_its_change_since_the_quarter_before(
    analyst_client, compared
):
    response = analyst_client.get(flags_url(compared.period))

    assert response.status_code == 200
    assert changes(response) == {
        (AGENCY, "201"): "No change",
        (AGENCY, "203"): "New in top 20%",
        (AGENCY, "202"): "Moved from top 20% to bottom 20%",
        (AGENCY, "210"): "No change",
        (REFERRALS, "210"): "New in highest 20%",
        (REFERRALS, "209"): "New in highest 20%",
        (REFERRALS, "202"): "New in lowest 20%",
        (REFERRALS, "201"): "New in lowest 20%",
    }
    page = response.content.decode()
    assert "Change since 2025-26 Q1" in page
    assert "Moved from top 20% to bottom 20%" in page
    assert "9 of 10" in page
    assert "Highest 20%" in page


def test_it_lists_the_las_that_left_a_band(analyst_client, compared):
    response = analyst_client.get(flags_url(compared.period))

    left = [
        (row.previous.authority.dfe_code, row.was, row.now, row.change)
        for row in response.context["report"].left
    ]
    assert left == [("209", "Bottom 20%", "Middle", "Left bottom 20%")]
    page = response.content.decode()
    assert "Moved out of a band since 2025-26 Q1" in page
    assert "Left bottom 20%" in page


def test_it_filters_by_indicator_and_band(analyst_client, compared):
    response = analyst_client.get(flags_url(compared.period, indicator=REFERRALS))
    assert {code for code, _ in changes(response)} == {REFERRALS}
    assert response.context["report"].left == []

    response = analyst_client.get(flags_url(compared.period, band="bottom"))
    assert set(changes(response)) == {
        (AGENCY, "202"),
        (AGENCY, "210"),
        (REFERRALS, "202"),
        (REFERRALS, "201"),
    }
    assert len(response.context["report"].left) == 1

    response = analyst_client.get(flags_url(compared.period, band="top"))
    assert response.context["report"].left == []
    assert 'value="top" selected' in response.content.decode()


def test_it_ranks_again_within_the_group_chosen(analyst_client, compared):
    response = analyst_client.get(flags_url(compared.period, group="inner"))

    report = response.context["report"]
    assert {f.result.group for f in report.flags} == {"inner"}
    # Greenwich (203) is Outer London: not flagged within Inner London.
    assert (AGENCY, "203") not in changes(response)
    assert "Inner London" in response.content.decode()


def test_an_unknown_filter_is_shown_as_a_problem(analyst_client, compared):
    response = analyst_client.get(flags_url(compared.period, band="sideways"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error:" in page
    # The other filters still apply; the unknown one is left out.
    assert len(changes(response)) == 8


def test_without_an_earlier_benchmark_there_is_nothing_to_compare(
    analyst_client, quarter, previous_quarter
):
    store_build(quarter, {AGENCY: NOW})

    response = analyst_client.get(flags_url(quarter))

    assert set(changes(response).values()) == {"No earlier benchmark"}
    assert "2025-26 Q1 has no finished benchmark" in response.content.decode()


def test_the_period_before_is_of_the_same_kind(quarter, previous_quarter):
    assert period_previous(quarter) == previous_quarter
    assert period_previous(previous_quarter) is None  # 2024-25 Q4 not set up

    year = returns.period_get_or_create(PeriodKey(2025))
    year_before = returns.period_get_or_create(PeriodKey(2024))
    assert period_previous(year) == year_before


def test_only_the_ria_team_sees_flags(
    editor_client, viewer_client, dfe_client, manager_client, client, quarter
):
    store_build(quarter, {AGENCY: NOW})
    url = flags_url(quarter)

    assert editor_client.get(url).status_code == 404
    assert viewer_client.get(url).status_code == 404
    assert dfe_client.get(url).status_code == 404
    assert client.get(url).status_code == 302
    assert manager_client.get(url).status_code == 200


def test_a_period_without_a_benchmark_says_so(analyst_client, quarter):
    response = analyst_client.get(flags_url(quarter))

    assert response.status_code == 404
    assert "There is no finished benchmark for 2025-26 Q2 yet" in (
        response.content.decode()
    )
    url = reverse("benchmarking:flags", args=["2099-00-q1"])
    assert analyst_client.get(url).status_code == 404


def test_each_flag_links_to_the_las_page(analyst_client, compared):
    page = analyst_client.get(flags_url(compared.period)).content.decode()
    url = reverse("benchmarking:authority", args=[compared.period.slug, "202"])
    assert f'href="{url}?group=london#sw-agency"' in page


def test_the_number_of_queries_does_not_grow_with_the_las(
    analyst_client, quarter, previous_quarter, django_assert_max_num_queries
):
    few = dict(zip(codes(201, 205), [1, 2, 3, 4, 5], strict=True))
    store_build(previous_quarter, {AGENCY: few})
    store_build(quarter, {AGENCY: few})
    with CaptureQueriesContext(connection) as with_few:
        analyst_client.get(flags_url(quarter))

    every = {code: n for n, code in enumerate(codes(201, 213) + codes(301, 320))}
    store_build(previous_quarter, {AGENCY: every, REFERRALS: every})
    store_build(quarter, {AGENCY: NOW | every, REFERRALS: every})
    with django_assert_max_num_queries(len(with_few)):
        response = analyst_client.get(flags_url(quarter))
    assert len(changes(response)) == 4 * 7
