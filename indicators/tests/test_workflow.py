"""The quarterly return workflow (DESIGN.md section 8) and the selectors that
decide who may see and change a return (section 2)."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from authorities.models import LocalAuthority
from indicators import selectors, services
from indicators.models import (
    Indicator,
    Period,
    PeriodExtension,
    Return,
    ReturnStatus,
    ReturnTransition,
    ReturnValue,
    ValueChange,
)
from indicators.periods import PeriodKey
from indicators.services import ReturnError
from indicators.validation import CleanEntry, RawEntry, validate_entry

S = ReturnStatus
D = Decimal
DAY = datetime.timedelta(days=1)

PERSONAS = ["editor", "approver", "viewer", "outsider", "analyst", "manager", "dfe"]
LA_ACTORS = {"editor", "approver"}

# The workflow as DESIGN.md section 8 draws it, written out again here so that
# a change to services.TRANSITIONS has to be made twice to pass unnoticed.
WORKFLOW = {
    (S.NOT_STARTED, S.IN_PROGRESS): LA_ACTORS,
    (S.IN_PROGRESS, S.SUBMITTED): LA_ACTORS,
    (S.QUERIED, S.IN_PROGRESS): LA_ACTORS,
    (S.REOPENED, S.IN_PROGRESS): LA_ACTORS,
    (S.SUBMITTED, S.ACCEPTED): {"analyst"},
    (S.SUBMITTED, S.QUERIED): {"analyst"},
    (S.ACCEPTED, S.REOPENED): {"analyst"},
}

ALLOWED = [
    (from_status, to_status, persona)
    for (from_status, to_status), personas in WORKFLOW.items()
    for persona in sorted(personas)
]
NOT_THEIRS = [
    (from_status, to_status, persona)
    for (from_status, to_status), personas in WORKFLOW.items()
    for persona in PERSONAS
    if persona not in personas
]
OUTSIDE_WORKFLOW = [
    (from_status, to_status, persona)
    for from_status, to_status in itertools.product(S, S)
    if (from_status, to_status) not in WORKFLOW
    for persona in PERSONAS
]


@pytest.fixture
def islington_return(quarter, islington):
    return quarter.returns.get(authority=islington)


@pytest.fixture
def core():
    return list(Indicator.objects.core())


def user_for(request, name):
    return request.getfixturevalue(name)


def set_status(ret, status):
    """Put a return straight into a status, as if the workflow had got there."""
    Return.objects.filter(pk=ret.pk).update(status=status)
    ret.refresh_from_db()
    return ret


def set_dates(period, *, due_on, edits_close_on):
    Period.objects.filter(pk=period.pk).update(
        due_on=due_on, edits_close_on=edits_close_on
    )
    period.refresh_from_db()


def close_edits(period):
    """Edits closed yesterday, after the return fell due."""
    today = timezone.localdate()
    set_dates(period, due_on=today - 10 * DAY, edits_close_on=today - DAY)


def fraction(indicator, numerator, denominator, **extra):
    numerator, denominator = D(numerator), D(denominator)
    return CleanEntry(
        numerator=numerator,
        denominator=denominator,
        value=indicator.derive_value(numerator, denominator),
        **extra,
    )


def all_answered(core, numerator=45, denominator=180):
    return {i: fraction(i, numerator, denominator) for i in core}


def trail(ret):
    """The return's transitions, oldest first, as (from, to, reason)."""
    return [
        (t.from_status, t.to_status, t.reason)
        for t in ReturnTransition.objects.filter(return_obj=ret).order_by("at", "pk")
    ]


def reload(ret):
    return Return.objects.get(pk=ret.pk)


# The transitions themselves


def test_the_services_follow_the_workflow_in_the_design():
    expected = {
        pair: ("la" if personas == LA_ACTORS else "analyst")
        for pair, personas in WORKFLOW.items()
    }

    assert expected == services.TRANSITIONS


@pytest.mark.parametrize(("from_status", "to_status", "who"), ALLOWED)
def test_each_allowed_transition_is_made_by_those_it_belongs_to(
    request, camden_return, from_status, to_status, who
):
    actor = user_for(request, who)
    ret = set_status(camden_return, from_status)
    before = timezone.now()

    record = services.return_transition(
        ret=ret, to_status=to_status, actor=actor, reason="  Because.  "
    )

    assert reload(ret).status == to_status
    assert record.return_obj == ret
    assert (record.from_status, record.to_status) == (from_status, to_status)
    assert record.actor == actor
    assert before <= record.at <= timezone.now()
    assert record.reason == "Because."
    assert trail(ret) == [(from_status, to_status, "Because.")]


@pytest.mark.parametrize(("from_status", "to_status", "who"), NOT_THEIRS)
def test_an_allowed_transition_is_refused_to_everyone_else(
    request, camden_return, from_status, to_status, who
):
    ret = set_status(camden_return, from_status)

    with pytest.raises(ReturnError, match="do not have permission"):
        services.return_transition(
            ret=ret, to_status=to_status, actor=user_for(request, who), reason="Why"
        )

    assert reload(ret).status == from_status
    assert trail(ret) == []


