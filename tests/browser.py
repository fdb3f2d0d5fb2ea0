"""Chromium, through Playwright, and axe-core for the tests marked `browser`.

A test module uses these with `pytest_plugins = ["tests.browser"]` and marks
its tests with `BROWSER_TEST`. Each test gets a fresh browser context (no
cookies) on one Chromium that lasts the whole run, and a live server with a
real, committed database behind it.

axe-core checks the rendered page, after our CSS and the GOV.UK Frontend
JavaScript have run, against the WCAG 2.2 AA rules it can test automatically
(DESIGN.md section 9). A machine can only find some of what stops people;
the keyboard checks in the journey test add a little, and a person with a
screen reader would find more.

The test modules import this module before pytest registers it as a plugin,
too late for pytest to rewrite its asserts, so it has none (it fails tests
with `pytest.fail`) and says so: PYTEST_DONT_REWRITE.
"""

import datetime
import functools
import json
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from authorities.models import LocalAuthority, User
from indicators import services
from indicators.models import Indicator, Period
from indicators.validation import CleanEntry

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# CI runs as root in a container, where Chromium's sandbox cannot start; the
# rest keep Chromium from calling home or doing work no test looks at.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a slow CI machine; short enough that a missing element fails
# the test quickly.
TIMEOUT_MS = 10_000

# Serialised rollback puts back the LAs and indicators that the migrations
# seed, which a transactional test's flush would otherwise leave empty for
# every test after it.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def chromium(chromium_executable, django_db_setup):
    """One headless Chromium for the whole run.

    It starts after the test database exists, so that the connections made
    for it can be handed on (see below).
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running on this thread, and
    # Django refuses ORM calls from a thread with a running loop. Nothing here
    # is async: the test code and the live server only take turns.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    # With a loop running, Django keeps its connections apart from the
    # thread's own, and would open new ones: ones without the copy of the
    # seeded data that serialised rollback restores from, and, on PostgreSQL,
    # still open when the test database is dropped. Keep using the same ones.
    existing = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in existing.items():
        connections[alias] = connection

    browser = playwright.chromium.launch(
        executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
    )
    yield browser

    browser.close()
    playwright.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    """A page in a new browser context, with relative URLs on the live server."""
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


# Signing in
# ----------


def sign_in(page, user: User, password: str) -> None:
    """Sign in through the form, as a person would, from wherever the page is."""
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def use_session_of(page, user: User, server_url: str) -> None:
    """Swap the browser's session for a new one of `user`, without the form.

    For tests about pages rather than signing in: it costs no page load, and
    sign-in attempts do not build up towards Axes' lockout. `server_url` is
    the live server's.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": server_url,
            }
        ]
    )


# axe-core
# --------


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        raise RuntimeError(
            f"{AXE_SCRIPT} is missing: run `make setup` (npm ci) to install axe-core."
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """What axe-core finds wrong with the page as it is now, WCAG 2.2 AA only."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    options["resultTypes"] = ["violations"]
    results = page.evaluate("options => window.axe.run(document, options)", options)
    return results["violations"]


def describe_violations(where: str, violations: list[dict]) -> str:
    """One paragraph per rule broken: its id, impact, help and every element."""
    lines = [f"{where}: {len(violations)} accessibility rule(s) broken"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(json.dumps(part) for part in node["target"])
            lines.append(f"      at {target}")
            summary = node.get("failureSummary") or ""
            for detail in summary.splitlines():
                lines.append(f"        {detail.strip()}")
    return "\n".join(lines)


def _where(page, label: str | None) -> str:
    url = urlsplit(page.url)
    path = f"{url.path}?{url.query}" if url.query else url.path
    return f"{label} ({path})" if label else path


def axe_check(page, label: str | None = None) -> None:
    """Fail the test now if axe-core finds anything wrong with the page."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(describe_violations(_where(page, label), violations), pytrace=False)


class AxeAudit:
    """axe-core on every page a test visits, failing once at the end with all
    the pages that broke a rule, so that one bad page does not hide the next.
    """

    def __init__(self, page):
        self.page = page
        self.checked: list[str] = []
        self.failures: list[str] = []

    def check(self, label: str) -> None:
        where = _where(self.page, label)
        self.checked.append(where)
        violations = axe_violations(self.page)
        if violations:
            self.failures.append(describe_violations(where, violations))

    def visit(self, path: str, label: str, *, status: int = 200) -> None:
        response = self.page.goto(path)
        answered = response.status if response else None
        if answered != status:
            pytest.fail(f"{label}: GET {path} answered {answered}, not {status}")
        self.check(label)

    def assert_clean(self) -> None:
        if self.failures:
            heading = (
                f"{len(self.failures)} of the {len(self.checked)} pages checked "
                "broke WCAG 2.2 AA rules"
            )
            pytest.fail("\n\n".join([heading, *self.failures]), pytrace=False)


# Data
# ----


def accept_return_with_values(
    period: Period, authority: LocalAuthority, editor: User, analyst: User, share
) -> None:
    """Give `authority` an accepted return for `period`: `share` of 100 for
    every core indicator: a percentage of `share`, a rate of 100 × `share`, a
    ratio of `share` / 100.

    The period's edits are kept open until the return is in, whatever the
    calendar says.
    """
    period.edits_close_on = datetime.date.today() + datetime.timedelta(days=30)
    period.save()
    ret = period.returns.get(authority=authority)
    numerator, denominator = Decimal(share), Decimal(100)
    entries = {
        indicator: CleanEntry(
            numerator=numerator,
            denominator=denominator,
            value=indicator.derive_value(numerator, denominator),
        )
        for indicator in Indicator.objects.core()
    }
    services.return_save_values(ret=ret, actor=editor, entries=entries)
    services.return_submit(ret=ret, actor=editor)
    services.return_accept(ret=ret, actor=analyst)
