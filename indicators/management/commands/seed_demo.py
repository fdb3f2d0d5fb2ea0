"""`manage.py seed_demo`: demo accounts and eight quarters of returns."""

import datetime
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.models import User
from indicators.demo import (
    CAMDEN,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DemoError,
    DemoSummary,
    demo_email,
    demo_seed,
)
from indicators.models import ReturnStatus


class Command(BaseCommand):
    help = (
        "Create demo accounts for every role (only with DEBUG on) and eight "
        "quarters of returns for every London LA. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Seed as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args: object, **options: object) -> None:
        """Seed through `demo_seed`, then say what changed and who to sign in as."""
        started = time.monotonic()
        # One log line per transition is noise here; -v 2 shows them.
        with _quiet("indicators.services", options["verbosity"] < 2):
            try:
                summary = demo_seed(today=options["today"])
            except DemoError as error:
                raise CommandError(str(error))

        if not summary.accounts_allowed:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is off, so no demo accounts were created: they would "
                    "have a published password. Nothing else was seeded either, "
                    "because each step of a return needs one of them to act. "
                    "Run with DEBUG=1 on a development machine."
                )
            )
            return

        benchmarks = self._publish_benchmarks(summary)
        self._report(summary, time.monotonic() - started, benchmarks)

    def _publish_benchmarks(self, summary: DemoSummary) -> int:
        """The earlier quarters' benchmarks, so LA pages have a trend. The
        latest quarter is left for the analyst to build in the browser."""
        from benchmarking.demo import demo_benchmarks_publish
        from indicators.models import Period

        earlier = Period.objects.filter(label__in=summary.quarters[:-1])
        analyst = User.objects.get(email=demo_email("analyst"))
        with _quiet("benchmarking.services", True):
            return demo_benchmarks_publish(periods=list(earlier), publisher=analyst)

    def _report(self, summary: DemoSummary, seconds: float, benchmarks: int) -> None:
        latest = summary.latest
        statuses = ", ".join(
            f"{summary.latest_statuses[status]} {status.label.lower()}"
            for status in ReturnStatus
            if summary.latest_statuses[status]
        )
        lines = [
            f"Demo data up to {latest.label}, seeded in {seconds:.1f} seconds.",
            f"  Accounts created: {summary.accounts_created}",
            f"  Returns changed: {summary.returns_changed}; "
            f"values saved: {summary.values_changed:,}",
            f"  {summary.quarters[0]} to {summary.quarters[-2]}: accepted",
            f"  {latest.label}: {statuses}",
            f"  {latest.label} was due {latest.due_on:%-d %B %Y}; "
            f"edits close {latest.edits_close_on:%-d %B %Y}",
            f"  Benchmarks published for the earlier quarters: {benchmarks} new; "
            f"{latest.label} is left for the analyst to build",
        ]
        self.stdout.write("\n".join(lines))

        self.stdout.write(
            self.style.SUCCESS(f"\nSign in with the password {DEMO_PASSWORD}:")
        )
        for email, who in [
            (f"analyst@{DEMO_DOMAIN}", "RIA data analyst (admin superuser)"),
            (f"manager@{DEMO_DOMAIN}", "programme manager"),
            (f"dfe@{DEMO_DOMAIN}", "DfE viewer"),
            (
                f"editor-{CAMDEN}@{DEMO_DOMAIN}",
                f"Camden LA editor: finish and submit the {latest.label} return",
            ),
            (f"dcs-{CAMDEN}@{DEMO_DOMAIN}", "Camden LA approver (DCS)"),
            (f"viewer-{CAMDEN}@{DEMO_DOMAIN}", "Camden LA viewer"),
        ]:
            self.stdout.write(f"  {email:<24} {who}")
        self.stdout.write(
            f"  Every LA likewise: editor-, dcs- and viewer-<DfE code>@{DEMO_DOMAIN}"
        )


@contextmanager
def _quiet(name: str, quiet: bool) -> Iterator[None]:
    """Hold a logger to warnings for the length of the block."""
    logger = logging.getLogger(name)
    level = logger.level
    if quiet:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