@pytest.mark.parametrize(("from_status", "to_status", "who"), OUTSIDE_WORKFLOW)
def test_a_change_outside_the_workflow_is_refused_to_everyone(
    request, camden_return, from_status, to_status, who
):
    ret = set_status(camden_return, from_status)

    with pytest.raises(ReturnError, match="cannot become"):
        services.return_transition(
            ret=ret, to_status=to_status, actor=user_for(request, who), reason="Why"
        )

    assert reload(ret).status == from_status
    assert trail(ret) == []


def test_the_refusal_names_both_statuses(camden_return, analyst):
    with pytest.raises(ReturnError) as refused:
        services.return_transition(
            ret=camden_return, to_status=S.ACCEPTED, actor=analyst
        )

    assert str(refused.value) == "A return that is not started cannot become accepted."


def test_a_transition_without_a_reason_records_an_empty_one(camden_return, editor):
    services.return_transition(ret=camden_return, to_status=S.IN_PROGRESS, actor=editor)

    assert trail(camden_return) == [(S.NOT_STARTED, S.IN_PROGRESS, "")]


# Submitting


def test_an_editor_submits_a_complete_return(camden_return, editor, core):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    before = timezone.now()

    services.return_submit(ret=camden_return, actor=editor, note="All checked.")

    ret = reload(camden_return)
    assert ret.status == S.SUBMITTED
    assert before <= ret.submitted_at <= timezone.now()
    assert trail(ret)[-1] == (S.IN_PROGRESS, S.SUBMITTED, "All checked.")
    assert ret.transitions.first().actor == editor


def test_an_approver_may_submit_too(camden_return, approver, core):
    services.return_save_values(
        ret=camden_return, actor=approver, entries=all_answered(core)
    )

    services.return_submit(ret=camden_return, actor=approver)

    assert reload(camden_return).status == S.SUBMITTED


def test_submitting_needs_every_core_indicator_answered(camden_return, editor, core):
    entries = all_answered(core)
    del entries[core[0]], entries[core[-1]]
    services.return_save_values(ret=camden_return, actor=editor, entries=entries)

    with pytest.raises(ReturnError) as refused:
        services.return_submit(ret=camden_return, actor=editor)

    assert str(refused.value) == (
        "Answer every indicator before you submit. Still to answer: "
        f"{core[0].name}, {core[-1].name}."
    )
    assert reload(camden_return).status == S.IN_PROGRESS


def test_an_empty_return_cannot_be_submitted(camden_return, editor):
    with pytest.raises(ReturnError, match="Answer every indicator"):
        services.return_submit(ret=camden_return, actor=editor)

    assert reload(camden_return).status == S.NOT_STARTED


def test_a_missing_value_with_a_reason_counts_as_an_answer(camden_return, editor, core):
    entries = all_answered(core)
    entries[core[0]] = CleanEntry(missing_reason="Not collected this quarter")
    services.return_save_values(ret=camden_return, actor=editor, entries=entries)

    services.return_submit(ret=camden_return, actor=editor)

    assert reload(camden_return).status == S.SUBMITTED


def test_a_not_started_return_with_values_cannot_skip_in_progress(
    camden_return, editor, core
):
    # Only possible if values arrive without the service, but the workflow
    # must still hold.
    for indicator in core:
        ReturnValue.objects.create(
            return_obj=camden_return, indicator=indicator, value=D(1)
        )

    with pytest.raises(ReturnError, match="Enter the return’s values"):
        services.return_submit(ret=camden_return, actor=editor)

    assert reload(camden_return).status == S.NOT_STARTED


