"""The portal against the real PostgreSQL and Redis that CI provides.

Every test here is marked `service`: the root conftest skips it when the service
is missing and fails it instead when REQUIRE_SERVICES=1.
"""

# Registers `celery.ping`, which start_worker sends to see that the worker is up.
import celery.contrib.testing.tasks  # noqa: F401
import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from authorities.models import LocalAuthority

# Long enough for a slow CI machine, short enough that a broken broker fails the
# run in seconds rather than hanging it.
TIMEOUT = 10


@pytest.mark.service("postgresql")
def test_database_is_postgresql_and_answers_queries(db):
    assert connection.vendor == "postgresql"

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::integer")
        (version,) = cursor.fetchone()
    assert version >= 150000

    # The data migrations ran on PostgreSQL too.
    assert LocalAuthority.objects.count() == 33


def _multiply(a: int, b: int) -> int:
    return a * b


@pytest.fixture
def redis_celery_app():
    """A Celery app with the portal's settings, wired to the real Redis.

    A separate app rather than `ria_portal.celery.app`, whose configuration the
    test settings pin to eager, in-process tasks for every other test. Django's
    fixup is left out: the task here needs no database, and the fixup would
    close the test's database connections from the worker.
    """
    app = Celery("ria_portal_service_tests", set_as_current=False, fixups=[])
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=settings.REDIS_URL,
        result_backend=settings.REDIS_URL,
        task_always_eager=False,
        # A queue of our own, so that a developer's `make worker` on the same
        # Redis does not take the test's messages.
        task_default_queue="ria-portal-service-tests",
        broker_connection_timeout=TIMEOUT,
        broker_connection_max_retries=3,
        result_expires=60,
        worker_hijack_root_logger=False,
    )
    app.task(name="tests.multiply")(_multiply)
    yield app
    app.close()


@pytest.mark.service
def test_celery_worker_runs_a_task_sent_through_redis(redis_celery_app):
    multiply = redis_celery_app.tasks["tests.multiply"]

    with start_worker(
        redis_celery_app,
        pool="solo",
        ping_task_timeout=TIMEOUT,
        shutdown_timeout=TIMEOUT,
    ):
        result = multiply.delay(6, 7)
        assert result.get(timeout=TIMEOUT) == 42

    assert result.successful()
