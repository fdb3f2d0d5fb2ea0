"""Time the PDF benchmark reports against plain WeasyPrint documents.

Run from the project root:

    .venv/bin/python benchmarks/benchmark_reports.py

It makes a fresh SQLite database in a temporary folder, migrates it and loads
the demo data with `seed_demo` (eight quarters of returns, the seven earlier
ones benchmarked and published). The reports are those of the newest quarter
whose returns are all accepted: the demo's very latest quarter is left part
collected, with Camden's return still in progress. Then, in one run:

(a) Camden's report (202) through `build_reports --la 202`, median of three
    (--repeats) after one to warm up;
(b) the full set through `build_reports`: 33 LA reports, the London pack and
    every cluster pack, one after another in this process;
(c) the floor: the time WeasyPrint takes to render a plain document of the
    same page count: paragraphs of plain text, full pages of them, in the
    reports' page size, margins and font, made through the reports' own
    `pdf_render` (tagged PDF/UA, the same settings) but with no stylesheet.
    For (b) that is a plain document for each report, as long as it, and
    the floor is their sum: 43 documents against 43 documents. Each floor
    is the median of three, like (a);
(c') a stricter floor, reported beside it: plain pages holding only as much
    text as the real reports' pages do (read back with pypdf), which are
    about a third full;
(d) the full set again over two worker processes, as Celery runs with one
    process per core; wall-clock time.

The targets are the full set within twice its floor (c) and an LA report
under two seconds. They are reported, not asserted: timings on a shared
machine vary from run to run. The script exits with status 1 only when a
report could not be made at all.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# Run as a script, Python puts benchmarks/ on the path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CAMDEN = "202"
WORKERS = 2
TARGET_RATIO = 2.0
TARGET_LA_SECONDS = 2.0

# Words for the floor's paragraphs, so that the text shapes like English
# rather than one word repeated.
VOCABULARY = (
    "children looked after social care referrals assessments completed within "
    "working days plans protection London authorities quarter period value "
    "rank position band median mean rate England Inner Outer indicator "
    "placement stability leavers education employment training accommodation "
    "workforce turnover agency vacancy caseload narrative cluster benchmark "
    "the of and in on for with by from at to a an is are was were per"
)


def configure(database: Path) -> None:
    """Point Django at the benchmark's own database, before it starts.

    The child processes of (d) inherit these variables. DEBUG stays off, as
    in production (it would record every query); the seed turns it on for
    itself. Without a broker, tasks would run in this process.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "ria_portal.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "benchmark-only-key"  # noqa: S105
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["TASKS_IN_BACKGROUND_THREAD"] = "false"
    os.environ.pop("REDIS_URL", None)


def prepare(database: Path):
    """Migrate, seed the demo and return the published build to report on."""
    import django

    configure(database)
    django.setup()

    from django.core.management import call_command
    from django.test.utils import override_settings

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    # The demo's accounts are made only with DEBUG on.
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    print(f"Database migrated and demo seeded in {time.perf_counter() - started:.0f} s")
    return published_build()


def published_build():
    """The newest fully collected quarter's published build, published here
    if the seed did not (it publishes every quarter but the latest)."""
    from authorities.models import Role, User
    from benchmarking.models import BenchmarkBuild
    from benchmarking.selectors import build_published
    from benchmarking.services import benchmark_build_run, benchmark_publish
    from indicators.models import Period, ReturnStatus

    quarters = Period.objects.filter(kind=Period.Kind.QUARTER).order_by("-start_date")
    period = next(
        quarter
        for quarter in quarters
        if not quarter.returns.exclude(status=ReturnStatus.ACCEPTED).exists()
    )
    build = build_published(period)
    if build is None:
        build = benchmark_build_run(BenchmarkBuild.objects.create(period=period))
        analyst = User.objects.filter(role=Role.ANALYST).first()
        # The reports are made below, where they are measured.
        benchmark_publish(build=build, actor=analyst, make_reports=False)
    return build


# Measuring
# ---------


@dataclass
class Timing:
    seconds: float
    pages: int


