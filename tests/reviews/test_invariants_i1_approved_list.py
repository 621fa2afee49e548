"""I1: a vendor is on the approved list only while its review has all four stages passed and an unexpired
legal sign-off."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from reviews.models import AuditEvent, StageKind
from tests import builders
from tests.factories import VendorFactory
from vendors import services
from vendors.models import Vendor, VendorStatus
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db


def in_30_days():
    return builders.today() + timedelta(days=30)


def test_vendor_is_not_listed_before_the_sign_off(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    assert review.vendor not in approved_vendors()
    review.vendor.refresh_from_db()
    assert review.vendor.status == VendorStatus.CANDIDATE


def test_vendor_is_listed_after_all_four_stages_and_the_sign_off(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    assert list(approved_vendors()) == [review.vendor]
    assert review.vendor.approved_until == review.sign_off.valid_until


def test_vendor_admit_refuses_a_review_without_sign_off(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(services.VendorError, match="not approved"):
        services.vendor_admit(
            vendor=review.vendor,
            admission=review,
            valid_until=in_30_days(),
            reference="VD-FAKE",
            risk_tier="low",
            actor=legal,
        )

    review.vendor.refresh_from_db()
    assert review.vendor.status == VendorStatus.CANDIDATE
    assert review.vendor not in approved_vendors()


def test_vendor_admit_refuses_a_review_with_an_open_stage(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)

    with pytest.raises(services.VendorError, match="Not every stage has passed"):
        services.vendor_admit(
            vendor=review.vendor,
            admission=review,
            valid_until=in_30_days(),
            reference="VD-FAKE",
            risk_tier="low",
            actor=legal,
        )
    assert not approved_vendors().exists()


def test_vendor_admit_refuses_the_review_of_another_vendor(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)
    stranger = VendorFactory()

    with pytest.raises(services.VendorError, match="another vendor"):
        services.vendor_admit(
            vendor=stranger,
            admission=review,
            valid_until=in_30_days(),
            reference="VD-FAKE",
            risk_tier="low",
            actor=legal,
        )
    stranger.refresh_from_db()
    assert stranger.status == VendorStatus.CANDIDATE


def test_a_lapsed_approval_drops_out_of_the_list_at_once(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)
    last_day = review.sign_off.valid_until

    assert review.vendor in approved_vendors(today=last_day)
    assert review.vendor not in approved_vendors(today=last_day + timedelta(days=1))
    # The status is still "approved" until the hourly task runs; the list does not wait for it.
    assert Vendor.objects.get(pk=review.vendor_id).status == VendorStatus.APPROVED


def test_lapse_task_suspends_an_expired_approval_and_audits_it(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)
    day_after = review.sign_off.valid_until + timedelta(days=1)

    assert services.vendors_lapse_expired(today=review.sign_off.valid_until) == 0
    assert services.vendors_lapse_expired(today=day_after) == 1

    vendor = Vendor.objects.get(pk=review.vendor_id)
    assert vendor.status == VendorStatus.SUSPENDED
    assert vendor.status_reason
    event = AuditEvent.objects.filter(vendor=vendor).latest("pk")
    assert event.action == "vendor.suspended"
    assert event.data["from"] == VendorStatus.APPROVED
    assert services.vendors_lapse_expired(today=day_after) == 0  # nothing left to lapse


def test_suspending_removes_the_vendor_from_the_list_and_audits_it(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    services.vendor_suspend(vendor=review.vendor, actor=legal, reason="数据泄露事件 / data breach reported")

    assert not approved_vendors().exists()
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.data["reason"]) == (
        "vendor.suspended",
        legal,
        "数据泄露事件 / data breach reported",
    )


def test_suspending_needs_a_reason(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    with pytest.raises(services.VendorError, match="reason"):
        services.vendor_suspend(vendor=review.vendor, actor=legal, reason="  ")
    assert review.vendor in approved_vendors()


def test_a_candidate_cannot_be_suspended_onto_any_list(legal):
    vendor = VendorFactory()

    with pytest.raises(services.VendorError):
        services.vendor_suspend(vendor=vendor, actor=legal, reason="test")
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.CANDIDATE


def test_the_database_refuses_an_approved_vendor_without_validity():
    vendor = VendorFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.filter(pk=vendor.pk).update(status=VendorStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.filter(pk=vendor.pk).update(
            status=VendorStatus.APPROVED, approved_until=builders.today()
        )
    assert Vendor.objects.get(pk=vendor.pk).status == VendorStatus.CANDIDATE
