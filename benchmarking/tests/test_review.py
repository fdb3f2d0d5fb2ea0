"""Review findings. The first tests of each fix failed before it; the odd-input
and formula tests guard behaviour that was already right."""

import io

import openpyxl
import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import LocalAuthority
from benchmarking import selectors, services, tasks
from benchmarking.engine import benchmark_frame
from benchmarking.models import BenchmarkBuild
from benchmarking.tests.benchmark_data import codes, store_build

pytestmark = pytest.mark.django_db

AGENCY = "SW_AGENCY"


def rug_url(period, **query):
    url = reverse("benchmarking:rug", args=[period.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def test_a_redelivered_task_leaves_a_published_build_alone(
    quarter, editor, monkeypatch
):
    """Tasks are acknowledged late, so Celery may run one again. Running a
    finished build again must not fail it (or recompute it) under LA users."""
    build = store_build(quarter, {AGENCY: dict.fromkeys(codes(202, 212), 10.0)})

    def broken(build):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_compute_and_store", broken)
    tasks.run_benchmark_build(build.pk)

    build.refresh_from_db()
    assert build.status == BenchmarkBuild.Status.DONE
    assert selectors.build_current(quarter, user=editor) == build


def test_the_summed_rate_counts_a_jointly_reported_value_once():
    """Two LAs reporting together carry the same numerator and denominator;
    summing both would count the pair twice in the London rate."""
    rows = [
        {"la": la, "value": 10.0, "numerator": 1.0, "denominator": 10.0}
        for la in range(5)
    ]
    rows += [
        {
            "la": la,
            "value": 50.0,
            "numerator": 50.0,
            "denominator": 100.0,
            "shared_with": "314 / 318",
        }
        for la in (5, 6)
    ]
    frame = pd.DataFrame(rows).assign(
        period="2024-25", indicator=1, group="london", polarity="low_good"
    )
    frame["shared_with"] = frame["shared_with"].fillna("")
    rate = benchmark_frame(frame).comparators["rate"].iloc[0]
    assert rate == pytest.approx((5 + 50) / (50 + 100))


def shared_build(quarter):
    values = dict.fromkeys(codes(202, 212), 10.0)
    values["314"] = values["318"] = 20.0
    return store_build(
        quarter,
        {AGENCY: values},
        shared_with={"314": "314 / 318", "318": "314 / 318"},
    )


def test_the_xlsx_download_says_a_value_is_reported_jointly(editor_client, quarter):
    shared_build(quarter)
    response = editor_client.get(rug_url(quarter, format="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[4]]
    kingston = header.index(LocalAuthority.objects.get(dfe_code="314").name) + 1
    assert "314 / 318" in sheet.cell(5, kingston).value


def test_odd_query_parameters_do_not_break_the_rug(editor_client, quarter):
    store_build(quarter, {AGENCY: dict.fromkeys(codes(202, 212), 10.0)})
    assert editor_client.get(rug_url(quarter, group="nope")).status_code == 404
    for query in ({"sort": "nope"}, {"sort": AGENCY}, {"format": "pdf"}):
        assert editor_client.get(rug_url(quarter, **query)).status_code == 200


def test_a_build_with_no_results_downloads_and_shows(analyst_client, quarter):
    BenchmarkBuild.objects.create(
        period=quarter, status=BenchmarkBuild.Status.DONE, finished_at=timezone.now()
    )
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        assert analyst_client.get(rug_url(quarter, **query)).status_code == 200
    url = reverse("benchmarking:authority", args=[quarter.slug, "202"])
    assert analyst_client.get(url).status_code == 200
    flags = reverse("benchmarking:flags", args=[quarter.slug])
    assert analyst_client.get(flags).status_code == 200


def test_formula_names_stay_text_in_the_xlsx(analyst_client, quarter):
    camden = LocalAuthority.objects.get(dfe_code="202")
    camden.name = '=HYPERLINK("http://x.test","Camden")'
    camden.save()
    store_build(quarter, {AGENCY: dict.fromkeys(codes(202, 212), 10.0)})
    response = analyst_client.get(rug_url(quarter, format="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    csv_text = analyst_client.get(rug_url(quarter, format="csv")).content.decode()
    assert "'=HYPERLINK" in csv_text


def test_the_index_shows_the_build_an_la_user_reads(editor, editor_client, quarter):
    """When the analyst publishes an earlier build again, LA users read that
    one; the index must list it, with its publication date, not the other."""
    values = {AGENCY: dict.fromkeys(codes(202, 212), 10.0)}
    earlier = store_build(quarter, values)
    later = store_build(quarter, values)
    BenchmarkBuild.objects.filter(pk=later.pk).update(
        finished_at=earlier.finished_at + timezone.timedelta(hours=1),
        published_at=earlier.published_at + timezone.timedelta(hours=1),
    )
    BenchmarkBuild.objects.filter(pk=earlier.pk).update(
        published_at=earlier.published_at + timezone.timedelta(hours=2)
    )
    assert selectors.build_current(quarter, user=editor) == earlier

    response = editor_client.get(reverse("benchmarking:index"))
    assert [build.pk for _, build in response.context["rows"]] == [earlier.pk]


def test_the_xlsx_states_the_whole_rule(analyst_client, quarter):
    """DESIGN.md section 6: the rule is stated wherever bands are shown,
    including the `neither` bands and the quintiles."""
    store_build(quarter, {AGENCY: dict.fromkeys(codes(202, 212), 10.0)})
    response = analyst_client.get(rug_url(quarter, format="xlsx"))
    rule = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"].value
    for words in ("7.5", "highest and lowest 20%", "Quintile", "suppressed"):
        assert words in rule