def command_time(*args) -> float:
    """Run `build_reports` and time it; a failed report does not stop it."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    started = time.perf_counter()
    try:
        call_command("build_reports", *args, stdout=io.StringIO())
    except CommandError as error:
        print(f"  build_reports {' '.join(args)}: {error}")
    return time.perf_counter() - started


def la_report(build, repeats: int) -> Timing:
    from benchmarking.models import BenchmarkReport

    label = build.period.label
    command_time(label, "--la", CAMDEN)
    times = [command_time(label, "--la", CAMDEN) for _ in range(repeats)]
    report = BenchmarkReport.objects.get(build=build, authority__dfe_code=CAMDEN)
    return Timing(statistics.median(times), report.page_count)


def full_set(build) -> tuple[Timing, list]:
    from benchmarking.models import BenchmarkReport

    seconds = command_time(build.period.label)
    reports = list(
        BenchmarkReport.objects.filter(build=build).select_related(
            "build__period", "authority", "cluster__cluster_set"
        )
    )
    pages = sum(report.page_count for report in reports if report.is_ready)
    return Timing(seconds, pages), reports


def _worker_start(barrier) -> None:
    """A worker process: Django, its own database connection, and WeasyPrint
    loaded by a first small PDF, as a Celery worker would have."""
    import django

    django.setup()
    from benchmarking.reports import pdf_render

    pdf_render(
        '<html lang="en-GB"><title>Warming up</title><body><p>Warming up.</p></html>'
    )
    barrier.wait()


def _worker_make(report_id: int) -> None:
    from benchmarking.tasks import build_report

    build_report(report_id)


def full_set_parallel(build, processes: int) -> float:
    """The full set over `processes` processes, each taking the next report
    as it finishes one, timed from the first to the last."""
    import multiprocessing

    from django.db import connections

    from benchmarking.models import BenchmarkReport

    reports = BenchmarkReport.objects.filter(build=build)
    ids = [report.pk for report in reports]
    reports.update(status=BenchmarkReport.Status.QUEUED)
    connections.close_all()

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    with context.Pool(processes, _worker_start, (barrier,)) as pool:
        barrier.wait()
        started = time.perf_counter()
        for _ in pool.imap_unordered(_worker_make, ids):
            pass
        return time.perf_counter() - started


# The floor
# ---------


def characters_per_page(reports) -> dict[str, float]:
    """Characters of text per page, by kind, read back as a reader's tools
    would. pypdf takes a third of a second a page, so one report of each
    kind stands for the rest: Camden's, the London pack, the first cluster's.
    """
    from pypdf import PdfReader

    chosen = {}
    for report in reports:
        if not report.is_ready or report.kind in chosen:
            continue
        if report.kind == "la" and report.authority.dfe_code != CAMDEN:
            continue
        chosen[report.kind] = report
    found = {}
    for kind, report in chosen.items():
        reader = PdfReader(io.BytesIO(bytes(report.pdf)))
        characters = sum(len(page.extract_text()) for page in reader.pages)
        found[kind] = characters / len(reader.pages)
    return found


def plain_document(pages: int, characters: int) -> str:
    """Plain paragraphs, `characters` of text on each of `pages` pages, in
    the reports' page size, margins and font."""
    rng = random.Random(2026)  # noqa: S311 (words, not secrets)
    vocabulary = VOCABULARY.split()
    sections = []
    for _ in range(pages):
        paragraphs, written = [], 0
        while written < characters:
            words = []
            while written < characters and len(" ".join(words)) < 400:
                words.append(rng.choice(vocabulary))
                written += len(words[-1]) + 1
            paragraphs.append(f"<p>{' '.join(words).capitalize()}.</p>")
        sections.append(f"<section>{''.join(paragraphs)}</section>")
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Plain text, for timing</title><style>"
        "@page { size: A4; margin: 20mm 15mm 24mm 15mm }"
        'body { font: 10pt "Liberation Sans", Arial, sans-serif }'
        "section { break-after: page } section:last-child { break-after: auto }"
        f"</style></head><body>{''.join(sections)}</body></html>"
    )


def full_page_characters(pages: int) -> int:
    """How much plain text fills a page: the most characters a page, in
    steps of 50, with which plain_document lays out `pages` pages and no
    more (a page's words differ, and with them where its lines break)."""
    from benchmarking.reports import pdf_render

    def fits(characters: int) -> bool:
        html = plain_document(pages, characters)
        return pdf_render(html, stylesheets=[]).page_count == pages

    low, high = 500, 10_000
    while high - low > 50:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def floor(pages: int, characters: float, repeats: int) -> Timing:
    """The time for a plain document of `pages` pages, `characters` a page,
    through the reports' own pdf_render (tagged PDF/UA) with no stylesheet:
    the median of `repeats`."""
    from benchmarking.reports import pdf_render

    html = plain_document(pages, round(characters))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        made = pdf_render(html, stylesheets=[])
        times.append(time.perf_counter() - started)
    if made.page_count != pages:
        raise RuntimeError(f"The floor came to {made.page_count} pages, not {pages}.")
    return Timing(statistics.median(times), made.page_count)


def set_floor(reports, characters, repeats: int) -> Timing:
    """The full set's floor: a plain document as long as each report, timed
    (median of `repeats`) once for each length and counted once per report
    of that length. `characters` gives the text a page for a report's kind."""
    made = [report for report in reports if report.is_ready]
    lengths = Counter((characters(report.kind), report.page_count) for report in made)
    seconds = sum(
        floor(pages, per_page, repeats).seconds * count
        for (per_page, pages), count in lengths.items()
    )
    return Timing(seconds, sum(report.page_count for report in made))


# Reporting
# ---------


