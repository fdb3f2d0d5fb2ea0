"""Reads for returns, scoped to the user asking.

These are the only way views reach a return: an LA's staff see their own LA's
returns, the RIA team sees every return, and anyone else sees none. A return
someone may not see is a 404, so that its existence does not leak.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from authorities.models import LocalAuthority, User

from .models import (
    Indicator,
    Period,
    Return,
    ReturnStatus,
    ReturnTransition,
    ReturnValue,
    SourceCollection,
    ValueChange,
)


def returns_for_user(user: User) -> QuerySet[Return]:
    returns = Return.objects.select_related("authority", "period").prefetch_related(
        "period__extensions"
    )
    if not user.is_authenticated or not user.is_active:
        return returns.none()
    if user.is_ria_team:
        return returns
    if user.is_la_user:
        return returns.filter(authority_id=user.authority_id)
    return returns.none()


def return_get_for_user(*, user: User, pk: int) -> Return:
    """A return `user` may read, or 404."""
    try:
        return returns_for_user(user).get(pk=pk)
    except Return.DoesNotExist:
        raise Http404("No such return")


def return_get_for_la_editing(*, user: User, pk: int) -> Return:
    """A return of the user's own LA that they may edit: 404 if they cannot see
    it, 403 if they can see it but their role only reads."""
    ret = return_get_for_user(user=user, pk=pk)
    if not (user.can_edit_la_work and user.authority_id == ret.authority_id):
        raise PermissionDenied("Only your LA’s editors and approvers can do that.")
    return ret


def return_get_for_analyst(*, user: User, pk: int) -> Return:
    """A return the analyst acts on: 404 if not visible, 403 for other roles."""
    ret = return_get_for_user(user=user, pk=pk)
    if not user.is_analyst:
        raise PermissionDenied("Only the RIA data analyst can do that.")
    return ret


def return_values_by_indicator(ret: Return) -> dict[int, ReturnValue]:
    return {v.indicator_id: v for v in ret.values.select_related("indicator")}


@dataclass
class IndicatorGroup:
    """The indicators of one source collection: one task in the task list."""

    source: str
    label: str
    indicators: list[Indicator]
    values: dict[int, ReturnValue]

    @property
    def answered(self) -> int:
        return sum(1 for i in self.indicators if self._answered(i))

    def _answered(self, indicator: Indicator) -> bool:
        value = self.values.get(indicator.pk)
        return value is not None and value.is_answered

    @property
    def status(self) -> str:
        if self.answered == 0:
            return "Not started"
        if self.answered < len(self.indicators):
            return "In progress"
        return "Completed"

    @property
    def rows(self) -> list[tuple[Indicator, ReturnValue | None]]:
        return [(i, self.values.get(i.pk)) for i in self.indicators]


def return_groups(ret: Return) -> list[IndicatorGroup]:
    """The return's core indicators grouped by source collection, in order."""
    values = return_values_by_indicator(ret)
    by_source = defaultdict(list)
    for indicator in Indicator.objects.core():
        by_source[indicator.source].append(indicator)
    return [
        IndicatorGroup(
            source, SourceCollection(source).label, by_source[source], values
        )
        for source in SourceCollection.values
        if by_source[source]
    ]


def return_group(ret: Return, source: str) -> IndicatorGroup:
    for group in return_groups(ret):
        if group.source == source:
            return group
    raise Http404("No such group of indicators")


@dataclass
class WarningContext:
    """What a new value is compared with for soft warnings."""

    own_history: dict[int, list[Decimal]]
    london_range: dict[int, tuple[Decimal, Decimal]]


