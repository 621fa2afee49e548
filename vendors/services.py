"""Writes to the vendor register. Status changes happen here and nowhere else (DESIGN.md I1)."""

from datetime import date
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import cert_rules
from .files import StoredFile, store_upload
from .models import Certification, Vendor, VendorStatus
from .signals import certification_changed, vendor_status_changed
from .uscc import check_uscc


class VendorError(Exception):
    """A vendor operation refused by a business rule; the message is shown to the user."""


class Admission(Protocol):
    """What admitting a vendor requires: a finished review with a legal sign-off (I1).
    reviews.Review satisfies it; vendors never imports reviews."""

    vendor_id: int

    def admission_problems(self) -> list[str]: ...


def vendor_create(*, name_zh: str, uscc: str, category: str, name_en: str = "", website: str = "",
                  services: str = "") -> Vendor:
    check = check_uscc(uscc)
    vendor = Vendor(name_zh=name_zh.strip(), name_en=name_en.strip(), uscc=check.code, category=category,
                    website=website, services=services, uscc_checksum_ok=check.checksum_ok)
    vendor.full_clean()
    vendor.save()
    return vendor


def _set_status(vendor: Vendor, new: str, *, actor, reason: str, **fields) -> Vendor:
    old = vendor.status
    vendor.status = new
    vendor.status_reason = reason
    for name, value in fields.items():
        setattr(vendor, name, value)
    vendor.save(update_fields=["status", "status_reason", "updated_at", *fields])
    vendor_status_changed.send(sender=Vendor, vendor=vendor, old=old, new=new, actor=actor, reason=reason)
    return vendor


def _locked(vendor: Vendor) -> Vendor:
    return Vendor.objects.select_for_update().get(pk=vendor.pk)


@transaction.atomic
def vendor_admit(*, vendor: Vendor, admission: Admission, valid_until: date, reference: str, risk_tier: str,
                 actor) -> Vendor:
    if admission.vendor_id != vendor.pk:
        raise VendorError(_("This review is for another vendor."))
    problems = admission.admission_problems()
    if problems:
        raise VendorError(" ".join(problems))
    if valid_until < timezone.localdate():
        raise VendorError(_("The approval would already have expired."))
    vendor = _locked(vendor)
    return _set_status(vendor, VendorStatus.APPROVED, actor=actor, reason="", approved_until=valid_until,
                       approval_reference=reference, risk_tier=risk_tier, stop_using=False)


@transaction.atomic
def vendor_set_catch_up_due(*, vendor: Vendor, due: date) -> Vendor:
    """The deadline of the catch-up review of a platform in use; past it, the vendor is overdue. The
    caller (reviews, opening the review) records it in the audit log."""
    vendor = _locked(vendor)
    if vendor.status != VendorStatus.IN_USE:
        raise VendorError(_("Only a vendor in use and not vetted gets a catch-up review."))
    if due <= timezone.localdate():
        raise VendorError(_("The catch-up deadline must be after today."))
    vendor.catch_up_due = due
    vendor.save(update_fields=["catch_up_due", "updated_at"])
    return vendor


@transaction.atomic
def vendor_suspend(*, vendor: Vendor, actor, reason: str) -> Vendor:
    reason = (reason or "").strip()
    if not reason:
        raise VendorError(_("Give the reason for suspending this vendor."))
    vendor = _locked(vendor)
    if vendor.status != VendorStatus.APPROVED:
        raise VendorError(_("Only an approved vendor can be suspended."))
    return _set_status(vendor, VendorStatus.SUSPENDED, actor=actor, reason=reason)


@transaction.atomic
def vendor_reject(*, vendor: Vendor, actor, reason: str) -> Vendor:
    vendor = _locked(vendor)
    if vendor.status == VendorStatus.APPROVED:
        # A failed re-review does not silently drop a running approval; Legal suspends explicitly.
        return vendor
    if vendor.status == VendorStatus.IN_USE:
        # A platform the business already uses failed its catch-up review: using it must stop, and the
        # flag stays until a later review admits it.
        return _set_status(vendor, VendorStatus.REJECTED, actor=actor, reason=reason, stop_using=True)
    return _set_status(vendor, VendorStatus.REJECTED, actor=actor, reason=reason)


@transaction.atomic
def vendor_reopen(*, vendor: Vendor, actor) -> Vendor:
    """A new review starts: a rejected or suspended vendor becomes a candidate again. A platform in use
    stays in use, not vetted, and one flagged "stop using" stays flagged, until a review admits it."""
    vendor = _locked(vendor)
    if vendor.status in (VendorStatus.REJECTED, VendorStatus.SUSPENDED):
        return _set_status(vendor, VendorStatus.CANDIDATE, actor=actor, reason="")
    return vendor


def vendors_lapse_expired(*, today: date | None = None) -> int:
    """Suspend approved vendors whose approval has lapsed. Run hourly by Celery beat."""
    today = today or timezone.localdate()
    count = 0
    for vendor in Vendor.objects.filter(status=VendorStatus.APPROVED, approved_until__lt=today):
        with transaction.atomic():
            vendor = _locked(vendor)
            # Look again under the lock: a sign-off may have renewed the approval since the query ran.
            if vendor.status != VendorStatus.APPROVED or vendor.approved_until >= today:
                continue
            _set_status(vendor, VendorStatus.SUSPENDED, actor=None, reason=_("The approval lapsed."))
        count += 1
    return count


def certification_add(*, vendor: Vendor, upload, actor, kind: str, number: str, issuer: str, scope: str,
                      issued_on: date, expires_on: date | None, edition: str = "", period_start: date | None = None,
                      period_end: date | None = None, bridge_letter: bool = False,
                      stored: StoredFile | None = None) -> Certification:
    """Record a certificate with its file. A void certificate (vendors.cert_rules) is refused before its
    file is stored, with the rule and the date it lapsed. `stored`: a file already checked and stored (one
    given with a questionnaire answer), recorded as this certificate's file instead of a second upload."""
    cert = Certification(
        vendor=vendor, kind=kind, number=number.strip(), issuer=issuer.strip(), scope=scope.strip(),
        issued_on=issued_on, expires_on=expires_on, edition=edition or "", period_start=period_start,
        period_end=period_end, bridge_letter=bool(bridge_letter),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    problems = cert_rules.assess(cert, today=timezone.localdate()).problems
    if problems:
        raise VendorError(" ".join(problems))
    stored = stored or store_upload(upload, folder="certificates")
    cert.file, cert.original_name, cert.size = stored.name, stored.original_name, stored.size
    cert.content_type, cert.sha256 = stored.content_type, stored.sha256
    with transaction.atomic():
        cert.save()
        certification_changed.send(sender=Certification, certification=cert, action="added", actor=actor)
    return cert


def certification_withdraw(*, certification: Certification, actor) -> Certification:
    if certification.frozen:
        raise VendorError(_("This certificate was submitted for review and can no longer be removed."))
    with transaction.atomic():
        certification.withdrawn_at = timezone.now()
        certification.save(update_fields=["withdrawn_at"])
        certification_changed.send(sender=Certification, certification=certification, action="withdrawn",
                                   actor=actor)
    return certification


def certifications_freeze(*, certification_ids) -> None:
    Certification.objects.filter(pk__in=list(certification_ids)).update(frozen=True)
