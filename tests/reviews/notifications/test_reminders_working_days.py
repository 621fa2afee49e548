"""The reminders count China's working days (docs/domain.md "Working days"): a date just after the Spring
Festival or National Day is reminded of before the holiday, a make-up Saturday counts, a year the package
lacks counts Monday to Friday until Legal enters its days, and each reminder goes out once, run as beat runs
it (every day, holidays included)."""

from datetime import date, timedelta

import pytest
from django.core import mail

from reviews import workflow
from reviews.models import AuditEvent, CalendarDay, CalendarDayKind, Review, SignOff
from reviews.notifications.catch_up import REMINDED as CATCH_UP_REMINDED
from reviews.notifications.catch_up import catch_up_remind
from reviews.notifications.reminders import reminder_lead_times, working_days_text
from reviews.notifications.renewals import REMINDED as EXPIRY_REMINDED
from reviews.notifications.renewals import approvals_remind_expiring
from reviews.working_days import library_years, working_days_between
from tests import builders
from tests.factories import VendorFactory
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

SPRING_FESTIVAL = (date(2026, 2, 15), date(2026, 2, 23))  # the holiday; Saturdays 14 and 28 February work
NATIONAL_DAY = (date(2026, 10, 1), date(2026, 10, 7))


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.fixture
def catch_up(requester, legal):
    """A catch-up review; its deadline is set by each test."""
    vendor = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester, name_zh="云触达短信")
    review = workflow.review_open_catch_up(
        vendor=vendor, requester=requester, due=builders.today() + timedelta(days=30), actor=legal
    )

    def due_on(day: date) -> Review:
        Vendor.objects.filter(pk=vendor.pk).update(catch_up_due=day)
        return review

    return due_on


@pytest.fixture
def approval(requester, legal, security):
    """An approval; its end is set by each test."""
    review = builders.approved_review(
        requester, legal=legal, security=security, valid_until=builders.today() + timedelta(days=200)
    )

    def ending_on(day: date) -> Review:
        Vendor.objects.filter(pk=review.vendor_id).update(approved_until=day)
        SignOff.objects.filter(review=review).update(valid_until=day)
        return review

    return ending_on


def run_daily(remind, first: date, last: date) -> dict[date, int]:
    """Run the reminders once a day from `first` to `last`; the days something was sent, and how much."""
    return {day: sent for day in days(first, last) if (sent := remind(today=day))}


def test_the_lead_times_are_working_days_from_one_table(settings):
    assert reminder_lead_times("renewal") == [5, 20]
    assert reminder_lead_times("catch_up") == [3, 10]
    settings.VETTED_REMINDER_WORKING_DAYS = {"renewal": (15, 2), "catch_up": (4,)}
    assert reminder_lead_times("renewal") == [2, 15]


def test_a_catch_up_due_after_the_spring_festival_is_reminded_before_it(catch_up):
    due = date(2026, 2, 24)  # Tuesday, the first working day after the holiday
    review = catch_up(due)

    sent = run_daily(catch_up_remind, date(2026, 1, 15), due)

    # 10 working days before: 3 February; 3 working days before: Thursday 12 February (13, Saturday 14 and
    # the 24th are left). Three calendar days before would have been the 21st, in the holiday.
    assert sent == {date(2026, 2, 3): 1, date(2026, 2, 12): 1}
    assert all(day < SPRING_FESTIVAL[0] for day in sent)
    events = AuditEvent.objects.filter(review=review, action=CATCH_UP_REMINDED).order_by("pk")
    assert [(e.data["days"], e.data["working_days_left"]) for e in events] == [(10, 10), (3, 3)]
    review.refresh_from_db()
    assert (review.catch_up_reminded_days, review.catch_up_reminded_for) == (3, due)


def test_an_approval_ending_after_the_spring_festival_is_reminded_before_it(approval):
    end = date(2026, 2, 24)
    review = approval(end)

    sent = run_daily(approvals_remind_expiring, date(2026, 1, 1), end)

    assert sent == {date(2026, 1, 20): 1, date(2026, 2, 10): 1}
    assert [e.data["days"] for e in AuditEvent.objects.filter(action=EXPIRY_REMINDED).order_by("pk")] == [
        20,
        5,
    ]
    sign_off = SignOff.objects.get(review=review)
    assert (sign_off.expiry_reminded_days, sign_off.expiry_reminded_for) == (5, end)


def test_an_approval_ending_after_national_day_is_reminded_before_it(approval):
    end = date(2026, 10, 8)  # Thursday, the first working day after the week off
    approval(end)

    sent = run_daily(approvals_remind_expiring, date(2026, 8, 20), end)

    # Sunday 20 September works; Friday 25 September (Mid-Autumn) and 1 to 7 October do not.
    assert sent == {date(2026, 9, 3): 1, date(2026, 9, 23): 1}
    assert all(day < NATIONAL_DAY[0] for day in sent)


