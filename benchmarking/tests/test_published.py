"""Importing DfE's published statistics: reading its files, all or nothing,
and the analyst's upload page. Every test makes its own small files."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from authorities.models import LocalAuthority
from benchmarking.models import (
    AreaKind,
    PopulationEstimate,
    PublishedSourceMapping,
    PublishedValue,
)
from benchmarking.published import published_import
from indicators.models import Period

D = Decimal
URL = reverse("benchmarking:published-import")

LEADING = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
# Turnover alone, unless a test asks for more: a value column that is in the
# file must have a value in every row.
CSWW = [*LEADING, "turnover_rate_fte"]
CSWW_ALL = [*CSWW, "agency_rate_fte", "vacancy_rate_fte"]
C1 = [*LEADING, "category", "referral_count", "rereferral_count", "rereferral_percent"]
POPULATION = [*LEADING, "age_group", "population_estimate"]
CHILDREN = "Children aged 0 to 17 years"
REFERRALS = "Referrals and Re-referrals"


# --- Helpers -------------------------------------------------------------


def england(**cells):
    return {"geographic_level": "National", **cells}


def region(code, name, **cells):
    return {
        "geographic_level": "Regional",
        "region_code": code,
        "region_name": name,
        **cells,
    }


def la(old, new, name, region_code="E13000001", **cells):
    return {
        "geographic_level": "Local authority",
        "region_code": region_code,
        "old_la_code": old,
        "new_la_code": new,
        "la_name": name,
        **cells,
    }


def camden(**cells):
    return la("202", "E09000007", "Camden", **cells)


def make_csv(columns, rows, *, bom=False) -> bytes:
    """A DfE-shaped file: England as the country, 2025 a reporting year
    unless a row says otherwise."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        cells = {
            "time_period": "2025",
            "time_identifier": "Reporting year",
            "country_code": "E92000001",
            "country_name": "England",
            **row,
        }
        writer.writerow({column: cells.get(column, "") for column in columns})
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def csww(*rows, columns=CSWW):
    return ("csww_indicators_2017_to_2025.csv", make_csv(columns, rows))


def c1(*rows):
    name = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    return (name, make_csv(C1, rows))


def referrals(row, count, rereferrals="20", percent="20.0"):
    """A row of the C1 file: referrals in the year, and re-referrals."""
    return {
        **row,
        "category": REFERRALS,
        "referral_count": count,
        "rereferral_count": rereferrals,
        "rereferral_percent": percent,
    }


def population(*rows):
    name = "ons_mid-year_population_estimates_2012_to_2024.csv"
    return (name, make_csv(POPULATION, rows))


def value_of(code, authority=None, *, area_kind=AreaKind.LA, period="2024-25"):
    found = PublishedValue.objects.filter(
        indicator__code=code, period__label=period, area_kind=area_kind
    )
    if authority is not None:
        found = found.filter(authority__dfe_code=authority)
    return found.get()


def tally(report, code, period="2024-25"):
    return next(t for t in report.tallies if t.indicator == code and t.period == period)


# --- Reading files -------------------------------------------------------


@pytest.mark.django_db
def test_a_file_with_a_byte_order_mark_and_shuffled_columns_is_read():
    columns = list(reversed(CSWW_ALL))
    row = camden(turnover_rate_fte="12.5", agency_rate_fte="20", vacancy_rate_fte="9")
    report = published_import(
        [("csww_indicators_2017_to_2025.csv", make_csv(columns, [row], bom=True))]
    )

    assert report.problems == []
    turnover = value_of("SW_TURNOVER", "202")
    assert turnover.value == D("12.5")
    assert turnover.period.label == "2024-25"
    assert turnover.source_file == "csww_indicators_2017_to_2025.csv"
    assert value_of("SW_VACANCY", "202").value == D("9")


