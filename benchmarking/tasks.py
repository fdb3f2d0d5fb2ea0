"""Background jobs for benchmarking. Tasks take ids and call one service."""

from celery import shared_task

from .models import BenchmarkBuild, BenchmarkReport
from .services import benchmark_build_run, report_run


@shared_task(ignore_result=True)
def run_benchmark_build(build_id: int) -> None:
    """Run the queued benchmark build `build_id`."""
    build = BenchmarkBuild.objects.select_related("period").get(pk=build_id)
    benchmark_build_run(build)


# A report takes seconds; one still going after five minutes is stuck, and
# would hold a worker process. The soft limit raises inside the task, which
# marks the report failed so that the analyst can retry it.
REPORT_SOFT_LIMIT = 300


@shared_task(
    ignore_result=True,
    soft_time_limit=REPORT_SOFT_LIMIT,
    time_limit=REPORT_SOFT_LIMIT + 60,
)
def build_report(report_id: int) -> None:
    """Make the PDF of the queued report `report_id`."""
    report = BenchmarkReport.objects.select_related(
        "build__period", "authority", "cluster__cluster_set"
    ).get(pk=report_id)
    report_run(report)
