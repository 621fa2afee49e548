"""Catch-up reviews (补齐审核) of platforms in use (reviews.workflow.review_open_catch_up): opened by Legal
for the business owner, the same four stages, approval admits the vendor, rejection flags it stop using."""

from datetime import timedelta

import pytest

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, Review, ReviewState, StageKind
from tests.builders import pass_stage, stage_of, start_review, submit_stage, today
from tests.factories import PASSWORD, VendorFactory
from vendors.models import VendorStatus
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(requester):
    return VendorFactory(status=VendorStatus.IN_USE, business_owner=requester, individuals="1m_10m")


def open_catch_up(platform, legal, days=90) -> Review:
    return workflow.review_open_catch_up(
        vendor=platform, requester=platform.business_owner, due=today() + timedelta(days=days), actor=legal
    )


def test_legal_opens_a_catch_up_review_assigned_to_the_business_owner(platform, legal, requester):
    review = open_catch_up(platform, legal)

    assert (review.requester, review.catch_up, review.expected_volume) == (requester, True, "1m_10m")
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == "open"
    platform.refresh_from_db()
    assert (platform.status, platform.catch_up_due) == (VendorStatus.IN_USE, today() + timedelta(days=90))
    event = AuditEvent.objects.get(action="review.catch_up_opened")
    assert event.actor == legal and event.data["requester"] == requester.username


@pytest.mark.parametrize("persona", ["requester", "security", "auditor"])
def test_only_legal_opens_catch_up_reviews(platform, request, persona):
    with pytest.raises(WorkflowError, match="Only Legal"):
        open_catch_up(platform, request.getfixturevalue(persona))
    assert not Review.objects.exists()


def test_a_vendor_without_an_owner_in_marketing_is_refused(legal, security):
    for owner in (None, security):
        vendor = VendorFactory(status=VendorStatus.IN_USE, business_owner=owner)
        with pytest.raises(WorkflowError, match="business owner"):
            workflow.review_open_catch_up(
                vendor=vendor, requester=owner, due=today() + timedelta(days=9), actor=legal
            )
    assert not Review.objects.exists()


def test_only_a_platform_in_use_gets_one_and_only_once(platform, legal, requester):
    open_catch_up(platform, legal)

    with pytest.raises(WorkflowError, match="already under way"):
        open_catch_up(platform, legal)
    candidate = VendorFactory(business_owner=requester)
    with pytest.raises(WorkflowError, match="in use"):
        open_catch_up(candidate, legal)
    assert Review.objects.count() == 1


def test_approval_through_the_four_stages_puts_it_on_the_approved_list(platform, legal, security, requester):
    review = open_catch_up(platform, legal)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY):
        pass_stage(review, kind, requester, legal=legal, security=security)
    assert not approved_vendors().filter(pk=platform.pk).exists()  # I1: not before the sign-off

    workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="准予入库")

    platform.refresh_from_db()
    assert platform.status == VendorStatus.APPROVED
    assert approved_vendors().filter(pk=platform.pk).exists()


def test_rejection_flags_the_platform_stop_using(platform, legal, requester):
    review = open_catch_up(platform, legal)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    workflow.stage_fail(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, reason="B2: 购买的数据")

    platform.refresh_from_db()
    assert (platform.status, platform.stop_using) == (VendorStatus.REJECTED, True)
    assert Review.objects.get(pk=review.pk).state == ReviewState.REJECTED


def test_an_ordinary_request_is_not_a_catch_up_review(requester):
    assert start_review(requester).catch_up is False


def test_the_review_page_says_it_is_a_catch_up_review_with_its_deadline(client, platform, legal, requester):
    review = open_catch_up(platform, legal, days=30)
    client.force_login(requester)

    html = client.get(f"/reviews/{review.pk}/").content.decode()

    assert 'id="catch-up-badge"' in html and (today() + timedelta(days=30)).isoformat() in html
