"""An LA's benchmarking page: value, rank, band, comparators, charts, trend."""

import json
import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import LocalAuthority, Role
from benchmarking import services
from benchmarking.authority import HIGHLIGHT, OTHER_LAS, rank_display
from benchmarking.models import BenchmarkBuild, BenchmarkResult
from benchmarking.tests.benchmark_data import store_build
from conftest import make_user
from indicators import services as returns
from indicators.models import Indicator
from indicators.periods import PeriodKey
from indicators.validation import CleanEntry

pytestmark = pytest.mark.django_db

AGENCY = "SW_AGENCY"


def page_url(period, code="202", **query):
    url = reverse("benchmarking:authority", args=[period.slug, code])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def figure(response, element_id):
    """The plotly figure the page embeds under `element_id`."""
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.DOTALL,
    )
    assert match, f"No figure {element_id} on the page"
    return json.loads(match[1])


def agency_values(camden=50.0):
    """The 19 Outer London LAs at 1% to 19%, Camden at `camden`, the other 13 of
    Inner London from 51% up: Camden is in the middle of London but first in Inner
    London (lower is better)."""
    outer = LocalAuthority.objects.outer().order_by("dfe_code")
    inner = LocalAuthority.objects.inner().exclude(dfe_code="202").order_by("dfe_code")
    values = {a.dfe_code: float(n) for n, a in enumerate(outer, start=1)}
    values["202"] = camden
    values.update({a.dfe_code: 51.0 + n for n, a in enumerate(inner)})
    return values


@pytest.fixture
def built(quarter):
    return store_build(quarter, {AGENCY: agency_values()}, groups=None)


@pytest.fixture
def previous_quarter(quarter):
    return returns.period_get_or_create(PeriodKey(2025, 1))


def test_the_page_gives_the_value_rank_band_and_comparators(editor_client, built):
    response = editor_client.get(page_url(built.period))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Agency social workers as a share of all social workers (FTE)" in page
    assert "50.0%" in page
    assert "20 of 33" in page
    assert "Middle" in page
    assert "All London mean" in page
    assert "29.7%" in page  # (1 + … + 19 + 50 + 51 + … + 63) / 33
    assert "All London median" in page
    assert "17.0%" in page


def test_a_tied_rank_reads_as_the_average_place():
    result = BenchmarkResult(value=Decimal(10), rank=7.5, n=33)
    assert rank_display(result) == "7.5 of 33"
    assert rank_display(BenchmarkResult(value=Decimal(10), rank=7.0, n=33)) == (
        "7 of 33"
    )
    assert rank_display(BenchmarkResult(value=None, n=33)) == "Not ranked: no value"
    assert rank_display(BenchmarkResult(value=Decimal(1), rank=None, n=4)) == (
        "Not ranked: fewer than 5 LAs have a value"
    )


def test_the_chart_orders_every_la_best_first_and_marks_this_la(editor_client, built):
    response = editor_client.get(page_url(built.period))
    chart = figure(response, "ranking-sw-agency")

    bar = chart["data"][0]
    assert len(bar["x"]) == 33
    assert bar["y"][0] == 1.0 and bar["y"][-1] == 63.0
    camden = bar["x"].index("Camden")
    assert camden == 19
    colours = bar["marker"]["color"]
    assert colours[camden] == HIGHLIGHT
    assert {c for i, c in enumerate(colours) if i != camden} == {OTHER_LAS}

    notes = [a["text"] for a in chart["layout"]["annotations"]]
    assert "<b>Camden</b>: 50.0%" in notes
    assert "All London mean: 29.7%" in notes
    mean_line = chart["layout"]["shapes"][0]
    assert mean_line["y0"] == pytest.approx(981 / 33)


def test_the_figures_are_ones_plotly_accepts(editor_client, built, previous_quarter):
    # plotly.js ignores a property it does not know; plotly's Python graph
    # objects refuse it, so a misspelt one fails here rather than going unseen.
    store_build(previous_quarter, {AGENCY: agency_values(camden=60.0)})
    response = editor_client.get(page_url(built.period))

    for element_id in ("ranking-sw-agency", "trend-sw-agency"):
        go.Figure(figure(response, element_id))