def print_breakdown(reports) -> None:
    from benchmarking.models import BenchmarkReport

    print("\nThe full set, by kind (seconds from the reports' own start and end)")
    print(
        f"  {'kind':<14}{'made':>6}{'pages each':>12}{'KB each':>9}"
        f"{'mean s':>9}{'max s':>8}"
    )
    for kind in BenchmarkReport.Kind:
        made = [r for r in reports if r.kind == kind and r.is_ready]
        if not made:
            continue
        seconds = [(r.finished_at - r.started_at).total_seconds() for r in made]
        pages = sorted({r.page_count for r in made})
        each = f"{pages[0]}" if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"
        size = statistics.mean(r.size for r in made) / 1024
        print(
            f"  {kind.label:<14}{len(made):>6}{each:>12}{size:>9,.0f}"
            f"{statistics.mean(seconds):>9.2f}{max(seconds):>8.2f}"
        )
    for report in reports:
        if not report.is_ready:
            print(f"  FAILED: {report.title}: {report.error}")


def row(what: str, timing: Timing, floor_timing: Timing | None) -> str:
    ratio = f"{timing.seconds / floor_timing.seconds:.1f}x" if floor_timing else ""
    floor_text = f"{floor_timing.seconds:.2f}" if floor_timing else ""
    return (
        f"  {what:<40}{timing.pages:>6}{timing.seconds:>10.2f}"
        f"{floor_text:>10}{ratio:>8}"
    )


@dataclass
class Results:
    period: str
    camden: Timing
    full: Timing
    reports: list
    characters: dict[str, float]
    page_characters: int
    camden_floor: Timing
    full_floor: Timing
    camden_text_floor: Timing
    full_text_floor: Timing
    parallel: float | None


def measure(repeats: int, parallel: bool) -> Results:
    """Everything, in one run, on a database that lasts as long as the run."""
    with tempfile.TemporaryDirectory(prefix="ria-benchmark-reports-") as folder:
        build = prepare(Path(folder) / "db.sqlite3")
        print(f"Reports of {build.period} (build {build.pk}), {os.cpu_count()} cores")

        progress("(a) Camden's report")
        camden = la_report(build, repeats)
        progress("(b) the full set, one process")
        full, reports = full_set(build)
        progress("(c) the floors: plain documents of the same page counts")
        longest = max(report.page_count for report in reports if report.is_ready)
        page_characters = full_page_characters(longest)
        camden_floor = floor(camden.pages, page_characters, repeats)
        full_floor = set_floor(reports, lambda kind: page_characters, repeats)
        progress("(c') the floors with only the reports' text a page")
        characters = characters_per_page(reports)
        camden_text_floor = floor(camden.pages, characters.get("la", 0), repeats)
        full_text_floor = set_floor(
            reports, lambda kind: characters.get(kind, 0), repeats
        )
        seconds = None
        if parallel:
            progress(f"(d) the full set, {WORKERS} processes")
            seconds = full_set_parallel(build, WORKERS)

    return Results(
        str(build.period),
        camden,
        full,
        reports,
        characters,
        page_characters,
        camden_floor,
        full_floor,
        camden_text_floor,
        full_text_floor,
        seconds,
    )


def progress(step: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {step}", flush=True)


def print_results(results: Results, repeats: int) -> None:
    print_breakdown(results.reports)
    texts = ", ".join(
        f"{kind} {number:,.0f}" for kind, number in results.characters.items()
    )
    print(
        f"\nText per page: a full plain page holds {results.page_characters:,}"
        f" characters; the reports' pages hold (pypdf) {texts}"
    )

    full, camden = results.full, results.camden
    print(f"\n  {'':<40}{'pages':>6}{'seconds':>10}{'floor s':>10}{'ratio':>8}")
    print(
        row(f"(a) Camden's report, median of {repeats}", camden, results.camden_floor)
    )
    print(
        row(
            f"(b) full set, {len(results.reports)} reports, 1 process",
            full,
            results.full_floor,
        )
    )
    print(row("(c) floor, plain document as (a)", results.camden_floor, None))
    print(row("(c) floor, plain documents as (b)", results.full_floor, None))
    print("  Against the stricter floor (c'), only the reports' text a page:")
    print(row("(a) Camden's report", camden, results.camden_text_floor))
    print(row("(b) full set", full, results.full_text_floor))
    if results.parallel is not None:
        parallel = Timing(results.parallel, full.pages)
        print(row(f"(d) full set, {WORKERS} processes (parallel)", parallel, None))
        print(f"\n(d) is {full.seconds / results.parallel:.1f}x as fast as (b).")

    ratio = full.seconds / results.full_floor.seconds
    strict = full.seconds / results.full_text_floor.seconds
    print(
        f"Full set within {TARGET_RATIO:g}x its floor: "
        f"{'yes' if ratio <= TARGET_RATIO else 'NO'} ({ratio:.1f}x; "
        f"{strict:.1f}x the stricter floor)"
    )
    print(
        f"LA report under {TARGET_LA_SECONDS:g} s: "
        f"{'yes' if camden.seconds < TARGET_LA_SECONDS else 'NO'} "
        f"({camden.seconds:.2f} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-parallel", action="store_true", help="Leave out (d), two processes."
    )
    args = parser.parse_args()

    results = measure(args.repeats, parallel=not args.no_parallel)
    print_results(results, args.repeats)
    failed = [report for report in results.reports if not report.is_ready]
    if failed:
        print(f"{len(failed)} reports could not be made; see above.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