@pytest.mark.parametrize("who", sorted(set(PERSONAS) - LA_ACTORS))
def test_only_the_las_editors_and_approvers_may_submit(
    request, camden_return, editor, core, who
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    with pytest.raises(ReturnError, match="Only your LA’s editors and approvers"):
        services.return_submit(ret=camden_return, actor=user_for(request, who))

    assert reload(camden_return).status == S.IN_PROGRESS


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (S.SUBMITTED, "has been submitted"),
        (S.ACCEPTED, "has been accepted and is locked"),
    ],
)
def test_a_return_with_the_analyst_cannot_be_submitted_again(
    camden_return, editor, core, status, message
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    set_status(camden_return, status)

    with pytest.raises(ReturnError, match=message):
        services.return_submit(ret=camden_return, actor=editor)

    assert reload(camden_return).status == status


@pytest.mark.parametrize("sent_back", [S.QUERIED, S.REOPENED])
def test_a_return_sent_back_is_resubmitted_through_in_progress(
    camden_return, editor, core, sent_back
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    set_status(camden_return, sent_back)
    ReturnTransition.objects.all().delete()

    services.return_submit(ret=camden_return, actor=editor, note="Figures confirmed.")

    assert reload(camden_return).status == S.SUBMITTED
    assert trail(camden_return) == [
        (sent_back, S.IN_PROGRESS, "Figures confirmed."),
        (S.IN_PROGRESS, S.SUBMITTED, "Figures confirmed."),
    ]


# The analyst's decisions


@pytest.fixture
def submitted(camden_return, editor, core):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    services.return_submit(ret=camden_return, actor=editor)
    return reload(camden_return)


@pytest.fixture
def accepted(submitted, analyst):
    services.return_accept(ret=submitted, actor=analyst)
    return reload(submitted)


def test_the_analyst_accepts_a_submitted_return(submitted, analyst):
    before = timezone.now()

    services.return_accept(ret=submitted, actor=analyst, note="Thank you.")

    ret = reload(submitted)
    assert ret.status == S.ACCEPTED
    assert before <= ret.accepted_at <= timezone.now()
    last = ret.transitions.first()
    assert (last.from_status, last.to_status, last.reason) == (
        S.SUBMITTED,
        S.ACCEPTED,
        "Thank you.",
    )
    assert last.actor == analyst


def test_the_analyst_queries_a_submitted_return_with_a_question(submitted, analyst):
    services.return_query(
        ret=submitted, actor=analyst, message="Why did referrals double?"
    )

    ret = reload(submitted)
    assert ret.status == S.QUERIED
    assert trail(ret)[-1] == (S.SUBMITTED, S.QUERIED, "Why did referrals double?")


@pytest.mark.parametrize("message", ["", "   "])
def test_a_query_needs_a_question(submitted, analyst, message):
    with pytest.raises(ReturnError, match="Enter a question for the LA"):
        services.return_query(ret=submitted, actor=analyst, message=message)

    assert reload(submitted).status == S.SUBMITTED
    assert ReturnTransition.objects.filter(to_status=S.QUERIED).count() == 0


def test_the_analyst_reopens_an_accepted_return_with_a_reason(accepted, analyst):
    services.return_reopen(ret=accepted, actor=analyst, reason="CIN census revised.")

    ret = reload(accepted)
    assert ret.status == S.REOPENED
    assert ret.accepted_at is None
    assert trail(ret)[-1] == (S.ACCEPTED, S.REOPENED, "CIN census revised.")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(accepted, analyst, reason):
    with pytest.raises(ReturnError, match="Enter a reason"):
        services.return_reopen(ret=accepted, actor=analyst, reason=reason)

    assert reload(accepted).status == S.ACCEPTED
    assert reload(accepted).accepted_at is not None


NOT_ANALYST = sorted(set(PERSONAS) - {"analyst"})


@pytest.mark.parametrize("who", NOT_ANALYST)
def test_only_the_analyst_accepts(request, submitted, who):
    with pytest.raises(ReturnError, match="do not have permission"):
        services.return_accept(ret=submitted, actor=user_for(request, who))

    assert reload(submitted).status == S.SUBMITTED
    assert reload(submitted).accepted_at is None


@pytest.mark.parametrize("who", NOT_ANALYST)
def test_only_the_analyst_queries(request, submitted, who):
    with pytest.raises(ReturnError, match="do not have permission"):
        services.return_query(
            ret=submitted, actor=user_for(request, who), message="Why?"
        )

    assert reload(submitted).status == S.SUBMITTED


@pytest.mark.parametrize("who", NOT_ANALYST)
def test_only_the_analyst_reopens(request, accepted, who):
    with pytest.raises(ReturnError, match="do not have permission"):
        services.return_reopen(
            ret=accepted, actor=user_for(request, who), reason="Because"
        )

    assert reload(accepted).status == S.ACCEPTED


def test_a_return_still_with_the_la_cannot_be_accepted_or_queried(
    camden_return, analyst
):
    set_status(camden_return, S.IN_PROGRESS)

    with pytest.raises(ReturnError, match="cannot become accepted"):
        services.return_accept(ret=camden_return, actor=analyst)
    with pytest.raises(ReturnError, match="cannot become queried"):
        services.return_query(ret=camden_return, actor=analyst, message="Why?")


def test_only_an_accepted_return_can_be_reopened(submitted, analyst):
    with pytest.raises(ReturnError, match="cannot become reopened"):
        services.return_reopen(ret=submitted, actor=analyst, reason="Because")


def test_the_whole_history_reads_as_the_workflow(camden_return, editor, analyst, core):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    services.return_submit(ret=camden_return, actor=editor)
    services.return_query(ret=camden_return, actor=analyst, message="Check CLA.")
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core, 40, 180)
    )
    services.return_submit(ret=camden_return, actor=editor, note="CLA corrected.")
    services.return_accept(ret=camden_return, actor=analyst)

    assert [(f, t) for f, t, _ in trail(camden_return)] == [
        (S.NOT_STARTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.SUBMITTED),
        (S.SUBMITTED, S.QUERIED),
        (S.QUERIED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.SUBMITTED),
        (S.SUBMITTED, S.ACCEPTED),
    ]
    actors = [t.actor for t in camden_return.transitions.order_by("at", "pk")]
    assert actors == [editor, editor, analyst, editor, editor, analyst]


