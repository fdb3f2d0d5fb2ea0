"""Benchmark builds, publication, the tartan rug and the commands."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from authorities.models import LocalAuthority, User
from benchmarking import selectors, services
from benchmarking.exports import EXPORT_COLUMNS
from benchmarking.models import AreaKind, BenchmarkBuild, PublishedValue
from indicators import services as returns
from indicators.models import Indicator
from indicators.periods import PeriodKey
from indicators.validation import CleanEntry

pytestmark = pytest.mark.django_db

# Agency share (%), lower is better, for the first ten LAs by DfE code.
AGENCY = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]


def accept_quarter(period, editor_factory, analyst, shares=AGENCY):
    """Accept a return for each of the first len(shares) LAs, every indicator
    at 50 of 100 except the agency share, which takes the given values."""
    authorities = LocalAuthority.objects.order_by("dfe_code")[: len(shares)]
    for authority, share in zip(authorities, shares, strict=True):
        editor = editor_factory(authority)
        entries = {}
        for indicator in Indicator.objects.core():
            numerator = Decimal(share if indicator.code == "SW_AGENCY" else 50)
            entries[indicator] = CleanEntry(
                numerator=numerator,
                denominator=Decimal(100),
                value=indicator.derive_value(numerator, Decimal(100)),
            )
        ret = period.returns.get(authority=authority)
        returns.return_save_values(ret=ret, actor=editor, entries=entries)
        returns.return_submit(ret=ret, actor=editor)
        returns.return_accept(ret=ret, actor=analyst)
    return authorities


@pytest.fixture
def editor_factory():
    from authorities.models import Role
    from conftest import make_user

    def make(authority):
        email = f"editor-{authority.dfe_code}@x.test"
        found = User.objects.filter(email=email).first()
        return found or make_user(email, Role.LA_EDITOR, authority)

    return make


@pytest.fixture
def built(quarter, editor_factory, analyst):
    accept_quarter(quarter, editor_factory, analyst)
    build = BenchmarkBuild.objects.create(period=quarter)
    return services.benchmark_build_run(build)


def agency(build, group="london"):
    return {
        r.authority.dfe_code: r
        for r in build.results.filter(group=group, indicator__code="SW_AGENCY")
    }


def test_a_build_ranks_accepted_values_with_the_rule(built):
    assert built.status == BenchmarkBuild.Status.DONE
    assert built.progress == 100
    results = agency(built)
    # Ten LAs, lower is better: 5% is first, 50% last.
    assert results["201"].rank == 1 and results["201"].band == "top"
    assert results["202"].position == pytest.approx(1 / 9)
    assert results["203"].band == "middle"
    assert results["210"].rank == 10 and results["210"].band == "bottom"
    assert results["210"].quintile == 5
    # LAs with no accepted return are in the build without a value or band.
    assert results["320"].value is None and results["320"].band == ""


def test_all_equal_values_share_the_middle_rank(built):
    referrals = built.results.filter(group="london", indicator__code="REREF_12M")
    ranked = [r for r in referrals if r.value is not None]
    assert {r.rank for r in ranked} == {5.5}
    assert {r.band for r in ranked} == {"middle"}


def test_comparators_give_the_mean_median_and_summed_rate(built):
    comparator = built.comparators.get(group="london", indicator__code="SW_AGENCY")
    assert comparator.n == 10
    assert comparator.mean == pytest.approx(27.5)
    assert comparator.median == pytest.approx(27.5)
    assert comparator.rate == pytest.approx(27.5)


def test_bands_are_worked_out_again_within_a_group(built):
    inner = {code: r for code, r in agency(built, "inner").items() if r.value}
    # Greenwich (203) is Outer London; the other nine rank among themselves.
    assert sorted(inner) == [
        "201",
        "202",
        "204",
        "205",
        "206",
        "207",
        "208",
        "209",
        "210",
    ]
    assert inner["210"].n == 9 and inner["210"].rank == 9
    assert inner["204"].rank == 3 and inner["204"].band == "middle"
    assert agency(built)["204"].rank == 4


def test_a_build_is_repeatable(built, quarter):
    again = services.benchmark_build_run(BenchmarkBuild.objects.create(period=quarter))
    assert again.fingerprint == built.fingerprint

    def table(build):
        return sorted(
            build.results.values_list(
                "group", "indicator_id", "authority_id", "rank", "band", "quintile"
            )
        )

    assert table(again) == table(built)


def test_a_failed_build_leaves_the_last_good_one_in_use(built, quarter, monkeypatch):
    def broken(frame):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "benchmark_frame", broken)
    failed = services.benchmark_build_run(BenchmarkBuild.objects.create(period=quarter))

    assert failed.status == BenchmarkBuild.Status.FAILED
    assert "Sorry, the build failed" in failed.error
    assert "disk on fire" not in failed.error
    assert selectors.build_current(quarter) == built


def test_a_period_with_nothing_accepted_fails_with_a_reason(quarter):
    build = services.benchmark_build_run(BenchmarkBuild.objects.create(period=quarter))
    assert build.status == BenchmarkBuild.Status.FAILED
    assert "no return has been accepted yet" in build.error


def test_the_analyst_starts_a_build_in_the_background_and_follows_it(
    analyst_client, quarter, editor_factory, analyst, django_capture_on_commit_callbacks
):
    accept_quarter(quarter, editor_factory, analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(
            reverse("benchmarking:builds"), {"period": quarter.slug}
        )
    build = BenchmarkBuild.objects.get()
    assert response.url == reverse("benchmarking:build-detail", args=[build.pk])

    progress = analyst_client.get(
        reverse("benchmarking:build-progress", args=[build.pk])
    ).json()
    assert progress == {
        "status": "done",
        "status_label": "Done",
        "progress": 100,
        "error": "",
    }
    page = analyst_client.get(response.url).content.decode()
    assert "Publish this build" in page


def test_publishing_shows_the_benchmark_to_every_london_la(
    built, analyst_client, outsider_client, dfe_client, quarter
):
    rug = reverse("benchmarking:rug", args=[quarter.slug])
    assert outsider_client.get(rug).status_code == 404
    assert analyst_client.get(rug).status_code == 200

    analyst_client.post(reverse("benchmarking:build-publish", args=[built.pk]))
    built.refresh_from_db()
    assert built.is_published
    assert outsider_client.get(rug).status_code == 200
    assert dfe_client.get(rug).status_code == 404


def test_the_rug_shows_values_and_bands_in_words(built, analyst_client, quarter):
    page = analyst_client.get(
        reverse("benchmarking:rug", args=[quarter.slug])
    ).content.decode()
    assert "Agency social workers as a share of all social workers" in page
    assert "5.0%" in page and "Top 20%" in page and "Bottom 20%" in page
    assert "Highest 20%" not in page  # every 'neither' indicator is tied here
    assert "Position = (rank − 1) ÷ (<em>n</em> − 1)" in page


def test_the_rug_switches_group_and_sorts_by_an_indicator(
    built, analyst_client, quarter
):
    url = reverse("benchmarking:rug", args=[quarter.slug])
    page = analyst_client.get(url, {"group": "inner"}).content.decode()
    assert "Barnet" not in page  # Outer London
    assert analyst_client.get(url, {"group": "nowhere"}).status_code == 404

    header = analyst_client.get(url).content.decode().split("</thead>")[0]
    assert header.index("Camden") < header.index("City of London")
    page = analyst_client.get(url, {"sort": "SW_AGENCY"}).content.decode()
    header = page.split("</thead>")[0]
    assert header.index("City of London") < header.index("Camden")


def test_the_rug_takes_the_same_queries_for_more_las(
    analyst_client, editor_factory, analyst
):
    def queries_for(key, shares):
        period = returns.period_get_or_create(key)
        period.edits_close_on = quarter_far_future()
        period.due_on = period.edits_close_on
        period.save()
        accept_quarter(period, editor_factory, analyst, shares)
        services.benchmark_build_run(BenchmarkBuild.objects.create(period=period))
        url = reverse("benchmarking:rug", args=[period.slug])
        with CaptureQueriesContext(connection) as captured:
            assert analyst_client.get(url).status_code == 200
        return len(captured)

    few = queries_for(PeriodKey(2025, 1), [5, 10, 15, 20, 25])
    more = queries_for(PeriodKey(2025, 2), list(range(5, 100, 3)))
    assert few == more


def quarter_far_future():
    return timezone.localdate() + datetime.timedelta(days=60)


def test_the_rug_downloads_as_csv_and_coloured_xlsx(built, analyst_client, quarter):
    url = reverse("benchmarking:rug", args=[quarter.slug])
    response = analyst_client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_COLUMNS
    assert len(rows) == 1 + 33 * 18

    response = analyst_client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Tartan rug"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    top = next(c for c in cells if isinstance(c.value, str) and "5.0%" in c.value)
    assert "Top 20%" in top.value
    assert top.fill.start_color.rgb.endswith("85C59A")


def test_export_command_writes_exactly_the_agreed_columns(built, quarter, tmp_path):
    out = io.StringIO()
    call_command("export_benchmark", quarter.label, stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "period", "indicator", "la_code", "la_name", "value", "suppression", "rank",
        "position", "band", "quintile", "london_mean", "london_median",
    ]  # fmt: skip
    camden = next(r for r in rows if r[1] == "SW_AGENCY" and r[2] == "202")
    assert camden == [
        "2025-26 Q2", "SW_AGENCY", "202", "Camden", "10", "", "2", "0.1111",
        "top", "1", "27.5", "27.5",
    ]  # fmt: skip

    path = tmp_path / "inner.xlsx"
    call_command(
        "export_benchmark", quarter.label, "--format", "xlsx", "--group", "inner",
        "--output", str(path), stdout=io.StringIO(),
    )  # fmt: skip
    assert openpyxl.load_workbook(path)["Tartan rug"]["A1"].value.endswith("inner")

    with pytest.raises(CommandError, match="Unknown group"):
        call_command("export_benchmark", quarter.label, "--group", "mars")


def test_build_command_builds_and_publishes(quarter, editor_factory, analyst, capsys):
    accept_quarter(quarter, editor_factory, analyst)
    out = io.StringIO()
    call_command("build_benchmark", quarter.label, "--publish", stdout=out)
    assert "done" in out.getvalue() and "published" in out.getvalue()
    assert BenchmarkBuild.objects.get().is_published

    with pytest.raises(CommandError, match="not a period"):
        call_command("build_benchmark", "last year")


def test_an_annual_build_uses_published_values_and_keeps_suppression(analyst):
    year = returns.period_get_or_create(PeriodKey(2024))
    turnover = Indicator.objects.get(code="SW_TURNOVER")
    for index, authority in enumerate(LocalAuthority.objects.order_by("dfe_code")):
        suppressed = authority.dfe_code == "201"
        PublishedValue.objects.create(
            indicator=turnover,
            period=year,
            area_kind=AreaKind.LA,
            authority=authority,
            value=None if suppressed else Decimal(10 + index),
            suppression="c" if suppressed else "",
            source_file="csww_indicators_2017_to_2025.csv",
        )
    PublishedValue.objects.create(
        indicator=turnover,
        period=year,
        area_kind=AreaKind.ENGLAND,
        value=Decimal("15.5"),
        source_file="csww_indicators_2017_to_2025.csv",
    )

    build = services.benchmark_build_run(BenchmarkBuild.objects.create(period=year))
    assert build.status == BenchmarkBuild.Status.DONE
    results = {
        r.authority.dfe_code: r
        for r in build.results.filter(group="london", indicator=turnover)
    }
    assert results["201"].suppression == "c" and results["201"].rank is None
    assert results["202"].n == 32 and results["202"].rank == 1
    comparator = build.comparators.get(group="london", indicator=turnover)
    assert comparator.england == pytest.approx(15.5)
