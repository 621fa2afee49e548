"""Renewing an approval before it ends: the renewal window, the reminders, and the mail when a vendor leaves
the approved list (reviews.notifications.renewals)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, Review, ReviewState, StageKind
from reviews.notifications.renewals import REMINDED, approvals_ending, approvals_remind_expiring
from reviews.notifications.tasks import approvals_remind_expiring as remind_task
from reviews.working_days import working_days_before, working_days_between
from tests import builders
from tests.factories import PASSWORD
from vendors import services as vendor_services
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(requester, legal, security):
    """An approval that ends in 25 days: inside the renewal window (60 days), past the 20-working-day
    reminder."""
    return builders.approved_review(
        requester, legal=legal, security=security, valid_until=builders.today() + timedelta(days=25)
    )


def _renew(review, requester):
    return workflow.review_create(
        requester=requester,
        vendor=Vendor.objects.get(pk=review.vendor_id),
        purpose="续期 / renewal",
        expected_volume="100k_1m",
    )


# The renewal window


def test_an_approval_far_from_its_end_needs_no_new_request(requester, legal, security):
    review = builders.approved_review(
        requester, legal=legal, security=security, valid_until=builders.today() + timedelta(days=200)
    )

    with pytest.raises(WorkflowError) as refused:
        _renew(review, requester)

    opens = builders.today() + timedelta(days=200 - 60)
    assert refused.value.code == "already_approved"
    assert f"A renewal can be requested from {opens}." in refused.value.message


def test_a_renewal_starts_within_the_window_and_the_vendor_stays_approved(approved, requester):
    renewal = _renew(approved, requester)

    vendor = Vendor.objects.get(pk=approved.vendor_id)
    assert renewal.state == ReviewState.DRAFT
    assert vendor.status == VendorStatus.APPROVED and vendor.is_approved_on(builders.today())


def test_signing_the_renewal_extends_the_approval(approved, requester, legal, security):
    renewal = _renew(approved, requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY):
        builders.pass_stage(renewal, kind, requester, legal=legal, security=security)
    until = builders.today() + timedelta(days=300)

    sign_off = workflow.review_sign_off(
        review=Review.objects.get(pk=renewal.pk),
        actor=legal,
        password=PASSWORD,
        statement="续期通过 / renewed",
        valid_until=until,
    )

    vendor = Vendor.objects.get(pk=approved.vendor_id)
    assert (vendor.approved_until, vendor.approval_reference) == (until, sign_off.number)


def test_a_failed_renewal_leaves_the_running_approval(approved, requester, legal):
    renewal = _renew(approved, requester)
    builders.submit_stage(renewal, StageKind.QUESTIONNAIRE, requester)

    workflow.stage_fail(
        stage=builders.stage_of(renewal, StageKind.QUESTIONNAIRE),
        actor=legal,
        reason="数据来源不明 / unknown data source",
    )

    vendor = Vendor.objects.get(pk=approved.vendor_id)
    assert vendor.is_approved_on(builders.today())  # Legal suspends explicitly if it must go now


# What is ending


def test_approvals_ending_lists_the_requesters_own_until_a_renewal_starts(
    approved, requester, other_requester
):
    today = builders.today()
    assert [s.review_id for s in approvals_ending(today=today, requester=requester)] == [approved.pk]
    assert list(approvals_ending(today=today, requester=other_requester)) == []

    _renew(approved, requester)

    assert list(approvals_ending(today=today, requester=requester)) == []


# Reminders


def test_the_reminder_goes_to_the_requester_and_legal_once(approved, requester, legal, other_legal, sent):
    count, to = sent(lambda: approvals_remind_expiring(today=builders.today()))

    assert count == 1 and to == sorted([requester.email, legal.email, other_legal.email])
    message = mail.outbox[0]
    vendor = approved.vendor
    assert message.subject == (
        f"审批将于{vendor.approved_until}到期：{vendor.display_name} / "
        f"Approval ends on {vendor.approved_until}: {vendor.display_name}"
    )
    assert "request a renewal review now" in message.body
    assert f"/vendors/{vendor.pk}/" in message.body
    event = AuditEvent.objects.get(action=REMINDED)
    left = working_days_between(builders.today(), vendor.approved_until)
    assert (event.vendor_id, event.data["days"], event.data["days_left"]) == (vendor.pk, 20, 25)
    assert event.data["working_days_left"] == left
    assert f"{left} 个工作日 / {left} working day" in message.body

    again, to = sent(lambda: approvals_remind_expiring(today=builders.today()))

    assert (again, to) == (0, [])


def test_the_nearer_reminder_follows_and_only_the_nearest_is_sent(approved, sent):
    approvals_remind_expiring(today=builders.today())  # 25 days left: the 20-working-day reminder
    five = working_days_before(builders.today() + timedelta(days=25), 5)

    count, _to = sent(lambda: approvals_remind_expiring(today=five))

    assert count == 1  # 5 working days left: the 5-day reminder
    assert [e.data["days"] for e in AuditEvent.objects.filter(action=REMINDED).order_by("pk")] == [20, 5]


def test_a_first_run_close_to_the_end_sends_only_the_nearest_reminder(approved):
    count = approvals_remind_expiring(today=builders.today() + timedelta(days=20))

    assert count == 1
    assert [e.data["days"] for e in AuditEvent.objects.filter(action=REMINDED)] == [5]


def test_no_reminder_while_a_renewal_is_under_way(approved, requester):
    _renew(approved, requester)

    assert approvals_remind_expiring(today=builders.today()) == 0


def test_the_beat_task_sends_the_reminders(approved):
    assert remind_task.apply().get() == 1


# Leaving the approved list


def test_legal_suspending_a_vendor_tells_the_requester_and_the_rest_of_legal(
    approved, requester, legal, other_legal, sent
):
    _vendor, to = sent(
        lambda: vendor_services.vendor_suspend(
            vendor=approved.vendor, actor=legal, reason="数据泄露事件 / data breach reported"
        )
    )

    assert to == sorted([requester.email, other_legal.email])
    message = mail.outbox[0]
    assert "stop giving it personal data now" in message.body and "data breach reported" in message.body


def test_a_lapsed_approval_tells_the_requester_and_legal(approved, requester, legal, sent):
    count, to = sent(
        lambda: vendor_services.vendors_lapse_expired(today=builders.today() + timedelta(days=26))
    )

    assert count == 1 and to == sorted([requester.email, legal.email])
    assert "the system" in mail.outbox[0].body


# Pages


def test_the_dashboard_offers_the_renewal(client, approved, requester):
    client.force_login(requester)

    page = client.get(reverse("dashboard")).content.decode()

    assert 'id="approvals-ending"' in page
    assert f'href="{reverse("review_new")}?vendor={approved.vendor_id}"' in page


def test_the_request_page_is_filled_in_for_a_renewal(client, approved, requester):
    client.force_login(requester)

    response = client.get(reverse("review_new"), {"vendor": approved.vendor_id})

    form = response.context["form"]
    assert (form.initial["uscc"], form.initial["purpose"]) == (approved.vendor.uscc, approved.purpose)
    page = response.content.decode()
    assert 'id="renewal-note"' in page and "Request a renewal review" in page


def test_the_requester_sends_the_renewal_request(client, approved, requester):
    client.force_login(requester)
    data = {
        "uscc": approved.vendor.uscc,
        "purpose": "续期 / renewal",
        "personal_data": "手机号",
        "expected_volume": "100k_1m",
        "use_existing": str(approved.vendor_id),
    }

    response = client.post(reverse("review_new"), data)

    renewal = Review.objects.exclude(pk=approved.pk).get(vendor=approved.vendor)
    assert response.status_code == 302 and response["Location"] == reverse("review_detail", args=[renewal.pk])


def test_the_vendor_page_links_to_the_renewal(client, approved, requester):
    client.force_login(requester)

    page = client.get(reverse("vendor_detail", args=[approved.vendor_id])).content.decode()

    assert 'id="renew-link"' in page
