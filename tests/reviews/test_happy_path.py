import pytest

from reviews.audit import audit_verify
from reviews.audit_checkpoints import audit_checkpoint
from reviews.models import ReviewState, StageState
from tests.builders import approved_review
from vendors.models import VendorStatus
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db


def test_it_admits_the_vendor_after_all_four_stages_and_sign_off(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)

    assert review.state == ReviewState.APPROVED
    assert [s.state for s in review.stages.order_by("order")] == [StageState.PASSED] * 4
    review.vendor.refresh_from_db()
    assert review.vendor.status == VendorStatus.APPROVED
    assert review.vendor.approval_reference == review.sign_off.number
    assert list(approved_vendors()) == [review.vendor]
    audit_checkpoint(reason="test")
    report = audit_verify()
    assert report.ok and report.checked > 10
