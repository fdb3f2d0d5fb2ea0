"""Published statistics, benchmark builds and their results (DESIGN.md 6, 7)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from authorities.models import Cluster, LocalAuthority
from indicators.models import Indicator, Period


class AreaKind(models.TextChoices):
    LA = "la", "Local authority"
    ENGLAND = "england", "England"
    LONDON = "london", "London"
    INNER = "inner", "Inner London"
    OUTER = "outer", "Outer London"


# The region codes of DESIGN.md section 3, by kind of area.
REGION_CODES = {
    "E92000001": AreaKind.ENGLAND,
    "E12000007": AreaKind.LONDON,
    "E13000001": AreaKind.INNER,
    "E13000002": AreaKind.OUTER,
}


class PublishedSourceMapping(models.Model):
    """How to find one indicator's values in one of DfE's published files.

    A file matches when its name starts with `file_stem` and it has every one
    of `required_columns`; its rows are those whose `filters` columns hold the
    given values; the value comes from the first of `value_columns` present.
    Column names change between releases, hence the lists.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="published_mappings"
    )
    file_stem = models.CharField(
        max_length=100, help_text="The start of DfE's file name, without the years."
    )
    required_columns = models.JSONField(
        default=list, blank=True, help_text="Columns a file must have, as a list."
    )
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text='Column and value that select the rows, e.g. {"category": "…"}.',
    )
    value_columns = models.JSONField(
        help_text="Accepted names of the value column, in order of preference."
    )
    numerator_columns = models.JSONField(default=list, blank=True)
    denominator_columns = models.JSONField(default=list, blank=True)
    rate_from_population = models.BooleanField(
        default=False,
        help_text="The file gives a count; divide by the ONS population of "
        "children aged 0 to 17 to give a rate per 10,000.",
    )

    class Meta:
        ordering = ["indicator__display_order", "file_stem"]

    def __str__(self):
        return f"{self.indicator.code} from {self.file_stem}"


class PublishedValue(models.Model):
    """One published value for an area, indicator and annual period.

    A suppressed value keeps its symbol (`c`, `x`, `z`, …) and has no number.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    period = models.ForeignKey(Period, on_delete=models.CASCADE)
    area_kind = models.CharField(max_length=7, choices=AreaKind.choices)
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, null=True, blank=True
    )
    value = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    suppression = models.CharField(max_length=5, blank=True)
    numerator = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True
    )
    shared_with = models.CharField(
        max_length=100,
        blank=True,
        help_text="The LA code cell when two LAs report together, e.g. 314 / 318.",
    )
    source_file = models.CharField(max_length=200)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "authority"],
                condition=models.Q(authority__isnull=False),
                name="one_published_value_per_la",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "area_kind"],
                condition=models.Q(authority__isnull=True),
                name="one_published_value_per_region",
            ),
        ]

    def __str__(self):
        area = self.authority or self.get_area_kind_display()
        return f"{self.indicator.code} {self.period} {area}"


class PopulationEstimate(models.Model):
    """ONS mid-year estimate of children aged 0 to 17 in one LA.

    The estimate for mid-2024 (`year` 2024) is the denominator for 2024-25.
    """

    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField()
    source_file = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year"], name="one_population_per_la_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.authority} mid-{self.year}: {self.children:,}"


class BenchmarkBuild(models.Model):
    """One run of the benchmark for one period, as a background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FAILED = "failed", "Failed"
        DONE = "done", "Done"

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="builds")
    status = models.CharField(max_length=7, choices=Status.choices, default="queued")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent.")
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="A hash of the inputs the build used."
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Build {self.pk} of {self.period} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class BenchmarkResult(models.Model):
    """One LA's position on one indicator within one comparison group."""

    class Band(models.TextChoices):
        TOP = "top", "Top 20%"
        MIDDLE = "middle", "Middle"
        BOTTOM = "bottom", "Bottom 20%"

    build = models.ForeignKey(
        BenchmarkBuild, on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    group = models.CharField(
        max_length=100, help_text="london, inner, outer or cluster:<set>:<cluster>."
    )
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    value = models.DecimalField(max_digits=18, decimal_places=6, null=True)
    suppression = models.CharField(max_length=5, blank=True)
    shared_with = models.CharField(max_length=100, blank=True)
    n = models.PositiveSmallIntegerField()
    rank = models.FloatField(null=True)
    position = models.FloatField(null=True)
    band = models.CharField(max_length=6, choices=Band.choices, blank=True)
    quintile = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["build", "group", "indicator", "authority"],
                name="one_result_per_la_indicator_group",
            ),
        ]
        indexes = [models.Index(fields=["build", "group"])]

    def __str__(self):
        return f"{self.indicator.code} {self.authority} in {self.group}"