@pytest.mark.django_db
def test_a_file_saved_by_excel_in_its_own_code_page_is_read():
    name, data = csww(camden(turnover_rate_fte="12.5"))
    data = data.replace(b"Camden", "Camden – ".encode("cp1252"))

    report = published_import([(name, data)])

    assert report.problems == []
    assert value_of("SW_TURNOVER", "202").value == D("12.5")


@pytest.mark.django_db
def test_every_year_in_a_file_is_imported_into_its_annual_period():
    report = published_import(
        [
            csww(
                camden(time_period="2024", turnover_rate_fte="10"),
                camden(time_period="2025", turnover_rate_fte="12"),
            )
        ]
    )

    assert report.problems == []
    assert value_of("SW_TURNOVER", "202", period="2023-24").value == D("10")
    assert value_of("SW_TURNOVER", "202", period="2024-25").value == D("12")
    assert Period.objects.get(label="2024-25").kind == Period.Kind.YEAR


@pytest.mark.django_db
@pytest.mark.parametrize("symbol", ["c", "x", "z", "k", "u", "low", ":"])
def test_a_suppressed_value_keeps_its_symbol_and_is_never_zero(symbol):
    report = published_import([csww(camden(turnover_rate_fte=symbol))])

    assert report.problems == []
    stored = value_of("SW_TURNOVER", "202")
    assert stored.value is None
    assert stored.suppression == symbol
    assert tally(report, "SW_TURNOVER").suppressed == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("314 / 318", "E09000021 / E09000027"),
        ("314/318", ""),
        ("", "E09000021/E09000027"),
    ],
)
def test_a_value_two_las_report_together_applies_to_both(old, new):
    kingston_and_richmond = la(
        old,
        new,
        "Kingston upon Thames / Richmond upon Thames",
        region_code="E13000002",
        turnover_rate_fte="28",
    )
    report = published_import([csww(kingston_and_richmond)])

    assert report.problems == []
    for code in ("314", "318"):
        stored = value_of("SW_TURNOVER", code)
        assert stored.value == D("28")
        assert stored.shared_with == (old or new)
    counted = tally(report, "SW_TURNOVER")
    assert (counted.la_values, counted.shared) == (2, 2)


@pytest.mark.django_db
def test_england_london_inner_and_outer_rows_are_imported_as_comparators():
    report = published_import(
        [
            csww(
                england(turnover_rate_fte="11.8"),
                region("E12000007", "London", turnover_rate_fte="13.8"),
                region("E13000001", "Inner London", turnover_rate_fte="11.7"),
                region("E13000002", "Outer London", turnover_rate_fte="15.7"),
            )
        ]
    )

    assert report.problems == []
    expected = {
        AreaKind.ENGLAND: D("11.8"),
        AreaKind.LONDON: D("13.8"),
        AreaKind.INNER: D("11.7"),
        AreaKind.OUTER: D("15.7"),
    }
    for area_kind, figure in expected.items():
        stored = value_of("SW_TURNOVER", area_kind=area_kind)
        assert stored.value == figure
        assert stored.authority is None
    assert tally(report, "SW_TURNOVER").comparators == 4


@pytest.mark.django_db
def test_rows_of_other_regions_are_passed_over_without_a_problem():
    report = published_import(
        [
            csww(
                region("E12000001", "North East", turnover_rate_fte="9"),
                la("390", "E08000037", "Gateshead", "E12000001", turnover_rate_fte="?"),
                camden(turnover_rate_fte="12"),
            )
        ]
    )

    assert report.problems == []
    assert PublishedValue.objects.filter(indicator__code="SW_TURNOVER").count() == 1


@pytest.mark.django_db
def test_only_rows_the_mapping_filters_select_are_imported():
    report = published_import(
        [
            c1(
                camden(category="Something else", rereferral_percent="?"),
                camden(
                    category=REFERRALS, referral_count="c", rereferral_percent="21.5"
                ),
            )
        ]
    )

    assert report.problems == []
    assert value_of("REREF_12M", "202").value == D("21.5")


# --- Problems: all or nothing ---------------------------------------------


