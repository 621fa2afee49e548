"""Reads of the vendor register."""

from datetime import date, timedelta

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.utils import timezone

from .models import Vendor, VendorStatus
from .uscc import normalize_uscc


def on_approved_list(today: date) -> Q:
    """The rule of the approved list (I1), as a filter: approved, and the approval not past its end. A lapsed
    approval drops out at once, before the hourly task marks the vendor suspended."""
    return Q(status=VendorStatus.APPROVED, approved_until__gte=today)


def approval_ends_within(today: date, days: int) -> Q:
    """On the approved list and its approval ending within `days` of `today`: the renewals coming (the desk,
    the reminders, the vendor admin's filter)."""
    return on_approved_list(today) & Q(approved_until__lte=today + timedelta(days=days))


def approved_vendors(*, today: date | None = None) -> QuerySet[Vendor]:
    """The approved list (供应商白名单), each vendor with its nearest certificate expiry (kept on the vendor:
    Vendor.nearest_cert_expiry), so that a page of it reads 25 rows in index order, not every approved one."""
    today = today or timezone.localdate()
    return Vendor.objects.filter(on_approved_list(today))


def vendor_search(term: str) -> Q:
    """A legal name (Chinese or English) containing the term in any case, or a credit code starting with it.
    The names are matched upper-cased by the database, against the stored Vendor.search_names, the term
    upper-cased by the same function."""
    code = normalize_uscc(term)
    return Q(search_names__contains=Upper(Value(term))) | Q(uscc__startswith=code)


def vendor_by_uscc(code: str) -> Vendor | None:
    return Vendor.objects.filter(uscc=code).first()


def vendor_is_usable(vendor: Vendor, *, today: date | None = None) -> bool:
    return vendor.is_approved_on(today or timezone.localdate())


def overdue_catch_up(today: date) -> Q:
    """In use, not vetted, and the catch-up review's due date is past (the due day itself is not)."""
    return Q(status=VendorStatus.IN_USE, catch_up_due__lt=today)


def catch_up_overdue(
    queryset: QuerySet[Vendor] | None = None, *, today: date | None = None
) -> QuerySet[Vendor]:
    """Vendors in use whose catch-up review was due before today and that are still not vetted."""
    queryset = Vendor.objects.all() if queryset is None else queryset
    return queryset.filter(overdue_catch_up(today or timezone.localdate()))


def vendors_in_use_unvetted(*, today: date | None = None) -> QuerySet[Vendor]:
    """The platforms the business uses without a passed review, and those it must stop using: what the
    "in use, not vetted" section of /vendors/ lists, most urgent first."""
    today = today or timezone.localdate()
    return (
        Vendor.objects.filter(Q(status=VendorStatus.IN_USE) | Q(stop_using=True))
        .select_related("business_owner")
        .annotate(
            overdue=Case(When(overdue_catch_up(today), then=True), default=False, output_field=BooleanField())
        )
        .order_by("-stop_using", "-overdue", F("catch_up_due").asc(nulls_last=True), "name_zh", "pk")
    )
