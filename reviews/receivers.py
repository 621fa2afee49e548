"""Audit what the vendors app does, without vendors importing reviews."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from vendors.models import VendorStatus
from vendors.signals import (
    certification_changed,
    inventory_discarded,
    inventory_imported,
    vendor_changed,
    vendor_identity_corrected,
    vendor_identity_correcting,
    vendor_status_changed,
)

from .audit import audit_record
from .models import CalendarDay, ReviewState, SignOff
from .notifications import notify
from .working_days import forget_calendar


@receiver(vendor_status_changed)
def audit_vendor_status(sender, vendor, old, new, actor, reason, **kwargs):
    event = audit_record(
        action=f"vendor.{new}",
        obj=vendor,
        vendor=vendor,
        actor=actor,
        data={"from": old, "to": new, "reason": reason},
    )
    if new == VendorStatus.SUSPENDED:
        sign_off = SignOff.objects.filter(review__vendor=vendor, number=vendor.approval_reference).first()
        notify.vendor_suspended(event, sign_off)
    elif new == VendorStatus.REJECTED and vendor.stop_using:
        rejected = vendor.reviews.filter(state=ReviewState.REJECTED).order_by("-closed_at", "-pk").first()
        notify.vendor_stop_using(event, rejected)


@receiver(certification_changed)
def audit_certification(sender, certification, action, actor, **kwargs):
    audit_record(
        action=f"certification.{action}",
        obj=certification,
        vendor=certification.vendor,
        actor=actor,
        data={
            "kind": certification.kind,
            "number": certification.number,
            "sha256": certification.sha256,
            "expires_on": certification.expires_on,
        },
    )


@receiver(inventory_discarded)
def audit_inventory_discard(sender, inventory_import, actor, **kwargs):
    record = inventory_import
    audit_record(
        action="inventory.discarded",
        obj=record,
        actor=actor,
        data={"file": record.original_name, "sha256": record.sha256, "rows": record.rows},
    )


@receiver(inventory_imported)
def audit_inventory_import(sender, inventory_import, actor, created, updated, **kwargs):
    record = inventory_import
    audit_record(
        action="inventory.imported",
        obj=record,
        actor=actor,
        data={
            "file": record.original_name,
            "sha256": record.sha256,
            "rows": record.rows,
            "rows_with_errors": record.error_rows,
            "unchanged": record.unchanged_count,
            "created": created,
            "updated": updated,
        },
    )


@receiver(vendor_changed)
def audit_vendor_change(sender, vendor, actor, action, changes, reason, inventory_import=None, **kwargs):
    data = {"changes": changes, "reason": reason}
    if inventory_import is not None:  # a change an inventory file made (vendors.inventory.services)
        data["inventory_import"] = {"id": inventory_import.pk, "file": inventory_import.original_name}
    audit_record(action=f"vendor.{action}", obj=vendor, vendor=vendor, actor=actor, data=data)


@receiver(vendor_identity_correcting)
def lock_before_identity_correction(sender, vendor, **kwargs):
    from .correction import review_lock_for_correction

    review_lock_for_correction(vendor=vendor)


@receiver(vendor_identity_corrected)
def review_after_identity_correction(sender, vendor, actor, changes, reason, approval_suspended, **kwargs):
    """The decisions and any approval rested on the old identity: return the decided stages of a review under
    way, vet a suspended vendor again (reviews/correction.py).

    Why a signal rather than a Legal action in reviews' admin calling a reviews service: the correction is a
    change to the register, made the same way from the admin, a command or any later entry point, and the
    reviews must follow from every one of them. vendors sends, reviews receives inside the same transaction,
    so a review that cannot be opened rolls the correction back; vendors still never imports reviews."""
    from .correction import reviews_after_correction

    reviews_after_correction(
        vendor=vendor, actor=actor, reason=reason, changes=changes, approval_suspended=approval_suspended
    )


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def forget_working_calendar(sender, **kwargs):
    """A day Legal entered or corrected counts from the next page read (reviews.working_days)."""
    forget_calendar()
