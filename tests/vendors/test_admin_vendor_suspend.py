"""Legal suspends an approved vendor from the admin, with a reason, through
vendors.services.vendor_suspend."""

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models import AuditEvent
from tests.builders import approved_review
from tests.factories import VendorFactory
from vendors.models import VendorStatus
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db

VENDORS = reverse("admin:vendors_vendor_changelist")


@pytest.fixture
def approved_vendor(requester, legal, security):
    return approved_review(requester, legal=legal, security=security).vendor


def suspend(client, vendors, **extra):
    data = {"action": "suspend_vendors", helpers.ACTION_CHECKBOX_NAME: [v.pk for v in vendors], **extra}
    return client.post(VENDORS, data)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_action_first_asks_for_a_reason(client, legal, approved_vendor):
    client.force_login(legal)

    response = suspend(client, [approved_vendor])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/vendors/vendor/suspend.html"
    assert approved_vendor.name_zh in response.content.decode()
    approved_vendor.refresh_from_db()
    assert approved_vendor.status == VendorStatus.APPROVED


def test_legal_suspends_with_a_reason_and_it_leaves_the_approved_list(client, legal, approved_vendor):
    client.force_login(legal)

    response = suspend(client, [approved_vendor], apply="1", reason="Consent logs were forged.")

    assert response.status_code == 302
    approved_vendor.refresh_from_db()
    assert approved_vendor.status == VendorStatus.SUSPENDED
    assert approved_vendor.status_reason == "Consent logs were forged."
    assert approved_vendor not in approved_vendors()
    event = AuditEvent.objects.get(vendor=approved_vendor, action="vendor.suspended")
    assert event.actor == legal and event.data["reason"] == "Consent logs were forged."
    assert any("Suspended" in m for m in messages_of(response))


def test_a_blank_reason_is_refused_and_nothing_changes(client, legal, approved_vendor):
    client.force_login(legal)

    response = suspend(client, [approved_vendor], apply="1", reason="   ")

    assert response.status_code == 200
    approved_vendor.refresh_from_db()
    assert approved_vendor.status == VendorStatus.APPROVED
    assert any("reason" in m for m in messages_of(response))


def test_a_vendor_that_is_not_approved_is_refused_with_a_message(client, legal):
    candidate = VendorFactory()
    client.force_login(legal)

    response = suspend(client, [candidate], apply="1", reason="Just in case.")

    candidate.refresh_from_db()
    assert candidate.status == VendorStatus.CANDIDATE
    assert any("Only an approved vendor" in m for m in messages_of(response))


def test_security_does_not_get_the_suspend_action(client, security, approved_vendor):
    client.force_login(security)

    page = client.get(VENDORS)
    forced = suspend(client, [approved_vendor], apply="1", reason="Not mine to decide.")

    assert "suspend_vendors" not in page.content.decode()
    approved_vendor.refresh_from_db()
    assert approved_vendor.status == VendorStatus.APPROVED
    assert forced.status_code in (200, 302, 403)