def warning_context(ret: Return) -> WarningContext:
    """The LA's accepted values of the four quarters before this one, and the
    London range of the latest accepted quarter before it."""
    earlier = list(
        Period.objects.quarterly()
        .filter(start_date__lt=ret.period.start_date)
        .order_by("-start_date")
        .values_list("pk", flat=True)[:4]
    )
    own_history = defaultdict(list)
    own_values = ReturnValue.objects.filter(
        return_obj__authority_id=ret.authority_id,
        return_obj__period_id__in=earlier,
        return_obj__status=ReturnStatus.ACCEPTED,
        value__isnull=False,
    ).values_list("indicator_id", "value")
    for indicator_id, value in own_values:
        own_history[indicator_id].append(value)

    london_range = {}
    latest = (
        Period.objects.quarterly()
        .filter(
            start_date__lt=ret.period.start_date,
            returns__status=ReturnStatus.ACCEPTED,
        )
        .order_by("-start_date")
        .first()
    )
    if latest is not None:
        london_values = ReturnValue.objects.filter(
            return_obj__period=latest,
            return_obj__status=ReturnStatus.ACCEPTED,
            value__isnull=False,
        ).values_list("indicator_id", "value")
        collected = defaultdict(list)
        for indicator_id, value in london_values:
            collected[indicator_id].append(value)
        london_range = {k: (min(v), max(v)) for k, v in collected.items()}

    return WarningContext(dict(own_history), london_range)


@dataclass
class GridCell:
    ret: Return | None
    late: bool
    overdue: bool


def status_grid(
    *, user: User, periods: list[Period]
) -> list[tuple[LocalAuthority, list[GridCell]]]:
    """Rows of LAs, one cell per quarter: the analyst's view of every return."""
    returns = returns_for_user(user).filter(period__in=periods)
    by_key = {(r.authority_id, r.period_id): r for r in returns}

    rows = []
    for authority in LocalAuthority.objects.all():
        cells = []
        for period in periods:
            ret = by_key.get((authority.pk, period.pk))
            cells.append(
                GridCell(
                    ret=ret,
                    late=bool(ret and ret.was_late),
                    overdue=bool(ret and ret.is_overdue()),
                )
            )
        rows.append((authority, cells))
    return rows


def return_value_history(ret: Return) -> QuerySet[ValueChange]:
    """Every saved state of the return's values, newest first."""
    return ValueChange.objects.filter(return_value__return_obj=ret).select_related(
        "return_value__indicator", "changed_by"
    )


@dataclass
class DatasetTable:
    """Accepted values for one quarter: LAs as rows, indicators as columns."""

    period: Period
    indicators: list[Indicator]
    rows: list[tuple[LocalAuthority, list[ReturnValue | None]]]

    def csv_rows(self):
        for authority, values in self.rows:
            for indicator, value in zip(self.indicators, values, strict=True):
                if value is None:
                    continue
                yield [
                    self.period.label,
                    authority.dfe_code,
                    authority.name,
                    indicator.code,
                    value.numerator,
                    value.denominator,
                    value.value,
                    value.missing_reason,
                ]


def accepted_dataset(period: Period) -> DatasetTable:
    """The accepted returns of `period`; LAs not yet accepted have no row."""
    indicators = list(Indicator.objects.core())
    values = ReturnValue.objects.filter(
        return_obj__period=period, return_obj__status=ReturnStatus.ACCEPTED
    ).select_related("indicator", "return_obj")
    by_authority = defaultdict(dict)
    for value in values:
        by_authority[value.return_obj.authority_id][value.indicator_id] = value

    authorities = LocalAuthority.objects.filter(pk__in=by_authority.keys())
    rows = [
        (a, [by_authority[a.pk].get(i.pk) for i in indicators]) for a in authorities
    ]
    return DatasetTable(period, indicators, rows)


def return_open_question(ret: Return) -> ReturnTransition | None:
    """The analyst's latest question or reason for reopening, while the LA has
    not yet resubmitted; None otherwise.

    It stays open after the LA's first change moves the return back to "in
    progress", so the LA still sees it and must answer it when resubmitting.
    """
    latest = (
        ret.transitions.filter(
            to_status__in=[
                ReturnStatus.QUERIED,
                ReturnStatus.REOPENED,
                ReturnStatus.SUBMITTED,
            ]
        )
        .select_related("actor")
        .first()
    )
    if latest is None or latest.to_status == ReturnStatus.SUBMITTED:
        return None
    return latest