@pytest.mark.django_db
def test_unknown_la_codes_and_malformed_rows_are_reported_by_line_and_nothing_saved():
    report = published_import(
        [
            csww(
                camden(turnover_rate_fte="12"),  # line 2: fine
                la("399", "E09000099", "Nowhere", "E13000002", turnover_rate_fte="1"),
                camden(turnover_rate_fte="twelve"),  # line 4
                camden(time_period="25", turnover_rate_fte="12"),  # line 5
                la("", "", "No code", turnover_rate_fte="3"),  # line 6
                camden(turnover_rate_fte=""),  # line 7
            )
        ]
    )

    lines = [problem.line for problem in report.problems]
    assert lines == [3, 4, 5, 6, 7]
    assert "‘399’" in report.problems[0].message
    assert "‘twelve’" in report.problems[1].message
    assert "time_period ‘25’" in report.problems[2].message
    assert all(p.file == "csww_indicators_2017_to_2025.csv" for p in report.problems)
    assert "line 3" in str(report.problems[0])

    assert PublishedValue.objects.count() == 0
    assert not Period.objects.filter(label="2024-25").exists()
    assert tally(report, "SW_TURNOVER").rejected == 4
    assert tally(report, "SW_TURNOVER", period="unknown").rejected == 1


@pytest.mark.django_db
def test_a_problem_in_one_file_stops_the_other_files_being_saved():
    report = published_import(
        [
            csww(camden(turnover_rate_fte="12")),
            ("d3_cpps_subsequent_plan_2013_to_2025.csv", b"time_period\n2025\n"),
        ]
    )

    assert report.problems
    assert report.problems[0].file == "d3_cpps_subsequent_plan_2013_to_2025.csv"
    assert PublishedValue.objects.count() == 0


@pytest.mark.django_db
def test_a_file_no_mapping_matches_is_reported():
    data = make_csv(CSWW, [camden(turnover_rate_fte="12")])

    report = published_import([("school_workforce_2025.csv", data)])

    [problem] = report.problems
    assert problem.file == "school_workforce_2025.csv"
    assert "No published-source mapping matches" in problem.message
    assert PublishedValue.objects.count() == 0


@pytest.mark.django_db
def test_a_file_with_the_right_name_but_not_the_columns_says_what_is_missing():
    data = make_csv(LEADING, [camden()])

    report = published_import([("csww_indicators_2017_to_2025.csv", data)])

    [problem] = report.problems
    assert "turnover_rate_fte" in problem.message


@pytest.mark.django_db
def test_the_same_value_given_twice_is_a_problem():
    report = published_import(
        [csww(camden(turnover_rate_fte="12"), camden(turnover_rate_fte="13"))]
    )

    assert [p.line for p in report.problems] == [3]
    assert "line 2" in report.problems[0].message


@pytest.mark.django_db
def test_column_names_may_change_between_releases():
    mapping = PublishedSourceMapping.objects.get(indicator__code="SW_TURNOVER")
    mapping.value_columns = ["turnover_fte_percent", "turnover_rate_fte"]
    mapping.save()
    columns = [*LEADING, "TURNOVER_FTE_PERCENT"]

    published_import(
        [
            (
                "csww_indicators_2017_to_2026.csv",
                make_csv(columns, [camden(TURNOVER_FTE_PERCENT="14")]),
            )
        ]
    )

    assert value_of("SW_TURNOVER", "202").value == D("14")


# --- Importing again, and dry runs ----------------------------------------


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing():
    files = [
        csww(
            camden(turnover_rate_fte="12", agency_rate_fte="c", vacancy_rate_fte="9"),
            england(
                turnover_rate_fte="11.8", agency_rate_fte="13", vacancy_rate_fte="x"
            ),
            columns=CSWW_ALL,
        )
    ]
    first = published_import(files)
    before = {pv.pk: pv.imported_at for pv in PublishedValue.objects.all()}

    again = published_import(files)

    assert first.created == 6
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert {pv.pk: pv.imported_at for pv in PublishedValue.objects.all()} == before


