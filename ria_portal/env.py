"""Typed access to the environment, for settings.

Every setting that comes from the environment is read through one of these
functions. A value that cannot be read as the type asked for stops start-up with
a message naming the variable, rather than letting a typo become a silent
default.
"""

import os
from collections.abc import Sequence
from typing import Any

import dj_database_url


class ConfigurationError(Exception):
    """An environment variable holds a value the portal cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable as it is, or `default` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no value: true/false, yes/no, on/off or 1/0; empty means false."""
    raw = os.environ.get(name)
    if raw is None:
        return default

    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """A whole number, or `default` when unset or blank.

    With `minimum`, a smaller number is refused too: a negative port or
    lifetime is as much a mistake as a word.
    """
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default

    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(
            f"{name} must be a whole number, not {raw!r}."
        ) from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be {minimum} or more, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    """One of `choices`, matched without regard to case, or `default` when
    unset or blank. The choice is returned as `choices` spells it."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default

    by_folded = {choice.casefold(): choice for choice in choices}
    try:
        return by_folded[raw.strip().casefold()]
    except KeyError:
        allowed = ", ".join(choices)
        raise ConfigurationError(
            f"{name} must be one of {allowed}, not {raw!r}."
        ) from None


def env_database(name: str, default: str, **options: Any) -> dict[str, Any]:
    """Django's settings for the database a URL names, such as
    `postgres://user:password@host:5432/name`; `options` go to
    `dj_database_url.parse`."""
    url = env_str(name, default)
    try:
        return dj_database_url.parse(url, **options)
    except ValueError as error:
        # The library's message lists the schemes it knows but never says
        # which variable held the URL.
        raise ConfigurationError(f"{name} is not a database URL: {error}") from None
