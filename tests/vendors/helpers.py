"""Approved vendors in bulk for list tests, admitted through vendors.services like any other (I1).

A full review walk per vendor would make the 200-row tests slow; the Admission protocol is what
vendor_admit checks, so a stand-in that has no problems admits the vendor the same way."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests.factories import VendorFactory
from vendors.services import vendor_admit


@dataclass
class CleanAdmission:
    vendor_id: int

    def admission_problems(self) -> list[str]:
        return []


def approved_vendor(
    *, actor, days: int = 365, tier: str = "low", scope=None, scope_confirmed: bool = True, **fields
):
    vendor = VendorFactory(**fields)
    return vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=timezone.localdate() + timedelta(days=days),
        reference=f"VD-TEST-{vendor.pk:05d}",
        risk_tier=tier,
        actor=actor,
        scope=scope,
        scope_confirmed=scope_confirmed,
    )
