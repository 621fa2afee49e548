"""The portfolio's figures. Each is one query whatever the number of vendors and reviews, so the page costs
the same with ten vendors or ten thousand; medians are taken in Python because SQLite has no median."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from django.db.models import Case, CharField, Count, IntegerField, Q, Value, When
from django.db.models.functions import TruncMonth

from activities.models import (
    OPEN_ACTIVITY_STATES,
    OPEN_EXTENSION_STATES,
    Activity,
    ActivityStatus,
    ScopeExtension,
)
from reviews.models import ReviewState, Stage, StageKind, StageState
from vendors.models import Vendor, VendorCategory, VendorStatus
from vendors.selectors import on_approved_list, overdue_catch_up

STAGE_DAYS_WINDOW = 90
RENEWAL_MONTHS = 12
# Age bands of a waiting stage, in days: (upper bound, key). The last band has no bound.
AGE_BANDS = ((7, "0-7"), (14, "8-14"), (30, "15-30"), (None, "31+"))
OPEN_REVIEW = (ReviewState.DRAFT, ReviewState.IN_PROGRESS)


@dataclass(frozen=True)
class Coverage:
    vetted: int
    in_use: int  # in use, not vetted, and not past its catch-up date
    overdue: int  # in use, not vetted, past its catch-up date


@dataclass(frozen=True)
class SubjectCoverage:
    """Coverage of vendors and of the brand's own channels, apart and together (docs/architecture.md "Own
    channels")."""

    vendors: Coverage
    own_channels: Coverage

    @property
    def together(self) -> Coverage:
        return Coverage(
            vetted=self.vendors.vetted + self.own_channels.vetted,
            in_use=self.vendors.in_use + self.own_channels.in_use,
            overdue=self.vendors.overdue + self.own_channels.overdue,
        )


def coverage_by_subject(*, today: date) -> SubjectCoverage:
    """coverage() for vendors and for own channels apart, in one query."""
    overdue = overdue_catch_up(today)
    groups = {
        "vetted": on_approved_list(today),
        "in_use": Q(status=VendorStatus.IN_USE) & ~overdue,
        "overdue": overdue,
    }
    channel = Q(category=VendorCategory.OWN_CHANNEL)
    figures = Vendor.objects.aggregate(
        **{f"v_{name}": Count("pk", filter=where & ~channel) for name, where in groups.items()},
        **{f"c_{name}": Count("pk", filter=where & channel) for name, where in groups.items()},
    )
    return SubjectCoverage(
        vendors=Coverage(**{name: figures[f"v_{name}"] for name in groups}),
        own_channels=Coverage(**{name: figures[f"c_{name}"] for name in groups}),
    )


def coverage(*, today: date) -> Coverage:
    """What the business uses or may use: vendors and own channels on the approved list, and those in use that
    have not passed a review (PIPL Art. 55: a prior impact assessment before entrusting or providing data)."""
    return coverage_by_subject(today=today).together


def vendors_by_category_and_tier(*, today: date) -> dict[tuple[str, str], int]:
    """{(category, tier): count} over the vendors on the approved list and those in use; an unreviewed
    platform has no tier ("")."""
    rows = (
        Vendor.objects.filter(on_approved_list(today) | Q(status=VendorStatus.IN_USE))
        .values_list("category", "risk_tier")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(category, tier): n for category, tier, n in rows}


def month_starts(today: date, months: int = RENEWAL_MONTHS) -> list[date]:
    first = today.replace(day=1)
    return [
        date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(months)
    ]