# Saving values


def test_saving_values_keeps_each_one_and_its_history(camden_return, editor, core):
    referrals, rereferrals = core[0], core[1]

    changed = services.return_save_values(
        ret=camden_return,
        actor=editor,
        entries={
            referrals: fraction(referrals, 2150, 43000),
            rereferrals: CleanEntry(missing_reason="System migration"),
        },
    )

    assert changed == 2
    stored = {v.indicator: v for v in camden_return.values.all()}
    assert stored[referrals].value == D(500)
    assert stored[referrals].numerator == D(2150)
    assert stored[referrals].denominator == D(43000)
    assert stored[referrals].updated_by == editor
    assert stored[rereferrals].value is None
    assert stored[rereferrals].missing_reason == "System migration"

    history = ValueChange.objects.get(return_value=stored[referrals])
    assert (history.numerator, history.denominator, history.value) == (
        D(2150),
        D(43000),
        D(500),
    )
    assert history.changed_by == editor
    assert history.via == ValueChange.Via.BROWSER


def test_an_upload_is_recorded_as_coming_from_the_spreadsheet(
    camden_return, editor, core
):
    services.return_save_values(
        ret=camden_return,
        actor=editor,
        entries=all_answered(core[:1]),
        via=ValueChange.Via.SPREADSHEET,
    )

    assert ValueChange.objects.get().via == ValueChange.Via.SPREADSHEET


def test_saving_the_same_values_again_changes_nothing(camden_return, editor, core):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    transitions = ReturnTransition.objects.count()

    changed = services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    assert changed == 0
    assert ValueChange.objects.count() == len(core)
    assert ReturnTransition.objects.count() == transitions


def test_a_long_derived_value_is_not_seen_as_changed_when_saved_again(
    camden_return, editor, core
):
    # 1 in 3 has more places than the column keeps.
    entries = {core[1]: fraction(core[1], 1, 3)}
    services.return_save_values(ret=camden_return, actor=editor, entries=entries)

    entries = {core[1]: fraction(core[1], "1.0", "3.000")}
    assert (
        services.return_save_values(ret=camden_return, actor=editor, entries=entries)
        == 0
    )


def test_only_the_values_that_changed_get_history(camden_return, editor, core):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    entries = all_answered(core)
    entries[core[2]] = fraction(core[2], 50, 180)

    changed = services.return_save_values(
        ret=camden_return, actor=editor, entries=entries
    )

    assert changed == 1
    latest = ValueChange.objects.first()
    assert latest.return_value.indicator == core[2]
    assert latest.numerator == D(50)
    assert ValueChange.objects.filter(return_value__indicator=core[2]).count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"warning_reason": "A new team started"},
        {"missing_reason": "Not collected"},
    ],
)
def test_a_new_reason_alone_is_a_change(camden_return, editor, core, change):
    indicator = core[0]
    services.return_save_values(
        ret=camden_return, actor=editor, entries={indicator: fraction(indicator, 1, 2)}
    )
    if "missing_reason" in change:
        entry = CleanEntry(**change)
    else:
        entry = fraction(indicator, 1, 2, **change)

    changed = services.return_save_values(
        ret=camden_return, actor=editor, entries={indicator: entry}
    )

    assert changed == 1
    assert ValueChange.objects.count() == 2


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (S.NOT_STARTED, "First values entered"),
        (S.QUERIED, "Values changed in answer to the analyst’s query"),
        (S.REOPENED, "Values changed after the return was reopened"),
    ],
)
def test_the_first_change_moves_the_return_into_progress(
    camden_return, editor, core, status, reason
):
    set_status(camden_return, status)

    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    assert reload(camden_return).status == S.IN_PROGRESS
    assert trail(camden_return) == [(status, S.IN_PROGRESS, reason)]


def test_saving_a_return_in_progress_records_no_transition(camden_return, editor, core):
    set_status(camden_return, S.IN_PROGRESS)

    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    assert trail(camden_return) == []


def test_saving_nothing_new_leaves_a_queried_return_with_the_analyst(
    camden_return, editor, core
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    set_status(camden_return, S.QUERIED)

    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    assert reload(camden_return).status == S.QUERIED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.ACCEPTED])
def test_values_cannot_change_while_the_analyst_has_the_return(
    camden_return, editor, core, status
):
    set_status(camden_return, status)

    with pytest.raises(ReturnError):
        services.return_save_values(
            ret=camden_return, actor=editor, entries=all_answered(core)
        )

    assert not ReturnValue.objects.exists()
    assert reload(camden_return).status == status


