"""An approved vendor's category changes only through a correction (vendors.services.identity_locked), even when
no review froze its identity (an approval migrated or seeded): a profile edit that changed it would keep an
approval given to another kind of vendor. A vendor not yet vetted is edited freely."""

import pytest
from django.urls import reverse

from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors import services
from vendors.models import Vendor, VendorCategory, VendorStatus
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(legal):
    vendor = approved_vendor(actor=legal, category=VendorCategory.SMS_EDM)
    assert vendor.identity_frozen_at is None  # approved without a review on record
    return vendor


def test_the_service_refuses_to_change_the_category_of_an_approved_vendor(legal, approved):
    with pytest.raises(services.VendorError, match="Correct identity"):
        services.vendor_update(vendor=approved, actor=legal, category=VendorCategory.DATA_PROVIDER)

    vendor = Vendor.objects.get(pk=approved.pk)
    assert (vendor.category, vendor.status) == (VendorCategory.SMS_EDM, VendorStatus.APPROVED)


def test_the_admin_form_shows_the_category_of_an_approved_vendor_read_only(client, legal, approved):
    client.force_login(legal)
    url = reverse("admin:vendors_vendor_change", args=[approved.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name_zh": approved.name_zh,
            "uscc": approved.uscc,
            "category": "data_provider",
            "website": approved.website,
            "services": "新的服务说明",
        },
    )

    assert 'name="category"' not in page
    assert "Correct identity" in page
    assert response.status_code == 302
    vendor = Vendor.objects.get(pk=approved.pk)
    assert (vendor.category, vendor.services) == (VendorCategory.SMS_EDM, "新的服务说明")
    assert approved_vendors().filter(pk=vendor.pk).exists()


def test_a_vendor_not_yet_vetted_changes_its_category_freely(legal):
    vendor = VendorFactory(category=VendorCategory.SMS_EDM)

    services.vendor_update(vendor=vendor, actor=legal, category=VendorCategory.DATA_PROVIDER)

    assert Vendor.objects.get(pk=vendor.pk).category == VendorCategory.DATA_PROVIDER
