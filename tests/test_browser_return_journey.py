"""The quarterly return from first sign-in to acceptance, in Chromium.

Camden's editor fills in and submits the return, meeting a hard error and a
soft warning on the way; the analyst sends it back with a question; the editor
answers and resubmits; the analyst accepts. axe-core checks every page on the
way, and the editor uses the keyboard where a keyboard user would.
"""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from indicators import services
from indicators.models import ReturnStatus
from indicators.periods import PeriodKey
from tests.browser import (
    BROWSER_TEST,
    accept_return_with_values,
    axe_check,
    sign_in,
    sign_out,
)

pytest_plugins = ["tests.browser"]
pytestmark = BROWSER_TEST

WORKFORCE = ["sw_turnover", "sw_agency", "sw_vacancy", "sw_caseload"]
CHILDREN_IN_NEED = [
    "ref_rate",
    "reref_12m",
    "assess_45d",
    "cin_rate",
    "s47_rate",
    "cpp_rate",
    "cpp_repeat",
    "cpp_2yrs",
]
LOOKED_AFTER = ["cla_rate", "stab_short", "stab_long", "cl_eet", "cl_accom"]

QUESTION = "Agency staff doubled since last quarter: is 60% right?"
WARNING_REASON = "Two teams were covered by agency social workers this quarter"
MISSING_REASON = "The SEN2 extract was not ready by the deadline"
ANSWER = "Yes: two teams were covered by agency staff while we recruited"


@pytest.fixture
def london_range(quarter, camden, islington, editor, outsider, analyst):
    """An accepted 2025-26 Q1 for Camden (20 of 100 throughout) and Islington
    (30 of 100): London's range for each indicator then runs from 20 of 100 to
    30 of 100, 20% to 30% for a percentage.

    25 of 100 is inside every range; 60 of 100 is outside.
    """
    previous = services.period_get_or_create(PeriodKey(2025, 1))
    accept_return_with_values(previous, camden, editor, analyst, 20)
    accept_return_with_values(previous, islington, outsider, analyst, 30)


def fill_numbers(page, codes, numerator="25", denominator="100"):
    for code in codes:
        page.locator(f"#id_{code}-numerator").fill(numerator)
        page.locator(f"#id_{code}-denominator").fill(denominator)


def save_group(page):
    page.get_by_role("button", name="Save and return to the task list").click()


def arrived(page, heading, where):
    """Wait for the page with this main heading, then check it with axe."""
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    axe_check(page, where)


def expect_saved(page):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "your answers have been saved"
    )
    axe_check(page, "task list after saving")