def test_a_catch_up_due_after_national_day_is_reminded_before_it(catch_up):
    due = date(2026, 10, 8)
    catch_up(due)

    sent = run_daily(catch_up_remind, date(2026, 9, 1), due)

    assert sent == {date(2026, 9, 17): 1, date(2026, 9, 28): 1}


def test_a_make_up_saturday_counts_and_a_reminder_may_go_out_on_it(catch_up):
    # Wednesday 4 March 2026: Monday 2 to Wednesday 4 are three working days, so the 3-day reminder is due
    # on Saturday 28 February, a make-up working day; an ordinary Saturday would have left it to Friday.
    catch_up(date(2026, 3, 4))

    sent = run_daily(catch_up_remind, date(2026, 2, 26), date(2026, 3, 4))

    assert sent == {date(2026, 2, 26): 1, date(2026, 2, 28): 1}  # the first run: the 10-day one, late
    assert working_days_between(date(2026, 2, 27), date(2026, 3, 4)) == 4


LACKED = max(library_years()) + 1  # a year the installed package has no notice for


def _monday_in_march(year: int) -> date:
    day = date(year, 3, 8)
    return day + timedelta(days=(0 - day.weekday()) % 7)


def test_a_year_the_package_lacks_counts_monday_to_friday_then_legals_entries(
    catch_up, django_capture_on_commit_callbacks
):
    monday = _monday_in_march(LACKED)
    review = catch_up(monday)
    wednesday_before = monday - timedelta(days=5)

    # Thursday, Friday and Monday are left: the 3-day reminder on the Wednesday before.
    assert catch_up_remind(today=monday - timedelta(days=14)) == 1  # the 10-day one
    assert catch_up_remind(today=wednesday_before - timedelta(days=1)) == 0
    assert catch_up_remind(today=wednesday_before) == 1

    # Legal enters the year's notice: Thursday and Friday are holidays. The deadline moves (a new one), and
    # the reminders start again for it, counted with the days Legal entered.
    later = monday + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        for day in (later - timedelta(days=4), later - timedelta(days=3)):
            CalendarDay.objects.create(day=day, kind=CalendarDayKind.HOLIDAY, name="清明节")
    catch_up(later)
    assert catch_up_remind(today=monday - timedelta(days=7)) == 1  # the 10-day one
    # Tuesday, Wednesday and Monday are left from the Monday before: the 3-day reminder then, not Wednesday.
    assert catch_up_remind(today=monday) == 1
    assert catch_up_remind(today=monday + timedelta(days=2)) == 0
    review.refresh_from_db()
    assert (review.catch_up_reminded_days, review.catch_up_reminded_for) == (3, later)


def test_each_reminder_goes_out_once_even_when_runs_repeat(approval, catch_up, sent):
    approval(date(2026, 2, 24))
    catch_up(date(2026, 2, 24))

    for day in (date(2026, 2, 10), date(2026, 2, 12)):
        assert sent(lambda day=day: approvals_remind_expiring(today=day) + catch_up_remind(today=day))[0] >= 1
        for _again in range(3):
            assert approvals_remind_expiring(today=day) == 0
            assert catch_up_remind(today=day) == 0
    assert AuditEvent.objects.filter(action=EXPIRY_REMINDED).count() == 1  # the 5-day one (20 was skipped)
    assert AuditEvent.objects.filter(action=CATCH_UP_REMINDED).count() == 2


def test_the_mails_say_how_many_working_days_are_left(approval, catch_up, sent):
    end = builders.today() + timedelta(days=10)
    approval(end)
    catch_up(end)

    sent(lambda: (approvals_remind_expiring(), catch_up_remind()))

    left = working_days_between(builders.today(), end)
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        assert working_days_text(left).inline in message.body
    assert working_days_text(1).inline == "1 个工作日 / 1 working day"
    assert working_days_text(5).inline == "5 个工作日 / 5 working days"


def test_the_migration_records_the_reminders_sent_before_as_working_days(approval, catch_up):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    review = approval(date(2026, 2, 24))
    SignOff.objects.filter(review=review).update(
        expiry_reminded_days=7, expiry_reminded_for=date(2026, 2, 24)
    )
    catching = catch_up(date(2026, 2, 24))
    Review.objects.filter(pk=catching.pk).update(
        catch_up_reminded_days=14, catch_up_reminded_for=date(2026, 2, 24)
    )

    loader = MigrationLoader(connection)
    migration = loader.get_migration("reviews", "0032_reminders_in_working_days")
    [convert] = [op for op in migration.operations if isinstance(op, RunPython)]
    convert.code(loader.project_state(("reviews", migration.name)).apps, None)

    assert SignOff.objects.get(review=review).expiry_reminded_days == 5
    assert Review.objects.get(pk=catching.pk).catch_up_reminded_days == 10
    # So neither goes out again for the same date.
    assert approvals_remind_expiring(today=date(2026, 2, 10)) == 0
    assert catch_up_remind(today=date(2026, 2, 3)) == 0
