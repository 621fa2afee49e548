"""Renewing an approval before it ends.

An approval runs at most 12 months and never past the earliest certificate (docs/architecture.md "The sign-off path"); when it
ends, the hourly lapse task suspends the vendor (vendors.services.vendors_lapse_expired). So that a vendor in
use can stay on the approved list without a gap, a renewal review may start VETTED_RENEWAL_WINDOW_DAYS before
the approval ends, while the vendor stays approved (vendors.services.vendor_reopen leaves an approved vendor
as it is, and a failed renewal does not drop the running approval). The requester and Legal are reminded
when the working days of VETTED_REMINDER_WORKING_DAYS["renewal"] are left (China's working days: an approval
ending just after a long holiday is reminded of before it); each reminder is recorded in the audit log, and on
the approval's sign-off (expiry_reminded_days and _for), which is what keeps it from going out twice
(reviews.notifications.reminders): the log is a record, never read back.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from vendors.models import Vendor, VendorStatus
from vendors.selectors import approval_ends_within

from ..audit import audit_record
from ..models import ReviewState, SignOff
from . import notify
from .reminders import reminder_due, reminder_sent, reminders_reach

REMINDED = "vendor.expiry_reminded"
KIND = "renewal"  # its row of VETTED_REMINDER_WORKING_DAYS


def renewal_opens_on(vendor: Vendor) -> date | None:
    """The first day a renewal review of an approved vendor may start; None when it is not approved."""
    if vendor.status != VendorStatus.APPROVED or vendor.approved_until is None:
        return None
    return vendor.approved_until - timedelta(days=settings.VETTED_RENEWAL_WINDOW_DAYS)


def renewal_open(vendor: Vendor, *, today: date) -> bool:
    opens = renewal_opens_on(vendor)
    return opens is not None and opens <= today


def approvals_ending(*, today: date, requester=None) -> QuerySet[SignOff]:
    """The sign-offs behind approvals that end within the renewal window and have no renewal under way,
    soonest first; only those of `requester`'s reviews when given."""
    ending = Vendor.objects.filter(approval_ends_within(today, settings.VETTED_RENEWAL_WINDOW_DAYS))
    sign_offs = (
        # The sign-off that gave each running approval (its number is the vendor's approval reference), not an
        # older one of the same vendor: reached from the few vendors whose approval ends soon (index on status
        # and end date) through their reviews, rather than by joining every sign-off to its vendor.
        SignOff.objects.filter(review__vendor__in=ending, number=F("review__vendor__approval_reference"))
        .exclude(review__vendor__reviews__state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS])
        .select_related("review__vendor", "review__requester")
        .order_by("review__vendor__approved_until", "pk")
    )
    return sign_offs.filter(review__requester=requester) if requester is not None else sign_offs


def approvals_remind_expiring(*, today: date | None = None) -> int:
    """Remind the requester and Legal of each approval that ends within a reminder's number of working days
    and has no renewal under way. The nearest reminder due goes out, once: a run that starts 3 working days
    before the end sends the 5-day reminder and not the 20-day one. Returns how many reminders were sent."""
    today = today or timezone.localdate()
    sent = 0
    for sign_off in approvals_ending(today=today).filter(
        review__vendor__approved_until__lte=reminders_reach(KIND, today=today)
    ):
        with transaction.atomic():
            # Locked, so that two runs at once (or a renewal signed meanwhile) cannot both remind.
            vendor = Vendor.objects.select_for_update().get(pk=sign_off.review.vendor_id)
            if vendor.approval_reference != sign_off.number or not vendor.is_approved_on(today):
                continue
            # Read again under the lock: a run that held it before may have reminded meanwhile.
            sign_off = SignOff.objects.select_related("review__vendor", "review__requester").get(
                pk=sign_off.pk
            )
            end = vendor.approved_until
            assert end is not None  # is_approved_on
            due, working_left = reminder_due(KIND, today=today, about=end)
            if due is None or reminder_sent(
                sign_off.expiry_reminded_days, sign_off.expiry_reminded_for, slot=due, about=end
            ):
                continue
            sign_off.expiry_reminded_days, sign_off.expiry_reminded_for = due, end
            sign_off.save(update_fields=["expiry_reminded_days", "expiry_reminded_for"])
            audit_record(
                action=REMINDED,
                obj=vendor,
                vendor=vendor,
                actor=None,
                data={
                    "valid_until": vendor.approved_until,
                    "days": due,  # working days
                    "days_left": (end - today).days,
                    "working_days_left": working_left,
                    "approval": sign_off.number,
                },
            )
            notify.approval_expiring(sign_off)
        sent += 1
    return sent
