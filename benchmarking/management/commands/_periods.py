"""Shared by the benchmarking commands: a period label read from the command line."""

from django.core.management.base import CommandError

from indicators.models import Period
from indicators.periods import PeriodLabelError, parse_period_label


def period_from_label(label: str) -> Period:
    try:
        key = parse_period_label(label)
    except PeriodLabelError as error:
        raise CommandError(str(error))
    try:
        return Period.objects.get(label=key.label)
    except Period.DoesNotExist:
        raise CommandError(f"There is no period {key.label} in the portal yet.")
