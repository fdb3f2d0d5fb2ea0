"""Writes for periods and quarterly returns.

Every change of a return's status goes through `return_transition`, which
checks the workflow of DESIGN.md section 8 and records who, when and why.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from authorities.models import LocalAuthority, User

from .models import (
    Indicator,
    Period,
    PeriodChange,
    PeriodExtension,
    Return,
    ReturnStatus,
    ReturnTransition,
    ReturnValue,
    ValueChange,
)
from .periods import DEFAULT_CLOSE_AFTER_DUE, DEFAULT_DUE_AFTER, PeriodKey
from .validation import CleanEntry

logger = logging.getLogger(__name__)

S = ReturnStatus


class ReturnError(Exception):
    """Something the user asked for that the workflow does not allow.

    The message is written for the user and shown as it is.
    """


class ReturnConflict(ReturnError):
    """Someone else saved values the user had not seen when they typed theirs."""


# Who may move a return from one status to the next: the LA's editors and
# approvers ("la"), or the analyst.
TRANSITIONS = {
    (S.NOT_STARTED, S.IN_PROGRESS): "la",
    (S.IN_PROGRESS, S.SUBMITTED): "la",
    (S.QUERIED, S.IN_PROGRESS): "la",
    (S.REOPENED, S.IN_PROGRESS): "la",
    (S.SUBMITTED, S.ACCEPTED): "analyst",
    (S.SUBMITTED, S.QUERIED): "analyst",
    (S.ACCEPTED, S.REOPENED): "analyst",
}

# Transitions that must say why.
REASON_REQUIRED = {S.QUERIED: "a question for the LA", S.REOPENED: "a reason"}

EDITABLE_STATUSES = {S.NOT_STARTED, S.IN_PROGRESS, S.QUERIED, S.REOPENED}


def may_act(user: User, ret: Return, who: str) -> bool:
    if who == "la":
        return user.can_edit_la_work and user.authority_id == ret.authority_id
    return user.is_analyst


def transition_allowed(ret: Return, to_status: str, user: User) -> bool:
    who = TRANSITIONS.get((ret.status, to_status))
    return who is not None and may_act(user, ret, who)


def return_transition(
    *, ret: Return, to_status: str, actor: User, reason: str = ""
) -> ReturnTransition:
    """Move `ret` to `to_status`, or raise ReturnError saying why not.

    The caller holds the return's row lock (see `_locked`).
    """
    from_status = ret.status
    if (from_status, to_status) not in TRANSITIONS:
        raise ReturnError(
            f"A return that is {S(from_status).label.lower()} cannot become "
            f"{S(to_status).label.lower()}."
        )
    if not transition_allowed(ret, to_status, actor):
        raise ReturnError("You do not have permission to do that to this return.")
    if to_status in REASON_REQUIRED and not reason.strip():
        raise ReturnError(f"Enter {REASON_REQUIRED[to_status]}.")

    ret.status = to_status
    now = timezone.now()
    if to_status == S.SUBMITTED:
        ret.submitted_at = now
        ret.first_submitted_at = ret.first_submitted_at or now
    if to_status == S.ACCEPTED:
        ret.accepted_at = now
    if to_status == S.REOPENED:
        ret.accepted_at = None
    ret.save(
        update_fields=[
            "status",
            "submitted_at",
            "first_submitted_at",
            "accepted_at",
            "updated_at",
        ]
    )

    logger.info(
        "Return %s (%s %s) moved from %s to %s by user %s",
        ret.pk,
        ret.authority.dfe_code,
        ret.period.label,
        from_status,
        to_status,
        actor.pk,
    )
    return ReturnTransition.objects.create(
        return_obj=ret,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=now,
        reason=reason.strip(),
    )


def _locked(ret: Return) -> Return:
    return (
        Return.objects.select_for_update(of=("self",))
        .select_related("authority", "period")
        .get(pk=ret.pk)
    )


def return_edit_problem(
    ret: Return, user: User, today: datetime.date | None = None
) -> str:
    """Why `user` cannot change `ret`'s values now, or "" if they can."""
    if not (user.can_edit_la_work and user.authority_id == ret.authority_id):
        return "Only your LA’s editors and approvers can change this return."
    if ret.status not in EDITABLE_STATUSES:
        if ret.status == S.ACCEPTED:
            return (
                "This return has been accepted and is locked. Ask the RIA data "
                "analyst to reopen it if something needs to change."
            )
        return (
            "This return has been submitted. The RIA data analyst will accept it "
            "or send it back with a question."
        )
    if (today or timezone.localdate()) < ret.period.opens_on:
        return f"This return opens on {ret.period.opens_on:%-d %B %Y}."
    if ret.edits_closed(today):
        return (
            f"Edits to this return closed on {ret.edits_close_on:%-d %B %Y}. Ask the "
            "RIA data analyst for an extension."
        )
    return ""


