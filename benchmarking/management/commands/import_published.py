"""Import DfE's published statistics from CSV files on disk."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarking.published import published_import


class Command(BaseCommand):
    help = (
        "Import DfE's published CSV files (and ONS population estimates) into "
        "the portal. Nothing is saved if any file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="CSV files.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change, saving nothing.",
        )

    def handle(self, *args, paths: list[str], dry_run: bool, **options):
        files = []
        for path in map(Path, paths):
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.")

        report = published_import(files, dry_run=dry_run)
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.problems:
            raise CommandError("The files have problems; nothing has been saved.")
