"""The status changes of a platform in use (vendors/services.py): a failed catch-up review flags it "stop
using"; an admission clears the flag; the catch-up deadline is set only on a vendor in use."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import VendorFactory
from tests.vendors.helpers import CleanAdmission
from vendors.models import VendorStatus
from vendors.selectors import approved_vendors, catch_up_overdue
from vendors.services import VendorError, vendor_admit, vendor_reject, vendor_reopen, vendor_set_catch_up_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(requester):
    return VendorFactory(status=VendorStatus.IN_USE, business_owner=requester)


def test_rejecting_a_platform_in_use_flags_it_stop_using(platform, legal):
    vendor = vendor_reject(vendor=platform, actor=legal, reason="B2: bought data")

    assert (vendor.status, vendor.stop_using) == (VendorStatus.REJECTED, True)


def test_rejecting_a_candidate_does_not_flag_it(legal):
    vendor = vendor_reject(vendor=VendorFactory(), actor=legal, reason="no")

    assert not vendor.stop_using


def test_a_new_review_keeps_the_platform_in_use_and_the_stop_flag(platform, legal):
    assert vendor_reopen(vendor=platform, actor=legal).status == VendorStatus.IN_USE
    rejected = vendor_reject(vendor=platform, actor=legal, reason="no")

    reopened = vendor_reopen(vendor=rejected, actor=legal)

    assert (reopened.status, reopened.stop_using) == (VendorStatus.CANDIDATE, True)


def test_admission_puts_it_on_the_approved_list_and_clears_the_flag(platform, legal):
    vendor = vendor_reject(vendor=platform, actor=legal, reason="no")

    vendor = vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=timezone.localdate() + timedelta(days=365),
        reference="VD-1",
        risk_tier="low",
        actor=legal,
    )

    assert (vendor.status, vendor.stop_using) == (VendorStatus.APPROVED, False)
    assert approved_vendors().filter(pk=vendor.pk).exists()


def test_the_catch_up_deadline_is_set_on_a_platform_in_use_only(platform):
    due = timezone.localdate() + timedelta(days=90)

    assert vendor_set_catch_up_due(vendor=platform, due=due).catch_up_due == due
    with pytest.raises(VendorError):
        vendor_set_catch_up_due(vendor=VendorFactory(), due=due)
    with pytest.raises(VendorError):
        vendor_set_catch_up_due(vendor=platform, due=timezone.localdate())


def test_past_its_deadline_a_platform_still_in_use_is_overdue(platform, requester):
    today = timezone.localdate()
    platform.catch_up_due = today - timedelta(days=1)
    platform.save()
    VendorFactory(status=VendorStatus.IN_USE, catch_up_due=today)  # due today: not yet overdue

    assert list(catch_up_overdue()) == [platform]
    assert platform.is_catch_up_overdue_on(today) and not platform.is_catch_up_overdue_on(
        today - timedelta(days=1)
    )
