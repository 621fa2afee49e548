"""Reads of the vendor register."""

from datetime import date

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from .models import Vendor, VendorStatus


def on_approved_list(today: date) -> Q:
    """The rule of the approved list (I1), as a filter: approved, and the approval not past its end. A lapsed
    approval drops out at once, before the hourly task marks the vendor suspended."""
    return Q(status=VendorStatus.APPROVED, approved_until__gte=today)


def approved_vendors(*, today: date | None = None) -> QuerySet[Vendor]:
    """The approved list (供应商白名单)."""
    today = today or timezone.localdate()
    return Vendor.objects.filter(on_approved_list(today)).annotate(
        nearest_cert_expiry=Min(
            "certifications__expires_on",
            filter=Q(certifications__withdrawn_at__isnull=True, certifications__expires_on__gte=today),
        )
    )


def vendor_by_uscc(code: str) -> Vendor | None:
    return Vendor.objects.filter(uscc=code).first()


def vendor_is_usable(vendor: Vendor, *, today: date | None = None) -> bool:
    return vendor.is_approved_on(today or timezone.localdate())
