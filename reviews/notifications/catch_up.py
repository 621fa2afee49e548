"""Reminding the business owner of a catch-up review (补齐审核) before its deadline, and telling Legal once
it has passed.

A platform in use and not vetted has until its catch-up deadline (vendors.Vendor.catch_up_due, set when
Legal opens the review) to pass its review; after it the vendor is flagged overdue (vendors.selectors.
catch_up_overdue). The owner is reminded when the working days of VETTED_REMINDER_WORKING_DAYS["catch_up"]
are left (China's working days: a deadline just after a long holiday is reminded of before it), and the
owner and Legal once the deadline has passed. As for renewals (reviews.notifications.renewals), each reminder is
recorded in the audit log, and on the review (catch_up_reminded_days and _for), which is what keeps it from
going out twice (reviews.notifications.reminders): the log is a record, never read back."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from vendors.models import Vendor, VendorStatus

from ..audit import audit_record
from ..models import Review, ReviewState
from . import notify
from .reminders import reminder_due, reminder_sent, reminders_reach

REMINDED = "review.catch_up_reminded"
KIND = "catch_up"  # its row of VETTED_REMINDER_WORKING_DAYS
OVERDUE = -1  # the slot of the notice sent once the deadline has passed


def catch_up_remind(*, today: date | None = None) -> int:
    """Send the reminders due today, the nearest one only, once each; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    reviews = Review.objects.filter(
        catch_up=True,
        state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS],
        vendor__status=VendorStatus.IN_USE,
        vendor__catch_up_due__lte=reminders_reach(KIND, today=today),
    ).order_by("pk")
    for review in reviews:
        with transaction.atomic():
            # Locked, so that two runs at once cannot both remind.
            vendor = Vendor.objects.select_for_update().get(pk=review.vendor_id)
            if vendor.status != VendorStatus.IN_USE or vendor.catch_up_due is None:
                continue
            left = (vendor.catch_up_due - today).days
            slot, working_left = (
                (OVERDUE, 0) if left < 0 else reminder_due(KIND, today=today, about=vendor.catch_up_due)
            )
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
                data={
                    "due": vendor.catch_up_due,
                    "days": slot,  # working days, or OVERDUE
                    "days_left": left,
                    "working_days_left": working_left,
                },
            )
            notify.catch_up_reminder(event, overdue=slot == OVERDUE)
        sent += 1
    return sent
