"""Demo data: an account for every role and eight quarters of returns.

`demo_seed` is what `manage.py seed_demo` runs. It works through the same
services people use, so the demo has the value and transition history a real
collection leaves, and every value has passed `validation.validate_entry`.

The figures are invented. Each LA has its own level and drift around London
norms for each indicator, drawn from a generator seeded with the LA's and the
indicator's codes, so every run produces the same numbers. The history is
dated as if the collection had happened: values entered after the quarter
opened, most returns submitted by the due date, accepted a few days later.

A second run changes nothing: existing people and periods are kept, accepted
returns are left alone, and a latest-quarter return that anyone has started is
not touched.
"""

import datetime
import logging
import math
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from authorities.models import LocalAuthority, Role, User

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
from .periods import DEFAULT_DUE_AFTER, PeriodKey, quarter_containing
from .services import (
    EDITABLE_STATUSES,
    period_get_or_create,
    period_set_dates,
    return_accept,
    return_query,
    return_save_values,
    return_submit,
)
from .validation import MAX_DECIMAL_PLACES, CleanEntry, RawEntry, validate_entry

logger = logging.getLogger(__name__)

S = ReturnStatus

# Published in the command's output and the README: these accounts exist only
# where DEBUG is on, so the password protects nothing real.
DEMO_PASSWORD = "demo-password"  # noqa: S105
DEMO_DOMAIN = "demo.test"
QUARTERS = 8

# The LA a newcomer is invited to finish a return for, in the browser.
CAMDEN = "202"

# Shares of LA-quarters with a value missing, a return submitted late, and a
# return the analyst queried before accepting it.
MISSING_SHARE = 0.02
LATE_SHARE = 0.12
QUERY_SHARE = 0.1

# How long the latest quarter stays open for edits after a seed, at least.
EDITS_OPEN_FOR = datetime.timedelta(days=14)


class DemoError(Exception):
    """The demo cannot be seeded into this database; the message says why."""


@dataclass(frozen=True)
class Norm:
    """Where London LAs usually sit on an indicator, and what it is counted from."""

    low: float
    high: float
    source: str


NORMS: dict[str, Norm] = {
    "REF_RATE": Norm(350, 800, SourceCollection.CIN),
    "REREF_12M": Norm(15, 30, SourceCollection.CIN),
    "ASSESS_45D": Norm(70, 98, SourceCollection.CIN),
    "CIN_RATE": Norm(250, 450, SourceCollection.CIN),
    "S47_RATE": Norm(130, 250, SourceCollection.CIN),
    "CPP_RATE": Norm(25, 55, SourceCollection.CIN),
    "CPP_REPEAT": Norm(15, 28, SourceCollection.CIN),
    "CPP_2YRS": Norm(1, 6, SourceCollection.CIN),
    "CLA_RATE": Norm(35, 80, SourceCollection.SSDA903),
    "STAB_SHORT": Norm(7, 13, SourceCollection.SSDA903),
    "STAB_LONG": Norm(60, 80, SourceCollection.SSDA903),
    "CL_EET": Norm(50, 70, SourceCollection.SSDA903),
    "CL_ACCOM": Norm(80, 95, SourceCollection.SSDA903),
    "SW_TURNOVER": Norm(10, 25, SourceCollection.CSWW),
    "SW_AGENCY": Norm(10, 35, SourceCollection.CSWW),
    "SW_VACANCY": Norm(10, 30, SourceCollection.CSWW),
    "SW_CASELOAD": Norm(13, 22, SourceCollection.CSWW),
    "EHCP_20WK": Norm(30, 95, SourceCollection.SEN2),
}

MISSING_REASONS = {
    SourceCollection.CIN: (
        "Figures held back while the move to the new case management system "
        "is reconciled"
    ),
    SourceCollection.SSDA903: (
        "SSDA903 extract delayed by a system upgrade; figures to follow next quarter"
    ),
    SourceCollection.CSWW: "Workforce census data not yet validated",
    SourceCollection.SEN2: "SEN2 figures not yet received from the SEND service",
}
NONE_IN_GROUP = "There were no children in this group at the end of the quarter"
NOT_IN_DEMO = "Not part of the demo data"

# Children aged under 18 per LA: round numbers of the right size for each
# borough, not official estimates.
# fmt: off
CHILDREN: dict[str, int] = {
    "201": 1_000, "202": 42_000, "203": 66_000, "204": 58_000, "205": 34_000,
    "206": 37_000, "207": 26_000, "208": 55_000, "209": 64_000, "210": 60_000,
    "211": 70_000, "212": 62_000, "213": 38_000, "301": 64_000, "302": 89_000,
    "303": 56_000, "304": 76_000, "305": 73_000, "306": 90_000, "307": 81_000,
    "308": 79_000, "309": 54_000, "310": 58_000, "311": 60_000, "312": 78_000,
    "313": 69_000, "314": 38_000, "315": 47_000, "316": 86_000, "317": 76_000,
    "318": 44_000, "319": 49_000, "320": 64_000,
}
# fmt: on

# Where each LA's latest return stands; every LA not named is accepted.
LATEST_PLAN: dict[str, tuple[str, ...]] = {
    S.NOT_STARTED: ("207", "303", "312", "319"),
    S.IN_PROGRESS: (CAMDEN, "205", "210", "306", "316"),
    S.QUERIED: ("209", "308"),
    S.SUBMITTED: ("203", "204", "211", "302", "305", "310", "314", "318"),
}

# Camden's return is left with these groups filled, the rest for a newcomer.
CAMDEN_GROUPS = (SourceCollection.CIN, SourceCollection.SSDA903)

# fmt: off
FIRST_NAMES = [
    "Aisha", "Amara", "Ben", "Callum", "Chloe", "Daniel", "Deborah", "Efua",
    "Emeka", "Fatima", "George", "Grace", "Hannah", "Harjit", "Imran", "Ioana",
    "Jade", "James", "Kiran", "Kwame", "Laura", "Leon", "Marta", "Mohammed",
    "Nadia", "Niamh", "Oliver", "Olumide", "Priya", "Rachel", "Ruth", "Samuel",
    "Sophie", "Tariq", "Tomasz", "Una", "Victoria", "Wei", "Yusuf", "Zara",
]
SURNAMES = [
    "Adeyemi", "Ahmed", "Begum", "Brown", "Campbell", "Chen", "Clarke", "Da Silva",
    "Davies", "Evans", "Fernandes", "Green", "Hassan", "Hughes", "Iqbal", "Jones",
    "Kaur", "Khan", "Kowalski", "Lewis", "Mensah", "Murphy", "Nguyen", "Novak",
    "O’Brien", "Okafor", "Patel", "Popescu", "Quinn", "Rahman", "Robinson", "Shah",
    "Singh", "Taylor", "Thompson", "Walker", "Williams", "Wright", "Yilmaz",
    "Zhang",
]
# fmt: on


@dataclass
class DemoSummary:
    """What a seed did, for the command to report."""

    accounts_allowed: bool
    accounts_created: int = 0
    quarters: list[str] = field(default_factory=list)
    latest: Period | None = None
    latest_statuses: Counter[str] = field(default_factory=Counter)
    returns_changed: int = 0
    values_changed: int = 0


def demo_seed(*, today: datetime.date | None = None) -> DemoSummary:
    """Seed demo accounts and eight quarters of returns up to `today`.

    The latest quarter is the last one to have ended before `today`; the seven
    before it are accepted and the latest is left with a mix of statuses. With
    DEBUG off nothing is written: the accounts would have a published password,
    and every step of a return needs one of them to act.
    """
    today = today or timezone.localdate()
    authorities = list(LocalAuthority.objects.order_by("dfe_code"))
    catalogue = list(Indicator.objects.core())
    if not authorities or not catalogue:
        raise DemoError(
            "There are no local authorities or core indicators to seed: "
            "run `manage.py migrate` first."
        )

    latest = quarter_containing(today).previous_quarter()
    keys = _quarters_up_to(latest, QUARTERS)
    summary = DemoSummary(
        accounts_allowed=settings.DEBUG, quarters=[key.label for key in keys]
    )
    if not settings.DEBUG:
        logger.warning("DEBUG is off: the demo seed created no accounts or returns")
        return summary

    last_transition = ReturnTransition.objects.aggregate(last=Max("pk"))["last"] or 0
    with transaction.atomic():
        period = _seed_quarters(summary, keys, authorities, catalogue, today)

    summary.latest = period
    summary.latest_statuses = Counter(period.returns.values_list("status", flat=True))
    summary.returns_changed = (
        ReturnTransition.objects.filter(pk__gt=last_transition)
        .values("return_obj")
        .distinct()
        .count()
    )
    logger.info(
        "Demo seeded up to %s: %s accounts created, %s returns and %s values changed",
        latest.label,
        summary.accounts_created,
        summary.returns_changed,
        summary.values_changed,
    )
    return summary


def demo_email(kind: str, authority: LocalAuthority | None = None) -> str:
    """A demo account's address: `analyst@demo.test`, `editor-202@demo.test`."""
    local = f"{kind}-{authority.dfe_code}" if authority else kind
    return f"{local}@{DEMO_DOMAIN}"


def latest_target(code: str) -> str:
    """The status the demo leaves an LA's latest return in."""
    for status, codes in LATEST_PLAN.items():
        if code in codes:
            return status
    return S.ACCEPTED


def _seed_quarters(
    summary: DemoSummary,
    keys: list[PeriodKey],
    authorities: list[LocalAuthority],
    catalogue: list[Indicator],
    today: datetime.date,
) -> Period:
    """Seed the people and every quarter in `keys`, the latest last, adding
    what changed to `summary`. Returns the latest quarter's period."""
    ceiling = min(timezone.now(), _moment(today, datetime.time(23, 59)))
    cast, summary.accounts_created = _people_ensure(authorities)
    for key in keys[:-1]:
        period = period_get_or_create(key)
        for ret in _returns(period):
            summary.values_changed += _seed_earlier(ret, cast, catalogue, ceiling)

    period = period_get_or_create(keys[-1])
    _keep_open(period, today, cast.analyst)
    for ret in _returns(period):
        summary.values_changed += _seed_latest(ret, cast, catalogue, ceiling)
    return period


def _quarters_up_to(latest: PeriodKey, count: int) -> list[PeriodKey]:
    keys = [latest]
    while len(keys) < count:
        keys.insert(0, keys[0].previous_quarter())
    return keys


def _returns(period: Period) -> QuerySet[Return]:
    return (
        period.returns.select_related("authority", "period")
        .prefetch_related("period__extensions")
        .order_by("authority__dfe_code")
    )


# People ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    email: str
    full_name: str
    role: str
    authority: LocalAuthority | None = None
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class _Cast:
    """The people who act in the demo's returns."""

    analyst: User
    editors: dict[int, User]


def _demo_people(authorities: list[LocalAuthority]) -> list[_Person]:
    people = [
        # A superuser, so the catalogue can be edited in the admin without
        # setting up permissions first.
        _Person(
            demo_email("analyst"),
            "Maya Okonkwo",
            Role.ANALYST,
            is_staff=True,
            is_superuser=True,
        ),
        _Person(
            demo_email("manager"), "David Marsh", Role.PROGRAMME_MANAGER, is_staff=True
        ),
        _Person(demo_email("dfe"), "Helen Ward", Role.DFE_VIEWER),
    ]
    for authority in authorities:
        for kind, role in [
            ("editor", Role.LA_EDITOR),
            ("dcs", Role.LA_APPROVER),
            ("viewer", Role.LA_VIEWER),
        ]:
            people.append(
                _Person(
                    demo_email(kind, authority),
                    _full_name(authority.dfe_code, kind),
                    role,
                    authority,
                )
            )
    return people


def _full_name(*seed: str) -> str:
    rng = _rng(*seed, "name")
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _people_ensure(authorities: list[LocalAuthority]) -> tuple[_Cast, int]:
    """Create the demo accounts that do not exist yet; leave the rest as they are."""
    wanted = _demo_people(authorities)
    emails = [person.email for person in wanted]
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    for person in wanted:
        if person.email in existing:
            _check_is(existing[person.email], person)

    missing = [person for person in wanted if person.email not in existing]
    if missing:
        # One hash for all: hashing a hundred times takes most of a minute,
        # and a salt protects nothing when the password is published.
        password = make_password(DEMO_PASSWORD)
        User.objects.bulk_create(
            User(
                email=person.email,
                full_name=person.full_name,
                role=person.role,
                authority=person.authority,
                is_staff=person.is_staff,
                is_superuser=person.is_superuser,
                password=password,
            )
            for person in missing
        )
        logger.info("Demo accounts created: %s", len(missing))

    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    cast = _Cast(
        analyst=users[demo_email("analyst")],
        editors={a.pk: users[demo_email("editor", a)] for a in authorities},
    )
    return cast, len(missing)


def _check_is(user: User, person: _Person) -> None:
    authority_id = person.authority.pk if person.authority else None
    if user.role != person.role or user.authority_id != authority_id:
        raise DemoError(
            f"{user.email} exists but is not the demo "
            f"{Role(person.role).label.lower()}: change or remove the account "
            "and run the command again."
        )


# Figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One indicator's demo figures, as text a person would type."""

    numerator: str = ""
    denominator: str = ""
    missing_reason: str = ""

    def raw(self, indicator: Indicator) -> RawEntry:
        """The entry as the return form would receive it."""
        if self.missing_reason:
            return RawEntry(no_value=True, missing_reason=self.missing_reason)
        if indicator.has_components:
            return RawEntry(numerator=self.numerator, denominator=self.denominator)

        # The analyst has made this a directly entered value.
        value = indicator.derive_value(
            Decimal(self.numerator), Decimal(self.denominator)
        )
        places = min(indicator.decimal_places, MAX_DECIMAL_PLACES)
        return RawEntry(value=str(round(value, places)))


@dataclass(frozen=True)
class _Shape:
    """The proportions that tie one LA's counts together, fixed for the LA."""

    assessed: float  # assessments completed per referral
    plan_starts: float  # plans started in the year per plan open at its end
    long_term: float  # long-term looked-after children under 16 per child looked after
    leavers: float  # care leavers aged 19 to 21 per child looked after
    social_workers: float  # FTE social workers per 10,000 children
    case_holding: float  # share of social workers who hold cases
    ehc_plans: float  # new EHC plans in a year per child


def demo_figures(code: str, key: PeriodKey) -> dict[str, Figures]:
    """An LA's invented figures for one quarter, by indicator code.

    The same LA and quarter always give the same figures. Counts hang
    together: the referrals behind the referral rate are the base of the
    re-referral share, the children on plans the base of plans open two years.
    """
    children = _children(code, key)
    level = {indicator: _level(code, indicator, key) for indicator in NORMS}
    shape = _shape(code)

    def counted(indicator: str) -> int:
        return round(level[indicator] * children / 10_000)

    referrals = counted("REF_RATE")
    on_plans = counted("CPP_RATE")
    looked_after = counted("CLA_RATE")
    leavers = round(looked_after * shape.leavers)

    # Workforce counts are full-time equivalents, to one decimal place.
    wobble = _rng(code, "workforce", key.label).gauss(1, 0.02)
    workers = max(round(children / 10_000 * shape.social_workers * wobble, 1), 8.0)
    agency = round(workers * level["SW_AGENCY"] / 100, 1)
    permanent = round(workers - agency, 1)
    vacancy = level["SW_VACANCY"] / 100
    vacancies = round(permanent * vacancy / (1 - vacancy), 1)
    case_holders = round(workers * shape.case_holding, 1)
    cases = round(level["SW_CASELOAD"] * case_holders)

    figures = {
        "REF_RATE": _rate(referrals, children),
        "REREF_12M": _share(level["REREF_12M"], referrals),
        "ASSESS_45D": _share(level["ASSESS_45D"], round(referrals * shape.assessed)),
        "CIN_RATE": _rate(counted("CIN_RATE"), children),
        "S47_RATE": _rate(counted("S47_RATE"), children),
        "CPP_RATE": _rate(on_plans, children),
        "CPP_REPEAT": _share(level["CPP_REPEAT"], round(on_plans * shape.plan_starts)),
        "CPP_2YRS": _share(level["CPP_2YRS"], on_plans),
        "CLA_RATE": _rate(looked_after, children),
        "STAB_SHORT": _share(level["STAB_SHORT"], looked_after),
        "STAB_LONG": _share(level["STAB_LONG"], round(looked_after * shape.long_term)),
        "CL_EET": _share(level["CL_EET"], leavers),
        "CL_ACCOM": _share(level["CL_ACCOM"], leavers),
        "SW_TURNOVER": _fte_share(level["SW_TURNOVER"], permanent),
        "SW_AGENCY": Figures(f"{agency:.1f}", f"{workers:.1f}"),
        "SW_VACANCY": Figures(f"{vacancies:.1f}", f"{permanent + vacancies:.1f}"),
        "SW_CASELOAD": Figures(str(cases), f"{case_holders:.1f}"),
        "EHCP_20WK": _share(level["EHCP_20WK"], round(children * shape.ehc_plans)),
    }

    for indicator, norm in NORMS.items():
        if _rng(code, indicator, key.label, "missing").random() < MISSING_SHARE:
            figures[indicator] = Figures(missing_reason=MISSING_REASONS[norm.source])
    return figures


def _rng(*seed: str) -> random.Random:
    # Not for secrets: a fixed seed is what makes the demo repeatable.
    return random.Random("-".join(seed))  # noqa: S311


def _children(code: str, key: PeriodKey) -> int:
    """Children aged under 18, a little fewer each year as in most of London."""
    base = CHILDREN.get(code) or _rng(code, "children").randint(30_000, 80_000)
    return round(base * (1 - 0.006 * (key.year_start - 2024)))


def _shape(code: str) -> _Shape:
    rng = _rng(code, "shape")
    return _Shape(
        assessed=rng.uniform(0.8, 1.0),
        plan_starts=rng.uniform(0.9, 1.3),
        long_term=rng.uniform(0.15, 0.25),
        leavers=rng.uniform(0.5, 0.8),
        social_workers=rng.uniform(28, 40),
        case_holding=rng.uniform(0.55, 0.7),
        ehc_plans=rng.uniform(0.005, 0.009),
    )


def _level(code: str, indicator: str, key: PeriodKey) -> float:
    """The LA's value for an indicator in a quarter, before counting.

    Each LA sits at its own level within the London norm and drifts slowly
    around it, with some noise from quarter to quarter.
    """
    norm = NORMS[indicator]
    span = norm.high - norm.low
    profile = _rng(code, indicator)
    level = profile.uniform(norm.low, norm.high)
    swing = profile.uniform(0.03, 0.1) * span
    cycle = profile.uniform(10, 24)
    phase = profile.uniform(0, 2 * math.pi)

    quarters = key.year_start * 4 + (key.quarter or 1)
    drift = swing * math.sin(2 * math.pi * quarters / cycle + phase)
    noise = _rng(code, indicator, key.label).gauss(0, 0.025 * span)
    value = level + drift + noise
    return min(max(value, norm.low - 0.1 * span, 0), norm.high + 0.1 * span)


def _rate(count: int, children: int) -> Figures:
    return Figures(str(count), str(children))


def _share(percent: float, whole: int) -> Figures:
    if whole <= 0:
        return Figures(missing_reason=NONE_IN_GROUP)
    part = round(min(percent, 100) / 100 * whole)
    return Figures(str(part), str(whole))


def _fte_share(percent: float, whole: float) -> Figures:
    part = round(min(percent, 100) / 100 * whole, 1)
    return Figures(f"{part:.1f}", f"{whole:.1f}")


def _entries(
    catalogue: list[Indicator], figures: dict[str, Figures]
) -> dict[Indicator, CleanEntry]:
    """The figures as the return form would clean them, under the same rules."""
    entries = {}
    for indicator in catalogue:
        item = figures.get(indicator.code, Figures(missing_reason=NOT_IN_DEMO))
        result = validate_entry(indicator, item.raw(indicator))
        if result.clean is None:
            raise DemoError(
                f"The demo figures for {indicator.code} break a rule: {result.errors}"
            )
        entries[indicator] = result.clean
    return entries


def _by_code(entries: dict[Indicator, CleanEntry], code: str) -> Indicator | None:
    return next((i for i in entries if i.code == code), None)


# Returns --------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """When each step of one return's collection is meant to happen."""

    entered: datetime.datetime
    submitted: datetime.datetime
    queried: datetime.datetime
    answered: datetime.datetime
    decided: datetime.datetime


class _Clock:
    """Hands out the moments of one return's history: in order, none in the future."""

    def __init__(
        self, last: datetime.datetime | None, ceiling: datetime.datetime
    ) -> None:
        self.last = last
        self.ceiling = ceiling

    def at(self, planned: datetime.datetime) -> datetime.datetime:
        moment = planned
        if self.last is not None:
            moment = max(moment, self.last + datetime.timedelta(minutes=1))
        self.last = min(moment, self.ceiling)
        return self.last


def _seed_earlier(
    ret: Return, cast: _Cast, catalogue: list[Indicator], ceiling: datetime.datetime
) -> int:
    """Take an earlier quarter's return through to accepted, as the LA and the
    analyst would have. Returns how many values changed."""
    if ret.status == S.ACCEPTED:
        return 0

    code, key = ret.authority.dfe_code, _key(ret.period)
    rng = _rng(code, key.label, "history")
    queried = ret.status == S.NOT_STARTED and rng.random() < QUERY_SHARE
    plan = _earlier_plan(ret, rng, queried)
    # A return someone has worked on carries on after its last step.
    started = ret.status != S.NOT_STARTED
    clock = _Clock(_last_event(ret) if started else None, ceiling)
    editor, analyst = cast.editors[ret.authority_id], cast.analyst
    entries = _entries(catalogue, demo_figures(code, key))
    mistaken = _with_contacts_counted(entries) if queried else None

    changed = 0
    if ret.status in EDITABLE_STATUSES:
        sent_back = ret.status in {S.QUERIED, S.REOPENED}
        note = "Figures checked and confirmed." if sent_back else ""
        changed += _save(ret, editor, mistaken or entries, clock.at(plan.entered))
        _submit(ret, editor, clock.at(plan.submitted), note)
    if mistaken:
        referrals = _by_code(mistaken, "REF_RATE")
        wrong = referrals.format_value(mistaken[referrals].value)
        question = (
            f"Your referral rate of {wrong} is much higher than in recent "
            "quarters. Have contacts been counted as referrals?"
        )
        _query(ret, analyst, clock.at(plan.queried), question)
        changed += _save(ret, editor, entries, clock.at(plan.answered))
        note = "Corrected: contacts had been counted as referrals."
        _submit(ret, editor, clock.at(plan.answered), note)
    _accept(ret, analyst, clock.at(plan.decided))
    return changed


def _with_contacts_counted(
    entries: dict[Indicator, CleanEntry],
) -> dict[Indicator, CleanEntry] | None:
    """The entries with a mistake the analyst would query: contacts counted as
    referrals, which inflates the referral rate."""
    referrals = _by_code(entries, "REF_RATE")
    if referrals is None or entries[referrals].numerator is None:
        return None

    entry = entries[referrals]
    inflated = Figures(
        str(round(entry.numerator * Decimal("1.35"))), str(entry.denominator)
    )
    result = validate_entry(referrals, inflated.raw(referrals))
    if result.clean is None:
        return None
    return {**entries, referrals: result.clean}


def _seed_latest(
    ret: Return, cast: _Cast, catalogue: list[Indicator], ceiling: datetime.datetime
) -> int:
    """Take a latest-quarter return to its demo status, if nobody has started
    it. Returns how many values changed."""
    code, key = ret.authority.dfe_code, _key(ret.period)
    target = latest_target(code)
    if ret.status != S.NOT_STARTED or target == S.NOT_STARTED:
        return 0

    rng = _rng(code, key.label, "history")
    plan = _latest_plan(ret, rng, ceiling)
    clock = _Clock(None, ceiling)
    editor, analyst = cast.editors[ret.authority_id], cast.analyst
    entries = _entries(catalogue, demo_figures(code, key))

    if target == S.IN_PROGRESS:
        groups = _groups_filled(code, rng)
        partial = {i: e for i, e in entries.items() if i.source in groups}
        return _save(ret, editor, partial, clock.at(plan.entered))

    changed = _save(ret, editor, entries, clock.at(plan.entered))
    _submit(ret, editor, clock.at(plan.submitted))
    if target == S.QUERIED:
        _query(ret, analyst, clock.at(plan.decided), _question(ret, entries))
    elif target == S.ACCEPTED:
        _accept(ret, analyst, clock.at(plan.decided))
    return changed


def _groups_filled(code: str, rng: random.Random) -> set[str]:
    if code == CAMDEN:
        return set(CAMDEN_GROUPS)
    return set(list(SourceCollection)[: rng.randint(1, 3)])


def _question(ret: Return, entries: dict[Indicator, CleanEntry]) -> str:
    """The analyst's question: about the value that moved most since the LA's
    previous quarter."""
    before = dict(
        ReturnValue.objects.filter(
            return_obj__authority_id=ret.authority_id,
            return_obj__period__label=_key(ret.period).previous_quarter().label,
            value__isnull=False,
        ).values_list("indicator_id", "value")
    )
    moves = [
        (abs(entry.value - before[i.pk]) / before[i.pk], i)
        for i, entry in entries.items()
        if entry.value is not None and before.get(i.pk)
    ]
    if not moves:
        return "Please confirm these figures: we have no earlier quarter to compare."

    _, indicator = max(moves, key=lambda move: move[0])
    return (
        f"{indicator.name} has moved from "
        f"{indicator.format_value(before[indicator.pk])} last quarter to "
        f"{indicator.format_value(entries[indicator].value)}. Please check the "
        "figures, or tell us what lies behind the change."
    )


def _keep_open(period: Period, today: datetime.date, analyst: User) -> None:
    """Leave the latest quarter past its due date, so that outstanding returns
    show as overdue, but open for edits for at least another two weeks."""
    default_due = period.end_date + DEFAULT_DUE_AFTER
    yesterday = today - datetime.timedelta(days=1)
    due = max(period.opens_on, min(period.due_on or default_due, yesterday))
    close = max(period.edits_close_on or due, today + EDITS_OPEN_FOR)
    if (due, close) != (period.due_on, period.edits_close_on):
        period_set_dates(period=period, due_on=due, edits_close_on=close, actor=analyst)


# Steps, each dated as if it happened at its planned moment -------------------


def _save(
    ret: Return,
    actor: User,
    entries: dict[Indicator, CleanEntry],
    when: datetime.datetime,
) -> int:
    with _dated(ret, when, values=True):
        return return_save_values(
            ret=ret,
            actor=actor,
            entries=entries,
            via=ValueChange.Via.DEMO,
            today=timezone.localdate(when),
        )


