"""Published benchmarks for the demo's earlier quarters.

The demo leaves its latest quarter for the analyst to build and publish in
the browser; the quarters before it get published builds here, so that LA
pages have a trend and the flags page has a previous period to compare with.
"""

import logging

from authorities.models import User
from indicators.models import Period

from .models import BenchmarkBuild
from .services import benchmark_build_run, benchmark_publish

logger = logging.getLogger(__name__)


def demo_benchmarks_publish(*, periods: list[Period], publisher: User) -> int:
    """Build and publish each period that has no published build yet.

    Returns how many were published; a second run publishes none.
    """
    published = 0
    for period in periods:
        if period.builds.filter(published_at__isnull=False).exists():
            continue
        build = benchmark_build_run(BenchmarkBuild.objects.create(period=period))
        if build.status != BenchmarkBuild.Status.DONE:
            logger.warning("Demo build of %s failed: %s", period, build.error)
            continue
        # No PDFs for the earlier quarters: some 300 of them would hold up a
        # first run for many minutes. `build_reports PERIOD` makes them.
        benchmark_publish(build=build, actor=publisher, make_reports=False)
        published += 1
    return published
