from django.core.management.base import BaseCommand, CommandError

from authorities.models import Role, User
from benchmarking.models import BenchmarkBuild
from benchmarking.services import benchmark_build_run, benchmark_publish

from ._periods import period_from_label


class Command(BaseCommand):
    help = (
        "Build the benchmark for a period synchronously, e.g. 2024-25 or "
        "'2024-25 Q3'; with --publish, publish it when it succeeds."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="A period label such as 2024-25 Q3.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the build if it succeeds."
        )

    def handle(self, *args, period, publish, **options):
        """Run the same build the analyst starts from the browser, in-process."""
        period = period_from_label(period)
        build = benchmark_build_run(BenchmarkBuild.objects.create(period=period))
        if build.status != BenchmarkBuild.Status.DONE:
            raise CommandError(f"Build {build.pk} of {period} failed: {build.error}")

        results = build.results.filter(group="london")
        flagged = results.exclude(band__in=["", "middle"]).count()
        self.stdout.write(
            f"Build {build.pk} of {period} done: {results.count()} LA values "
            f"ranked across London, {flagged} in the top or bottom 20%."
        )
        if publish:
            benchmark_publish(build=build, actor=_system_publisher())
            self.stdout.write(f"Build {build.pk} published.")


def _system_publisher() -> User:
    """Publication records who published; from the command line, an analyst."""
    analyst = User.objects.filter(role=Role.ANALYST, is_active=True).first()
    if analyst is None:
        raise CommandError(
            "Publishing needs an analyst account to record as the publisher; "
            "create one first."
        )
    return analyst
