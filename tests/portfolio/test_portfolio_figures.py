"""The portfolio's figures, each from its own query: coverage, tiers, approvals ending, stage days, waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portfolio import selectors
from reviews.models import Stage, StageKind, StageState
from tests import builders
from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db


def in_use(*, due_in_days: int | None = 30, **fields):
    """A platform taken stock of by the inventory, not vetted, with its catch-up review due in `due_in_days`."""
    due = None if due_in_days is None else builders.today() + timedelta(days=due_in_days)
    return VendorFactory(status=VendorStatus.IN_USE, catch_up_due=due, **fields)


def test_coverage_counts_vetted_in_use_and_overdue_apart(legal):
    approved_vendor(actor=legal)
    approved_vendor(actor=legal)
    in_use(due_in_days=10)
    in_use(due_in_days=None)
    in_use(due_in_days=-1)
    VendorFactory()  # a candidate of a new request: neither used nor vetted yet
    assert selectors.coverage(today=builders.today()) == selectors.Coverage(vetted=2, in_use=2, overdue=1)


def test_a_lapsed_approval_is_not_counted_as_vetted(legal):
    vendor = approved_vendor(actor=legal)
    Vendor.objects.filter(pk=vendor.pk).update(approved_until=builders.today() - timedelta(days=1))
    assert selectors.coverage(today=builders.today()).vetted == 0


def test_the_due_day_itself_is_not_overdue():
    in_use(due_in_days=0)
    assert selectors.coverage(today=builders.today()) == selectors.Coverage(vetted=0, in_use=1, overdue=0)


def test_vendors_by_category_and_tier_leaves_unreviewed_platforms_unassessed(legal):
    approved_vendor(actor=legal, tier="high", category="sms_edm")
    approved_vendor(actor=legal, tier="high", category="sms_edm")
    in_use(category="sms_edm")
    in_use(category="ad_network")
    assert selectors.vendors_by_category_and_tier(today=builders.today()) == {
        ("sms_edm", "high"): 2,
        ("sms_edm", ""): 1,
        ("ad_network", ""): 1,
    }


def test_the_register_counts_the_list_and_the_platforms_in_use_in_one_query(legal, django_assert_num_queries):
    """The approved list and the platforms in use are two grouped selects of one query; a category and tier
    found in both (a platform in use whose earlier approval gave it a tier) adds up, and every figure is
    counted once."""
    today = builders.today()
    approved_vendor(actor=legal, tier="low", category="sms_edm", days=20)  # ending within 30 days
    approved_vendor(actor=legal, tier="low", category="sms_edm", days=200)
    in_use(category="sms_edm", risk_tier="low", due_in_days=-2)
    in_use(category="sms_edm", risk_tier="low", due_in_days=None)
    lapsed = approved_vendor(actor=legal, tier="low", category="sms_edm")
    Vendor.objects.filter(pk=lapsed.pk).update(approved_until=today - timedelta(days=1))  # counts nowhere
    with django_assert_num_queries(1):
        register = selectors.register_figures(today=today)
    assert register.tiers == {("sms_edm", "low"): 4}
    assert register.subjects.together == selectors.Coverage(vetted=2, in_use=1, overdue=1, ending_soon=1)
    assert register.subjects.together == register.subjects.vendors


def test_approvals_ending_are_counted_by_month_for_twelve_months(legal):
    today = builders.today()
    approved_vendor(actor=legal, days=0)
    approved_vendor(actor=legal, days=400)  # beyond the twelve months
    months = selectors.approvals_ending_by_month(today=today)
    assert len(months) == 12 and next(iter(months)) == today.replace(day=1)
    assert months[today.replace(day=1)] == 1 and sum(months.values()) == 1


def test_months_run_across_the_year_end():
    from datetime import date

    months = selectors.month_starts(date(2026, 11, 30))
    assert (
        months[0] == date(2026, 11, 1) and months[2] == date(2027, 1, 1) and months[-1] == date(2027, 10, 1)
    )


def test_median_stage_days_from_opening_to_passing_in_the_last_90_days(requester, legal, security):
    now = timezone.now()
    for days in (2, 4, 9):
        review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
        Stage.objects.filter(review=review, kind=StageKind.QUESTIONNAIRE).update(
            opened_at=now - timedelta(days=days + 1), decided_at=now - timedelta(days=1)
        )
    old = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    Stage.objects.filter(review=old, kind=StageKind.QUESTIONNAIRE).update(
        opened_at=now - timedelta(days=200), decided_at=now - timedelta(days=100)
    )
    figures = selectors.median_stage_days(now=now)
    assert figures[StageKind.QUESTIONNAIRE] == (pytest.approx(4), 3)
    assert figures[StageKind.SIGN_OFF] == (None, 0)


def test_waiting_stages_by_age_band_and_whose_turn_in_working_days(requester, legal, security):
    from reviews.working_days import working_days_between

    now = timezone.now()
    today = timezone.localdate(now)
    submitted = builders.start_review(requester)
    builders.submit_stage(submitted, StageKind.QUESTIONNAIRE, requester)
    Stage.objects.filter(review=submitted, kind=StageKind.QUESTIONNAIRE).update(
        submitted_at=now - timedelta(days=20)
    )
    drafting = builders.start_review(requester)
    Stage.objects.filter(review=drafting, kind=StageKind.QUESTIONNAIRE).update(
        opened_at=now - timedelta(days=3)
    )
    waiting = {w.kind: w for w in selectors.waiting_by_stage(now=now)}
    questionnaire = waiting[StageKind.QUESTIONNAIRE]
    old = working_days_between(timezone.localtime(now - timedelta(days=20)).date(), today)
    new = working_days_between(timezone.localtime(now - timedelta(days=3)).date(), today)
    assert (questionnaire.with_deciders, questionnaire.with_requesters) == (1, 1)
    assert 10 <= old <= 16 and new <= 3  # twenty calendar days are fewer working days
    assert questionnaire.bands == {"0-7": 1, "8-14": int(old <= 14), "15-30": int(old > 14), "31+": 0}
    assert questionnaire.oldest_days == old and questionnaire.median_days == pytest.approx((old + new) / 2)
    assert waiting[StageKind.SECURITY].total == 0


@pytest.mark.parametrize(
    ("since", "age", "band"),
    [
        # Counted on Tuesday 13 October 2026. The State Council's notice for 2026: 25 September (the Mid-Autumn
        # festival) and 1-7 October are holidays, Sunday 20 September and Saturday 10 October make-up working days.
        ("2026-09-28", 7, "0-7"),  # fifteen calendar days
        ("2026-09-27", 8, "8-14"),  # a Sunday: the holiday weekend before it adds nothing ...
        ("2026-09-25", 8, "8-14"),  # ... nor the holiday
        ("2026-09-19", 13, "8-14"),  # twenty-four calendar days, the make-up Sunday counted
    ],
)
def test_a_waiting_age_counts_chinas_working_days(requester, since, age, band):
    from datetime import date, datetime, time

    review = builders.start_review(requester)
    Stage.objects.filter(review=review, kind=StageKind.QUESTIONNAIRE).update(
        opened_at=timezone.make_aware(datetime.combine(date.fromisoformat(since), time(16, 30)))
    )
    now = timezone.make_aware(datetime.combine(date(2026, 10, 13), time(9)))

    questionnaire = {w.kind: w for w in selectors.waiting_by_stage(now=now)}[StageKind.QUESTIONNAIRE]

    assert questionnaire.oldest_days == questionnaire.median_days == age
    assert questionnaire.bands[band] == 1 and sum(questionnaire.bands.values()) == 1


def test_closed_reviews_are_not_waiting(requester, legal, security):
    builders.approved_review(requester, legal=legal, security=security)
    assert all(w.total == 0 for w in selectors.waiting_by_stage(now=timezone.now()))
    assert not Stage.objects.filter(state=StageState.SUBMITTED).exists()


def test_activities_are_counted_by_status_with_the_flagged_and_the_extensions_waiting(requester, legal):
    from activities.models import ActivityStatus, ExtensionStatus
    from activities.services import activity_withdraw
    from vendors.services import vendor_suspend

    from .activities_world import (
        awaiting_ack,
        awaiting_legal,
        blocked,
        cleared,
        extension_for_legal,
        extension_for_security,
        refused,
        scoped_vendor,
    )

    vendor, other = scoped_vendor(legal=legal), scoped_vendor(legal=legal)
    awaiting_ack(requester, vendor)
    awaiting_ack(requester, other)
    awaiting_legal(requester, other)
    cleared(requester, vendor)
    blocked(requester, other)
    refused(requester, other, legal=legal)
    activity_withdraw(activity=awaiting_ack(requester, other), actor=requester)
    extension_for_legal(requester, other)
    extension_for_security(requester, other)
    extension_for_security(requester, other)
    # The vendor of one waiting and one cleared activity is suspended: both are flagged.
    vendor_suspend(vendor=vendor, actor=legal, reason="证书过期")

    figures = selectors.activity_figures()
    assert figures.by_status == {
        ActivityStatus.AWAITING_ACK: 2,
        ActivityStatus.AWAITING_LEGAL: 1,
        ActivityStatus.CLEARED: 1,
        ActivityStatus.BLOCKED: 1,
        ActivityStatus.REFUSED: 1,
        ActivityStatus.WITHDRAWN: 1,
    }
    assert figures.flagged == 2
    assert figures.extensions_waiting == {
        ExtensionStatus.AWAITING_SECURITY: 2,
        ExtensionStatus.AWAITING_LEGAL: 1,
    }


def test_no_activity_is_all_zeros():
    figures = selectors.activity_figures()
    assert set(figures.by_status.values()) == {0} and figures.flagged == 0
    assert set(figures.extensions_waiting.values()) == {0}


def test_the_activity_figures_are_one_query(requester, legal, django_assert_num_queries):
    from .activities_world import awaiting_ack, extension_for_legal, scoped_vendor

    vendor = scoped_vendor(legal=legal)
    awaiting_ack(requester, vendor)
    extension_for_legal(requester, vendor)
    with django_assert_num_queries(1):
        selectors.activity_figures()