def test_the_charts_have_a_text_alternative_and_a_table(editor_client, built):
    page = editor_client.get(page_url(built.period)).content.decode()

    assert 'role="img"' in page
    assert 'aria-label="Bar chart of Agency social workers' in page
    assert "Camden is ranked 20 of 33 in All London, at 50.0%: middle." in page
    assert "Show the data as a table" in page
    assert "Camden (this LA)" in page


def test_plotly_comes_from_our_own_static_files(editor_client, built):
    page = editor_client.get(page_url(built.period)).content.decode()
    assert "/static/dist/plotly/plotly.min.js" in page
    assert "cdn" not in page.lower()


def test_switching_the_group_ranks_the_la_again_within_it(editor_client, built):
    response = editor_client.get(page_url(built.period, group="inner"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 of 14" in page
    assert "Top 20%" in page
    assert "Inner London mean" in page
    assert "56.5%" in page  # (50 + 51 + … + 63) / 14
    assert len(figure(response, "ranking-sw-agency")["data"][0]["x"]) == 14


def test_a_cluster_can_be_chosen(editor_client, built):
    north_central = "cluster:health-footprints:north-central"
    response = editor_client.get(page_url(built.period, group=north_central))

    assert response.status_code == 200
    page = response.content.decode()
    assert "selected>North Central (Five health-system footprints)" in page
    # Barnet and Enfield (3% and 9%) are ahead of Camden; Islington and
    # Haringey behind.
    assert "3 of 5" in page


def test_a_group_without_the_la_or_unknown_is_not_found(editor_client, built):
    assert editor_client.get(page_url(built.period, group="outer")).status_code == 404
    assert editor_client.get(page_url(built.period, group="nowhere")).status_code == 404


def test_the_trend_follows_the_quarters_against_the_london_mean(
    editor_client, built, previous_quarter
):
    store_build(previous_quarter, {AGENCY: agency_values(camden=60.0)})
    # A later quarter is no part of this quarter's trend.
    later = returns.period_get_or_create(PeriodKey(2025, 3))
    store_build(later, {AGENCY: agency_values(camden=70.0)})

    response = editor_client.get(page_url(built.period))
    trend = figure(response, "trend-sw-agency")

    la_line, mean_line = trend["data"]
    assert la_line["x"] == ["2025-26 Q1", "2025-26 Q2"]
    assert la_line["y"] == [60.0, 50.0]
    assert mean_line["name"] == "London mean"
    assert mean_line["y"] == pytest.approx([991 / 33, 981 / 33])
    assert "Camden went from 60.0% in 2025-26 Q1 to 50.0% in 2025-26 Q2" in (
        response.content.decode()
    )


def test_the_trend_leaves_out_builds_the_user_may_not_see(
    editor_client, analyst_client, built, previous_quarter
):
    store_build(previous_quarter, {AGENCY: agency_values(camden=60.0)}, published=False)

    # The LA user has one quarter to show: a sentence and a table, no chart.
    page = editor_client.get(page_url(built.period)).content.decode()
    assert "2025-26 Q1" not in page
    assert 'id="trend-sw-agency"' not in page

    trend = figure(analyst_client.get(page_url(built.period)), "trend-sw-agency")
    assert trend["data"][0]["y"] == [60.0, 50.0]


def test_la_users_see_a_benchmark_only_once_published(
    editor_client, analyst_client, analyst, quarter
):
    build = store_build(quarter, {AGENCY: agency_values()}, published=False)

    assert editor_client.get(page_url(quarter)).status_code == 404
    response = analyst_client.get(page_url(quarter))
    assert response.status_code == 200
    assert "not published" in response.content.decode()

    services.benchmark_publish(build=build, actor=analyst)
    assert editor_client.get(page_url(quarter)).status_code == 200


def test_la_users_keep_seeing_the_published_build_until_a_new_one_is(
    editor_client, analyst_client, quarter
):
    store_build(quarter, {AGENCY: agency_values(camden=50.0)})
    store_build(quarter, {AGENCY: agency_values(camden=49.0)}, published=False)

    assert "50.0%" in editor_client.get(page_url(quarter)).content.decode()
    assert "49.0%" in analyst_client.get(page_url(quarter)).content.decode()


def test_every_london_la_user_may_see_every_la(outsider_client, viewer_client, built):
    response = outsider_client.get(page_url(built.period, code="202"))
    assert response.status_code == 200
    assert "Camden" in response.content.decode()
    assert viewer_client.get(page_url(built.period, code="206")).status_code == 200


def test_dfe_and_visitors_see_no_benchmarking(dfe_client, client, built):
    assert dfe_client.get(page_url(built.period)).status_code == 404
    assert client.get(page_url(built.period)).status_code == 302


def test_an_unknown_period_or_la_is_not_found(editor_client, built):
    assert editor_client.get(page_url(built.period, code="999")).status_code == 404
    url = reverse("benchmarking:authority", args=["2099-00-q1", "202"])
    assert editor_client.get(url).status_code == 404


def test_a_period_without_a_benchmark_says_so(analyst_client, editor_client, quarter):
    response = analyst_client.get(page_url(quarter))
    assert response.status_code == 404
    assert "There is no finished benchmark for 2025-26 Q2 yet" in (
        response.content.decode()
    )
    response = editor_client.get(page_url(quarter))
    assert response.status_code == 404
    assert "no published benchmark" in response.content.decode()


def test_a_suppressed_or_shared_value_says_so(editor_client, quarter):
    values = agency_values()
    values["202"] = "c"
    store_build(
        quarter,
        {AGENCY: values},
        shared_with={"314": "314 / 318", "318": "314 / 318"},
    )

    page = editor_client.get(page_url(quarter)).content.decode()
    assert "c (confidential: small numbers)" in page
    assert "Not ranked: no value" in page

    page = editor_client.get(page_url(quarter, code="314")).content.decode()
    assert "Reported jointly with Richmond upon Thames (DfE codes 314 / 318)" in page
    assert "reported jointly: 314 / 318" in page  # in the table of every LA


def test_the_number_of_queries_does_not_grow_with_the_las(
    editor_client, quarter, previous_quarter, django_assert_max_num_queries
):
    few = {code: 10.0 + n for n, code in enumerate(["202", "206", "201", "204"])}
    store_build(quarter, {AGENCY: few}, groups=None)
    with CaptureQueriesContext(connection) as with_few:
        editor_client.get(page_url(quarter))

    store_build(previous_quarter, {AGENCY: agency_values()}, groups=None)
    store_build(quarter, {AGENCY: agency_values()}, groups=None)
    with django_assert_max_num_queries(len(with_few)):
        response = editor_client.get(page_url(quarter))
    assert response.status_code == 200
    assert "20 of 33" in response.content.decode()


def test_a_build_of_accepted_returns_shows_on_the_page(editor_client, analyst, quarter):
    authorities = LocalAuthority.objects.order_by("dfe_code")[:6]
    for share, authority in enumerate(authorities, start=1):
        editor = make_user(f"e{authority.dfe_code}@la.test", Role.LA_EDITOR, authority)
        numerator, denominator = Decimal(share * 5), Decimal(100)
        entries = {
            indicator: CleanEntry(
                numerator=numerator,
                denominator=denominator,
                value=indicator.derive_value(numerator, denominator),
            )
            for indicator in Indicator.objects.core()
        }
        ret = quarter.returns.get(authority=authority)
        returns.return_save_values(ret=ret, actor=editor, entries=entries)
        returns.return_submit(ret=ret, actor=editor)
        returns.return_accept(ret=ret, actor=analyst)
    build = services.benchmark_build_run(BenchmarkBuild.objects.create(period=quarter))
    services.benchmark_publish(build=build, actor=analyst)

    response = editor_client.get(page_url(quarter))
    assert response.status_code == 200
    page = response.content.decode()
    # Camden (202) is second of six at 10%: lower is better for agency staff.
    assert "2 of 6" in page
    assert "10.0%" in page
    assert "London rate (summed across LAs)" in page