class BenchmarkComparator(models.Model):
    """London's figures for one indicator and group, shown beside each value."""

    build = models.ForeignKey(
        BenchmarkBuild, on_delete=models.CASCADE, related_name="comparators"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    group = models.CharField(max_length=100)
    n = models.PositiveSmallIntegerField()
    mean = models.FloatField(null=True)
    median = models.FloatField(null=True)
    rate = models.FloatField(
        null=True, help_text="Summed numerators over summed denominators."
    )
    england = models.FloatField(null=True)
    london = models.FloatField(null=True)
    inner_london = models.FloatField(null=True)
    outer_london = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["build", "group", "indicator"],
                name="one_comparator_per_indicator_group",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} comparators in {self.group}"

    @property
    def figures(self) -> list[float | None]:
        """The comparators in the order the rug's columns show them."""
        return [
            self.mean,
            self.median,
            self.rate,
            self.england,
            self.london,
            self.inner_london,
            self.outer_london,
        ]


class BenchmarkReport(models.Model):
    """One PDF made from a published build: an LA's report, the London pack
    or a cluster's pack. The file is kept in the database with its build, so
    that the web and worker processes share it without a shared disk and it
    is only ever served through a view that checks who is asking.
    """

    class Kind(models.TextChoices):
        LA = "la", "LA report"
        LONDON = "london", "London pack"
        CLUSTER = "cluster", "Cluster pack"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being made"
        FAILED = "failed", "Failed"
        DONE = "done", "Ready"

    build = models.ForeignKey(
        BenchmarkBuild, on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=7, choices=Kind.choices)
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(max_length=7, choices=Status.choices, default="queued")
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(blank=True, default=b"", editable=False)
    page_count = models.PositiveSmallIntegerField(default=0)
    size = models.PositiveIntegerField(default=0, help_text="Bytes.")

    class Meta:
        ordering = ["build", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="la", authority__isnull=False, cluster__isnull=True)
                    | models.Q(
                        kind="cluster", authority__isnull=True, cluster__isnull=False
                    )
                    | models.Q(
                        kind="london", authority__isnull=True, cluster__isnull=True
                    )
                ),
                name="report_names_what_it_covers",
            ),
            models.UniqueConstraint(
                fields=["build", "authority"],
                condition=models.Q(kind="la"),
                name="one_report_per_build_and_la",
            ),
            models.UniqueConstraint(
                fields=["build", "cluster"],
                condition=models.Q(kind="cluster"),
                name="one_pack_per_build_and_cluster",
            ),
            models.UniqueConstraint(
                fields=["build"],
                condition=models.Q(kind="london"),
                name="one_london_pack_per_build",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def subject(self) -> str:
        """What the report covers: an LA, a cluster or London."""
        if self.kind == self.Kind.LA:
            return self.authority.name
        if self.kind == self.Kind.CLUSTER:
            return f"{self.cluster.name} cluster"
        return "London"

    @property
    def title(self) -> str:
        period = self.build.period.label
        if self.kind == self.Kind.LA:
            return f"{self.authority.name} benchmarking report, {period}"
        if self.kind == self.Kind.CLUSTER:
            return f"{self.cluster.name} cluster pack, {period}"
        return f"London benchmarking pack, {period}"

    @property
    def filename(self) -> str:
        """A file name that sorts and says what is inside, e.g.
        `ria-benchmark-2026-27-q2-202-camden.pdf`."""
        period = self.build.period.slug
        if self.kind == self.Kind.LA:
            subject = f"{self.authority.dfe_code}-{slugify(self.authority.name)}"
        elif self.kind == self.Kind.CLUSTER:
            subject = f"{self.cluster.cluster_set.slug}-{self.cluster.slug}-cluster"
        else:
            subject = "london-pack"
        return f"ria-benchmark-{period}-{subject}.pdf"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE
