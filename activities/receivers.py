"""A vendor that stops being usable flags the open activities that use it (activities.services)."""

from django.dispatch import receiver

from vendors.models import VendorStatus
from vendors.signals import vendor_status_changed

from .services import activities_flag_for_vendor


@receiver(vendor_status_changed)
def flag_activities(sender, *, vendor, old, new, actor, reason, **kwargs):
    if old == VendorStatus.APPROVED and new != VendorStatus.APPROVED:
        activities_flag_for_vendor(vendor=vendor, reason=reason or str(VendorStatus(new).label))
