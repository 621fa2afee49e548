"""vendors.services: the vendor register's writes. Status changes are audited through the reviews app."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.models import AuditEvent
from tests import builders
from tests.factories import HUAWEI_USCC, VendorFactory, cert_fields, pdf_upload
from vendors import services
from vendors.models import Vendor, VendorCategory, VendorStatus

pytestmark = pytest.mark.django_db


def create(**fields):
    fields = {
        "name_zh": "华为技术有限公司",
        "uscc": HUAWEI_USCC,
        "category": VendorCategory.SCRM_SAAS,
        **fields,
    }
    return services.vendor_create(**fields)


def test_vendor_create_normalises_the_code_and_starts_as_candidate():
    vendor = create(uscc=" 9144 0300 1922 0382 16 ", name_zh="  华为技术有限公司 ")

    assert (vendor.uscc, vendor.name_zh, vendor.status) == (
        HUAWEI_USCC,
        "华为技术有限公司",
        VendorStatus.CANDIDATE,
    )
    assert vendor.uscc_checksum_ok


def test_vendor_create_keeps_a_code_with_a_wrong_check_character_flagged():
    vendor = create(uscc=HUAWEI_USCC[:17] + "7")

    assert Vendor.objects.get(pk=vendor.pk).uscc_checksum_ok is False


def test_vendor_create_refuses_a_malformed_code():
    with pytest.raises(ValidationError):
        create(uscc="91440300192203821O")
    assert not Vendor.objects.exists()


def test_vendor_create_refuses_a_code_already_registered():
    create()
    with pytest.raises(ValidationError) as refused:
        create(uscc=HUAWEI_USCC.lower(), name_zh="重复")
    assert "uscc" in refused.value.message_dict
    assert Vendor.objects.count() == 1


def test_a_failed_re_review_does_not_drop_a_running_approval(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    services.vendor_reject(vendor=review.vendor, actor=legal, reason="re-review failed")

    review.vendor.refresh_from_db()
    assert review.vendor.status == VendorStatus.APPROVED


def test_a_new_review_makes_a_suspended_vendor_a_candidate_again(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)
    services.vendor_suspend(vendor=review.vendor, actor=legal, reason="证书过期 / certificate expired")

    builders.start_review(requester, vendor=review.vendor)

    review.vendor.refresh_from_db()
    assert review.vendor.status == VendorStatus.CANDIDATE
    assert AuditEvent.objects.filter(vendor=review.vendor, action="vendor.candidate").exists()


def test_an_approval_that_would_already_have_expired_is_refused(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    with pytest.raises(services.VendorError, match="already have expired"):
        services.vendor_admit(
            vendor=review.vendor,
            admission=review,
            valid_until=date(2020, 1, 1),
            reference="VD-X",
            risk_tier="low",
            actor=legal,
        )


def test_lapsing_leaves_current_approvals_alone(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    assert services.vendors_lapse_expired() == 0
    review.vendor.refresh_from_db()
    assert review.vendor.status == VendorStatus.APPROVED


def test_certification_add_stores_the_file_and_audits_it(requester):
    vendor = VendorFactory()

    cert = services.certification_add(
        vendor=vendor, upload=pdf_upload("iso.pdf"), actor=requester, **cert_fields()
    )

    assert cert.sha256 and cert.size and cert.content_type == "application/pdf"
    assert cert.uploaded_by == requester
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.vendor, event.data["number"]) == (
        "certification.added",
        vendor,
        "ISMS-2024-0815",
    )


def test_a_certificate_file_is_checked_like_evidence(requester):
    with pytest.raises(ValidationError):
        services.certification_add(
            vendor=VendorFactory(), upload=pdf_upload("iso.exe"), actor=requester, **cert_fields()
        )


def test_an_unfrozen_certificate_is_withdrawn_not_deleted(requester):
    cert = services.certification_add(
        vendor=VendorFactory(), upload=pdf_upload(), actor=requester, **cert_fields()
    )

    services.certification_withdraw(certification=cert, actor=requester)

    cert.refresh_from_db()
    assert cert.withdrawn_at is not None
    assert not cert.is_valid_on(timezone.localdate())
    assert AuditEvent.objects.latest("pk").action == "certification.withdrawn"


def test_a_frozen_certificate_cannot_be_withdrawn(requester):
    cert = services.certification_add(
        vendor=VendorFactory(), upload=pdf_upload(), actor=requester, **cert_fields()
    )
    services.certifications_freeze(certification_ids=[cert.pk])
    cert.refresh_from_db()

    with pytest.raises(services.VendorError):
        services.certification_withdraw(certification=cert, actor=requester)
    cert.refresh_from_db()
    assert cert.withdrawn_at is None


def test_an_expired_certificate_is_refused_before_its_file_is_stored(requester, settings):
    before = sorted(settings.PRIVATE_MEDIA_ROOT.rglob("*"))
    expired = timezone.localdate() - timedelta(days=1)

    with pytest.raises(services.VendorError, match=f"lapsed on {expired.isoformat()}"):
        services.certification_add(
            vendor=VendorFactory(),
            upload=pdf_upload(),
            actor=requester,
            **cert_fields(issued_on=expired - timedelta(days=300), expires_on=expired),
        )

    assert sorted(settings.PRIVATE_MEDIA_ROOT.rglob("*")) == before


def test_a_2013_edition_iso27001_certificate_is_refused_whatever_its_printed_expiry(requester):
    with pytest.raises(services.VendorError, match="2025-10-31"):
        services.certification_add(
            vendor=VendorFactory(),
            upload=pdf_upload(),
            actor=requester,
            **cert_fields(edition="iso27001_2013", issued_on=date(2024, 4, 30), expires_on=date(2027, 4, 29)),
        )


def test_lapsing_spares_an_approval_renewed_while_the_task_ran(requester, legal, security, monkeypatch):
    review = builders.approved_review(requester, legal=legal, security=security)
    day_after = review.sign_off.valid_until + timedelta(days=1)
    real_locked = services._locked

    def renewed_meanwhile(vendor):
        # Between the task's query and its row lock, a new sign-off extends the approval.
        Vendor.objects.filter(pk=vendor.pk).update(approved_until=day_after + timedelta(days=365))
        return real_locked(vendor)

    monkeypatch.setattr(services, "_locked", renewed_meanwhile)

    assert services.vendors_lapse_expired(today=day_after) == 0
    assert Vendor.objects.get(pk=review.vendor_id).status == VendorStatus.APPROVED
