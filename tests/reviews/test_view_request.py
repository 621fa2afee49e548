import pytest
from django.urls import reverse

from reviews.models import Review
from tests.builders import approved_review, start_review
from tests.factories import HUAWEI_USCC, VendorFactory
from vendors.models import Vendor

pytestmark = pytest.mark.django_db
URL = reverse("review_new")


def _form(**overrides):
    data = {"uscc": HUAWEI_USCC, "name_zh": "华为技术有限公司", "name_en": "Huawei Technologies Co., Ltd.",
            "category": "scrm_saas", "website": "https://www.huawei.com", "services": "SCRM",
            "purpose": "会员营销 / member marketing", "personal_data": "手机号", "expected_volume": "100k_1m"}
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_reviewer_cannot_request(client, legal):
    client.force_login(legal)
    response = client.post(URL, _form())
    assert response.status_code == 403
    assert not Vendor.objects.exists()


def test_requester_creates_vendor_and_review(client, requester):
    client.force_login(requester)
    response = client.post(URL, _form())
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == reverse("review_detail", args=[review.pk])
    assert review.requester == requester and review.vendor.uscc == HUAWEI_USCC
    assert review.vendor.uscc_checksum_ok


def test_malformed_uscc_is_refused_and_input_kept(client, requester):
    client.force_login(requester)
    response = client.post(URL, _form(uscc="9144030019220382I6"))
    assert "never occur in a Unified Social Credit Code" in response.content.decode()
    assert response.context["form"]["purpose"].value() == "会员营销 / member marketing"
    assert not Vendor.objects.exists()


def test_checksum_mismatch_asks_for_confirmation_then_creates(client, requester):
    client.force_login(requester)
    response = client.post(URL, _form(uscc="91440300192203821X"))
    assert "The check character does not match (expected 6)" in response.content.decode()
    assert not Vendor.objects.exists()
    response = client.post(URL, _form(uscc="91440300192203821X", uscc_confirmed="1"))
    assert response.status_code == 302
    assert Vendor.objects.get().uscc_checksum_ok is False


def test_new_vendor_needs_name_and_category(client, requester):
    client.force_login(requester)
    response = client.post(URL, _form(name_zh="", category=""))
    assert response.context["form"].errors.keys() == {"name_zh", "category"}


def test_known_vendor_is_shown_instead_of_a_duplicate(client, requester):
    vendor = VendorFactory(uscc=HUAWEI_USCC)
    client.force_login(requester)
    response = client.post(URL, _form(name_zh="another name"))
    assert response.context["known_vendor"] == vendor
    assert Vendor.objects.count() == 1 and not Review.objects.exists()
    response = client.post(URL, _form(use_existing=str(vendor.pk)))
    assert response.status_code == 302
    assert Review.objects.get().vendor == vendor and Vendor.objects.get().name_zh == vendor.name_zh


def test_approved_vendor_needs_no_new_request(client, requester, other_requester, legal, security):
    review = approved_review(other_requester, legal=legal, security=security)
    client.force_login(requester)
    response = client.post(URL, _form(uscc=review.vendor.uscc, use_existing=str(review.vendor.pk)))
    body = response.content.decode()
    assert "already on the approved list" in body
    assert reverse("vendor_detail", args=[review.vendor.pk]) in body
    assert Review.objects.count() == 1


def test_vendor_under_review_is_refused_with_the_reason(client, requester, other_requester):
    running = start_review(other_requester)
    client.force_login(requester)
    response = client.post(URL, _form(uscc=running.vendor.uscc, use_existing=str(running.vendor.pk)))
    assert f"Review {running.number} of this vendor is already under way" in response.content.decode()
    assert Review.objects.count() == 1
