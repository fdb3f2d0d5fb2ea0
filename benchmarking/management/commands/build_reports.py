"""Make a published build's PDF reports here and now, without the worker."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from authorities.models import LocalAuthority
from benchmarking.models import BenchmarkBuild, BenchmarkReport
from benchmarking.selectors import build_published
from benchmarking.services import report_run, report_set_create

from ._periods import period_from_label


class Command(BaseCommand):
    help = (
        "Make the PDF reports of a period's published benchmark synchronously "
        "and store them with its build: every LA's report, the London pack and "
        "every cluster pack, or with --la one LA's report only."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="A period label such as 2024-25 Q3.")
        parser.add_argument(
            "--la", metavar="CODE", help="Only this LA's report, by DfE code: 202."
        )
        parser.add_argument(
            "--output",
            metavar="DIR",
            help="Also write each PDF to this folder, created if missing.",
        )

    def handle(self, *args, period, la, output, **options):
        """Make each report in turn with the worker's own service, then say
        which failed: one failure does not stop the others."""
        period = period_from_label(period)
        build = build_published(period)
        if build is None:
            raise CommandError(
                f"{period} has no published benchmark, and reports are made from "
                "a published build only. Publish one from its page under "
                f'Benchmarking, or run: manage.py build_benchmark "{period}" '
                "--publish"
            )
        authority = _authority(la) if la else None
        folder = _writable_folder(Path(output)) if output else None

        reports = _reports_to_make(build, authority)
        started = time.perf_counter()
        failed = [report for report in reports if not self._make(report, folder)]
        seconds = time.perf_counter() - started

        made = [report for report in reports if report not in failed]
        self.stdout.write(
            f"Build {build.pk} of {period}: {len(made)} of {len(reports)} reports "
            f"made, {sum(r.page_count for r in made):,} pages in {seconds:.1f} s."
        )
        if folder is not None and made:
            self.stdout.write(f"PDFs written to {folder}.")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(reports)} reports failed; the others "
                "are stored. Fix the cause and run the command again."
            )

    def _make(self, report: BenchmarkReport, folder: Path | None) -> bool:
        """Make one report and say how it went, as soon as it has."""
        started = time.perf_counter()
        report_run(report)
        seconds = time.perf_counter() - started

        if report.status != BenchmarkReport.Status.DONE:
            self.stdout.write(
                self.style.ERROR(
                    f"{_name(report)}: failed after {seconds:.1f} s: {report.error}"
                )
            )
            self.stdout.flush()
            return False

        self.stdout.write(
            f"{_name(report)}: {report.page_count} pages in {seconds:.1f} s"
        )
        self.stdout.flush()
        if folder is not None:
            _write(folder / report.filename, report.pdf)
        return True


def _name(report: BenchmarkReport) -> str:
    """The report's title, with its cluster set: two sets may both have a
    North Central cluster."""
    if report.kind == BenchmarkReport.Kind.CLUSTER:
        return f"{report.title} ({report.cluster.cluster_set.name})"
    return report.title


def _authority(code: str) -> LocalAuthority:
    authority = LocalAuthority.objects.filter(dfe_code=code).first()
    if authority is None:
        raise CommandError(
            f"There is no London LA with DfE code {code}. Codes run from 201 "
            "(City of London) to 213 and from 301 to 320; 202 is Camden."
        )
    return authority


def _writable_folder(folder: Path) -> Path:
    """The folder, created if missing, once a file has been written to it:
    asked before any report is made, not after several minutes of them."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".build_reports-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise CommandError(
            f"Cannot write PDFs to {folder}: {error.strerror or error}."
        ) from error
    return folder


def _write(path: Path, pdf: bytes) -> None:
    try:
        path.write_bytes(pdf)
    except OSError as error:
        raise CommandError(
            f"Cannot write {path}: {error.strerror or error}. The reports made "
            "so far are stored with the build."
        ) from error


def _reports_to_make(
    build: BenchmarkBuild, authority: LocalAuthority | None
) -> list[BenchmarkReport]:
    """The build's reports, created where missing and marked queued.

    Nothing goes on the queue: this process makes them. Reports already made
    are marked queued too, since `report_run` leaves a made one alone and the
    point of the command is to make them now.
    """
    reports = report_set_create(build=build, authority=authority)
    BenchmarkReport.objects.filter(pk__in=[report.pk for report in reports]).update(
        status=BenchmarkReport.Status.QUEUED, error=""
    )
    for report in reports:
        report.status = BenchmarkReport.Status.QUEUED
        report.error = ""
    return reports