def return_save_values(
    *,
    ret: Return,
    actor: User,
    entries: dict[Indicator, CleanEntry],
    via: str = ValueChange.Via.BROWSER,
    today: datetime.date | None = None,
    seen_version: tuple[list[Indicator], int] | None = None,
) -> int:
    """Save validated entries, keeping a history of every change.

    All entries are saved or none are. Returns how many values changed. The
    first change moves a new, queried or reopened return to "in progress".
    `today` is the date the edit-close rule is checked against (the demo seed
    enters past quarters as of their collection); by default, the real date.

    `seen_version` is (indicators, version) as the user's page showed them;
    if anyone has saved one of those indicators since, nothing is saved and
    ReturnConflict is raised, so one person cannot silently undo another's
    figures.
    """
    with transaction.atomic():
        ret = _locked(ret)
        problem = return_edit_problem(ret, actor, today)
        if problem:
            raise ReturnError(problem)
        if seen_version is not None:
            indicators, version = seen_version
            if _saved_since(ret, indicators, version):
                raise ReturnConflict(
                    "Someone else saved figures for these indicators after you "
                    "opened them here. Yours have not been saved: check them "
                    "against the return, then save again (for a spreadsheet, "
                    "download a new template and copy your figures into it)."
                )

        existing = {v.indicator_id: v for v in ret.values.all()}
        changed = 0
        now = timezone.now()
        for indicator, entry in entries.items():
            stored = existing.get(indicator.pk) or ReturnValue(
                return_obj=ret, indicator=indicator
            )
            if stored.pk and not _differs(stored, entry):
                continue
            if changed == 0 and ret.status != S.IN_PROGRESS:
                return_transition(
                    ret=ret,
                    to_status=S.IN_PROGRESS,
                    actor=actor,
                    reason=_restart_reason(ret.status),
                )

            stored.numerator = entry.numerator
            stored.denominator = entry.denominator
            stored.value = _stored_value(entry.value)
            stored.missing_reason = entry.missing_reason
            stored.warning_reason = entry.warning_reason
            stored.updated_by = actor
            stored.save()
            ValueChange.objects.create(
                return_value=stored,
                numerator=stored.numerator,
                denominator=stored.denominator,
                value=stored.value,
                missing_reason=stored.missing_reason,
                warning_reason=stored.warning_reason,
                via=via,
                changed_by=actor,
                changed_at=now,
            )
            changed += 1

    if changed:
        logger.info(
            "Return %s: %s values changed by user %s", ret.pk, changed, actor.pk
        )
    return changed


def return_entries_changing(
    ret: Return, entries: dict[Indicator, CleanEntry]
) -> list[Indicator]:
    """The indicators whose saved answer these entries would change."""
    stored = {v.indicator_id: v for v in ret.values.all()}
    return [
        indicator
        for indicator, entry in entries.items()
        if indicator.pk not in stored or _differs(stored[indicator.pk], entry)
    ]


def _saved_since(ret: Return, indicators: list[Indicator], version: int) -> bool:
    return ValueChange.objects.filter(
        return_value__return_obj=ret,
        return_value__indicator__in=indicators,
        pk__gt=version,
    ).exists()