@pytest.mark.django_db
def test_a_revised_value_is_updated():
    published_import([csww(camden(turnover_rate_fte="12"))])

    report = published_import([csww(camden(turnover_rate_fte="12.4"))])

    assert (report.created, report.updated) == (0, 1)
    assert value_of("SW_TURNOVER", "202").value == D("12.4")


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_change_and_saves_nothing():
    people = camden(time_period="2024", age_group=CHILDREN, population_estimate="9")
    report = published_import(
        [csww(camden(turnover_rate_fte="12")), population(people)], dry_run=True
    )

    assert report.problems == []
    assert report.created == 2
    assert report.dry_run and not report.written
    assert PublishedValue.objects.count() == 0
    assert PopulationEstimate.objects.count() == 0
    assert not Period.objects.filter(label="2024-25").exists()


@pytest.mark.django_db
def test_a_dry_run_counts_as_an_import_would():
    files = [csww(camden(turnover_rate_fte="12"))]

    dry = published_import(files, dry_run=True)
    published_import(files)
    dry_again = published_import(files, dry_run=True)

    assert (dry.created, dry.unchanged) == (1, 0)
    assert (dry_again.created, dry_again.unchanged) == (0, 1)
    assert "Dry run" in dry.outcome()


# --- Population and rates per 10,000 --------------------------------------


@pytest.mark.django_db
def test_population_estimates_are_imported_for_london_las():
    report = published_import(
        [
            population(
                camden(
                    time_period="2024", age_group=CHILDREN, population_estimate="4e4"
                ),
                camden(
                    time_period="2024",
                    age_group="Children aged 0 to 4 years",
                    population_estimate="9000",
                ),
                england(
                    time_period="2024", age_group=CHILDREN, population_estimate="1"
                ),
            )
        ]
    )

    assert report.problems == []
    estimate = PopulationEstimate.objects.get()
    assert (estimate.authority.dfe_code, estimate.year) == ("202", 2024)
    assert estimate.children == 40_000
    assert report.populations == {2024: 1}


@pytest.mark.django_db
def test_a_count_becomes_a_rate_per_10000_children_of_the_year_before():
    # Referrals in the year to 31 March 2025 over the mid-2024 estimate.
    report = published_import(
        [
            c1(referrals(camden(), "1000", rereferrals="200")),
            population(
                camden(
                    time_period="2024", age_group=CHILDREN, population_estimate="40000"
                ),
                camden(
                    time_period="2025", age_group=CHILDREN, population_estimate="1000"
                ),
            ),
        ]
    )

    assert report.problems == []
    rate = value_of("REF_RATE", "202")
    assert rate.value == D("250")
    assert (rate.numerator, rate.denominator) == (D("1000"), D("40000"))
    reref = value_of("REREF_12M", "202")
    assert (reref.numerator, reref.denominator) == (D("200"), D("1000"))


@pytest.mark.django_db
def test_a_rate_uses_an_estimate_imported_earlier():
    PopulationEstimate.objects.create(
        authority=LocalAuthority.objects.get(dfe_code="202"),
        year=2024,
        children=30_000,
        source_file="earlier.csv",
    )

    report = published_import([c1(referrals(camden(), "900"))])

    assert report.problems == []
    assert value_of("REF_RATE", "202").value == D("300")


@pytest.mark.django_db
def test_a_rate_for_two_las_reporting_together_uses_both_populations():
    people = [
        la(code, "", name, "E13000002", age_group=CHILDREN, population_estimate=n)
        for code, name, n in [
            ("314", "Kingston", "30000"),
            ("318", "Richmond", "10000"),
        ]
    ]
    shared = la("314 / 318", "", "Both", "E13000002")

    published_import(
        [
            c1(referrals(shared, "2000")),
            population(*[{**p, "time_period": "2024"} for p in people]),
        ]
    )

    assert value_of("REF_RATE", "314").value == D("500")
    assert value_of("REF_RATE", "318").shared_with == "314 / 318"


