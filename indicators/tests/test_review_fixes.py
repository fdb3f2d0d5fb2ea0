"""Bugs found in review of the quarterly return, each pinned by a test."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators import selectors, services, spreadsheets
from indicators.models import (
    Indicator,
    PeriodExtension,
    Return,
    ReturnStatus,
    ReturnValue,
)
from indicators.periods import PeriodKey
from indicators.tests.test_spreadsheets import fill as fill_sheet
from indicators.tests.test_spreadsheets import parse, template
from indicators.validation import CleanEntry, parse_number

pytestmark = pytest.mark.django_db

HUGE = "1e999999999999999999"
TINY = "1e-999999999999999999"


def group_url(ret, source="csww"):
    return reverse("indicators:return-group-edit", args=[ret.pk, source])


def workforce_post(**overrides):
    """A complete, valid answer for the four workforce indicators."""
    data = {}
    for code in ("sw_turnover", "sw_agency", "sw_vacancy", "sw_caseload"):
        data[f"{code}-numerator"] = "30"
        data[f"{code}-denominator"] = "150"
    data.update(overrides)
    return data


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def accept_with_values(ret):
    """Give `ret` a value for every core indicator and mark it accepted."""
    for indicator in Indicator.objects.core():
        ReturnValue.objects.create(
            return_obj=ret,
            indicator=indicator,
            numerator=Decimal(40),
            denominator=Decimal(100),
            value=indicator.derive_value(Decimal(40), Decimal(100)),
        )
    ret.status = ReturnStatus.ACCEPTED
    ret.save()


# --- Numbers with extreme exponents ----------------------------------------


def test_a_number_too_large_for_any_decimal_is_refused_without_a_crash(
    editor_client, camden_return
):
    response = editor_client.post(
        group_url(camden_return), workforce_post(**{"sw_agency-numerator": HUGE})
    )

    assert response.status_code == 200
    assert "is too large" in response.content.decode()
    assert not ReturnValue.objects.filter(return_obj=camden_return).exists()


def test_a_number_too_small_to_keep_is_refused_not_saved_as_zero():
    number, message = parse_number(TINY, "Children")

    assert number is None
    assert message == "Children can have at most 4 decimal places"


def test_a_huge_exponent_in_a_spreadsheet_is_a_problem_not_a_crash(camden_return):
    workbook = template(camden_return)
    row = fill_sheet(workbook, "SW_AGENCY", E=HUGE, G=150)

    result = parse(camden_return, workbook)

    assert not result.entries
    assert [(p.row, p.column) for p in result.problems] == [(row, "E")]
    assert result.problems[0].message.endswith("is too large")


# --- Text the spreadsheet cannot hold --------------------------------------


def test_a_reason_with_a_control_character_still_downloads(
    editor_client, camden_return
):
    # A line break pasted from Word arrives as a vertical tab.
    post = workforce_post(
        **{
            "sw_agency-numerator": "",
            "sw_agency-denominator": "",
            "sw_agency-no_value": "on",
            "sw_agency-missing_reason": "Not\x0bcollected",
        }
    )
    assert editor_client.post(group_url(camden_return), post).status_code == 302

    response = editor_client.get(
        reverse("indicators:return-spreadsheet", args=[camden_return.pk])
    )

    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook[spreadsheets.RETURN_SHEET]
    reasons = [sheet[f"J{row}"].value for row in range(1, sheet.max_row + 1)]
    assert "Not collected" in reasons


# --- Extensions --------------------------------------------------------------


def test_an_extension_never_leaves_an_la_due_before_everyone_else(
    camden_return, quarter, analyst
):
    services.extension_grant(
        period=quarter,
        authority=camden_return.authority,
        until=quarter.due_on + datetime.timedelta(days=7),
        reason="Staff shortage",
        actor=analyst,
    )
    later = quarter.due_on + datetime.timedelta(days=21)
    services.period_set_dates(
        period=quarter, due_on=later, edits_close_on=later, actor=analyst
    )

    ret = Return.objects.get(pk=camden_return.pk)
    assert ret.due_on == later
    assert not ret.is_overdue(today=later)
    assert PeriodExtension.objects.filter(period=quarter).count() == 1


# --- Queries on list pages ---------------------------------------------------


def test_the_data_set_reads_the_same_number_of_queries_for_more_las(
    analyst_client, quarter, camden, islington
):
    url = reverse("indicators:dataset") + f"?period={quarter.slug}"
    accept_with_values(quarter.returns.get(authority=camden))
    one = count_queries(analyst_client, url)

    for ret in quarter.returns.exclude(authority__in=[camden, islington])[:4]:
        accept_with_values(ret)

    assert len(selectors.accepted_dataset(quarter).rows) == 5
    assert count_queries(analyst_client, url) == one


def test_the_la_home_reads_the_same_number_of_queries_for_more_returns(
    editor_client, camden_return
):
    url = reverse("indicators:return-list")
    one = count_queries(editor_client, url)

    for quarter in range(1, 5):
        services.period_get_or_create(PeriodKey(2024, quarter))

    assert count_queries(editor_client, url) == one


def test_the_history_page_reads_the_same_number_of_queries_for_more_changes(
    editor_client, editor, analyst, camden_return
):
    url = reverse("indicators:return-history", args=[camden_return.pk])
    core = list(Indicator.objects.core())

    def send_round(numerator):
        entries = {
            i: CleanEntry(
                numerator=Decimal(numerator),
                denominator=Decimal(100),
                value=i.derive_value(Decimal(numerator), Decimal(100)),
            )
            for i in core
        }
        services.return_save_values(ret=camden_return, actor=editor, entries=entries)
        services.return_submit(ret=camden_return, actor=editor, note="Checked")
        services.return_query(ret=camden_return, actor=analyst, message="Why?")

    send_round(40)
    one = count_queries(editor_client, url)

    for numerator in (41, 42, 43):
        send_round(numerator)

    assert count_queries(editor_client, url) == one
