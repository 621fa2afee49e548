"""The vendor page of the admin: status and approval fields are read-only, nothing is deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import VendorFactory
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db


def test_a_post_that_tampers_the_status_changes_only_the_profile(client, legal):
    vendor = VendorFactory()
    client.force_login(legal)

    response = client.post(
        reverse("admin:vendors_vendor_change", args=[vendor.pk]),
        {
            "name_zh": vendor.name_zh,
            "name_en": "Renamed Ltd",
            "uscc": vendor.uscc,
            "category": vendor.category,
            "website": vendor.website,
            "services": vendor.services,
            "status": VendorStatus.APPROVED,
            "approved_until": "2099-12-31",
            "approval_reference": "FORGED",
            "risk_tier": "low",
        },
    )

    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.name_en == "Renamed Ltd"
    assert vendor.status == VendorStatus.CANDIDATE
    assert (vendor.approved_until, vendor.approval_reference) == (None, "")


def test_the_status_is_shown_read_only(client, legal):
    vendor = VendorFactory()
    client.force_login(legal)

    html = client.get(reverse("admin:vendors_vendor_change", args=[vendor.pk])).content.decode()

    assert 'name="status"' not in html and 'name="approved_until"' not in html
    assert "Candidate" in html


def test_nobody_deletes_a_vendor_not_even_a_superuser(client, admin_user):
    vendor = VendorFactory()
    client.force_login(admin_user)

    response = client.post(reverse("admin:vendors_vendor_delete", args=[vendor.pk]), {"post": "yes"})
    changelist = client.get(reverse("admin:vendors_vendor_changelist"))

    assert response.status_code == 302
    assert any("Nothing is deleted" in str(m) for m in get_messages(response.wsgi_request))
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    assert "delete_selected" not in changelist.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_vendor_list_runs_a_constant_number_of_queries(
    client, legal, count, django_assert_max_num_queries
):
    VendorFactory.create_batch(count)
    client.force_login(legal)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("admin:vendors_vendor_changelist"))

    assert response.status_code == 200 and response.context["cl"].result_count == count


def test_legal_lists_the_approvals_that_end_soon(client, legal):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    soon = VendorFactory(
        name_zh="即将到期供应商",
        status=VendorStatus.APPROVED,
        approved_until=today + timedelta(days=20),
        approval_reference="VD-1",
    )
    later = VendorFactory(
        name_zh="长期有效供应商",
        status=VendorStatus.APPROVED,
        approved_until=today + timedelta(days=200),
        approval_reference="VD-2",
    )
    client.force_login(legal)

    response = client.get(reverse("admin:vendors_vendor_changelist"), {"ends": "30"})

    assert [v.pk for v in response.context["cl"].result_list] == [soon.pk]
    assert later.name_zh not in response.content.decode()


def _form_data(response) -> dict:
    """What the change page's form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        data[name] = "" if value is None else getattr(value, "pk", value)
    return data


@pytest.mark.parametrize("identity_frozen", [False, True])
def test_legal_corrects_a_platform_in_uses_inventory_by_hand_and_each_change_is_audited(
    client, legal, requester, other_requester, identity_frozen
):
    from django.utils import timezone, translation

    from reviews.audit_sentences import audit_sentence
    from reviews.models import AuditEvent

    vendor = VendorFactory()
    Vendor.objects.filter(pk=vendor.pk).update(
        status=VendorStatus.IN_USE,
        business_owner=requester,
        connected_systems="CRM",
        identity_frozen_at=timezone.now() if identity_frozen else None,
    )
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    client.force_login(legal)
    data = _form_data(client.get(url))
    data.update(connected_systems="CRM, CDP", business_owner=other_requester.pk, contract_ends="2027-06-30")

    response = client.post(url, data)

    assert response.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.connected_systems, vendor.business_owner, str(vendor.contract_ends)) == (
        "CRM, CDP",
        other_requester,
        "2027-06-30",
    )
    assert vendor.status == VendorStatus.IN_USE
    event = AuditEvent.objects.filter(vendor=vendor, action="vendor.updated").latest("pk")
    assert event.actor == legal
    assert event.data["changes"] == {
        "business_owner": [requester.username, other_requester.username],
        "contract_ends": [None, "2027-06-30"],
        "connected_systems": ["CRM", "CRM, CDP"],
    }
    with translation.override("en"):
        sentence = audit_sentence(event)
    assert sentence == (
        f"legal changed {vendor.name_zh}: business owner: {requester.username} → "
        f"{other_requester.username}; contract ends: — → 2027-06-30; systems it connects to: "
        "CRM → CRM, CDP"
    )
    with translation.override("zh-hans"):
        assert "CRM → CRM, CDP" in audit_sentence(event) and "changed" not in audit_sentence(event)


def test_the_status_and_approval_are_never_changed_by_hand(legal):
    from vendors.services import VendorError, vendor_update

    vendor = VendorFactory()
    with pytest.raises(VendorError, match="only through the review workflow"):
        vendor_update(vendor=vendor, actor=legal, status=VendorStatus.APPROVED)
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.CANDIDATE
