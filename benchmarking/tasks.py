"""Background jobs for benchmarking. Tasks take ids and call one service."""

from celery import shared_task

from .models import BenchmarkBuild
from .services import benchmark_build_run


@shared_task(ignore_result=True)
def run_benchmark_build(build_id: int) -> None:
    """Run the queued benchmark build `build_id`."""
    build = BenchmarkBuild.objects.select_related("period").get(pk=build_id)
    benchmark_build_run(build)
