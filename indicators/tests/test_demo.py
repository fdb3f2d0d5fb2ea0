"""The demo seed behind `manage.py seed_demo`.

Seeding takes seconds, so the module seeds once, inside a transaction that is
rolled back when the module ends; each test runs in a savepoint within it.
"""

import datetime
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from authorities.models import LocalAuthority, Role, User
from indicators.demo import (
    CAMDEN,
    CHILDREN,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    EDITS_OPEN_FOR,
    NORMS,
    QUARTERS,
    DemoSummary,
    demo_email,
    demo_figures,
    demo_seed,
    latest_target,
)
from indicators.models import (
    Indicator,
    Period,
    Return,
    ReturnStatus,
    ReturnTransition,
    ReturnValue,
    ValueChange,
)
from indicators.periods import PeriodKey, quarter_containing
from indicators.services import (
    return_edit_problem,
    return_save_values,
    return_submit,
    return_unanswered,
)
from indicators.validation import RawEntry, validate_entry

S = ReturnStatus
LAS = 33

# How many units of value one unit of numerator makes, where not a percentage.
MULTIPLIERS = {
    "REF_RATE": 10_000,
    "CIN_RATE": 10_000,
    "S47_RATE": 10_000,
    "CPP_RATE": 10_000,
    "CLA_RATE": 10_000,
    "SW_CASELOAD": 1,
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True):
                yield demo_seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def latest(seeded, db) -> Period:
    label = quarter_containing(timezone.localdate()).previous_quarter().label
    return Period.objects.get(label=label)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


def _demo_accounts():
    return User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")


def test_with_debug_off_it_creates_no_accounts_and_writes_nothing(db, settings):
    settings.DEBUG = False
    before = _row_counts()

    summary = demo_seed()

    assert _row_counts() == before
    assert not summary.accounts_allowed
    assert summary.accounts_created == 0


def test_the_command_says_why_it_made_no_accounts_with_debug_off(db, settings):
    settings.DEBUG = False
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "DEBUG is off, so no demo accounts were created" in out.getvalue()
    assert DEMO_PASSWORD not in out.getvalue()


def test_every_la_has_a_return_for_eight_quarters_up_to_the_latest(latest):
    quarters = list(Period.objects.quarterly().order_by("start_date"))

    assert len(quarters) == QUARTERS
    assert quarters[-1] == latest
    assert latest.end_date < timezone.localdate()
    for period in quarters:
        assert period.returns.count() == LAS


def test_the_seven_earlier_quarters_are_accepted_through_the_workflow(latest):
    earlier = Return.objects.exclude(period=latest).select_related("authority")

    assert earlier.count() == (QUARTERS - 1) * LAS
    assert set(earlier.values_list("status", flat=True)) == {S.ACCEPTED}
    for ret in earlier.prefetch_related("transitions__actor"):
        history = sorted(ret.transitions.all(), key=lambda t: t.pk)
        assert history[0].from_status == S.NOT_STARTED
        assert [t.to_status for t in history[-2:]] == [S.SUBMITTED, S.ACCEPTED]
        assert history[-2].actor.email == demo_email("editor", ret.authority)
        assert history[-1].actor.email == demo_email("analyst")
        assert ret.submitted_at < ret.accepted_at


def test_some_earlier_returns_were_queried_and_corrected(latest):
    queries = ReturnTransition.objects.filter(to_status=S.QUERIED).exclude(
        return_obj__period=latest
    )

    assert queries.exists()
    for query in queries:
        assert "referral" in query.reason
        referrals = query.return_obj.values.get(indicator__code="REF_RATE")
        assert referrals.changes.count() == 2


def test_every_value_has_its_demo_history(seeded, db):
    values = ReturnValue.objects.all()

    assert values.exists()
    assert not values.filter(changes__isnull=True).exists()
    assert set(ValueChange.objects.values_list("via", flat=True)) == {
        ValueChange.Via.DEMO
    }


def test_the_latest_quarter_has_a_mix_of_statuses(latest):
    returns = latest.returns.select_related("authority")
    statuses = Counter(returns.values_list("status", flat=True))

    expected = Counter(latest_target(ret.authority.dfe_code) for ret in returns)
    assert statuses == expected
    assert set(statuses) == {
        S.NOT_STARTED,
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.QUERIED,
        S.ACCEPTED,
    }
    for ret in returns.filter(status=S.QUERIED):
        query = ret.transitions.get(to_status=S.QUERIED)
        assert query.actor.role == Role.ANALYST
        assert query.reason.endswith("what lies behind the change.")


def test_the_latest_quarter_is_past_due_but_still_open_for_edits(latest):
    today = timezone.localdate()

    # Due yesterday at the latest, unless the quarter only opened today.
    assert latest.due_on <= max(today - datetime.timedelta(days=1), latest.opens_on)
    assert latest.edits_close_on >= today + EDITS_OPEN_FOR
    assert any(ret.is_overdue() for ret in latest.returns.all()) == (
        latest.due_on < today
    )


def test_every_role_has_a_demo_account_with_the_demo_password(seeded, db):
    analyst = User.objects.get(email="analyst@demo.test")
    manager = User.objects.get(email="manager@demo.test")
    dfe = User.objects.get(email="dfe@demo.test")

    assert (analyst.role, analyst.is_staff, analyst.is_superuser) == (
        Role.ANALYST,
        True,
        True,
    )
    assert (manager.role, manager.is_staff, manager.is_superuser) == (
        Role.PROGRAMME_MANAGER,
        True,
        False,
    )
    assert (dfe.role, dfe.is_staff) == (Role.DFE_VIEWER, False)
    for authority in LocalAuthority.objects.all():
        for kind, role in [
            ("editor", Role.LA_EDITOR),
            ("dcs", Role.LA_APPROVER),
            ("viewer", Role.LA_VIEWER),
        ]:
            user = User.objects.get(email=f"{kind}-{authority.dfe_code}@demo.test")
            assert (user.role, user.authority, user.is_staff) == (
                role,
                authority,
                False,
            )
            assert user.full_name

    assert _demo_accounts().count() == 3 + 3 * LAS
    for user in _demo_accounts():
        assert user.check_password(DEMO_PASSWORD)


def test_a_second_run_changes_nothing(seeded, db, settings):
    settings.DEBUG = True
    before = _row_counts()
    returns = list(
        Return.objects.order_by("pk").values_list(
            "status", "submitted_at", "accepted_at", "updated_at"
        )
    )
    periods = list(
        Period.objects.order_by("pk").values_list("due_on", "edits_close_on")
    )

    summary = demo_seed()

    assert _row_counts() == before
    assert returns == list(
        Return.objects.order_by("pk").values_list(
            "status", "submitted_at", "accepted_at", "updated_at"
        )
    )
    assert periods == list(
        Period.objects.order_by("pk").values_list("due_on", "edits_close_on")
    )
    assert (summary.accounts_created, summary.returns_changed) == (0, 0)
    assert summary.values_changed == 0


def test_every_saved_value_passes_the_validation_rules(seeded, db):
    for saved in ReturnValue.objects.select_related("indicator"):
        raw = RawEntry(
            numerator="" if saved.numerator is None else str(saved.numerator),
            denominator="" if saved.denominator is None else str(saved.denominator),
            no_value=saved.value is None,
            missing_reason=saved.missing_reason,
        )
        result = validate_entry(saved.indicator, raw)

        assert result.errors == {}, saved
        if saved.value is not None:
            assert saved.value == result.clean.value.quantize(Decimal("0.000001"))


def test_the_history_is_dated_within_each_collection(seeded, db):
    now = timezone.now()
    transitions = ReturnTransition.objects.select_related("return_obj__period")

    for transition in transitions:
        opened = transition.return_obj.period.opens_on
        assert opened <= timezone.localdate(transition.at)
        assert transition.at <= now

    accepted = Return.objects.accepted().select_related("period")
    late = [
        ret for ret in accepted.prefetch_related("period__extensions") if ret.was_late
    ]
    assert len(late) < accepted.count() / 3


def test_camdens_latest_return_is_in_progress_and_open_to_its_editor(latest):
    camden = LocalAuthority.objects.get(dfe_code=CAMDEN)
    ret = latest.returns.get(authority=camden)
    editor = User.objects.get(email=demo_email("editor", camden))

    assert ret.status == S.IN_PROGRESS
    assert 0 < ret.values.count() < Indicator.objects.core().count()
    assert ret.edits_close_on >= timezone.localdate() + EDITS_OPEN_FOR
    assert return_edit_problem(ret, editor) == ""


def test_camdens_editor_can_finish_and_submit_the_latest_return(latest):
    camden = LocalAuthority.objects.get(dfe_code=CAMDEN)
    ret = latest.returns.get(authority=camden)
    editor = User.objects.get(email=demo_email("editor", camden))
    raw = RawEntry(no_value=True, missing_reason="Not yet available")
    entries = {i: validate_entry(i, raw).clean for i in return_unanswered(ret)}

    return_save_values(ret=ret, actor=editor, entries=entries)
    return_submit(ret=ret, actor=editor)

    ret.refresh_from_db()
    assert ret.status == S.SUBMITTED


def test_the_command_reports_the_demo_logins(seeded, db, settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", stdout=out)

    output = out.getvalue()
    assert f"password {DEMO_PASSWORD}" in output
    for email in ["analyst@demo.test", "manager@demo.test", "dfe@demo.test"]:
        assert email in output
    assert "editor-202@demo.test" in output
    assert "Accounts created: 0" in output

    # The earlier quarters' benchmarks are published; the latest is left for
    # the analyst to build in the browser.
    from benchmarking.models import BenchmarkBuild

    published = BenchmarkBuild.objects.filter(published_at__isnull=False)
    assert published.count() == QUARTERS - 1
    assert "Benchmarks published for the earlier quarters: 7 new" in output
    assert not published.filter(period=seeded.latest).exists()
    # Without their PDFs: hundreds of them would hold up a first run.
    from benchmarking.models import BenchmarkReport

    assert not BenchmarkReport.objects.exists()


@pytest.mark.parametrize("code", sorted(CHILDREN))
def test_demo_figures_are_repeatable_and_near_london_norms(code):
    key = PeriodKey(2024, 3)

    figures = demo_figures(code, key)

    assert figures == demo_figures(code, key)
    assert set(figures) == set(NORMS)
    for indicator, item in figures.items():
        if item.missing_reason:
            continue
        part, whole = Decimal(item.numerator), Decimal(item.denominator)
        assert Decimal(0) <= part and whole > 0
        value = part / whole * MULTIPLIERS.get(indicator, 100)
        norm = NORMS[indicator]
        # Small counts move a share by whole steps of 1/whole.
        slack = Decimal(str(0.15 * (norm.high - norm.low))) + 100 / whole
        assert Decimal(str(norm.low)) - slack <= value, (indicator, value)
        assert value <= Decimal(str(norm.high)) + slack, (indicator, value)
