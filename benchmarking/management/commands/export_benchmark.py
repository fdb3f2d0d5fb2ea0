from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarking.exports import export_csv
from benchmarking.groups import LONDON, comparison_groups
from benchmarking.selectors import build_current
from benchmarking.spreadsheets import rug_workbook

from ._periods import period_from_label


class Command(BaseCommand):
    help = (
        "Write a period's latest finished benchmark, one row per indicator and "
        "LA, as CSV (default) or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="A period label such as 2024-25 Q3.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--group",
            default=LONDON,
            help="Comparison group: london, inner, outer or cluster:<set>:<slug>.",
        )
        parser.add_argument(
            "--output", help="File to write; standard output if absent."
        )

    def handle(self, *args, period, format, group, output, **options):
        """Export through the same code as the portal's downloads."""
        period = period_from_label(period)
        keys = [g.key for g in comparison_groups()]
        if group not in keys:
            raise CommandError(
                f"Unknown group {group!r}; use one of: {', '.join(keys)}"
            )
        build = build_current(period)
        if build is None:
            raise CommandError(f"{period} has no finished benchmark build yet.")

        if format == "csv":
            content = export_csv(build, group).encode()
        else:
            content = rug_workbook(build, group)

        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"Wrote {output}.")
        elif format == "csv":
            self.stdout.write(content.decode(), ending="")
        else:
            raise CommandError("XLSX needs --output: it cannot go to the terminal.")
