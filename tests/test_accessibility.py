"""axe-core on every page of the portal, as the people who use each one see it.

One test per persona (signed out, Camden’s editor, the RIA team with DfE), so
that each signs in once; each test visits its persona’s pages, in every state
worth seeing (with data, empty, showing errors), and fails at the end listing
every page that broke a rule. Pages with errors are reached by submitting the
form in the browser, so that the GOV.UK Frontend JavaScript has run on them.

The journey in test_browser_return_journey.py checks the pages it passes
through as well.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from indicators import services
from indicators.models import Indicator, Period
from indicators.periods import PeriodKey
from indicators.validation import CleanEntry
from tests.browser import (
    BROWSER_TEST,
    AxeAudit,
    accept_return_with_values,
    use_session_of,
)

pytest_plugins = ["tests.browser"]
pytestmark = BROWSER_TEST


@pytest.fixture
def audit(page):
    return AxeAudit(page)


@pytest.fixture
def previous_quarter(quarter, camden, islington, editor, outsider, analyst):
    """2025-26 Q1, accepted for Camden and Islington: London's range for the
    soft warnings, rows for the accepted data set, a return to reopen."""
    previous = services.period_get_or_create(PeriodKey(2025, 1))
    accept_return_with_values(previous, camden, editor, analyst, 20)
    accept_return_with_values(previous, islington, outsider, analyst, 30)
    return previous


def entries_for(indicators, share=25, **by_code):
    """`share` of 100 for each indicator; `by_code` replaces single entries."""
    entries = {}
    for indicator in indicators:
        numerator, denominator = Decimal(share), Decimal(100)
        entries[indicator] = by_code.get(indicator.code) or CleanEntry(
            numerator=numerator,
            denominator=denominator,
            value=indicator.derive_value(numerator, denominator),
        )
    return entries


def open_period(key: PeriodKey) -> Period:
    period = services.period_get_or_create(key)
    period.edits_close_on = datetime.date.today() + datetime.timedelta(days=30)
    period.save()
    return period


def test_pages_for_people_signed_out_meet_wcag_22_aa(page, audit, editor):
    audit.visit("/sign-in/", "sign in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("sign in with errors")

    audit.visit("/password-reset/", "reset password")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("reset password with errors")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(re.compile("/password-reset/sent/$"))
    audit.check("reset link sent")

    audit.visit("/password-reset/MQ/not-a-token/", "expired reset link")

    uid = urlsafe_base64_encode(force_bytes(editor.pk))
    token = default_token_generator.make_token(editor)
    audit.visit(f"/password-reset/{uid}/{token}/", "choose a new password")
    page.get_by_label("New password", exact=True).fill("a-new-long-password")
    page.get_by_label("Type the new password again").fill("something else")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("choose a new password with errors")
    page.get_by_label("New password", exact=True).fill("a-new-long-password")
    page.get_by_label("Type the new password again").fill("a-new-long-password")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(re.compile("/password-reset/complete/$"))
    audit.check("password changed")

    audit.visit("/no-such-page/", "page not found", status=404)
    audit.assert_clean()


def test_pages_for_an_la_editor_meet_wcag_22_aa(
    page,
    audit,
    live_server,
    editor,
    analyst,
    islington,
    camden_return,
    previous_quarter,
):
    # Workforce answered, with one unusual value confirmed and one missing.
    workforce = Indicator.objects.core().filter(source="csww")
    services.return_save_values(
        ret=camden_return,
        actor=editor,
        entries=entries_for(
            workforce,
            SW_AGENCY=CleanEntry(
                numerator=Decimal(60),
                denominator=Decimal(100),
                value=Decimal(60),
                warning_reason="Agency cover for two teams",
            ),
            SW_CASELOAD=CleanEntry(missing_reason="Not collected this quarter"),
        ),
    )
    # A later quarter, sent back with a question.
    queried = open_period(PeriodKey(2025, 3)).returns.get(authority=editor.authority)
    services.return_save_values(
        ret=queried, actor=editor, entries=entries_for(Indicator.objects.core())
    )
    services.return_submit(ret=queried, actor=editor)
    services.return_query(ret=queried, actor=analyst, message="Is CLA_RATE right?")
    other_la = previous_quarter.returns.get(authority=islington)

    use_session_of(page, editor, live_server.url)
    pk = camden_return.pk
    audit.visit("/returns/", "LA home")
    audit.visit(f"/returns/{pk}/", "task list")
    for source in ["ssda903", "sen2"]:
        audit.visit(f"/returns/{pk}/groups/{source}/", f"{source} group")

    # Hard errors on the workforce page.
    audit.visit(f"/returns/{pk}/groups/csww/", "csww group")
    page.locator("#id_sw_turnover-numerator").fill("ten")
    page.locator("#id_sw_vacancy-numerator").fill("200")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("workforce group with hard errors")

    # A soft warning on the children in need page.
    audit.visit(f"/returns/{pk}/groups/cin/", "cin group")
    page.locator("#id_reref_12m-numerator").fill("90")
    page.locator("#id_reref_12m-denominator").fill("100")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.get_by_text("This value looks unusual")).to_be_visible()
    audit.check("cin group with a soft warning")

    audit.visit(f"/returns/{pk}/check/", "check, not complete")
    audit.visit(f"/returns/{pk}/history/", "history")

    audit.visit(f"/returns/{pk}/upload/", "upload")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("upload with no file")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "return.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": b"This is not a spreadsheet.",
            }
        ]
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("table", name="Problems to fix")).to_be_visible()
    audit.check("upload with problems in the file")

    audit.visit(f"/returns/{queried.pk}/", "task list with a question")
    audit.visit(f"/returns/{queried.pk}/check/", "check, answering a question")
    page.get_by_role("button", name="Resubmit the return").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("check, answer missing")

    audit.visit(f"/returns/{other_la.pk}/", "another LA's return", status=404)
    audit.assert_clean()


def test_pages_for_the_ria_team_and_dfe_meet_wcag_22_aa(
    page,
    audit,
    live_server,
    editor,
    analyst,
    dfe,
    quarter,
    camden_return,
    previous_quarter,
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=entries_for(Indicator.objects.core())
    )
    services.return_submit(ret=camden_return, actor=editor, note="All checked")
    accepted = previous_quarter.returns.get(authority=editor.authority)
    pk = camden_return.pk

    use_session_of(page, analyst, live_server.url)
    audit.visit("/status/", "status grid")
    audit.visit(f"/returns/{pk}/", "submitted return")
    audit.visit(f"/returns/{pk}/submitted/", "confirmation")
    audit.visit(f"/returns/{pk}/history/", "history")

    audit.visit(f"/returns/{pk}/query/", "query")
    page.get_by_role("button", name="Send back to Camden").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("query with no question")

    audit.visit(f"/returns/{accepted.pk}/", "accepted return")
    audit.visit(f"/returns/{accepted.pk}/reopen/", "reopen")
    page.get_by_role("button", name="Reopen the return").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("reopen with no reason")
    audit.visit(f"/returns/{pk}/reopen/", "reopen, not accepted")

    audit.visit("/periods/", "periods")
    audit.visit(f"/periods/{quarter.slug}/dates/", "period dates")
    page.get_by_role("group", name="Due date").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Due date").get_by_label("Month").fill("2")
    page.get_by_role("button", name="Save the dates").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("period dates with errors")

    audit.visit(f"/periods/{quarter.slug}/extensions/new/", "extension")
    page.get_by_role("button", name="Grant the extension").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("extension with errors")

    audit.visit("/accepted-data/", "accepted data, none yet")
    audit.visit(f"/accepted-data/?period={previous_quarter.slug}", "accepted data")
    audit.visit(f"/returns/{pk}/groups/cin/", "editing as the analyst", status=403)

    use_session_of(page, dfe, live_server.url)
    audit.visit(f"/accepted-data/?period={previous_quarter.slug}", "accepted data, DfE")
    audit.assert_clean()
