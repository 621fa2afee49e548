"""Audit what the vendors app does, without vendors importing reviews."""

from django.dispatch import receiver

from vendors.models import VendorStatus
from vendors.signals import certification_changed, vendor_status_changed

from .audit import audit_record
from .models import SignOff
from .notifications import notify


@receiver(vendor_status_changed)
def audit_vendor_status(sender, vendor, old, new, actor, reason, **kwargs):
    event = audit_record(action=f"vendor.{new}", obj=vendor, vendor=vendor, actor=actor,
                         data={"from": old, "to": new, "reason": reason})
    if new == VendorStatus.SUSPENDED:
        sign_off = SignOff.objects.filter(review__vendor=vendor, number=vendor.approval_reference).first()
        notify.vendor_suspended(event, sign_off)


@receiver(certification_changed)
def audit_certification(sender, certification, action, actor, **kwargs):
    audit_record(action=f"certification.{action}", obj=certification, vendor=certification.vendor, actor=actor,
                 data={"kind": certification.kind, "number": certification.number,
                       "sha256": certification.sha256, "expires_on": certification.expires_on})
