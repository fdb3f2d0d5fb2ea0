import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from authorities.models import LocalAuthority


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    RATE_PER_10K = "rate_per_10k", "Rate per 10,000 children aged under 18"
    RATIO = "ratio", "Ratio"
    COUNT = "count", "Count"
    DAYS = "days", "Days"


class Polarity(models.TextChoices):
    HIGH_GOOD = "high_good", "Higher is better"
    LOW_GOOD = "low_good", "Lower is better"
    NEITHER = "neither", "Neither higher nor lower is better"


class SourceCollection(models.TextChoices):
    """The official collections, in the order the return presents them."""

    CIN = "cin", "Children in need census"
    SSDA903 = "ssda903", "Children looked after return (SSDA903)"
    CSWW = "csww", "Children’s social work workforce census"
    SEN2 = "sen2", "Special educational needs survey (SEN2)"


# How many units of value one unit of numerator/denominator makes.
_MULTIPLIERS = {
    Unit.PERCENT: Decimal(100),
    Unit.RATE_PER_10K: Decimal(10_000),
    Unit.RATIO: Decimal(1),
}

_SUFFIXES = {
    Unit.PERCENT: "%",
    Unit.RATE_PER_10K: " per 10,000",
    Unit.DAYS: " days",
}


class IndicatorQuerySet(models.QuerySet):
    def core(self):
        return self.filter(is_core=True)


class Indicator(models.Model):
    """A measure LAs return each quarter (DESIGN.md section 5)."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    source = models.CharField(
        "source collection", max_length=10, choices=SourceCollection.choices
    )
    numerator_label = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the LA counts for the top of the fraction. "
        "Leave both labels blank for a value entered directly.",
    )
    denominator_label = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    is_core = models.BooleanField(
        default=True, help_text="Part of the quarterly return and the benchmark."
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(numerator_label="", denominator_label="")
                    | (~models.Q(numerator_label="") & ~models.Q(denominator_label=""))
                ),
                name="indicator_labels_both_or_neither",
                violation_error_message=(
                    "Give both a numerator and a denominator label, or neither."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_components(self) -> bool:
        """Whether the LA enters a numerator and denominator, not the value."""
        return bool(self.numerator_label and self.denominator_label)

    @property
    def is_percentage(self) -> bool:
        return self.unit == Unit.PERCENT

    @property
    def unit_suffix(self) -> str:
        return _SUFFIXES.get(self.unit, "")

    def derive_value(self, numerator: Decimal, denominator: Decimal) -> Decimal:
        """The value from its parts, e.g. 45 of 180 as a percentage is 25."""
        return numerator * _MULTIPLIERS.get(self.unit, Decimal(1)) / denominator

    def format_value(self, value: Decimal | None) -> str:
        """The value as people read it: rounded to the indicator's places,
        with its unit."""
        if value is None:
            return ""
        quantum = Decimal(1).scaleb(-self.decimal_places)
        # Halves round up, as in published statistics and spreadsheets; the
        # Decimal default (to even) would show 12.25 as 12.2.
        rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        return f"{rounded:,}{self.unit_suffix}"


class PeriodQuerySet(models.QuerySet):
    def quarterly(self):
        return self.filter(kind=Period.Kind.QUARTER)

    def annual(self):
        return self.filter(kind=Period.Kind.YEAR)


class Period(models.Model):
    """A financial year (`2024-25`) or one of its quarters (`2024-25 Q3`).

    A quarterly collection opens the day after the quarter ends, is due on
    `due_on`, and LAs can no longer edit after `edits_close_on`.
    """

    class Kind(models.TextChoices):
        QUARTER = "quarter", "Quarter"
        YEAR = "year", "Year"

    label = models.CharField(max_length=12, unique=True)
    slug = models.SlugField(max_length=12, unique=True)
    kind = models.CharField(max_length=7, choices=Kind.choices)
    year_start = models.PositiveSmallIntegerField(
        help_text="The calendar year in which the financial year starts."
    )
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    due_on = models.DateField("due date", null=True, blank=True)
    edits_close_on = models.DateField("edits close", null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year_start", "quarter"], name="unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(edits_close_on__gte=models.F("due_on"))
                | models.Q(edits_close_on__isnull=True)
                | models.Q(due_on__isnull=True),
                name="edits_close_on_or_after_due",
                violation_error_message="Edits cannot close before the due date.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_quarter(self) -> bool:
        return self.kind == self.Kind.QUARTER

    @property
    def opens_on(self) -> datetime.date:
        return self.end_date + datetime.timedelta(days=1)


class PeriodExtension(models.Model):
    """One LA's later due and edit-close date for one period."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="extensions"
    )
    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE)
    until = models.DateField(help_text="The LA's own due date and edit-close date.")
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "authority"], name="one_extension_per_la_and_period"
            ),
        ]

    def __str__(self):
        return f"{self.authority} until {self.until:%d %B %Y} for {self.period}"