def _submit(ret: Return, actor: User, when: datetime.datetime, note: str = "") -> None:
    with _dated(ret, when, stamp="submitted_at"):
        return_submit(ret=ret, actor=actor, note=note, today=timezone.localdate(when))


def _query(ret: Return, actor: User, when: datetime.datetime, message: str) -> None:
    with _dated(ret, when):
        return_query(ret=ret, actor=actor, message=message)


def _accept(ret: Return, actor: User, when: datetime.datetime) -> None:
    with _dated(ret, when, stamp="accepted_at"):
        return_accept(ret=ret, actor=actor)


@contextmanager
def _dated(
    ret: Return,
    when: datetime.datetime,
    *,
    values: bool = False,
    stamp: str = "",
) -> Iterator[None]:
    """Give what the block writes for `ret` the time `when` instead of now.

    The services stamp everything with the real time; without this every
    earlier quarter would read as submitted today, and so late. What the
    block wrote is what is stamped from its start on: every moment the demo
    hands out is before the seed began, and so is all earlier history.
    """
    started = timezone.now()
    yield

    ReturnTransition.objects.filter(return_obj=ret, at__gte=started).update(at=when)
    if values:
        ValueChange.objects.filter(
            return_value__return_obj=ret, changed_at__gte=started
        ).update(changed_at=when)
        ReturnValue.objects.filter(return_obj=ret, updated_at__gte=started).update(
            updated_at=when
        )
    stamps = {"updated_at": when, stamp: when} if stamp else {"updated_at": when}
    Return.objects.filter(pk=ret.pk).update(**stamps)
    # The first submission is stamped once, by the service; date it too.
    Return.objects.filter(pk=ret.pk, first_submitted_at__gte=started).update(
        first_submitted_at=when
    )


def _earlier_plan(ret: Return, rng: random.Random, queried: bool) -> _Plan:
    """A collection run to time: entered within weeks of opening, submitted
    around the due date (a few late), accepted within days."""
    due = ret.due_on or ret.period.end_date + DEFAULT_DUE_AFTER
    close = ret.edits_close_on or due

    def on(day: datetime.date) -> datetime.datetime:
        return _working_moment(min(day, close), rng)

    def days(low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=rng.randint(low, high))

    entered = on(ret.period.opens_on + days(4, 20))
    if rng.random() < LATE_SHARE:
        submitted = on(due + days(1, 6))
    else:
        submitted = on(due - days(0, 12))
    queried_at = _working_moment(submitted.date() + days(1, 3), rng)
    answered = _working_moment(queried_at.date() + days(1, 3), rng)
    decided = _working_moment(
        (answered if queried else submitted).date() + days(1, 8), rng
    )
    return _Plan(entered, submitted, queried_at, answered, decided)


def _latest_plan(ret: Return, rng: random.Random, ceiling: datetime.datetime) -> _Plan:
    """Steps spread over the working days between the quarter opening and now;
    the clock holds back any that would fall after now."""
    start = _moment(ret.period.opens_on, datetime.time(9))
    span = max(ceiling - start, datetime.timedelta(0))

    def between(low: float, high: float) -> datetime.datetime:
        day = timezone.localdate(start + span * rng.uniform(low, high))
        return _working_moment(day, rng)

    entered = between(0.05, 0.3)
    submitted = between(0.35, 0.6)
    decided = between(0.7, 0.95)
    return _Plan(entered, submitted, decided, decided, decided)


def _working_moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time in office hours on `day`, or on the Monday after a weekend."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return _moment(day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)))


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _last_event(ret: Return) -> datetime.datetime | None:
    return ret.transitions.aggregate(last=Max("at"))["last"]


def _key(period: Period) -> PeriodKey:
    return PeriodKey(period.year_start, period.quarter)
