"""The monthly snapshots (portfolio.snapshots): one row per month however often the task runs, the months
before the first one reconstructed once from the records, and the trend drawn from them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import snapshots
from portfolio.models import PortfolioSnapshot
from portfolio.tasks import portfolio_snapshot_take
from reviews.models import SignOff
from tests import builders
from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import Vendor, VendorStatus

from . import activities_world as world

pytestmark = pytest.mark.django_db


def signed(requester, *, legal, security, on: date, until: date):
    """A review signed off on `on`, its approval valid until `until`, as the records keep it."""
    review = builders.approved_review(requester, legal=legal, security=security)
    SignOff.objects.filter(review=review).update(
        signed_at=timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 10)), valid_until=until
    )
    return review


def test_taking_the_snapshot_twice_in_a_month_keeps_one_row_with_the_latest_figures(legal):
    today = builders.today()
    approved_vendor(actor=legal)
    first = snapshots.snapshot_take(today=today)
    assert (first.month, first.vetted, first.backfilled) == (today.replace(day=1), 1, False)
    approved_vendor(actor=legal)
    VendorFactory(status=VendorStatus.IN_USE, catch_up_due=today - timedelta(days=2))
    again = snapshots.snapshot_take(today=today)
    assert PortfolioSnapshot.objects.filter(month=today.replace(day=1)).count() == 1
    assert (again.pk, again.vetted, again.overdue) == (first.pk, 2, 1)
    # Unchanged figures: running it again changes nothing but the time it was taken.
    values = ("month", "vetted", "in_use", "overdue", "ending_soon", "activities_blocked")
    before = list(PortfolioSnapshot.objects.values_list(*values))
    snapshots.snapshot_take(today=today)
    assert list(PortfolioSnapshot.objects.values_list(*values)) == before


def test_the_beat_task_takes_this_months_snapshot():
    assert portfolio_snapshot_take() == str(timezone.localdate().replace(day=1))
    assert PortfolioSnapshot.objects.filter(month=timezone.localdate().replace(day=1)).exists()


def test_the_first_snapshot_reconstructs_the_months_before_from_the_records(legal, security, requester):
    today = date(2026, 12, 7)
    # Approved in August 2026 until the end of January 2027.
    signed(requester, legal=legal, security=security, on=date(2026, 8, 20), until=date(2027, 1, 31))
    # Taken stock of in October 2026, its catch-up review due on 15 November.
    platform = VendorFactory(status=VendorStatus.IN_USE, catch_up_due=date(2026, 11, 15))
    Vendor.objects.filter(pk=platform.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 10, 3))
    )
    blocked = world.blocked(requester, world.scoped_vendor(legal=legal))
    type(blocked).objects.filter(pk=blocked.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 9, 5))
    )

    snapshots.snapshot_take(today=today)
    rows = {s.month: s for s in PortfolioSnapshot.objects.filter(backfilled=True).order_by("month")}
    # Nothing before August is in the records: those months are left out, not drawn as zero.
    assert list(rows) == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    august, september, october, november = rows.values()
    assert (august.vetted, august.in_use, august.activities_blocked) == (1, 0, 0)
    assert (september.vetted, september.activities_blocked) == (1, 1)
    assert (october.in_use, october.overdue) == (1, 0)
    assert (november.in_use, november.overdue) == (0, 1)
    # This month is taken, not reconstructed; the backfill ran once and is not repeated.
    assert PortfolioSnapshot.objects.get(month=date(2026, 12, 1)).backfilled is False
    PortfolioSnapshot.objects.filter(month=date(2026, 8, 1)).delete()
    snapshots.snapshot_take(today=today)
    assert not PortfolioSnapshot.objects.filter(month=date(2026, 8, 1)).exists()


def test_an_approval_ending_within_30_days_of_a_months_end_counts_as_ending_soon(legal, security, requester):
    signed(requester, legal=legal, security=security, on=date(2026, 9, 1), until=date(2026, 11, 20))
    figures = snapshots.backfill_figures([date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)])
    assert [f["ending_soon"] for f in figures.values()] == [0, 1, 0]
    assert [f["vetted"] for f in figures.values()] == [1, 1, 0]


def test_the_trend_chart_reads_the_snapshots_and_marks_the_reconstructed_months(client, legal):
    today = builders.today()
    last_month = snapshots.previous_months(today, 1)[0]
    PortfolioSnapshot.objects.create(month=last_month, vetted=3, in_use=1, overdue=0, backfilled=True)
    PortfolioSnapshot.objects.create(month=date(2000, 1, 1), vetted=9)  # older than 12 months: not shown
    approved_vendor(actor=legal)
    client.force_login(legal)
    html = client.get(reverse("portfolio:page")).content.decode()
    trend = html[html.index('id="chart-trend"') : html.index('id="chart-coverage"')]
    assert "75%" in trend and "100%" in trend and "January 2000" not in trend
    assert "reconstructed from the records" in trend
    assert trend.count('<g class="column">') == 2


def test_the_command_takes_the_snapshot_by_hand(legal):
    from io import StringIO

    from django.core.management import call_command

    approved_vendor(actor=legal)
    out = StringIO()
    call_command("portfolio_snapshot", stdout=out)
    assert "vetted 1" in out.getvalue()
    assert PortfolioSnapshot.objects.get(month=timezone.localdate().replace(day=1)).vetted == 1