@pytest.mark.parametrize("who", sorted(set(PERSONAS) - LA_ACTORS))
def test_only_the_las_editors_and_approvers_may_save_values(
    request, camden_return, core, who
):
    with pytest.raises(ReturnError, match="Only your LA’s editors and approvers"):
        services.return_save_values(
            ret=camden_return, actor=user_for(request, who), entries=all_answered(core)
        )

    assert not ReturnValue.objects.exists()
    assert not ValueChange.objects.exists()


def test_an_outsider_cannot_save_even_to_a_return_of_its_own_period(
    islington_return, editor, core
):
    with pytest.raises(ReturnError):
        services.return_save_values(
            ret=islington_return, actor=editor, entries=all_answered(core)
        )


def test_values_are_saved_all_together_or_not_at_all(
    camden_return, editor, core, monkeypatch
):
    record = ValueChange.objects.create
    calls = []

    def fail_on_the_third(**fields):
        calls.append(fields)
        if len(calls) == 3:
            raise RuntimeError("The database went away")
        return record(**fields)

    monkeypatch.setattr(ValueChange.objects, "create", fail_on_the_third)

    with pytest.raises(RuntimeError):
        services.return_save_values(
            ret=camden_return, actor=editor, entries=all_answered(core)
        )

    assert len(calls) == 3
    assert not ReturnValue.objects.exists()
    assert not ValueChange.objects.exists()
    assert reload(camden_return).status == S.NOT_STARTED
    assert trail(camden_return) == []


def test_the_largest_value_validation_allows_fits_the_database(camden_return, editor):
    caseload = Indicator.objects.get(code="SW_CASELOAD")
    result = validate_entry(
        caseload, RawEntry(numerator="9999999999", denominator="0.01")
    )

    services.return_save_values(
        ret=camden_return, actor=editor, entries={caseload: result.clean}
    )

    assert ReturnValue.objects.get().value == D("999999999900")


# The edit-close date


def test_values_are_refused_after_edits_close(camden_return, quarter, editor, core):
    close_edits(quarter)
    closed = timezone.localdate() - DAY

    with pytest.raises(ReturnError) as refused:
        services.return_save_values(
            ret=camden_return, actor=editor, entries=all_answered(core)
        )

    assert str(refused.value) == (
        f"Edits to this return closed on {closed.day} {closed:%B %Y}. Ask the RIA "
        "data analyst for an extension."
    )
    assert not ReturnValue.objects.exists()


def test_values_are_accepted_on_the_day_edits_close(
    camden_return, quarter, editor, core
):
    today = timezone.localdate()
    set_dates(quarter, due_on=today - DAY, edits_close_on=today)

    changed = services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    assert changed == len(core)


def test_a_return_cannot_be_submitted_after_edits_close(
    camden_return, quarter, editor, core
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    close_edits(quarter)

    with pytest.raises(ReturnError, match="Edits to this return closed"):
        services.return_submit(ret=camden_return, actor=editor)


def test_an_extension_lets_one_la_carry_on_after_edits_close(
    camden_return, islington_return, quarter, camden, editor, outsider, analyst, core
):
    close_edits(quarter)
    services.extension_grant(
        period=quarter,
        authority=camden,
        until=timezone.localdate() + 7 * DAY,
        reason="Case management system outage",
        actor=analyst,
    )

    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    services.return_submit(ret=camden_return, actor=editor)

    assert reload(camden_return).status == S.SUBMITTED
    with pytest.raises(ReturnError, match="Edits to this return closed"):
        services.return_save_values(
            ret=islington_return, actor=outsider, entries=all_answered(core)
        )


def test_an_extension_that_has_run_out_no_longer_helps(
    camden_return, quarter, camden, editor, analyst, core
):
    today = timezone.localdate()
    set_dates(quarter, due_on=today - 20 * DAY, edits_close_on=today - 10 * DAY)
    services.extension_grant(
        period=quarter,
        authority=camden,
        until=today - DAY,
        reason="A short delay",
        actor=analyst,
    )

    with pytest.raises(ReturnError, match="Edits to this return closed"):
        services.return_save_values(
            ret=camden_return, actor=editor, entries=all_answered(core)
        )


@pytest.mark.parametrize("sent_back", [S.QUERIED, S.REOPENED])
def test_a_return_sent_back_after_edits_close_can_still_be_changed(
    camden_return, quarter, editor, core, sent_back
):
    close_edits(quarter)
    set_status(camden_return, sent_back)

    changed = services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )

    assert changed == len(core)
    assert reload(camden_return).status == S.IN_PROGRESS


