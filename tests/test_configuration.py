"""Settings read the environment through one typed layer that fails loudly."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from ria_portal.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
)
from ria_portal.proxy import client_ip


@pytest.mark.parametrize("raw", ["1", "true", "True", " yes ", "ON"])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=True) is False


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "tru"])
def test_env_bool_refuses_a_value_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    with pytest.raises(ConfigurationError, match="FLAG"):
        env_bool("FLAG")


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("LIMIT", " 12 ")
    assert env_int("LIMIT", 5) == 12


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_env_int_falls_back_to_the_default_when_unset_or_blank(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("LIMIT", raising=False)
    else:
        monkeypatch.setenv("LIMIT", raw)
    assert env_int("LIMIT", 5) == 5


@pytest.mark.parametrize("raw", ["five", "1.5", "10MB"])
def test_env_int_refuses_a_value_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("LIMIT", raw)
    with pytest.raises(ConfigurationError, match="LIMIT"):
        env_int("LIMIT", 5)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env_list("HOSTS", ["default"]) == ["a.example", "b.example"]


def test_env_list_returns_a_copy_of_the_default(monkeypatch):
    monkeypatch.delenv("HOSTS", raising=False)
    default = ["localhost"]

    hosts = env_list("HOSTS", default)
    hosts.append("changed")

    assert default == ["localhost"]


def _import_settings(print_expr: str = "'ok'", **environ: str):
    """Import the real settings in a fresh interpreter with only `environ` set.

    A subprocess, because settings are read once per process and this one's are
    the test settings.
    """
    env = {"PATH": os.environ.get("PATH", ""), **environ}
    code = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'ria_portal.settings'\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from ria_portal.celery import app\n"
        f"print({print_expr})\n"
    )
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("debug", [{}, {"DEBUG": "false"}])
def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(debug):
    result = _import_settings(**debug)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_start_without_secret_key_when_debug_is_on():
    result = _import_settings("settings.DEBUG", DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("name", "raw"), [("DEBUG", "perhaps"), ("AXES_FAILURE_LIMIT", "five")]
)
def test_settings_refuse_a_value_they_cannot_read(name, raw):
    result = _import_settings(**{"SECRET_KEY": "x", name: raw})

    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr
    assert name in result.stderr


def test_tasks_go_to_redis_when_redis_url_is_set():
    result = _import_settings(
        "app.conf.broker_url, app.conf.task_always_eager",
        DEBUG="true",
        REDIS_URL="redis://redis.invalid:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "redis://redis.invalid:6379/0 False"


def test_tasks_run_in_process_without_redis_url():
    result = _import_settings(
        "app.conf.broker_url, app.conf.task_always_eager", DEBUG="true"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "memory:// True"


def test_env_int_refuses_a_number_below_its_minimum(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "-1")
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXY_COUNT"):
        env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)


def test_env_choice_matches_without_case_and_refuses_other_values(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "info")
    assert env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO"]) == "INFO"
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ConfigurationError, match="LOG_LEVEL"):
        env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO"])


def test_env_database_names_the_variable_when_the_url_is_unreadable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url at all")
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x.sqlite3")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        # A client can prepend anything; only the proxy's own entry counts.
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxies_only(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
