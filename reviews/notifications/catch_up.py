"""Reminding the business owner of a catch-up review (补齐审核) before its deadline, and telling Legal once
it has passed.

A platform in use and not vetted has until its catch-up deadline (vendors.Vendor.catch_up_due, set when
Legal opens the review) to pass its review; after it the vendor is flagged overdue (vendors.selectors.
catch_up_overdue). The owner is reminded when VETTED_CATCH_UP_REMINDER_DAYS are left, and the owner and
Legal once the deadline has passed. As for renewals (reviews.notifications.renewals), each reminder is
recorded in the audit log, and on the review (catch_up_reminded_days and _for), which is what keeps it from
going out twice (reviews.notifications.reminders): the log is a record, never read back."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vendors.models import Vendor, VendorStatus

from ..audit import audit_record
from ..models import Review, ReviewState
from . import notify
from .reminders import reminder_sent

REMINDED = "review.catch_up_reminded"
OVERDUE = -1  # the slot of the notice sent once the deadline has passed


def catch_up_remind(*, today: date | None = None) -> int:
    """Send the reminders due today, the nearest one only, once each; returns how many were sent."""
    today = today or timezone.localdate()
    days = sorted(settings.VETTED_CATCH_UP_REMINDER_DAYS)
    sent = 0
    reviews = Review.objects.filter(
        catch_up=True,
        state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS],
        vendor__status=VendorStatus.IN_USE,
        vendor__catch_up_due__lte=today + timedelta(days=days[-1]),
    ).order_by("pk")
    for review in reviews:
        with transaction.atomic():
            # Locked, so that two runs at once cannot both remind.
            vendor = Vendor.objects.select_for_update().get(pk=review.vendor_id)
            if vendor.status != VendorStatus.IN_USE or vendor.catch_up_due is None:
                continue
            left = (vendor.catch_up_due - today).days
            slot = OVERDUE if left < 0 else next((d for d in days if left <= d), None)
            # Read again under the lock: a run that held it before may have reminded meanwhile.
            review = Review.objects.select_related("vendor", "requester").get(pk=review.pk)
            due = vendor.catch_up_due
            if slot is None or reminder_sent(
                review.catch_up_reminded_days, review.catch_up_reminded_for, slot=slot, about=due
            ):
                continue
            review.catch_up_reminded_days, review.catch_up_reminded_for = slot, due
            review.save(update_fields=["catch_up_reminded_days", "catch_up_reminded_for"])
            event = audit_record(
                action=REMINDED,
                obj=review,
                review=review,
                actor=None,
                data={"due": vendor.catch_up_due, "days": slot, "days_left": left},
            )
            notify.catch_up_reminder(event, overdue=slot == OVERDUE)
        sent += 1
    return sent