@pytest.mark.django_db
def test_a_missing_population_estimate_is_reported_and_nothing_saved():
    report = published_import([c1(referrals(camden(), "1000"))])

    [problem] = report.problems
    assert problem.line == 2
    assert "mid-2024 population estimate for Camden" in problem.message
    assert PublishedValue.objects.count() == 0


@pytest.mark.django_db
def test_a_suppressed_count_needs_no_population_and_stays_suppressed():
    report = published_import([c1(referrals(camden(), "c"))])

    assert report.problems == []
    rate = value_of("REF_RATE", "202")
    assert (rate.value, rate.suppression) == (None, "c")


@pytest.mark.django_db
def test_rates_from_counts_have_no_regional_comparators():
    report = published_import([c1(referrals(england(), "9"))])

    assert report.problems == []
    assert not PublishedValue.objects.filter(indicator__code="REF_RATE").exists()
    assert value_of("REREF_12M", area_kind=AreaKind.ENGLAND).suppression == ""


# --- The management command -----------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_files_and_prints_the_report(tmp_path):
    name, data = csww(camden(turnover_rate_fte="12"), england(turnover_rate_fte="11"))
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()

    call_command("import_published", str(path), stdout=out)

    printed = out.getvalue()
    assert "csww_indicators_2017_to_2025.csv: SW_TURNOVER" in printed
    assert "SW_TURNOVER  2024-25          1" in printed
    assert "Imported: 2 created, 0 updated, 0 unchanged." in printed
    assert PublishedValue.objects.count() == 2


@pytest.mark.django_db
def test_the_command_dry_run_saves_nothing(tmp_path):
    name, data = csww(camden(turnover_rate_fte="12"))
    (tmp_path / name).write_bytes(data)
    out = io.StringIO()

    call_command("import_published", str(tmp_path / name), "--dry-run", stdout=out)

    assert "Dry run: nothing has been saved" in out.getvalue()
    assert PublishedValue.objects.count() == 0


@pytest.mark.django_db
def test_the_command_fails_and_lists_problems_by_line(tmp_path):
    name, data = csww(camden(turnover_rate_fte="twelve"))
    (tmp_path / name).write_bytes(data)
    out = io.StringIO()

    with pytest.raises(CommandError, match="nothing has been saved"):
        call_command("import_published", str(tmp_path / name), stdout=out)

    assert f"{name}, line 2: SW_TURNOVER: turnover_rate_fte" in out.getvalue()


def test_the_command_says_which_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_published", str(tmp_path / "missing.csv"))


# --- The upload page -------------------------------------------------------


def upload(*files, dry_run=False):
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files]}
    if dry_run:
        data["dry_run"] = "on"
    return data


# Marked: the clients are fetched by name, so pytest-django cannot tell that
# the test needs the database and would run it after the browser tests.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor", 404),
        ("viewer", 404),
        ("outsider", 404),
        ("dfe", 404),
        ("manager", 403),
        ("analyst", 200),
    ],
)
def test_only_the_analyst_may_use_the_upload_page(request, persona, status):
    client = request.getfixturevalue(f"{persona}_client")

    assert client.get(URL).status_code == status
    posted = client.post(URL, upload(csww(camden(turnover_rate_fte="12"))))
    assert posted.status_code == status
    assert PublishedValue.objects.filter(authority__isnull=False).count() == (
        1 if persona == "analyst" else 0
    )


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_the_upload_page_refuses_other_methods(analyst_client):
    assert analyst_client.put(URL).status_code == 405
    assert analyst_client.delete(URL).status_code == 405


def test_the_analyst_sees_the_upload_form(analyst_client):
    response = analyst_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file" multiple' in page
    assert "Check only (dry run)" in page