class PeriodChange(models.Model):
    """An audit record of a change to a period's dates or an LA's extension."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    description = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.period}: {self.description}"


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    ACCEPTED = "accepted", "Accepted"
    REOPENED = "reopened", "Reopened"


class ReturnQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)

    def for_authority(self, authority):
        return self.filter(authority=authority)

    def accepted(self):
        return self.filter(status=ReturnStatus.ACCEPTED)


class Return(models.Model):
    """One LA's quarterly return of the core indicators."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="returns"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the return was last submitted."
    )
    first_submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the return was first submitted: what lateness is judged by.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start_date", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "period"], name="one_return_per_la_and_period"
            ),
        ]

    def __str__(self):
        return f"{self.authority} {self.period}"

    def _extension(self):
        # Prefetched by the selectors; one query otherwise.
        for extension in self.period.extensions.all():
            if extension.authority_id == self.authority_id:
                return extension
        return None

    @property
    def due_on(self) -> datetime.date | None:
        extension = self._extension()
        if extension:
            # The analyst may move the quarter's date past an extension granted
            # earlier; an extension must never leave an LA due sooner than
            # everyone else.
            return max(extension.until, self.period.due_on or extension.until)
        return self.period.due_on

    @property
    def edits_close_on(self) -> datetime.date | None:
        extension = self._extension()
        if extension:
            return max(extension.until, self.period.edits_close_on or extension.until)
        return self.period.edits_close_on

    @property
    def has_extension(self) -> bool:
        return self._extension() is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Past its due date and never submitted.

        A return the analyst sent back after an on-time submission is not
        overdue: the LA met the deadline, and the query has its own status.
        """
        today = today or timezone.localdate()
        return (
            self.first_submitted_at is None
            and self.due_on is not None
            and today > self.due_on
        )

    @property
    def was_late(self) -> bool:
        """First submitted after the due date.

        A resubmission after a query does not make an on-time return late.
        """
        if self.first_submitted_at is None or self.due_on is None:
            return False
        return timezone.localtime(self.first_submitted_at).date() > self.due_on

    def edits_closed(self, today: datetime.date | None = None) -> bool:
        """Past the edit-close date for a return the analyst has not sent back."""
        today = today or timezone.localdate()
        # A return in progress that was once submitted can only have come back
        # through a query or a reopening: the LA's first change to it must not
        # close it again before it can finish and resubmit.
        sent_back = self.status in {ReturnStatus.QUERIED, ReturnStatus.REOPENED} or (
            self.status == ReturnStatus.IN_PROGRESS and self.submitted_at is not None
        )
        closes = self.edits_close_on
        return not sent_back and closes is not None and today > closes


class ReturnValue(models.Model):
    """One indicator's value in a return, or the reason it is missing."""

    return_obj = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="values", db_column="return_id"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    numerator = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    missing_reason = models.TextField(blank=True)
    warning_reason = models.TextField(
        blank=True,
        help_text="Why the LA confirmed a value that raised a warning.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["indicator__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["return_obj", "indicator"], name="one_value_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} in {self.return_obj}"

    @property
    def is_missing(self) -> bool:
        return self.value is None and bool(self.missing_reason)

    @property
    def is_answered(self) -> bool:
        return self.value is not None or bool(self.missing_reason)

    @property
    def display(self) -> str:
        if self.value is not None:
            return self.indicator.format_value(self.value)
        return "Not available" if self.missing_reason else ""


class ValueChange(models.Model):
    """A saved state of one value: the history editors and the analyst read."""

    class Via(models.TextChoices):
        BROWSER = "browser", "Entered in the portal"
        SPREADSHEET = "spreadsheet", "Uploaded spreadsheet"
        DEMO = "demo", "Demo data"

    return_value = models.ForeignKey(
        ReturnValue, on_delete=models.CASCADE, related_name="changes"
    )
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    value = models.DecimalField(max_digits=18, decimal_places=6, null=True)
    missing_reason = models.TextField(blank=True)
    warning_reason = models.TextField(blank=True)
    via = models.CharField(max_length=12, choices=Via.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.return_value} at {self.changed_at:%Y-%m-%d %H:%M}"

    @property
    def display(self) -> str:
        return self.return_value.indicator.format_value(self.value)


class ReturnTransition(models.Model):
    """An audit record of one change of a return's status."""

    return_obj = models.ForeignKey(
        Return,
        on_delete=models.CASCADE,
        related_name="transitions",
        db_column="return_id",
    )
    from_status = models.CharField(max_length=12, choices=ReturnStatus.choices)
    to_status = models.CharField(max_length=12, choices=ReturnStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.return_obj}: {self.from_status} to {self.to_status}"