@pytest.mark.parametrize("sent_back", ["query", "reopen"])
def test_a_return_sent_back_after_edits_close_can_be_corrected_and_resubmitted(
    camden_return, quarter, editor, analyst, core, sent_back
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core)
    )
    services.return_submit(ret=camden_return, actor=editor)
    if sent_back == "query":
        services.return_query(ret=camden_return, actor=analyst, message="Check")
    else:
        services.return_accept(ret=camden_return, actor=analyst)
        services.return_reopen(ret=camden_return, actor=analyst, reason="Revised")
    close_edits(quarter)

    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core, 40, 180)
    )
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core, 41, 180)
    )
    services.return_submit(ret=camden_return, actor=editor, note="Corrected")

    assert reload(camden_return).status == S.SUBMITTED


def test_a_return_never_submitted_stays_closed_after_edits_close(
    camden_return, quarter, editor, core
):
    services.return_save_values(
        ret=camden_return, actor=editor, entries=all_answered(core[:2])
    )
    close_edits(quarter)

    with pytest.raises(ReturnError, match="Edits to this return closed"):
        services.return_save_values(
            ret=camden_return, actor=editor, entries=all_answered(core)
        )


# Periods, dates and extensions


def test_a_new_quarter_gets_a_not_started_return_for_every_la(db):
    period = services.period_get_or_create(PeriodKey(2026, 1))

    returns = period.returns.all()
    assert returns.count() == 33 == LocalAuthority.objects.count()
    assert {r.status for r in returns} == {S.NOT_STARTED}
    assert set(returns.values_list("authority", flat=True)) == set(
        LocalAuthority.objects.values_list("pk", flat=True)
    )


def test_a_new_quarter_takes_its_dates_from_the_calendar(db):
    period = services.period_get_or_create(PeriodKey(2026, 1))

    assert period.label == "2026-27 Q1"
    assert period.slug == "2026-27-q1"
    assert period.kind == Period.Kind.QUARTER
    assert (period.year_start, period.quarter) == (2026, 1)
    assert period.start_date == datetime.date(2026, 4, 1)
    assert period.end_date == datetime.date(2026, 6, 30)
    assert period.opens_on == datetime.date(2026, 7, 1)
    assert period.due_on == datetime.date(2026, 8, 11)
    assert period.edits_close_on == datetime.date(2026, 9, 8)


def test_asking_for_a_quarter_again_changes_nothing(db, camden, editor, analyst):
    first = services.period_get_or_create(PeriodKey(2026, 1))
    services.period_set_dates(
        period=first,
        due_on=datetime.date(2026, 8, 20),
        edits_close_on=datetime.date(2026, 9, 30),
        actor=analyst,
    )
    set_status(first.returns.get(authority=camden), S.IN_PROGRESS)

    again = services.period_get_or_create(PeriodKey(2026, 1))

    assert again.pk == first.pk
    assert Period.objects.count() == 1
    assert again.returns.count() == 33
    assert again.due_on == datetime.date(2026, 8, 20)
    assert again.returns.get(authority=camden).status == S.IN_PROGRESS


def test_asking_again_fills_in_a_return_that_is_missing(db, camden):
    period = services.period_get_or_create(PeriodKey(2026, 1))
    period.returns.get(authority=camden).delete()

    services.period_get_or_create(PeriodKey(2026, 1))

    assert period.returns.filter(authority=camden).count() == 1
    assert period.returns.count() == 33


def test_a_financial_year_has_no_returns_and_no_deadlines(db):
    period = services.period_get_or_create(PeriodKey(2025))

    assert period.kind == Period.Kind.YEAR
    assert period.quarter is None
    assert period.label == "2025-26"
    assert (period.start_date, period.end_date) == (
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
    )
    assert period.due_on is None and period.edits_close_on is None
    assert not period.returns.exists()


def test_the_analyst_sets_a_quarters_dates(quarter, analyst):
    services.period_set_dates(
        period=quarter,
        due_on=datetime.date(2025, 11, 14),
        edits_close_on=datetime.date(2025, 11, 28),
        actor=analyst,
    )

    quarter.refresh_from_db()
    assert quarter.due_on == datetime.date(2025, 11, 14)
    assert quarter.edits_close_on == datetime.date(2025, 11, 28)


def test_edits_may_close_on_the_due_date(quarter, analyst):
    day = datetime.date(2025, 11, 14)

    services.period_set_dates(
        period=quarter, due_on=day, edits_close_on=day, actor=analyst
    )

    quarter.refresh_from_db()
    assert quarter.edits_close_on == day


def test_edits_cannot_close_before_the_due_date(quarter, analyst):
    before = (quarter.due_on, quarter.edits_close_on)

    with pytest.raises(ReturnError, match="Edits cannot close before the due date"):
        services.period_set_dates(
            period=quarter,
            due_on=datetime.date(2025, 11, 14),
            edits_close_on=datetime.date(2025, 11, 13),
            actor=analyst,
        )

    quarter.refresh_from_db()
    assert (quarter.due_on, quarter.edits_close_on) == before


