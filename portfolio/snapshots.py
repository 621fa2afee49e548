"""The monthly snapshots behind the portfolio's trend (docs/domain.md "The portfolio").

`snapshot_take` writes this month's row from the figures as they are now; run by the beat task every few hours,
it rewrites the same row until the month ends, so each month keeps its figures as it closed, and running it
twice changes nothing but the time taken. The first time it runs (no snapshot yet) it reconstructs the eleven
months before from what the records allow (`snapshot_backfill`), once:

- vetted: vendors with a signed approval in force at the month's end (signed by then, valid until then or
  later). A suspension has no date on the vendor, so a vendor suspended since counts as it stood approved;
- approvals ending soon: of those, the approvals ending within 30 days of the month's end;
- in use, not vetted: vendors in the register by the month's end that are in use now or came to the register
  through a catch-up review, not yet signed off by then; overdue: of those, past the catch-up deadline;
- activities blocked: activities registered by then that the pre-check blocked (a no-go stays one).

A month before any record (nothing vetted, nothing in use) is left out rather than drawn as zero."""

import calendar
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from activities.models import Activity, ActivityStatus
from reviews.models import Review, SignOff
from vendors.models import Vendor, VendorStatus

from . import selectors
from .models import PortfolioSnapshot

TREND_MONTHS = 12
FIGURES = ("vetted", "in_use", "overdue", "ending_soon", "activities_blocked")


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_months(today: date, count: int) -> list[date]:
    """The first days of the `count` months before today's, oldest first."""
    months, month = [], month_start(today)
    for _ in range(count):
        month = month_start(month - timedelta(days=1))
        months.append(month)
    return months[::-1]


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def current_figures(*, today: date) -> dict[str, int]:
    """The snapshot's figures as they stand today (two queries)."""
    coverage = selectors.coverage(today=today)
    return {
        "vetted": coverage.vetted,
        "in_use": coverage.in_use,
        "overdue": coverage.overdue,
        "ending_soon": coverage.ending_soon,
        "activities_blocked": selectors.activities_blocked(),
    }


def snapshot_take(*, today: date | None = None) -> PortfolioSnapshot:
    """This month's snapshot, written or rewritten; the first one also reconstructs the months before."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if not PortfolioSnapshot.objects.exists():
            snapshot_backfill(today=today)
        snapshot, _created = PortfolioSnapshot.objects.update_or_create(
            month=month_start(today),
            defaults={**current_figures(today=today), "taken_at": timezone.now(), "backfilled": False},
        )
    return snapshot


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def backfill_figures(months: list[date]) -> dict[date, dict[str, int]]:
    """{month: figures at its end} reconstructed from the records, three queries for all the months."""
    ends = {month: month_end(month) for month in months}
    approvals = SignOff.objects.order_by().aggregate(
        **{
            f"vetted_{i}": Count("review__vendor", distinct=True, filter=_in_force(end))
            for i, end in enumerate(ends.values())
        },
        **{
            f"ending_soon_{i}": Count(
                "review__vendor",
                distinct=True,
                filter=_in_force(end) & Q(valid_until__lte=end + timedelta(days=selectors.ENDING_SOON_DAYS)),
            )
            for i, end in enumerate(ends.values())
        },
    )
    first_signed = SignOff.objects.filter(review__vendor=OuterRef("pk")).order_by("signed_at")
    taken_stock = (
        Vendor.objects.filter(
            Q(status=VendorStatus.IN_USE)
            | Exists(Review.objects.filter(vendor=OuterRef("pk"), catch_up=True))
        )
        .annotate(vetted_from=Subquery(first_signed.values("signed_at")[:1]))
        .order_by()
    )
    register = taken_stock.aggregate(
        **{
            f"in_use_{i}": Count("pk", filter=_unvetted(end) & ~Q(catch_up_due__lt=end))
            for i, end in enumerate(ends.values())
        },
        **{
            f"overdue_{i}": Count("pk", filter=_unvetted(end) & Q(catch_up_due__lt=end))
            for i, end in enumerate(ends.values())
        },
    )
    activities = (
        Activity.objects.filter(status=ActivityStatus.BLOCKED)
        .order_by()
        .aggregate(
            **{
                f"activities_blocked_{i}": Count("pk", filter=Q(created_at__lt=_end_of(end)))
                for i, end in enumerate(ends.values())
            }
        )
    )
    found = {**approvals, **register, **activities}
    return {month: {name: found[f"{name}_{i}"] for name in FIGURES} for i, month in enumerate(months)}


def _in_force(end: date) -> Q:
    """A sign-off's approval in force on `end`: signed by its end of day, valid until then or later."""
    return Q(signed_at__lt=_end_of(end), valid_until__gte=end)


def _unvetted(end: date) -> Q:
    """A vendor taken stock of (`taken_stock`) in the register by `end` and not signed off by then."""
    return Q(created_at__lt=_end_of(end)) & (Q(vetted_from__isnull=True) | Q(vetted_from__gte=_end_of(end)))


def snapshot_backfill(*, today: date) -> list[PortfolioSnapshot]:
    """The months before this one that have no snapshot, reconstructed from the records; a month before any
    record is left out."""
    have = set(PortfolioSnapshot.objects.values_list("month", flat=True))
    months = [m for m in previous_months(today, TREND_MONTHS - 1) if m not in have]
    if not months:
        return []
    rows = [
        PortfolioSnapshot(month=month, backfilled=True, **figures)
        for month, figures in backfill_figures(months).items()
        if figures["vetted"] or figures["in_use"] or figures["overdue"]
    ]
    return PortfolioSnapshot.objects.bulk_create(rows)


def trend(*, today: date) -> list[PortfolioSnapshot]:
    """The snapshots of the eleven months before this one, oldest first (one query)."""
    return list(
        PortfolioSnapshot.objects.filter(
            month__gte=previous_months(today, TREND_MONTHS - 1)[0], month__lt=month_start(today)
        ).order_by("month")
    )
