"""Vendor.nearest_cert_expiry: the earliest expiry among the certificates that still count (not withdrawn,
not expired), kept on the vendor by the services that change certificates and by admission, and moved on
hourly past the certificates that lapse."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import VendorFactory, cert_fields, pdf_upload
from tests.vendors.helpers import CleanAdmission
from vendors import services, tasks
from vendors.models import Certification, Vendor

pytestmark = pytest.mark.django_db


def _add(vendor, actor, days):
    today = timezone.localdate()
    return services.certification_add(
        vendor=vendor,
        upload=pdf_upload(f"{days}.pdf", text=str(days)),
        actor=actor,
        **cert_fields(expires_on=today + timedelta(days=days)),
    )


def _nearest(vendor):
    return Vendor.objects.values_list("nearest_cert_expiry", flat=True).get(pk=vendor.pk)


def test_adding_certificates_keeps_the_earliest_expiry(requester):
    vendor = VendorFactory()
    assert _nearest(vendor) is None
    later = _add(vendor, requester, 500)
    assert _nearest(vendor) == later.expires_on
    sooner = _add(vendor, requester, 200)
    assert _nearest(vendor) == sooner.expires_on
    _add(vendor, requester, 300)
    assert _nearest(vendor) == sooner.expires_on


def test_withdrawing_the_earliest_falls_back_to_the_next(requester):
    vendor = VendorFactory()
    sooner, later = _add(vendor, requester, 200), _add(vendor, requester, 500)
    services.certification_withdraw(certification=sooner, actor=requester)
    assert _nearest(vendor) == later.expires_on
    services.certification_withdraw(certification=later, actor=requester)
    assert _nearest(vendor) is None


def test_admission_records_it_with_the_approval(requester, legal):
    vendor = VendorFactory()
    cert = _add(vendor, requester, 400)
    Vendor.objects.filter(pk=vendor.pk).update(nearest_cert_expiry=None)  # as before the migration's backfill
    admitted = services.vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        reference="VD-1",
        valid_until=timezone.localdate() + timedelta(days=300),
        risk_tier="low",
        actor=legal,
    )
    assert admitted.nearest_cert_expiry == cert.expires_on == _nearest(vendor)


def test_an_expired_certificate_stops_counting_once_the_hourly_task_runs(requester):
    vendor, other = VendorFactory(), VendorFactory()
    sooner, later = _add(vendor, requester, 200), _add(vendor, requester, 500)
    _add(other, requester, 200)
    untouched = _add(VendorFactory(), requester, 600)
    day_after = sooner.expires_on + timedelta(days=1)

    assert services.vendors_refresh_cert_expiry(today=sooner.expires_on) == 0
    assert services.vendors_refresh_cert_expiry(today=day_after) == 2

    assert _nearest(vendor) == later.expires_on and _nearest(other) is None
    assert _nearest(untouched.vendor) == untouched.expires_on


def test_the_hourly_task_refreshes_them_and_still_lapses_approvals(requester):
    vendor = VendorFactory()
    _add(vendor, requester, 200)
    Vendor.objects.filter(pk=vendor.pk).update(nearest_cert_expiry=timezone.localdate() - timedelta(days=1))
    assert tasks.vendors_lapse_expired() == 0
    assert _nearest(vendor) == Certification.objects.get(vendor=vendor).expires_on