def test_an_extension_moves_one_las_due_date(
    camden_return, islington_return, quarter, camden, analyst
):
    until = quarter.due_on + 7 * DAY

    extension = services.extension_grant(
        period=quarter,
        authority=camden,
        until=until,
        reason="  Staff shortage  ",
        actor=analyst,
    )

    assert extension.reason == "Staff shortage"
    assert extension.granted_by == analyst
    assert reload(camden_return).due_on == until
    assert reload(camden_return).has_extension
    assert reload(islington_return).due_on == quarter.due_on
    assert not reload(islington_return).has_extension


def test_an_extension_never_shortens_the_edit_window(camden_return, quarter, analyst):
    services.extension_grant(
        period=quarter,
        authority=camden_return.authority,
        until=quarter.due_on + DAY,
        reason="A day more",
        actor=analyst,
    )

    assert reload(camden_return).edits_close_on == quarter.edits_close_on


def test_granting_again_replaces_the_extension(quarter, camden, analyst):
    for days in (7, 10):
        services.extension_grant(
            period=quarter,
            authority=camden,
            until=quarter.due_on + days * DAY,
            reason=f"{days} days",
            actor=analyst,
        )

    extension = PeriodExtension.objects.get()
    assert extension.until == quarter.due_on + 10 * DAY
    assert extension.reason == "10 days"


@pytest.mark.parametrize("days", [0, -1])
def test_an_extension_must_run_past_the_due_date(quarter, camden, analyst, days):
    with pytest.raises(ReturnError, match="must run past the due date"):
        services.extension_grant(
            period=quarter,
            authority=camden,
            until=quarter.due_on + days * DAY,
            reason="Late",
            actor=analyst,
        )

    assert not PeriodExtension.objects.exists()


def test_an_extension_needs_a_reason(quarter, camden, analyst):
    with pytest.raises(ReturnError, match="Enter the reason"):
        services.extension_grant(
            period=quarter,
            authority=camden,
            until=quarter.due_on + DAY,
            reason="  ",
            actor=analyst,
        )

    assert not PeriodExtension.objects.exists()


# Who sees which returns


@pytest.mark.parametrize("who", ["editor", "approver", "viewer"])
def test_la_staff_see_only_their_own_las_returns(request, quarter, camden, who):
    returns = selectors.returns_for_user(user_for(request, who))

    assert [r.authority for r in returns] == [camden]


def test_an_outsider_sees_only_its_own_las_returns(quarter, outsider, islington):
    returns = selectors.returns_for_user(outsider)

    assert [r.authority for r in returns] == [islington]


@pytest.mark.parametrize("who", ["analyst", "manager"])
def test_the_ria_team_sees_every_return(request, quarter, who):
    assert selectors.returns_for_user(user_for(request, who)).count() == 33


def test_dfe_sees_no_returns_through_the_workflow(quarter, dfe):
    assert not selectors.returns_for_user(dfe).exists()


def test_anonymous_visitors_see_no_returns(quarter):
    assert not selectors.returns_for_user(AnonymousUser()).exists()


def test_a_deactivated_user_sees_no_returns(quarter, analyst):
    analyst.is_active = False
    analyst.save()

    assert not selectors.returns_for_user(analyst).exists()


@pytest.mark.parametrize("who", ["editor", "approver", "viewer", "analyst", "manager"])
def test_those_who_may_read_a_return_get_it(request, camden_return, who):
    ret = selectors.return_get_for_user(
        user=user_for(request, who), pk=camden_return.pk
    )

    assert ret == camden_return


@pytest.mark.parametrize("who", ["outsider", "dfe"])
def test_a_return_someone_may_not_read_does_not_exist_for_them(
    request, camden_return, who
):
    with pytest.raises(Http404):
        selectors.return_get_for_user(user=user_for(request, who), pk=camden_return.pk)


def test_a_return_that_does_not_exist_is_not_found(quarter, analyst):
    with pytest.raises(Http404):
        selectors.return_get_for_user(user=analyst, pk=999_999)


@pytest.mark.parametrize("who", ["editor", "approver"])
def test_editors_and_approvers_get_their_return_for_editing(
    request, camden_return, who
):
    ret = selectors.return_get_for_la_editing(
        user=user_for(request, who), pk=camden_return.pk
    )

    assert ret == camden_return


@pytest.mark.parametrize("who", ["viewer", "analyst", "manager"])
def test_readers_who_may_not_edit_are_forbidden(request, camden_return, who):
    with pytest.raises(PermissionDenied):
        selectors.return_get_for_la_editing(
            user=user_for(request, who), pk=camden_return.pk
        )


@pytest.mark.parametrize("who", ["outsider", "dfe"])
def test_editing_a_return_someone_may_not_read_is_not_found(
    request, camden_return, who
):
    with pytest.raises(Http404):
        selectors.return_get_for_la_editing(
            user=user_for(request, who), pk=camden_return.pk
        )


