"""A vetted vendor's identity is frozen: the admin form cannot change it, a correction goes through Legal with a
reason, suspends the approval and opens a new review; every change of a vendor field is audited, old and new."""

import pytest
from django.urls import reverse

from reviews.models import AuditEvent, Review, ReviewState
from tests import builders
from tests.factories import HUAWEI_USCC, VendorFactory, uscc_with_check
from vendors import services
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

NEW_USCC = uscc_with_check("91310000MA1K00000")
API = reverse("vendors:approved_api")


@pytest.fixture
def approved(requester, legal, security):
    return builders.approved_review(requester, legal=legal, security=security).vendor


def change_url(vendor):
    return reverse("admin:vendors_vendor_change", args=[vendor.pk])


def forged_post(vendor, **overrides):
    return {
        "name_zh": "冒名顶替有限公司",
        "name_en": "Impostor Ltd",
        "uscc": NEW_USCC,
        "category": "other",
        "website": vendor.website,
        "services": vendor.services,
        **overrides,
    }


def test_legal_cannot_change_the_identity_of_an_approved_vendor_on_the_admin_form(
    client, legal, requester, approved
):
    before = Vendor.objects.get(pk=approved.pk)
    client.force_login(legal)

    response = client.post(change_url(approved), forged_post(approved))

    assert response.status_code == 302
    after = Vendor.objects.get(pk=approved.pk)
    assert (after.uscc, after.name_zh, after.name_en, after.category) == (
        before.uscc,
        before.name_zh,
        before.name_en,
        before.category,
    )
    assert after.status == VendorStatus.APPROVED
    client.force_login(requester)
    assert client.get(API, {"uscc": NEW_USCC}).json()["usable"] is False
    assert client.get(API, {"uscc": before.uscc}).json()["usable"] is True


def test_the_frozen_identity_is_shown_read_only_with_a_way_to_correct_it(client, legal, approved):
    client.force_login(legal)

    html = client.get(change_url(approved)).content.decode()

    assert 'name="uscc"' not in html and 'name="name_zh"' not in html and 'name="category"' not in html
    assert 'name="website"' in html
    assert reverse("admin:vendors_vendor_correct_identity", args=[approved.pk]) in html


def test_a_vendor_without_a_review_keeps_an_editable_identity_and_each_change_is_audited(client, legal):
    vendor = VendorFactory(name_en="Old Ltd")
    client.force_login(legal)

    client.post(
        change_url(vendor),
        forged_post(
            vendor, name_zh=vendor.name_zh, uscc=vendor.uscc, category=vendor.category, name_en="New Ltd"
        ),
    )

    assert Vendor.objects.get(pk=vendor.pk).name_en == "New Ltd"
    event = AuditEvent.objects.get(action="vendor.updated", vendor=vendor)
    assert event.actor == legal and event.data["changes"] == {"name_en": ["Old Ltd", "New Ltd"]}


def test_a_profile_change_of_an_approved_vendor_is_audited_with_old_and_new(client, legal, approved):
    client.force_login(legal)

    client.post(
        change_url(approved),
        forged_post(approved, website="https://new.example.com", services="短信群发 / SMS"),
    )

    event = AuditEvent.objects.filter(action="vendor.updated", vendor=approved).get()
    assert event.data["changes"]["website"] == [approved.website, "https://new.example.com"]
    assert event.data["changes"]["services"][1] == "短信群发 / SMS"
    assert set(event.data["changes"]) == {"website", "services"}


def test_a_corrected_credit_code_suspends_the_approval_audits_and_opens_a_new_review(
    client, legal, requester, approved
):
    old = Vendor.objects.get(pk=approved.pk)
    client.force_login(legal)

    response = client.post(
        reverse("admin:vendors_vendor_correct_identity", args=[approved.pk]),
        {
            "uscc": NEW_USCC,
            "name_zh": "新名称有限公司",
            "name_en": old.name_en,
            "category": old.category,
            "reason": "营业执照变更 / the business licence changed",
        },
    )

    assert response.status_code == 302
    vendor = Vendor.objects.get(pk=approved.pk)
    assert (vendor.uscc, vendor.name_zh) == (NEW_USCC, "新名称有限公司")
    assert vendor.status != VendorStatus.APPROVED
    corrected = AuditEvent.objects.get(action="vendor.identity_corrected")
    assert corrected.actor == legal
    assert corrected.data["changes"]["uscc"] == [old.uscc, NEW_USCC]
    assert corrected.data["changes"]["name_zh"] == [old.name_zh, "新名称有限公司"]
    assert AuditEvent.objects.filter(action="vendor.suspended", vendor=vendor).exists()
    new_review = Review.objects.filter(vendor=vendor, state=ReviewState.DRAFT).get()
    assert new_review.requester == requester
    assert AuditEvent.objects.filter(
        action="review.opened_after_correction", review=new_review, actor=legal
    ).exists()
    client.force_login(requester)
    for code in (NEW_USCC, old.uscc):
        assert client.get(API, {"uscc": code}).json()["usable"] is False


def test_a_corrected_category_alone_keeps_the_approval_but_is_audited(legal, approved):
    services.vendor_correct_identity(
        vendor=approved, actor=legal, category="sms_edm", reason="分类有误 / wrong category"
    )

    vendor = Vendor.objects.get(pk=approved.pk)
    assert vendor.category == "sms_edm" and vendor.status == VendorStatus.APPROVED
    assert (
        AuditEvent.objects.get(action="vendor.identity_corrected").data["changes"]["category"][1] == "sms_edm"
    )


@pytest.mark.parametrize(
    ("who", "reason", "message"),
    [
        ("requester", "reason", "Only Legal corrects"),
        ("legal", "  ", "Give the reason"),
    ],
)
def test_a_correction_needs_legal_and_a_reason(request, approved, who, reason, message):
    actor = request.getfixturevalue(who)

    with pytest.raises(services.VendorError, match=message):
        services.vendor_correct_identity(vendor=approved, actor=actor, uscc=NEW_USCC, reason=reason)

    assert Vendor.objects.get(pk=approved.pk).uscc != NEW_USCC


def test_the_identity_service_refuses_a_frozen_field_outside_a_correction(legal, approved):
    with pytest.raises(services.VendorError, match="frozen"):
        services.vendor_update(vendor=approved, actor=legal, uscc=HUAWEI_USCC)


def test_creating_a_vendor_is_audited(legal):
    vendor = services.vendor_create(name_zh="新供应商", uscc=HUAWEI_USCC, category="other", actor=legal)

    event = AuditEvent.objects.get(action="vendor.created", vendor=vendor)
    assert event.data["changes"]["uscc"] == [None, HUAWEI_USCC]


def test_the_first_review_freezes_the_identity(requester):
    vendor = VendorFactory()
    assert vendor.identity_frozen_at is None

    builders.start_review(requester, vendor=vendor)

    assert Vendor.objects.get(pk=vendor.pk).identity_frozen_at is not None
