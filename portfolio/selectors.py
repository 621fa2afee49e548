"""The portfolio's figures. Each is one query whatever the number of vendors and reviews, and each is computed
by the database (counts, and medians through portfolio.medians), so the page costs the same with ten vendors
or ten thousand: no query fetches the rows it summarises, and none sorts what it only counts.

The register's figures are counted in one place (register_figures), so that a count can be added beside the
others (a field of its dataclass and a `Count` of its query). The page reads these through
portfolio.panels.Figures, which keeps each one until the data it reads changes (portfolio.freshness)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from activities.models import (
    OPEN_ACTIVITY_STATES,
    OPEN_EXTENSION_STATES,
    Activity,
    ActivityStatus,
    ScopeExtension,
)
from reviews.models import ReviewState, Stage, StageKind, StageState
from reviews.working_days import WorkingCalendar, working_calendar
from vendors.models import Vendor, VendorCategory, VendorStatus
from vendors.selectors import on_approved_list, overdue_catch_up

from .medians import Seconds, grouped_median, grouped_middles

STAGE_DAYS_WINDOW = 90
RENEWAL_MONTHS = 12
# Age bands of a waiting stage, in days: (upper bound, key). The last band has no bound.
AGE_BANDS = ((7, "0-7"), (14, "8-14"), (30, "15-30"), (None, "31+"))
OPEN_REVIEW = (ReviewState.DRAFT, ReviewState.IN_PROGRESS)
WAITING_STAGE = (StageState.OPEN, StageState.RETURNED, StageState.SUBMITTED)
# "Approvals ending soon" on the headline: within this many days.
ENDING_SOON_DAYS = 30


@dataclass(frozen=True)
class Coverage:
    vetted: int
    in_use: int  # in use, not vetted, and not past its catch-up date
    overdue: int  # in use, not vetted, past its catch-up date
    ending_soon: int = 0  # on the list, its approval ending within ENDING_SOON_DAYS

    @property
    def in_use_total(self) -> int:
        """Everything the business uses or may use: vetted, and in use without a passed review."""
        return self.vetted + self.in_use + self.overdue

    @property
    def vetted_share(self) -> float | None:
        return self.vetted / self.in_use_total if self.in_use_total else None


@dataclass(frozen=True)
class SubjectCoverage:
    """Coverage of vendors and of the brand's own channels, apart and together (docs/architecture.md "Own
    channels")."""

    vendors: Coverage
    own_channels: Coverage
    together: Coverage


@dataclass(frozen=True)
class Register:
    """The register as the portfolio reads it: the coverage of vendors and own channels, and the vendors on
    the approved list or in use by category and tier, from one grouped pass over those rows."""

    subjects: SubjectCoverage
    tiers: dict[tuple[str, str], int]


def register_figures(*, today: date) -> Register:
    """What the business uses or may use: vendors and own channels on the approved list, those in use that
    have not passed a review (PIPL Art. 55: a prior impact assessment before entrusting or providing data),
    and the approvals ending within ENDING_SOON_DAYS, for vendors and own channels apart and together; and the
    same rows counted by (category, tier). One query, a UNION ALL of two grouped selects by category and tier:
    the approved list (with the approvals ending soon), read from its index alone, and the platforms in use
    (with the overdue ones); the other rows count nowhere and are not read."""
    zero = Value(0, output_field=IntegerField())
    listed = (
        Vendor.objects.filter(on_approved_list(today))
        .values_list("category", "risk_tier")
        .annotate(
            vetted=Count("*"),
            in_use=zero,
            overdue=zero,
            # approval_ends_within() among the rows on the list, in the columns of the list's index only, and
            # counted by one of them (COUNT(*) may not take a filter in Django).
            ending_soon=Count(
                "category", filter=Q(approved_until__lte=today + timedelta(days=ENDING_SOON_DAYS))
            ),
        )
        .order_by()
    )
    overdue = overdue_catch_up(today)
    in_use = (
        Vendor.objects.filter(status=VendorStatus.IN_USE)
        .values_list("category", "risk_tier")
        .annotate(
            vetted=zero,
            in_use=Count("category", filter=~overdue),
            overdue=Count("category", filter=overdue),
            ending_soon=zero,
        )
        .order_by()
    )
    names = ("vetted", "in_use", "overdue", "ending_soon")
    vendors, channels = dict.fromkeys(names, 0), dict.fromkeys(names, 0)
    tiers: dict[tuple[str, str], int] = {}
    for category, tier, *counts in listed.union(in_use, all=True):
        tiers[(category, tier)] = tiers.get((category, tier), 0) + sum(counts[:3])
        subject = channels if category == VendorCategory.OWN_CHANNEL else vendors
        for name, count in zip(names, counts, strict=True):
            subject[name] += count
    both = {name: vendors[name] + channels[name] for name in names}
    subjects = SubjectCoverage(
        vendors=Coverage(**vendors), own_channels=Coverage(**channels), together=Coverage(**both)
    )
    return Register(subjects=subjects, tiers=tiers)