def test_the_analyst_gets_a_return_to_act_on(camden_return, analyst):
    assert (
        selectors.return_get_for_analyst(user=analyst, pk=camden_return.pk)
        == camden_return
    )


@pytest.mark.parametrize("who", ["editor", "approver", "viewer", "manager"])
def test_others_who_can_read_a_return_may_not_act_as_the_analyst(
    request, camden_return, who
):
    with pytest.raises(PermissionDenied):
        selectors.return_get_for_analyst(
            user=user_for(request, who), pk=camden_return.pk
        )


@pytest.mark.parametrize("who", ["outsider", "dfe"])
def test_acting_as_the_analyst_on_an_unseen_return_is_not_found(
    request, camden_return, who
):
    with pytest.raises(Http404):
        selectors.return_get_for_analyst(
            user=user_for(request, who), pk=camden_return.pk
        )


# What a new value is compared with


def accept_with(period, authority, indicator, value):
    """Give one LA an accepted return in `period` holding `value`."""
    ret = period.returns.get(authority=authority)
    ReturnValue.objects.create(
        return_obj=ret,
        indicator=indicator,
        value=None if value is None else D(value),
        missing_reason="" if value is not None else "Not collected",
    )
    set_status(ret, S.ACCEPTED)
    return ret


@pytest.fixture
def earlier_quarters(db):
    """The five quarters before 2025-26 Q2, newest first."""
    key = PeriodKey(2025, 2)
    periods = []
    for _ in range(5):
        key = key.previous_quarter()
        periods.append(services.period_get_or_create(key))
    return periods


@pytest.fixture
def indicator():
    return Indicator.objects.get(code="REREF_12M")


def test_history_is_the_las_accepted_values_of_the_four_quarters_before(
    camden_return, earlier_quarters, camden, indicator
):
    for period, value in zip(earlier_quarters, [21, 22, 23, 24, 25], strict=True):
        accept_with(period, camden, indicator, value)

    context = selectors.warning_context(camden_return)

    assert sorted(context.own_history[indicator.pk]) == [D(21), D(22), D(23), D(24)]


def test_history_leaves_out_returns_not_yet_accepted(
    camden_return, earlier_quarters, camden, indicator
):
    for period, value in zip(earlier_quarters[:3], [21, 22, 23], strict=True):
        accept_with(period, camden, indicator, value)
    set_status(earlier_quarters[0].returns.get(authority=camden), S.SUBMITTED)

    context = selectors.warning_context(camden_return)

    assert sorted(context.own_history[indicator.pk]) == [D(22), D(23)]


def test_history_leaves_out_missing_values_and_other_las(
    camden_return, earlier_quarters, camden, islington, indicator
):
    accept_with(earlier_quarters[0], camden, indicator, None)
    accept_with(earlier_quarters[1], camden, indicator, 30)
    accept_with(earlier_quarters[0], islington, indicator, 99)

    context = selectors.warning_context(camden_return)

    assert context.own_history[indicator.pk] == [D(30)]


def test_history_leaves_out_this_quarter_and_later_ones(
    camden_return, quarter, camden, indicator
):
    later = services.period_get_or_create(PeriodKey(2025, 3))
    accept_with(quarter, camden, indicator, 40)
    accept_with(later, camden, indicator, 50)

    context = selectors.warning_context(camden_return)

    assert context.own_history == {}
    assert context.london_range == {}


def test_the_london_range_is_that_of_the_latest_accepted_quarter(
    camden_return, earlier_quarters, camden, islington, indicator
):
    latest, before = earlier_quarters[0], earlier_quarters[1]
    westminster = LocalAuthority.objects.get(dfe_code="213")
    accept_with(latest, camden, indicator, 20)
    accept_with(latest, islington, indicator, 35)
    accept_with(latest, westminster, indicator, 15)
    accept_with(before, islington, indicator, 80)

    context = selectors.warning_context(camden_return)

    assert context.london_range == {indicator.pk: (D(15), D(35))}


def test_the_london_range_leaves_out_returns_not_yet_accepted(
    camden_return, earlier_quarters, camden, islington, indicator
):
    latest = earlier_quarters[0]
    accept_with(latest, camden, indicator, 20)
    set_status(accept_with(latest, islington, indicator, 90), S.SUBMITTED)

    context = selectors.warning_context(camden_return)

    assert context.london_range == {indicator.pk: (D(20), D(20))}


def test_the_london_range_skips_a_quarter_with_nothing_accepted(
    camden_return, earlier_quarters, islington, indicator
):
    accept_with(earlier_quarters[2], islington, indicator, 44)

    context = selectors.warning_context(camden_return)

    assert context.london_range == {indicator.pk: (D(44), D(44))}


def test_with_nothing_accepted_before_there_is_nothing_to_compare(
    camden_return, earlier_quarters
):
    context = selectors.warning_context(camden_return)

    assert context.own_history == {}
    assert context.london_range == {}
