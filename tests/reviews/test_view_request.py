from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review
from tests.builders import approved_review, start_review
from tests.factories import HUAWEI_USCC, VendorFactory
from vendors.models import Vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

pytestmark = pytest.mark.django_db
URL = reverse("review_new")


def _form(**overrides):
    data = {
        "uscc": HUAWEI_USCC,
        "name_zh": "华为技术有限公司",
        "name_en": "Huawei Technologies Co., Ltd.",
        "category": "scrm_saas",
        "website": "https://www.huawei.com",
        "services": "SCRM",
        "purpose": "会员营销 / member marketing",
        "personal_data": "手机号",
        "expected_volume": "100k_1m",
    }
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


def test_a_full_width_code_typed_with_a_chinese_input_method_is_read_as_the_code(client, requester):
    client.force_login(requester)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in HUAWEI_USCC)  # ９１４４０３…

    client.post(URL, _form(uscc=full_width))

    assert Vendor.objects.get().uscc == HUAWEI_USCC


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


# -- an approved vendor: what it is approved for, and the use the requester names ------------------------

EDM_ONLY = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[
        ScopeCondition.OPTED_IN_ONLY,
        ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE,
        ScopeCondition.NO_EXTERNAL_LISTS,
    ],
)


@pytest.fixture
def edm_vendor(other_requester, legal, security):
    """The issue's vendor: approved for EDM to opted-in members, with Legal's conditions."""
    return approved_review(other_requester, legal=legal, security=security, scope=EDM_ONLY).vendor


def _extension(vendor) -> str:
    return reverse("activities:extension_new", args=[vendor.pk])


def test_an_approved_vendor_is_never_you_may_use_it_without_its_scope(client, requester, edm_vendor):
    client.force_login(requester)

    response = client.post(URL, _form(uscc=edm_vendor.uscc))

    html = response.content.decode()
    assert "You may use it" not in html
    assert "approved for the uses below only" in html
    scope = html[html.index('id="known-scope"') :]
    for text in (
        "Member marketing",
        "E-mail (EDM)",
        "Only recipients who opted in",
        "An unsubscribe in every message",
        "No bought, rented or swapped lists",
    ):
        assert text in scope, text
    assert _extension(edm_vendor) in html
    assert 'id="use-not-asked"' in html


def test_a_use_within_the_scope_is_said_to_be_within_it(client, requester, edm_vendor):
    client.force_login(requester)

    response = client.post(
        URL, _form(uscc=edm_vendor.uscc, use_purpose="member_marketing", use_channels=["edm"], check_use="1")
    )

    html = response.content.decode()
    assert 'id="use-within"' in html and 'id="use-outside"' not in html
    assert "Within the approved scope: Member marketing through E-mail (EDM)." in html
    assert not Review.objects.filter(requester=requester).exists()


def test_sms_to_a_vendor_approved_for_edm_is_outside_and_the_extension_is_offered_with_the_use(
    client, requester, edm_vendor
):
    client.force_login(requester)

    response = client.post(
        URL,
        _form(
            uscc=edm_vendor.uscc, use_purpose="acquisition", use_channels=["sms"], purpose="", check_use="1"
        ),
    )

    html = response.content.decode()
    assert 'id="use-outside"' in html and 'id="use-within"' not in html
    assert "Outside the approved scope: Acquisition and lead generation, SMS." in html
    assert f'href="{_extension(edm_vendor)}?purpose=acquisition&amp;channels=sms"' in html
    # No request can be sent, so the request's own fields are not demanded of a use check.
    assert "purpose" not in response.context["form"].errors
    assert not Review.objects.filter(requester=requester).exists()


def test_sending_the_request_anyway_is_refused_naming_the_scope_and_the_extension(
    client, requester, edm_vendor
):
    client.force_login(requester)

    response = client.post(
        URL,
        _form(
            uscc=edm_vendor.uscc,
            use_existing=str(edm_vendor.pk),
            use_purpose="member_marketing",
            use_channels=["sms"],
        ),
    )

    error = response.context["workflow_error"]
    assert error.code == "already_approved"
    assert "approved for: Member marketing · E-mail (EDM) · Contact details" in error.message
    assert "request a scope extension" in error.message
    assert f"{_extension(edm_vendor)}?purpose=member_marketing&amp;channels=sms" in response.content.decode()
    assert not Review.objects.filter(requester=requester).exists()


def test_checking_a_use_in_the_renewal_window_requests_nothing(
    client, requester, other_requester, legal, security
):
    vendor = approved_review(
        other_requester,
        legal=legal,
        security=security,
        scope=EDM_ONLY,
        valid_until=timezone.localdate() + timedelta(days=20),
    ).vendor
    client.force_login(requester)

    response = client.post(
        URL,
        _form(
            uscc=vendor.uscc,
            use_existing=str(vendor.pk),
            use_purpose="member_marketing",
            use_channels=["edm"],
            check_use="1",
        ),
    )

    assert response.status_code == 200 and 'id="use-within"' in response.content.decode()
    assert not Review.objects.filter(requester=requester).exists()
    # The renewal itself is still one click away.
    assert 'id="renewal-note"' in response.content.decode()


def test_a_new_vendor_keeps_the_intended_use_fields_and_ignores_them(client, requester):
    client.force_login(requester)

    response = client.post(URL, _form(use_purpose="member_marketing", use_channels=["sms"]))

    assert response.status_code == 302 and Review.objects.get().requester == requester


def test_the_approved_vendor_in_chinese(client, requester, edm_vendor):
    client.force_login(requester)

    html = client.post(
        URL,
        _form(uscc=edm_vendor.uscc, use_purpose="member_marketing", use_channels=["sms"], check_use="1"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()

    assert "您可以使用，无需新的申请" not in html
    assert "仅批准用于下列适用范围" in html
    assert "会员营销" in html and "电子邮件（EDM）" in html and "仅限已同意的接收者" in html
    assert "超出批准的适用范围：短信" in html
    assert "申请扩展适用范围" in html