def coverage_by_subject(*, today: date) -> SubjectCoverage:
    """The coverage of vendors and own channels, apart and together (register_figures, one query)."""
    return register_figures(today=today).subjects


def coverage(*, today: date) -> Coverage:
    """coverage_by_subject(), vendors and own channels together."""
    return coverage_by_subject(today=today).together


def vendors_by_category_and_tier(*, today: date) -> dict[tuple[str, str], int]:
    """{(category, tier): count} over the vendors on the approved list and those in use; an unreviewed
    platform has no tier ("") (register_figures, one query)."""
    return register_figures(today=today).tiers


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


@dataclass(frozen=True)
class StageDays:
    """median_stage_days() with the last moment it holds without a write: until the earliest stage it counts
    leaves the 90-day window (None when it counts none: it holds until a write). As time passes a stage only
    ever leaves the window; none enters it but by a write."""

    by_kind: dict[str, tuple[float | None, int]]
    holds_until: datetime | None


def stage_days(*, now: datetime) -> StageDays:
    """{stage kind: (median days from opening to passing, stages counted)} over the stages passed in the last
    90 days, and until when they are the same (the earliest of them stays in the window up to 90 days after
    it was passed). A returned stage counts from its first opening: the rounds are part of what it took. One
    query, the median and the earliest passing taken by the database."""
    passed = Stage.objects.filter(
        state=StageState.PASSED,
        decided_at__gte=now - timedelta(days=STAGE_DAYS_WINDOW),
        opened_at__isnull=False,
    )
    medians = grouped_median(
        passed, "kind", Seconds(F("opened_at"), F("decided_at")), first=Min("decided_at")
    )
    result = {}
    for kind in StageKind.values:
        row = medians.get(kind)
        result[kind] = (None, 0) if row is None else (row["median"] / 86400, row["n"])
    firsts = [row["first"] for row in medians.values()]
    holds_until = min(firsts) + timedelta(days=STAGE_DAYS_WINDOW) if firsts else None
    return StageDays(by_kind=result, holds_until=holds_until)


def median_stage_days(*, now: datetime) -> dict[str, tuple[float | None, int]]:
    """stage_days() without the moment it changes."""
    return stage_days(now=now).by_kind


@dataclass(frozen=True)
class Waiting:
    """The open reviews standing at one stage kind, and how long they have waited, in working days
    (reviews.working_days, as the desk and the queue count them)."""

    kind: str
    bands: dict[str, int]
    with_deciders: int
    with_requesters: int
    median_days: float | None  # working days
    oldest_days: int | None  # working days

    @property
    def total(self) -> int:
        return self.with_deciders + self.with_requesters


def _age_cutoff(calendar: WorkingCalendar, today: date, days: int) -> date:
    """The earliest day a stage may have waited since and still be at most `days` working days old today
    (calendar.between(day, today) <= days): the day `before` gives, and the non-working days just before it,
    which add nothing."""
    day = calendar.before(today, days)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def band_bounds(calendar: WorkingCalendar, today: date) -> tuple[datetime, ...]:
    """The lower bound of each age band but the last, youngest first: the start of the earliest local day a
    stage may have waited since and still be in the band (up to 7 working days, up to 14, up to 30)."""
    return tuple(
        timezone.make_aware(datetime.combine(_age_cutoff(calendar, today, bound), time.min))
        for bound, _key in AGE_BANDS
        if bound is not None
    )


def _band_filters(bounds: tuple[datetime, ...]) -> dict[str, Q]:
    """{band key: the filter on `since` of a stage whose age in working days falls in the band}: up to 7
    working days, more than 7 and up to 14, and so on; the last band has no bound. Each bound is a time,
    compared in the database."""
    filters, younger = {}, None
    for i, (_bound, key) in enumerate(AGE_BANDS):
        within = Q(since__gte=bounds[i]) if i < len(bounds) else None
        band = within if within is not None else Q()
        filters[key] = band if younger is None else band & ~younger
        younger = within
    return filters


