"""The quarterly return in the browser, as its users go through it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import (
    Indicator,
    PeriodExtension,
    ReturnStatus,
    ReturnTransition,
    ReturnValue,
    ValueChange,
)
from indicators.periods import PeriodKey
from indicators.validation import CleanEntry

pytestmark = pytest.mark.django_db


def fill(ret, user, numerator=Decimal(40), denominator=Decimal(100)):
    entries = {
        i: CleanEntry(
            numerator=numerator,
            denominator=denominator,
            value=i.derive_value(numerator, denominator),
        )
        for i in Indicator.objects.core()
    }
    services.return_save_values(ret=ret, actor=user, entries=entries)


def submitted(ret, editor):
    fill(ret, editor)
    return services.return_submit(ret=ret, actor=editor)


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


def test_la_home_lists_the_return_with_its_status_and_what_is_left(
    editor_client, camden_return
):
    response = editor_client.get(reverse("indicators:return-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2025-26 Q2" in page
    assert "Not started" in page
    assert "18 indicators to answer" in page


def test_la_home_marks_an_overdue_return_in_words(editor_client, camden_return):
    period = camden_return.period
    period.due_on = datetime.date(2020, 1, 1)
    period.edits_close_on = datetime.date(2020, 1, 2)
    period.save()
    page = editor_client.get(reverse("indicators:return-list")).content.decode()
    assert "Overdue" in page


def test_task_list_groups_indicators_by_source_collection(editor_client, camden_return):
    response = editor_client.get(
        reverse("indicators:return-detail", args=[camden_return.pk])
    )
    page = response.content.decode()
    for label in (
        "Children in need census",
        "Children looked after return (SSDA903)",
        "Children’s social work workforce census",
        "Special educational needs survey (SEN2)",
    ):
        assert label in page
    assert group_url(camden_return, "cin") in page


def test_saving_a_group_stores_derived_values_and_starts_the_return(
    editor_client, camden_return
):
    response = editor_client.post(group_url(camden_return), workforce_post())
    assert response.status_code == 302

    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.IN_PROGRESS
    agency = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_AGENCY"
    )
    assert agency.value == Decimal("20")
    caseload = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_CASELOAD"
    )
    assert caseload.value == Decimal("0.2")
    assert (
        ValueChange.objects.filter(return_value__return_obj=camden_return).count() == 4
    )


def test_a_hard_error_saves_nothing_and_keeps_what_was_typed(
    editor_client, camden_return
):
    data = workforce_post(
        **{"sw_agency-numerator": "200", "sw_vacancy-numerator": "ten"}
    )
    response = editor_client.post(group_url(camden_return), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_sw_agency-numerator"' in page
    assert "must be a number" in page
    assert 'value="200"' in page and 'value="ten"' in page
    assert not ReturnValue.objects.filter(return_obj=camden_return).exists()
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.NOT_STARTED


def test_a_missing_value_needs_a_reason(editor_client, camden_return):
    data = workforce_post(
        **{"sw_caseload-numerator": "", "sw_caseload-denominator": ""}
    )
    data["sw_caseload-no_value"] = "on"
    response = editor_client.post(group_url(camden_return), data)
    assert response.status_code == 200
    assert "Explain why there is no value" in response.content.decode()
    assert not ReturnValue.objects.filter(return_obj=camden_return).exists()

    data["sw_caseload-missing_reason"] = "Case management system migration"
    response = editor_client.post(group_url(camden_return), data)
    assert response.status_code == 302
    missing = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_CASELOAD"
    )
    assert missing.value is None
    assert missing.missing_reason == "Case management system migration"


def _accept_with_values(period, authority, user, analyst, share, today):
    ret = period.returns.get(authority=authority)
    entries = {
        i: CleanEntry(
            numerator=Decimal(share),
            denominator=Decimal(100),
            value=i.derive_value(Decimal(share), Decimal(100)),
        )
        for i in Indicator.objects.core()
    }
    ret.period.edits_close_on = today + datetime.timedelta(days=30)
    ret.period.save()
    services.return_save_values(ret=ret, actor=user, entries=entries)
    services.return_submit(ret=ret, actor=user)
    services.return_accept(ret=ret, actor=analyst)


def test_an_unusual_value_asks_for_confirmation_with_a_reason(
    editor_client, editor, outsider, analyst, camden, islington, camden_return
):
    previous = services.period_get_or_create(PeriodKey(2025, 1))
    today = datetime.date.today()
    _accept_with_values(previous, camden, editor, analyst, 20, today)
    _accept_with_values(previous, islington, outsider, analyst, 30, today)

    # 60% agency share is outside London's range last quarter (20% to 30%).
    data = workforce_post(**{"sw_agency-numerator": "90"})
    response = editor_client.post(group_url(camden_return), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This value looks unusual" in page
    assert "outside the London range" in page
    assert "These figures give <strong>60.0%</strong>" in page
    assert not ReturnValue.objects.filter(return_obj=camden_return).exists()

    data["sw_agency-warning_reason"] = "Two teams covered by agency staff this quarter"
    response = editor_client.post(group_url(camden_return), data)
    assert response.status_code == 302
    agency = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_AGENCY"
    )
    assert agency.value == Decimal(60)
    assert agency.warning_reason.startswith("Two teams")


def test_editor_checks_answers_and_submits(editor_client, editor, camden_return):
    fill(camden_return, editor)
    check = reverse("indicators:return-check", args=[camden_return.pk])
    page = editor_client.get(check).content.decode()
    assert "Check your answers" in page
    assert "40.0%" in page

    response = editor_client.post(check, {"note": ""})
    assert response.status_code == 302
    assert response.url == reverse(
        "indicators:return-submitted", args=[camden_return.pk]
    )
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.SUBMITTED
    confirmation = editor_client.get(response.url).content.decode()
    assert "Return submitted" in confirmation


def test_an_incomplete_return_cannot_be_submitted(editor_client, camden_return):
    editor_client.post(group_url(camden_return), workforce_post())
    check = reverse("indicators:return-check", args=[camden_return.pk])
    response = editor_client.post(check, {"note": ""})
    assert response.status_code == 200
    assert "Answer every indicator" in response.content.decode()
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.IN_PROGRESS


def test_analyst_accepts_a_submitted_return_which_locks_it(
    analyst_client, editor_client, editor, camden_return
):
    submitted(camden_return, editor)
    response = analyst_client.post(
        reverse("indicators:return-accept", args=[camden_return.pk])
    )
    assert response.status_code == 302
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.ACCEPTED

    response = editor_client.get(group_url(camden_return))
    assert response.status_code == 302
    page = editor_client.get(response.url).content.decode()
    assert "accepted and is locked" in page


def test_analyst_query_goes_back_to_the_la_who_answers_and_resubmits(
    analyst_client, editor_client, editor, camden_return
):
    submitted(camden_return, editor)
    query = reverse("indicators:return-query", args=[camden_return.pk])

    response = analyst_client.post(query, {"message": ""})
    assert response.status_code == 200
    assert "Enter your question for the LA" in response.content.decode()

    question = "Agency share doubled since last quarter: is that right?"
    assert analyst_client.post(query, {"message": question}).status_code == 302
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.QUERIED

    detail = reverse("indicators:return-detail", args=[camden_return.pk])
    assert question in editor_client.get(detail).content.decode()

    check = reverse("indicators:return-check", args=[camden_return.pk])
    response = editor_client.post(check, {"note": ""})
    assert response.status_code == 200
    assert "Answer the analyst’s question" in response.content.decode()

    response = editor_client.post(check, {"note": "Yes: two teams used agency staff."})
    assert response.status_code == 302
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.SUBMITTED
    steps = list(
        camden_return.transitions.order_by("at", "pk").values_list(
            "to_status", flat=True
        )
    )
    assert steps[-3:] == ["queried", "in_progress", "submitted"]


def test_analyst_reopens_an_accepted_return_with_a_reason(
    analyst_client, analyst, editor, camden_return
):
    submitted(camden_return, editor)
    services.return_accept(ret=camden_return, actor=analyst)
    reopen = reverse("indicators:return-reopen", args=[camden_return.pk])

    assert analyst_client.post(reopen, {"reason": ""}).status_code == 200
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.ACCEPTED

    assert analyst_client.post(reopen, {"reason": "Correction"}).status_code == 302
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.REOPENED
    last = ReturnTransition.objects.filter(return_obj=camden_return).first()
    assert (last.actor, last.reason) == (analyst, "Correction")


def test_history_shows_every_value_change_with_who_and_how(
    editor_client, analyst_client, camden_return
):
    editor_client.post(group_url(camden_return), workforce_post())
    editor_client.post(
        group_url(camden_return), workforce_post(**{"sw_agency-numerator": "45"})
    )
    history = reverse("indicators:return-history", args=[camden_return.pk])
    for client in (editor_client, analyst_client):
        page = client.get(history).content.decode()
        assert page.count("Agency social workers as a share") == 2
        assert "30.0%" in page and "20.0%" in page
        assert "Ed Itor" in page


def test_status_grid_shows_each_return_and_marks_late_ones(
    analyst_client, editor, camden_return
):
    submitted(camden_return, editor)
    period = camden_return.period
    period.due_on = datetime.date(2020, 1, 1)
    period.edits_close_on = datetime.date(2099, 1, 1)
    period.save()

    page = analyst_client.get(reverse("indicators:status-grid")).content.decode()
    assert "Camden" in page and "Islington" in page
    assert reverse("indicators:return-detail", args=[camden_return.pk]) in page
    assert "Late" in page
    assert "Overdue" in page  # every other LA has not submitted


def test_analyst_sets_the_dates_of_a_quarter(analyst_client, quarter):
    url = reverse("indicators:period-edit", args=[quarter.slug])
    data = {
        "due_on_0": "20",
        "due_on_1": "11",
        "due_on_2": "2025",
        "edits_close_on_0": "1",
        "edits_close_on_1": "11",
        "edits_close_on_2": "2025",
    }
    response = analyst_client.post(url, data)
    assert response.status_code == 200
    assert "Edits cannot close before the due date" in response.content.decode()

    data["edits_close_on_1"] = "12"
    assert analyst_client.post(url, data).status_code == 302
    quarter.refresh_from_db()
    assert quarter.due_on == datetime.date(2025, 11, 20)
    assert quarter.edits_close_on == datetime.date(2025, 12, 1)


def test_an_extension_lets_one_la_edit_after_edits_close(
    analyst_client, editor_client, camden, camden_return
):
    period = camden_return.period
    period.due_on = datetime.date(2020, 1, 1)
    period.edits_close_on = datetime.date(2020, 1, 2)
    period.save()
    assert editor_client.get(group_url(camden_return)).status_code == 302

    url = reverse("indicators:extension-grant", args=[period.slug])
    until = datetime.date.today() + datetime.timedelta(days=7)
    response = analyst_client.post(
        url,
        {
            "authority": camden.pk,
            "until_0": until.day,
            "until_1": until.month,
            "until_2": until.year,
            "reason": "System outage",
        },
    )
    assert response.status_code == 302
    assert PeriodExtension.objects.get(period=period, authority=camden).until == until
    assert editor_client.get(group_url(camden_return)).status_code == 200


def test_accepted_data_set_lists_only_accepted_returns_and_downloads_as_csv(
    dfe_client, analyst, editor, outsider, islington, quarter, camden_return
):
    submitted(camden_return, editor)
    services.return_accept(ret=camden_return, actor=analyst)
    fill(quarter.returns.get(authority=islington), outsider)

    url = reverse("indicators:dataset") + f"?period={quarter.slug}"
    page = dfe_client.get(url).content.decode()
    assert "Camden" in page and "Islington" not in page

    response = dfe_client.get(url + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("period,la_code,la_name,indicator")
    assert len(lines) == 1 + 18
    assert lines[1].startswith("2025-26 Q2,202,Camden,")


def test_dataset_csv_never_exports_free_text_as_a_formula(
    dfe_client, analyst, editor, quarter, camden_return
):
    fill(camden_return, editor)
    indicator = Indicator.objects.get(code="SW_CASELOAD")
    services.return_save_values(
        ret=camden_return,
        actor=editor,
        entries={indicator: CleanEntry(missing_reason='=HYPERLINK("http://x")')},
    )
    services.return_submit(ret=camden_return, actor=editor)
    services.return_accept(ret=camden_return, actor=analyst)

    url = reverse("indicators:dataset") + f"?period={quarter.slug}&format=csv"
    body = dfe_client.get(url).content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body


def test_the_analysts_question_stays_until_the_la_resubmits(
    analyst, editor_client, editor, camden_return
):
    submitted(camden_return, editor)
    services.return_query(ret=camden_return, actor=analyst, message="Why so high?")
    editor_client.post(
        group_url(camden_return), workforce_post(**{"sw_agency-numerator": "33"})
    )
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.IN_PROGRESS

    detail = reverse("indicators:return-detail", args=[camden_return.pk])
    assert "Why so high?" in editor_client.get(detail).content.decode()
    check = reverse("indicators:return-check", args=[camden_return.pk])
    response = editor_client.post(check, {"note": ""})
    assert "Answer the analyst’s question" in response.content.decode()
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.IN_PROGRESS

    editor_client.post(check, {"note": "A new team started."})
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.SUBMITTED
    assert "The analyst’s question" not in editor_client.get(detail).content.decode()


def test_a_save_over_a_colleagues_newer_figures_is_refused_and_keeps_the_typing(
    editor_client, approver_client, camden_return
):
    page = editor_client.get(group_url(camden_return)).content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]

    approver_client.post(group_url(camden_return), workforce_post())
    mine = workforce_post(**{"sw_agency-numerator": "45", "version": version})
    response = editor_client.post(group_url(camden_return), mine)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved figures for these indicators" in page
    assert 'value="45"' in page
    agency = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_AGENCY"
    )
    assert agency.numerator == 30

    fresh = page.split('name="version" value="')[1].split('"')[0]
    mine["version"] = fresh
    assert editor_client.post(group_url(camden_return), mine).status_code == 302
    agency.refresh_from_db()
    assert agency.numerator == 45


def test_a_return_locked_while_the_page_was_open_keeps_what_was_typed(
    analyst, editor, editor_client, camden_return
):
    submitted(camden_return, editor)
    response = editor_client.post(
        group_url(camden_return), workforce_post(**{"sw_agency-numerator": "41"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This return has been submitted" in page
    assert 'value="41"' in page


def test_a_return_cannot_be_edited_before_its_quarter_ends(editor, camden):
    future = services.period_get_or_create(PeriodKey(2099, 1))
    ret = future.returns.get(authority=camden)
    assert services.return_edit_problem(ret, editor).startswith(
        "This return opens on 1 July 2099"
    )


def test_lateness_is_judged_by_the_first_submission(analyst, editor, camden_return):
    submitted(camden_return, editor)
    services.return_query(ret=camden_return, actor=analyst, message="Check")
    services.return_submit(ret=camden_return, actor=editor, note="Checked")
    camden_return.refresh_from_db()
    assert camden_return.first_submitted_at < camden_return.submitted_at

    period = camden_return.period
    period.due_on = timezone.localdate(camden_return.first_submitted_at)
    period.save()
    camden_return = type(camden_return).objects.get(pk=camden_return.pk)
    assert not camden_return.was_late
    assert not camden_return.is_overdue(period.due_on + datetime.timedelta(days=9))


def test_a_return_never_submitted_is_overdue_after_its_due_date(camden_return):
    due = camden_return.due_on
    assert not camden_return.is_overdue(due)
    assert camden_return.is_overdue(due + datetime.timedelta(days=1))


def test_date_changes_and_extensions_are_kept_with_who_and_what(
    analyst, analyst_client, camden, quarter
):
    due = quarter.due_on
    services.period_set_dates(
        period=quarter,
        due_on=due + datetime.timedelta(days=1),
        edits_close_on=quarter.edits_close_on,
        actor=analyst,
    )
    until = due + datetime.timedelta(days=5)
    services.extension_grant(
        period=quarter, authority=camden, until=until, reason="Outage", actor=analyst
    )
    services.extension_grant(
        period=quarter,
        authority=camden,
        until=until + datetime.timedelta(days=2),
        reason="Longer outage",
        actor=analyst,
    )

    changes = list(quarter.changes.order_by("at", "pk"))
    assert [c.actor for c in changes] == [analyst] * 3
    assert changes[0].description.startswith(f"Dates changed from due {due:%-d %B %Y}")
    assert f"replacing one until {until:%-d %B %Y}" in changes[2].description
    page = analyst_client.get(reverse("indicators:period-list")).content.decode()
    assert "Longer outage" in page and "Ana Lyst" in page