def test_the_analyst_uploads_several_files_and_sees_the_report(analyst_client):
    files = (
        csww(camden(turnover_rate_fte="12"), england(turnover_rate_fte="11")),
        population(
            camden(time_period="2024", age_group=CHILDREN, population_estimate="9")
        ),
    )

    response = analyst_client.post(URL, upload(*files))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported: 3 created, 0 updated, 0 unchanged." in page
    assert "Values imported, by indicator and period" in page
    assert "govuk-error-summary" not in page
    assert PublishedValue.objects.count() == 2
    assert PopulationEstimate.objects.count() == 1


def test_a_dry_run_upload_shows_the_report_and_saves_nothing(analyst_client):
    response = analyst_client.post(
        URL, upload(csww(camden(turnover_rate_fte="12")), dry_run=True)
    )

    page = response.content.decode()
    assert "Dry run: nothing has been saved" in page
    assert "Values in the files, by indicator and period" in page
    assert PublishedValue.objects.count() == 0


def test_problems_are_listed_by_file_and_line(analyst_client):
    response = analyst_client.post(
        URL,
        upload(csww(camden(turnover_rate_fte="12"), camden(turnover_rate_fte="?"))),
    )

    page = response.content.decode()
    assert "There is a problem with the files" in page
    assert "csww_indicators_2017_to_2025.csv: 1 problem" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert "Nothing has been saved" in page
    assert PublishedValue.objects.count() == 0


def test_an_upload_without_files_is_refused(analyst_client):
    response = analyst_client.post(URL, {})

    assert response.status_code == 200
    assert "Select at least one CSV file" in response.content.decode()


def test_a_file_that_is_not_csv_is_refused(analyst_client):
    response = analyst_client.post(URL, upload(("rug.xlsx", b"PK\x03\x04")))

    assert "‘rug.xlsx’ is not a CSV file" in response.content.decode()
    assert PublishedValue.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(analyst_client, settings):
    settings.PUBLISHED_UPLOAD_MAX_BYTES = 100

    response = analyst_client.post(URL, upload(csww(camden(turnover_rate_fte="1"))))

    assert "is larger than 100" in response.content.decode()
    assert PublishedValue.objects.count() == 0


# --- More file shapes, and the admin ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"time_period,TIME_PERIOD\n2025,2025\n", "names time_period more than once"),
        (b"\xff\xfe\x00\x81\x8d", "not text"),
    ],
)
def test_a_file_that_cannot_be_read_is_reported(data, message):
    report = published_import([("csww_indicators_2017_to_2025.csv", data)])

    [problem] = report.problems
    assert message in problem.message


@pytest.mark.django_db
def test_a_financial_year_time_period_is_read_as_that_year():
    row = camden(time_period="202425", time_identifier="Financial year")

    report = published_import([csww({**row, "turnover_rate_fte": "12"})])

    assert report.problems == []
    assert value_of("SW_TURNOVER", "202", period="2024-25").value == D("12")


def test_the_admin_lists_mappings_values_and_estimates(admin_client):
    published_import([csww(camden(turnover_rate_fte="12"))])

    for model in ("publishedsourcemapping", "publishedvalue", "populationestimate"):
        url = reverse(f"admin:benchmarking_{model}_changelist")
        assert admin_client.get(url).status_code == 200
    value = PublishedValue.objects.get()
    change = reverse("admin:benchmarking_publishedvalue_change", args=[value.pk])
    assert b"Save" not in admin_client.get(change).content


@pytest.mark.django_db
def test_the_admin_refuses_value_columns_that_are_not_a_list_of_names():
    from benchmarking.admin import PublishedSourceMappingForm

    mapping = PublishedSourceMapping.objects.get(indicator__code="SW_TURNOVER")
    form = PublishedSourceMappingForm(
        {
            "indicator": mapping.indicator_id,
            "file_stem": "csww_indicators",
            "required_columns": "[]",
            "filters": '{"breakdown": ["Total", "All"]}',
            "value_columns": '"turnover_rate_fte"',
            "numerator_columns": "[]",
            "denominator_columns": "[]",
        },
        instance=mapping,
    )

    assert not form.is_valid()
    assert list(form.errors) == ["value_columns"]
