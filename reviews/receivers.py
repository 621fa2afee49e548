"""Audit what the vendors app does, without vendors importing reviews."""

from django.dispatch import receiver

from vendors.models import VendorStatus
from vendors.signals import certification_changed, inventory_imported, vendor_status_changed

from .audit import audit_record
from .models import ReviewState, SignOff
from .notifications import notify


@receiver(vendor_status_changed)
def audit_vendor_status(sender, vendor, old, new, actor, reason, **kwargs):
    event = audit_record(action=f"vendor.{new}", obj=vendor, vendor=vendor, actor=actor,
                         data={"from": old, "to": new, "reason": reason})
    if new == VendorStatus.SUSPENDED:
        sign_off = SignOff.objects.filter(review__vendor=vendor, number=vendor.approval_reference).first()
        notify.vendor_suspended(event, sign_off)
    elif new == VendorStatus.REJECTED and vendor.stop_using:
        rejected = vendor.reviews.filter(state=ReviewState.REJECTED).order_by("-closed_at", "-pk").first()
        notify.vendor_stop_using(event, rejected)


@receiver(certification_changed)
def audit_certification(sender, certification, action, actor, **kwargs):
    audit_record(action=f"certification.{action}", obj=certification, vendor=certification.vendor, actor=actor,
                 data={"kind": certification.kind, "number": certification.number,
                       "sha256": certification.sha256, "expires_on": certification.expires_on})


@receiver(inventory_imported)
def audit_inventory_import(sender, inventory_import, actor, created, updated, **kwargs):
    record = inventory_import
    audit_record(action="inventory.imported", obj=record, actor=actor,
                 data={"file": record.original_name, "sha256": record.sha256, "rows": record.rows,
                       "rows_with_errors": record.error_rows, "unchanged": record.unchanged_count,
                       "created": created, "updated": updated})
