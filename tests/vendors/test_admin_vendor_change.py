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

    response = client.post(reverse("admin:vendors_vendor_change", args=[vendor.pk]), {
        "name_zh": vendor.name_zh, "name_en": "Renamed Ltd", "uscc": vendor.uscc, "category": vendor.category,
        "website": vendor.website, "services": vendor.services,
        "status": VendorStatus.APPROVED, "approved_until": "2099-12-31", "approval_reference": "FORGED",
        "risk_tier": "low",
    })

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
def test_the_vendor_list_runs_a_constant_number_of_queries(client, legal, count,
                                                           django_assert_max_num_queries):
    VendorFactory.create_batch(count)
    client.force_login(legal)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("admin:vendors_vendor_changelist"))

    assert response.status_code == 200 and response.context["cl"].result_count == count


def test_legal_lists_the_approvals_that_end_soon(client, legal):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    soon = VendorFactory(name_zh="即将到期供应商", status=VendorStatus.APPROVED,
                         approved_until=today + timedelta(days=20), approval_reference="VD-1")
    later = VendorFactory(name_zh="长期有效供应商", status=VendorStatus.APPROVED,
                          approved_until=today + timedelta(days=200), approval_reference="VD-2")
    client.force_login(legal)

    response = client.get(reverse("admin:vendors_vendor_changelist"), {"ends": "30"})

    assert [v.pk for v in response.context["cl"].result_list] == [soon.pk]
    assert later.name_zh not in response.content.decode()