def values_version(ret: Return, indicators: list[Indicator]) -> int:
    """A number that changes whenever any of these indicators' values is saved."""
    latest = (
        ValueChange.objects.filter(
            return_value__return_obj=ret, return_value__indicator__in=indicators
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest or 0


def _stored_value(value: Decimal | None) -> Decimal | None:
    # The column keeps six places; round the same way the database would, so
    # that comparing with what is stored does not see phantom changes.
    return None if value is None else value.quantize(Decimal("0.000001"))


def _differs(stored: ReturnValue, entry: CleanEntry) -> bool:
    return (
        stored.numerator != entry.numerator
        or stored.denominator != entry.denominator
        or stored.value != _stored_value(entry.value)
        or stored.missing_reason != entry.missing_reason
        or stored.warning_reason != entry.warning_reason
    )


def _restart_reason(status: str) -> str:
    if status == S.QUERIED:
        return "Values changed in answer to the analyst’s query"
    if status == S.REOPENED:
        return "Values changed after the return was reopened"
    return "First values entered"


def return_unanswered(
    ret: Return, *, core: list[Indicator] | None = None
) -> list[Indicator]:
    """Core indicators that have neither a value nor a reason it is missing.

    A page listing many returns passes the `core` indicators it read once,
    rather than reading them again for every return.
    """
    if core is None:
        core = list(Indicator.objects.core())
    answered = {v.indicator_id for v in ret.values.all() if v.is_answered}
    return [i for i in core if i.pk not in answered]


def return_submit(
    *, ret: Return, actor: User, note: str = "", today: datetime.date | None = None
) -> Return:
    """Submit a complete return to the analyst.

    A queried or reopened return passes through "in progress" first, with the
    LA's note as the reason, so the history reads as the workflow does.
    `today` is as for `return_save_values`.
    """
    with transaction.atomic():
        ret = _locked(ret)
        problem = return_edit_problem(ret, actor, today)
        if problem:
            raise ReturnError(problem)

        unanswered = return_unanswered(ret)
        if unanswered:
            names = ", ".join(i.name for i in unanswered)
            raise ReturnError(
                f"Answer every indicator before you submit. Still to answer: {names}."
            )

        if ret.status in {S.QUERIED, S.REOPENED}:
            return_transition(
                ret=ret, to_status=S.IN_PROGRESS, actor=actor, reason=note
            )
        if ret.status != S.IN_PROGRESS:
            raise ReturnError("Enter the return’s values before you submit it.")
        return_transition(ret=ret, to_status=S.SUBMITTED, actor=actor, reason=note)
    return ret


def return_accept(*, ret: Return, actor: User, note: str = "") -> Return:
    """Accept a submitted return, which locks it."""
    with transaction.atomic():
        ret = _locked(ret)
        return_transition(ret=ret, to_status=S.ACCEPTED, actor=actor, reason=note)
    return ret


def return_query(*, ret: Return, actor: User, message: str) -> Return:
    """Send a submitted return back to the LA with a question."""
    with transaction.atomic():
        ret = _locked(ret)
        return_transition(ret=ret, to_status=S.QUERIED, actor=actor, reason=message)
    return ret


def return_reopen(*, ret: Return, actor: User, reason: str) -> Return:
    """Unlock an accepted return so the LA can change it."""
    with transaction.atomic():
        ret = _locked(ret)
        return_transition(ret=ret, to_status=S.REOPENED, actor=actor, reason=reason)
    return ret


def period_get_or_create(key: PeriodKey) -> Period:
    """The period for `key`, created with default dates if new.

    A new quarter also gets a "not started" return for every LA.
    """
    due_on = close_on = None
    if key.quarter is not None:
        due_on = key.end_date + DEFAULT_DUE_AFTER
        close_on = due_on + DEFAULT_CLOSE_AFTER_DUE

    with transaction.atomic():
        period, created = Period.objects.get_or_create(
            label=key.label,
            defaults={
                "slug": key.slug,
                "kind": Period.Kind.QUARTER if key.quarter else Period.Kind.YEAR,
                "year_start": key.year_start,
                "quarter": key.quarter,
                "start_date": key.start_date,
                "end_date": key.end_date,
                "due_on": due_on,
                "edits_close_on": close_on,
            },
        )
        if period.is_quarter:
            have = set(period.returns.values_list("authority_id", flat=True))
            Return.objects.bulk_create(
                Return(authority=authority, period=period)
                for authority in LocalAuthority.objects.exclude(pk__in=have)
            )
    if created:
        logger.info("Period %s created", period.label)
    return period


def period_set_dates(
    *, period: Period, due_on: datetime.date, edits_close_on: datetime.date, actor: User
) -> Period:
    """Set a quarter's due and edit-close dates."""
    if edits_close_on < due_on:
        raise ReturnError("Edits cannot close before the due date.")
    before = f"due {_day(period.due_on)}, edits closing {_day(period.edits_close_on)}"
    with transaction.atomic():
        period.due_on = due_on
        period.edits_close_on = edits_close_on
        period.save(update_fields=["due_on", "edits_close_on"])
        PeriodChange.objects.create(
            period=period,
            actor=actor,
            description=(
                f"Dates changed from {before} to due {_day(due_on)}, edits "
                f"closing {_day(edits_close_on)}."
            ),
        )
    logger.info(
        "Period %s dates set to due %s, close %s by user %s",
        period.label,
        due_on,
        edits_close_on,
        actor.pk,
    )
    return period


def extension_grant(
    *,
    period: Period,
    authority: LocalAuthority,
    until: datetime.date,
    reason: str,
    actor: User,
) -> PeriodExtension:
    """Give one LA a later due and edit-close date for one quarter."""
    if period.due_on and until <= period.due_on:
        raise ReturnError(
            f"An extension must run past the due date, {period.due_on:%-d %B %Y}."
        )
    if not reason.strip():
        raise ReturnError("Enter the reason for the extension.")

    earlier = PeriodExtension.objects.filter(period=period, authority=authority).first()
    with transaction.atomic():
        extension, _ = PeriodExtension.objects.update_or_create(
            period=period,
            authority=authority,
            defaults={
                "until": until,
                "reason": reason.strip(),
                "granted_by": actor,
                "granted_at": timezone.now(),
            },
        )
        replaced = f", replacing one until {_day(earlier.until)}" if earlier else ""
        PeriodChange.objects.create(
            period=period,
            actor=actor,
            description=(
                f"Extension for {authority.name} until {_day(until)}{replaced}: "
                f"{reason.strip()}"
            ),
        )
    logger.info(
        "Extension for %s in %s until %s granted by user %s",
        authority.dfe_code,
        period.label,
        until,
        actor.pk,
    )
    return extension


def _day(date: datetime.date | None) -> str:
    return f"{date:%-d %B %Y}" if date else "not set"