def _age(calendar: WorkingCalendar, since: datetime, today: date) -> int:
    """Working days a stage waiting since `since` has waited by `today`."""
    return calendar.between(timezone.localtime(since).date(), today)


def waiting_rows(bounds: tuple[datetime, ...]) -> dict:
    """{stage kind: {"n", "deciders", "oldest", "middles", "band_0"...}} of the stages the open reviews stand
    at, the age bands cut at `bounds` (band_bounds): what the database counts, before any working day is.
    One query: the counts per age band, the oldest, and the two middle waiting times of each kind, whatever
    the number of stages."""
    since = Coalesce(
        Case(
            When(state=StageState.SUBMITTED, then=F("submitted_at")),
            When(state=StageState.RETURNED, then=F("decided_at")),
            default=None,
            output_field=DateTimeField(),
        ),
        F("opened_at"),
        output_field=DateTimeField(),
    )
    waiting = (
        Stage.objects.filter(review__state__in=OPEN_REVIEW, state__in=WAITING_STAGE)
        .annotate(since=since)
        .filter(since__isnull=False)
        .order_by()
    )
    bands = _band_filters(bounds)
    # Counted by `kind` (never null), not by the primary key: every column the query reads is in the index of
    # the waiting stages, which PostgreSQL then reads alone (COUNT(*) may not take a filter in Django).
    return grouped_middles(
        waiting,
        "kind",
        F("since"),
        deciders=Count("kind", filter=Q(state=StageState.SUBMITTED)),
        oldest=Min("since"),
        **{f"band_{i}": Count("kind", filter=band) for i, band in enumerate(bands.values())},
    )


def waiting_by_stage(
    *, now: datetime, rows_of: Callable[[tuple[datetime, ...]], dict] = waiting_rows
) -> list[Waiting]:
    """The stage each open review stands at, by kind, with how long it has waited in working days: since it
    was submitted when the deciders have it, since it was returned or opened when the requester has it. The
    counts come from `rows_of` (waiting_rows: one query); the median age is the mean of the ages of the two
    middle waiting times (ages falling as the time waited since rises), each age counted in the working
    calendar in force."""
    calendar = working_calendar()
    today = timezone.localdate(now)
    rows = rows_of(band_bounds(calendar, today))
    bands = [key for _bound, key in AGE_BANDS]
    result = []
    for kind in StageKind.values:
        row = rows.get(kind)
        if row is None:
            result.append(Waiting(kind, dict.fromkeys(bands, 0), 0, 0, None, None))
            continue
        lower, upper = row["middles"]
        result.append(
            Waiting(
                kind=kind,
                bands={key: row[f"band_{i}"] for i, key in enumerate(bands)},
                with_deciders=row["deciders"],
                with_requesters=row["n"] - row["deciders"],
                median_days=(_age(calendar, lower, today) + _age(calendar, upper, today)) / 2,
                oldest_days=_age(calendar, row["oldest"], today),
            )
        )
    return result


def activities_blocked() -> int:
    """Activities the pre-check found a no-go (blocked): what the headline counts."""
    return Activity.objects.filter(status=ActivityStatus.BLOCKED).order_by().count()


@dataclass(frozen=True)
class ActivityFigures:
    """Marketing activities by status, the open ones flagged (a vendor they use was suspended or its approval
    lapsed after they were registered), and the scope extensions waiting, by whom they wait for."""

    by_status: dict[str, int]
    flagged: int
    extensions_waiting: dict[str, int]


def activity_figures() -> ActivityFigures:
    """One query, a UNION ALL of three grouped selects: the activities by status (read from the index on
    status, not the table), the open flagged ones by status (from the index of the flagged), and the open
    extensions by status."""
    activities = (
        Activity.objects.annotate(
            kind=Value("activity", output_field=CharField()), flag=Value(0, output_field=IntegerField())
        )
        .values_list("kind", "status", "flag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    flagged = (
        Activity.objects.filter(flagged_at__isnull=False, status__in=OPEN_ACTIVITY_STATES)
        .annotate(
            kind=Value("activity", output_field=CharField()), flag=Value(1, output_field=IntegerField())
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
    waiting: dict[str, int] = dict.fromkeys(OPEN_EXTENSION_STATES, 0)
    flagged_count = 0
    for kind, status, flag, n in activities.union(flagged, extensions, all=True):
        if kind == "extension":
            waiting[status] += n
        elif flag:
            flagged_count += n
        else:
            by_status[status] += n
    return ActivityFigures(by_status=by_status, flagged=flagged_count, extensions_waiting=waiting)