def approvals_ending_by_month(*, today: date) -> dict[date, int]:
    """{first day of month: approvals on the list that end that month}, this month and the eleven after."""
    months = month_starts(today)
    end = month_starts(months[-1], 2)[1]
    rows = (
        Vendor.objects.filter(on_approved_list(today), approved_until__lt=end)
        .annotate(month=TruncMonth("approved_until"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(m.date() if isinstance(m, datetime) else m): n for m, n in rows}
    return {month: counts.get(month, 0) for month in months}


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def median_stage_days(*, now: datetime) -> dict[str, tuple[float | None, int]]:
    """{stage kind: (median days from opening to passing, stages counted)} over the stages passed in the last
    90 days. A returned stage counts from its first opening: the rounds are part of what it took."""
    rows = Stage.objects.filter(
        state=StageState.PASSED,
        decided_at__gte=now - timedelta(days=STAGE_DAYS_WINDOW),
        opened_at__isnull=False,
    ).values_list("kind", "opened_at", "decided_at")
    days: dict[str, list[float]] = {kind: [] for kind in StageKind.values}
    for kind, opened, decided in rows:
        days[kind].append(days_between(opened, decided))
    return {kind: (median(values) if values else None, len(values)) for kind, values in days.items()}


@dataclass(frozen=True)
class Waiting:
    kind: str
    bands: dict[str, int]
    with_deciders: int
    with_requesters: int
    median_days: float | None
    oldest_days: float | None

    @property
    def total(self) -> int:
        return self.with_deciders + self.with_requesters


def age_band(days: float) -> str:
    for bound, key in AGE_BANDS:
        if bound is None or days <= bound:
            return key
    raise AssertionError("the last band has no bound")


def waiting_by_stage(*, now: datetime) -> list[Waiting]:
    """The stage each open review stands at, by kind, with how long it has waited: since it was submitted
    when the deciders have it, since it was returned or opened when the requester has it."""
    rows = Stage.objects.filter(
        review__state__in=OPEN_REVIEW, state__in=(StageState.OPEN, StageState.RETURNED, StageState.SUBMITTED)
    ).values_list("kind", "state", "opened_at", "submitted_at", "decided_at")
    ages: dict[str, list[tuple[str, float]]] = {kind: [] for kind in StageKind.values}
    for kind, state, opened, submitted, decided in rows:
        since = {StageState.SUBMITTED: submitted, StageState.RETURNED: decided}.get(state) or opened
        if since is not None:
            ages[kind].append((state, max(days_between(since, now), 0.0)))
    result = []
    for kind, entries in ages.items():
        days = [d for _state, d in entries]
        bands = {key: 0 for _bound, key in AGE_BANDS}
        for d in days:
            bands[age_band(d)] += 1
        deciders = sum(1 for state, _d in entries if state == StageState.SUBMITTED)
        result.append(
            Waiting(
                kind=kind,
                bands=bands,
                with_deciders=deciders,
                with_requesters=len(entries) - deciders,
                median_days=median(days) if days else None,
                oldest_days=max(days, default=None),
            )
        )
    return result


@dataclass(frozen=True)
class ActivityFigures:
    """Marketing activities by status, the open ones flagged (a vendor they use was suspended or its approval
    lapsed after they were registered), and the scope extensions waiting, by whom they wait for."""

    by_status: dict[str, int]
    flagged: int
    extensions_waiting: dict[str, int]


def activity_figures() -> ActivityFigures:
    """One query: the activities grouped by status and flag, and the open extensions by status, as one UNION
    ALL of two grouped selects."""
    flagged = Q(flagged_at__isnull=False, status__in=OPEN_ACTIVITY_STATES)
    activities = (
        Activity.objects.annotate(
            kind=Value("activity", output_field=CharField()),
            flag=Case(When(flagged, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .values_list("kind", "status", "flag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    extensions = (
        ScopeExtension.objects.filter(status__in=OPEN_EXTENSION_STATES)
        .annotate(
            kind=Value("extension", output_field=CharField()), flag=Value(0, output_field=IntegerField())
        )
        .values_list("kind", "status", "flag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = dict.fromkeys(ActivityStatus.values, 0)
    waiting = dict.fromkeys(OPEN_EXTENSION_STATES, 0)
    flagged_count = 0
    for kind, status, flag, n in activities.union(extensions, all=True):
        if kind == "extension":
            waiting[status] += n
            continue
        by_status[status] += n
        if flag:
            flagged_count += n
    return ActivityFigures(by_status=by_status, flagged=flagged_count, extensions_waiting=waiting)
