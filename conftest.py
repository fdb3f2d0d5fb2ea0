"""Fixtures shared by every app's tests: one signed-in client per persona.

The personas are those of DESIGN.md section 2, all around Camden (202):
its editor, approver and viewer; Islington's editor as the outsider; and the
RIA team and DfE, who belong to no LA.
"""

import functools
import os

import pytest
import redis
from django.conf import settings
from django.test import Client

from authorities.models import LocalAuthority, Role, User
from ria_portal.env import env_bool

PASSWORD = "a-long-test-password"  # noqa: S105 (test accounts only)


def make_user(email, role, authority=None, **extra):
    return User.objects.create_user(
        email=email, password=PASSWORD, role=role, authority=authority, **extra
    )


@pytest.fixture
def camden(db):
    return LocalAuthority.objects.get(dfe_code="202")


@pytest.fixture
def islington(db):
    return LocalAuthority.objects.get(dfe_code="206")


@pytest.fixture
def editor(camden):
    return make_user("editor@camden.test", Role.LA_EDITOR, camden, full_name="Ed Itor")


@pytest.fixture
def approver(camden):
    return make_user("approver@camden.test", Role.LA_APPROVER, camden)


@pytest.fixture
def viewer(camden):
    return make_user("viewer@camden.test", Role.LA_VIEWER, camden)


@pytest.fixture
def outsider(islington):
    return make_user("editor@islington.test", Role.LA_EDITOR, islington)


@pytest.fixture
def analyst(db):
    return make_user("analyst@ria.test", Role.ANALYST, full_name="Ana Lyst")


@pytest.fixture
def manager(db):
    return make_user("manager@ria.test", Role.PROGRAMME_MANAGER)


@pytest.fixture
def dfe(db):
    return make_user("reader@dfe.test", Role.DFE_VIEWER)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def approver_client(approver):
    return _client_for(approver)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def analyst_client(analyst):
    return _client_for(analyst)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def dfe_client(dfe):
    return _client_for(dfe)


@pytest.fixture
def quarter(db):
    """An open quarter, 2025-26 Q2, with a "not started" return for every LA.

    Its dates are moved to run from today, so that it stays open whenever the
    tests run.
    """
    import datetime

    from django.utils import timezone

    from indicators.periods import PeriodKey
    from indicators.services import period_get_or_create

    period = period_get_or_create(PeriodKey(2025, 2))
    today = timezone.localdate()
    period.due_on = today + datetime.timedelta(days=14)
    period.edits_close_on = today + datetime.timedelta(days=42)
    period.save()
    return period


@pytest.fixture
def camden_return(quarter, camden):
    return quarter.returns.get(authority=camden)


# Tests that need Chromium or a real service
# ------------------------------------------
# On a laptop, a test marked `browser` or `service` is skipped when what it needs
# is missing, so that `make test` works with nothing but Python installed. CI
# sets REQUIRE_BROWSER=1 and REQUIRE_SERVICES=1 (see .ci/run) and there the same
# absence fails the test: a run that quietly skipped its browser tests has not
# tested the browser.
#
# `@pytest.mark.service` alone means Redis; `@pytest.mark.service("postgresql")`
# means the database named by DATABASE_URL must be PostgreSQL.

DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str:
    """Debian's Chromium, or CHROMIUM_PATH where it lives elsewhere."""
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def _chromium_missing() -> str | None:
    path = chromium_path()
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    return f"Chromium is not installed at {path} (CHROMIUM_PATH can name another)."


# Asked once per run: a test session should not wait on a dead Redis every time.
@functools.cache
def _redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set."

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        return f"Redis at {url} did not answer: {error}"
    finally:
        client.close()
    return None


def _postgresql_missing() -> str | None:
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return None
    return "DATABASE_URL does not name a PostgreSQL database."


_SERVICE_CHECKS = {"redis": _redis_missing, "postgresql": _postgresql_missing}


def _missing_for(item) -> list[tuple[str, str]]:
    """What the test needs and lacks, as (REQUIRE_ variable, reason) pairs."""
    missing = []
    if item.get_closest_marker("browser"):
        reason = _chromium_missing()
        if reason:
            missing.append(("REQUIRE_BROWSER", reason))

    for marker in item.iter_markers("service"):
        for service in marker.args or ("redis",):
            if service not in _SERVICE_CHECKS:
                raise pytest.UsageError(f"{item.nodeid}: unknown service {service!r}")
            reason = _SERVICE_CHECKS[service]()
            if reason:
                missing.append(("REQUIRE_SERVICES", reason))
    return missing


# First, so that the verdict comes before any fixture (the database, a browser)
# is set up for nothing.
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for variable, reason in _missing_for(item):
        if env_bool(variable):
            pytest.fail(
                f"{reason} {variable}=1 says this test must run.", pytrace=False
            )
        pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable():
    """The Chromium to hand Playwright as `executable_path`."""
    return chromium_path()