def editor_fills_in_and_submits(page, editor):
    # The skip link is the first thing a keyboard user reaches, and it takes
    # focus past the header.
    page.goto("/sign-in/")
    arrived(page, "Sign in", "sign in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # Signing in with Enter rather than the button.
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password", exact=True).press("Enter")
    arrived(page, "Quarterly returns", "LA home")

    page.get_by_role("link", name="2025-26 Q2 return").click()
    arrived(page, "2025-26 Q2 quarterly return", "task list")

    page.get_by_role("link", name=re.compile("workforce census")).click()
    arrived(page, re.compile("workforce census"), "workforce group")

    # A hard error: more agency workers than workers.
    fill_numbers(page, WORKFORCE)
    fill_numbers(page, ["sw_agency"], numerator="200")
    save_group(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("error", re.IGNORECASE))
    axe_check(page, "workforce group with a hard error")

    summary.get_by_role("link", name=re.compile("cannot be more than")).click()
    agency_numerator = page.locator("#id_sw_agency-numerator")
    expect(agency_numerator).to_be_focused()
    expect(agency_numerator).to_have_value("200")
    expect(page.locator("#id_sw_turnover-numerator")).to_have_value("25")

    # A soft warning: 60% is valid, but far above London's 20% to 30%.
    agency_numerator.fill("60")
    save_group(page)
    expect(page.get_by_text("This value looks unusual")).to_be_visible()
    expect(page.get_by_text(re.compile("outside the London range"))).to_be_visible()
    expect(agency_numerator).to_have_value("60")
    axe_check(page, "workforce group with a soft warning")

    page.locator("#id_sw_agency-warning_reason").fill(WARNING_REASON)
    save_group(page)
    expect_saved(page)

    page.get_by_role("link", name="Children in need census").click()
    arrived(page, "Children in need census", "children in need group")
    fill_numbers(page, CHILDREN_IN_NEED)
    save_group(page)
    expect_saved(page)

    # Saving with Enter from the last field, as a keyboard user would.
    page.get_by_role("link", name=re.compile("SSDA903")).click()
    arrived(page, re.compile("SSDA903"), "looked-after group")
    fill_numbers(page, LOOKED_AFTER)
    page.locator("#id_cl_accom-denominator").press("Enter")
    expect_saved(page)

    # No value this quarter: the reason appears once the box is ticked.
    page.get_by_role("link", name=re.compile("SEN2")).click()
    arrived(page, re.compile("SEN2"), "SEN2 group")
    no_value = page.get_by_label("There is no value this quarter")
    reason = page.locator("#id_ehcp_20wk-missing_reason")
    expect(reason).to_be_hidden()
    no_value.check()
    expect(no_value).to_have_attribute("aria-expanded", "true")
    expect(reason).to_be_visible()
    axe_check(page, "SEN2 group with the reason revealed")
    reason.fill(MISSING_REASON)
    save_group(page)
    expect_saved(page)

    page.get_by_role("link", name="Check and submit").click()
    arrived(page, "Check your answers before submitting the return", "check")
    expect(page.get_by_text("60.0%")).to_be_visible()
    expect(
        page.get_by_text(f"Unusual value confirmed: {WARNING_REASON}")
    ).to_be_visible()
    expect(page.get_by_text(f"No value: {MISSING_REASON}")).to_be_visible()

    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(
        "Return submitted"
    )
    axe_check(page, "confirmation")

    sign_out(page)
    axe_check(page, "sign in after signing out")


def grid_link(page, status):
    """Camden's 2025-26 Q2 cell in the status grid. Chromium puts a space
    before the visually hidden part of the link's name ("Submitted : Camden").
    """
    name = re.compile(rf"^{status}\s*: Camden 2025-26 Q2$")
    return page.get_by_role("link", name=name)


def analyst_opens_camdens_return(page, analyst):
    sign_in(page, analyst, PASSWORD)
    arrived(page, "Return status", "status grid")
    grid_link(page, "Submitted").click()
    arrived(page, "2025-26 Q2 quarterly return", "return for the analyst")


def test_a_return_goes_from_first_entry_to_accepted_after_a_question(
    page, editor, analyst, camden_return, london_range
):
    editor_fills_in_and_submits(page, editor)

    # The analyst sends it back with a question.
    analyst_opens_camdens_return(page, analyst)
    page.get_by_role("link", name="Send it back with a question").click()
    arrived(page, "Send the return back with a question", "query")
    page.get_by_label("Your question for the LA").fill(QUESTION)
    page.get_by_role("button", name="Send back to Camden").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your question has been sent to Camden"
    )
    axe_check(page, "return after the question")
    sign_out(page)

    # The editor reads the question, answers it and resubmits.
    sign_in(page, editor, PASSWORD)
    arrived(page, "Quarterly returns", "LA home with a question")
    expect(
        page.get_by_text("Answer the analyst’s question and resubmit")
    ).to_be_visible()
    page.get_by_role("link", name="2025-26 Q2 return").click()
    arrived(page, "2025-26 Q2 quarterly return", "task list with a question")
    expect(page.locator(".govuk-inset-text")).to_contain_text(QUESTION)

    page.get_by_role("link", name="Check and submit").click()
    arrived(page, "Check your answers before submitting the return", "check, answer")
    expect(page.locator(".govuk-inset-text")).to_contain_text(QUESTION)
    page.get_by_label("Your answer to the analyst’s question").fill(ANSWER)
    page.get_by_role("button", name="Resubmit the return").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(
        "Return submitted"
    )
    axe_check(page, "confirmation after resubmitting")
    sign_out(page)

    # The analyst accepts it, and the grid says so.
    analyst_opens_camdens_return(page, analyst)
    history = page.get_by_role("table", name=re.compile("change of this return"))
    expect(history.get_by_role("row").nth(1)).to_contain_text(ANSWER)
    page.get_by_role("button", name="Accept and lock this return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Camden’s return has been accepted"
    )
    axe_check(page, "accepted return")

    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Return status").click()
    arrived(page, "Return status", "status grid after accepting")
    expect(grid_link(page, "Accepted")).to_be_visible()

    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.ACCEPTED
    assert list(
        camden_return.transitions.order_by("at", "pk").values_list(
            "to_status", flat=True
        )
    ) == [
        ReturnStatus.IN_PROGRESS,
        ReturnStatus.SUBMITTED,
        ReturnStatus.QUERIED,
        ReturnStatus.IN_PROGRESS,
        ReturnStatus.SUBMITTED,
        ReturnStatus.ACCEPTED,
    ]
