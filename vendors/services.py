"""Writes to the vendor register. Status changes happen here and nowhere else (I1, docs/architecture.md "Invariants")."""

from datetime import date
from typing import Protocol

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from . import cert_rules
from .channel_rules import app_store_ids as parse_app_store_ids
from .channel_rules import normalize_icp
from .files import StoredFile, store_upload
from .models import (
    APP_KINDS,
    ICP_KINDS,
    Certification,
    ChannelAdministrator,
    OwnChannel,
    Vendor,
    VendorCategory,
    VendorStatus,
)
from .scope import Scope
from .signals import (
    certification_changed,
    vendor_changed,
    vendor_identity_corrected,
    vendor_identity_correcting,
    vendor_status_changed,
)
from .text import clean_text, field_label
from .uscc import check_uscc

# The role that suspends vendors and corrects their identity (docs/architecture.md "People"). vendors does not import
# reviews, so the group name is spelled here; it is the name reviews.roles.Role.LEGAL gives the Django group.
LEGAL_GROUP = "Legal"
# What was vetted: frozen once the vendor has a review (Vendor.identity_frozen_at).
IDENTITY_FIELDS = ("uscc", "name_zh", "name_en", "category")
# Who the vendor is in law. A change means the approval was given to another legal person, or to a name that
# is not on the business licence: it does not carry over (PIPL Art. 21, GB/T 35273 9.1: assess the vendor).
LEGAL_IDENTITY_FIELDS = ("uscc", "name_zh", "name_en")
# What Legal may keep up to date after vetting, audited like any change.
PROFILE_FIELDS = ("website", "services")
# What the inventory of platforms in use records (vendors.inventory), which Legal may also correct by hand in the
# admin: never the identity nor the status.
INVENTORY_EDIT_FIELDS = (
    "business_owner",
    "personal_data",
    "individuals",
    "in_use_since",
    "contract_ends",
    "connected_systems",
)
MULTILINE_FIELDS = ("services",)


class VendorError(Exception):
    """A vendor operation refused by a business rule; the message is shown to the user."""


class Admission(Protocol):
    """What admitting a vendor requires: a finished review with a legal sign-off (I1).
    reviews.Review satisfies it; vendors never imports reviews."""

    vendor_id: int

    def admission_problems(self) -> list[str]: ...


def _text(fields: dict, *, error=VendorError) -> dict:
    """Text fields cleaned, or `error` raised when one holds control characters (vendors.text)."""
    return {
        name: clean_text(value, error=error, multiline=name in MULTILINE_FIELDS)
        if isinstance(value, str) and name != "category"
        else value
        for name, value in fields.items()
    }


def _validated(vendor: Vendor) -> None:
    from django.core.exceptions import ValidationError

    try:
        vendor.full_clean()
    except ValidationError as error:
        raise VendorError(" ".join(error.messages)) from None


def vendor_create(
    *,
    name_zh: str,
    uscc: str,
    category: str,
    name_en: str = "",
    website: str = "",
    services: str = "",
    actor=None,
) -> Vendor:
    from django.core.exceptions import ValidationError

    # ValidationError, as full_clean raises it: the request form shows it on the page.
    fields = _text(
        {"name_zh": name_zh, "name_en": name_en, "website": website, "services": services},
        error=ValidationError,
    )
    check = check_uscc(uscc)
    vendor = Vendor(**fields, uscc=check.code, category=category, uscc_checksum_ok=check.checksum_ok)
    vendor.full_clean()
    with transaction.atomic():
        vendor.save()
        changes = {name: [None, getattr(vendor, name)] for name in (*IDENTITY_FIELDS, *PROFILE_FIELDS)}
        vendor_changed.send(
            sender=Vendor, vendor=vendor, actor=actor, action="created", changes=changes, reason=""
        )
    return vendor


def channel_create(
    *,
    kind: str,
    name_zh: str,
    name_en: str = "",
    website: str = "",
    operator: str = "",
    operator_vendor: Vendor | None = None,
    icp_filing: str = "",
    app_store_ids: str = "",
    business_owner=None,
    administrators=(),
    connected_systems: str = "",
    status: str = VendorStatus.CANDIDATE,
    actor=None,
) -> Vendor:
    """Register one of the brand's own channels: a register entry without a credit code (category own_channel)
    and its channel row, with the people who administer its account (`administrators`: (name, e-mail) pairs).
    A website and a mini program need their ICP filing number, an app its store identifiers
    (vendors.channel_rules). `status` is in_use for a channel the inventory finds already live. Returns the
    register entry; ValidationError names the field at fault."""
    from django.core.exceptions import ValidationError

    fields = _text({"name_zh": name_zh, "name_en": name_en, "website": website}, error=ValidationError)
    fields["connected_systems"] = clean_text(connected_systems, error=ValidationError, multiline=True)
    errors = {}
    icp_filing = normalize_icp(icp_filing)
    if kind in ICP_KINDS and not icp_filing:
        errors["icp_filing"] = [_("A website or mini program needs its ICP filing number (ICP备案号).")]
    if kind in APP_KINDS and not (app_store_ids or "").strip():
        errors["app_store_ids"] = [_("An app needs at least one app store identifier.")]
    if operator_vendor is not None and operator_vendor.is_own_channel:
        errors["operator_vendor"] = [_("A platform operator is a vendor, not one of the brand's channels.")]
    if errors:
        raise ValidationError(errors)
    if status not in (VendorStatus.CANDIDATE, VendorStatus.IN_USE):
        raise VendorError(_("A channel enters the register as a candidate or as in use."))
    entry = Vendor(**fields, uscc="", category=VendorCategory.OWN_CHANNEL, business_owner=business_owner)
    entry.status = status
    entry.full_clean()
    ids = "\n".join(parse_app_store_ids(app_store_ids))
    channel = OwnChannel(
        kind=kind,
        operator=clean_text(operator, error=ValidationError),
        operator_vendor=operator_vendor,
        icp_filing=icp_filing,
        app_store_ids=ids,
    )
    channel.full_clean(exclude=["entry"])
    people = [
        ChannelAdministrator(name=clean_text(name, error=ValidationError), email=email.strip().lower())
        for name, email in administrators
    ]
    for person in people:
        person.full_clean(exclude=["channel"])
    with transaction.atomic():
        entry.save()
        channel.entry = entry
        channel.save()
        for person in people:
            person.channel = channel
        ChannelAdministrator.objects.bulk_create(people)
        changes = {
            name: [None, getattr(entry, name)] for name in ("name_zh", "name_en", "category", "website")
        }
        changes.update(
            kind=[None, kind],
            operator=[None, channel.operator_label],
            icp_filing=[None, icp_filing],
            app_store_ids=[None, ids],
            business_owner=[None, _recorded(business_owner)] if business_owner else [None, None],
            administrators=[None, [f"{p.name} <{p.email}>" for p in people]],
        )
        vendor_changed.send(
            sender=Vendor, vendor=entry, actor=actor, action="created", changes=changes, reason=""
        )
    return entry


def _apply(vendor: Vendor, fields: dict) -> dict:
    """Set the fields that differ; their old and new values, as the audit log keeps them (a person by user
    name)."""
    changes = {}
    for name, value in fields.items():
        old = getattr(vendor, name)
        if old != value:
            changes[name] = [_recorded(old), _recorded(value)]
            setattr(vendor, name, value)
    return changes


def _recorded(value):
    return value.get_username() if hasattr(value, "get_username") else value


def identity_locked(vendor: Vendor) -> bool:
    """Whether the vendor's identity (credit code, names, category) changes only through a correction: once a
    review vets it, and always once it is or was approved, even without a review on record (an approval
    migrated or seeded). An approval is given to a legal person of one kind: a data broker is not vetted as an
    SMS sender (the category sets the evidence asked for, docs/domain.md "Evidence"), so a profile edit that
    changed the category would keep an approval given to something else."""
    return vendor.identity_frozen_at is not None or vendor.status in (
        VendorStatus.APPROVED,
        VendorStatus.SUSPENDED,
    )


@transaction.atomic
def vendor_update(*, vendor: Vendor, actor, **fields) -> Vendor:
    """Change the vendor's profile and what the inventory records of it; its identity too while no review has
    vetted it. Audited, old and new."""
    vendor = _locked(vendor)
    editable = (*PROFILE_FIELDS, *INVENTORY_EDIT_FIELDS)
    allowed = editable if identity_locked(vendor) else (*IDENTITY_FIELDS, *editable)
    refused = set(fields) - set(allowed)
    if refused & set(IDENTITY_FIELDS):
        raise VendorError(
            _(
                "The credit code, legal names and category of a vendor under review or vetted are "
                "frozen; correct them with a reason through “Correct identity”."
            )
        )
    if refused:
        raise VendorError(
            _("These fields change only through the review workflow: %(fields)s.")
            % {"fields": ", ".join(field_label(Vendor, name) for name in sorted(refused))}
        )
    fields = _text(fields)
    if "uscc" in fields:
        check = check_uscc(fields["uscc"])
        fields["uscc"], fields["uscc_checksum_ok"] = check.code, check.checksum_ok
    changes = _apply(vendor, fields)
    if changes:
        _validated(vendor)
        vendor.save(update_fields=[*changes, "updated_at"])
        vendor_changed.send(
            sender=Vendor, vendor=vendor, actor=actor, action="updated", changes=changes, reason=""
        )
    return vendor


@transaction.atomic
def vendor_freeze_identity(*, vendor: Vendor, actor) -> Vendor:
    """The first review of the vendor opens: its identity is what will be vetted (called by reviews)."""
    vendor = _locked(vendor)
    if vendor.identity_frozen_at is None:
        vendor.identity_frozen_at = timezone.now()
        vendor.save(update_fields=["identity_frozen_at", "updated_at"])
        vendor_changed.send(
            sender=Vendor,
            vendor=vendor,
            actor=actor,
            action="identity_frozen",
            changes={"identity_frozen_at": [None, vendor.identity_frozen_at]},
            reason="",
        )
    return vendor


def is_legal(user) -> bool:
    """Legal suspends vendors and corrects their identity (docs/architecture.md "People")."""
    return bool(getattr(user, "is_active", False) and user.groups.filter(name=LEGAL_GROUP).exists())


@transaction.atomic
def vendor_correct_identity(
    *,
    vendor: Vendor,
    actor,
    reason: str,
    uscc: str | None = None,
    name_zh: str | None = None,
    name_en: str | None = None,
    category: str | None = None,
) -> Vendor:
    """Correct a frozen identity, by Legal, with a reason; audited with old and new values. When the credit
    code or a legal name changes, whatever was decided about the old identity goes (by reviews, on
    vendor_identity_corrected): an approval is suspended and the vendor vetted again in a new review, and a
    review under way returns its decided stages to the requester."""
    if not is_legal(actor):
        raise VendorError(_("Only Legal corrects the identity of a vendor."))
    reason = clean_text(reason, error=VendorError, multiline=True)
    if not reason:
        raise VendorError(
            _("Give the reason for the correction (for example, the business licence shows another name).")
        )
    given = {"uscc": uscc, "name_zh": name_zh, "name_en": name_en, "category": category}
    fields = _text({name: value for name, value in given.items() if value is not None})
    if "uscc" in fields:
        check = check_uscc(fields["uscc"])
        fields["uscc"], fields["uscc_checksum_ok"] = check.code, check.checksum_ok
    vendor_identity_correcting.send(sender=Vendor, vendor=vendor)
    vendor = _locked(vendor)
    changes = _apply(vendor, fields)
    changes.pop("uscc_checksum_ok", None)
    if not changes:
        raise VendorError(_("Nothing differs from the vendor's current identity; nothing was corrected."))
    _validated(vendor)
    vendor.save(update_fields=[*changes, "uscc_checksum_ok", "updated_at"])
    vendor_changed.send(
        sender=Vendor, vendor=vendor, actor=actor, action="identity_corrected", changes=changes, reason=reason
    )
    if set(changes) & set(LEGAL_IDENTITY_FIELDS):
        suspended = vendor.status == VendorStatus.APPROVED
        if suspended:
            vendor = vendor_suspend(
                vendor=vendor, actor=actor, reason=_("Identity corrected: %(reason)s") % {"reason": reason}
            )
        vendor_identity_corrected.send(
            sender=Vendor,
            vendor=vendor,
            actor=actor,
            changes=changes,
            reason=reason,
            approval_suspended=suspended,
        )
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


def _nearest_cert_expiry(today: date) -> Subquery:
    """The earliest expiry among the certificates of the vendor in hand (OuterRef) that still count on `today`:
    not withdrawn, not expired. A certificate set aside in a later round still counts, as it did when the list
    computed this on every read."""
    return Subquery(
        Certification.objects.filter(vendor=OuterRef("pk"), withdrawn_at__isnull=True, expires_on__gte=today)
        .order_by("expires_on")
        .values("expires_on")[:1]
    )


def vendor_refresh_cert_expiry(*, vendor: Vendor, today: date | None = None) -> Vendor:
    """Recompute Vendor.nearest_cert_expiry, inside the transaction that changed a certificate or the approval.
    The vendor's row is locked first, so that two certificates added at once are both seen by the second."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _locked(vendor)
        Vendor.objects.filter(pk=vendor.pk).update(nearest_cert_expiry=_nearest_cert_expiry(today))
        vendor.nearest_cert_expiry = (
            Vendor.objects.filter(pk=vendor.pk).values_list("nearest_cert_expiry", flat=True).get()
        )
    return vendor


def vendors_refresh_cert_expiry(*, today: date | None = None, vendors: QuerySet | None = None) -> int:
    """Vendors whose nearest certificate expiry has passed get the next one, or none. Run hourly with the
    lapse of approvals (vendors.tasks); until then the list shows the date that passed. `vendors` recomputes
    every vendor of a queryset instead (rows loaded in bulk, bench/scale.py)."""
    today = today or timezone.localdate()
    if vendors is None:
        vendors = Vendor.objects.filter(nearest_cert_expiry__lt=today)
    return vendors.update(nearest_cert_expiry=_nearest_cert_expiry(today))


@transaction.atomic
def vendor_admit(
    *,
    vendor: Vendor,
    admission: Admission,
    valid_until: date,
    reference: str,
    risk_tier: str,
    actor,
    scope: Scope | None = None,
    scope_confirmed: bool = True,
) -> Vendor:
    if admission.vendor_id != vendor.pk:
        raise VendorError(_("This review is for another vendor."))
    problems = admission.admission_problems()
    if problems:
        raise VendorError(" ".join(problems))
    if valid_until < timezone.localdate():
        raise VendorError(_("The approval would already have expired."))
    vendor = vendor_refresh_cert_expiry(vendor=_locked(vendor))
    return _set_status(
        vendor,
        VendorStatus.APPROVED,
        actor=actor,
        reason="",
        approved_until=valid_until,
        approval_reference=reference,
        risk_tier=risk_tier,
        stop_using=False,
        approved_scope=(scope or Scope()).as_json(),
        scope_confirmed=scope_confirmed,
    )


@transaction.atomic
def vendor_widen_scope(*, vendor: Vendor, reference: str, scope: Scope) -> Vendor:
    """The approval in force now covers `scope` too (an approved extension). Only for the approval named by
    `reference`: an extension of an approval since replaced or lapsed changes nothing. A scope still waiting
    for Legal's confirmation is not widened (activities.extensions refuses the request before). The caller
    records the change in the audit log."""
    vendor = _locked(vendor)
    if vendor.status != VendorStatus.APPROVED or vendor.approval_reference != reference:
        raise VendorError(_("The approval this extension was asked for is no longer the vendor's approval."))
    if not vendor.scope_confirmed:
        raise VendorError(
            _("Legal has not confirmed this approval's scope yet; it cannot be widened before.")
        )
    vendor.approved_scope = Scope.from_json(vendor.approved_scope).widened_by(scope).as_json()
    vendor.save(update_fields=["approved_scope", "updated_at"])
    return vendor


@transaction.atomic
def vendor_set_scope(*, vendor: Vendor, reference: str, scope: Scope, confirmed: bool = True) -> Vendor:
    """Legal confirms (and may narrow) the scope of an approval whose scope was derived from its answers.
    `confirmed=False` records a derived scope instead (reviews.approval_scope.demo_mark_scope_derived)."""
    vendor = _locked(vendor)
    if vendor.approval_reference != reference:
        raise VendorError(_("The approval this extension was asked for is no longer the vendor's approval."))
    vendor.approved_scope = scope.as_json()
    vendor.scope_confirmed = confirmed
    vendor.save(update_fields=["approved_scope", "scope_confirmed", "updated_at"])
    return vendor


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
    reason = clean_text(reason, error=VendorError, multiline=True)
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
            if (
                vendor.status != VendorStatus.APPROVED
                or vendor.approved_until is None
                or vendor.approved_until >= today
            ):
                continue
            _set_status(vendor, VendorStatus.SUSPENDED, actor=None, reason=_("The approval lapsed."))
        count += 1
    return count


def certification_add(
    *,
    vendor: Vendor,
    upload,
    actor,
    kind: str,
    number: str,
    issuer: str,
    scope: str,
    issued_on: date,
    expires_on: date | None,
    edition: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    bridge_letter: bool = False,
    stored: StoredFile | None = None,
) -> Certification:
    """Record a certificate with its file. A void certificate (vendors.cert_rules) is refused before its
    file is stored, with the rule and the date it lapsed. `stored`: a file already checked and stored (one
    given with a questionnaire answer), recorded as this certificate's file instead of a second upload."""
    number, issuer = clean_text(number, error=VendorError), clean_text(issuer, error=VendorError)
    scope = clean_text(scope, error=VendorError, multiline=True)
    cert = Certification(
        vendor=vendor,
        kind=kind,
        number=number,
        issuer=issuer,
        scope=scope,
        issued_on=issued_on,
        expires_on=expires_on,
        edition=edition or "",
        period_start=period_start,
        period_end=period_end,
        bridge_letter=bool(bridge_letter),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    problems = cert_rules.assess(cert, today=timezone.localdate()).problems
    if problems:
        raise VendorError(" ".join(problems))
    stored = stored or store_upload(upload, folder="certificates")
    for column, value in stored.columns().items():
        setattr(cert, column, value)
    with transaction.atomic():
        cert.save()
        vendor_refresh_cert_expiry(vendor=vendor)
        certification_changed.send(sender=Certification, certification=cert, action="added", actor=actor)
    return cert


def certification_withdraw(*, certification: Certification, actor) -> Certification:
    if certification.frozen:
        raise VendorError(_("This certificate was submitted for review and can no longer be removed."))
    with transaction.atomic():
        certification.withdrawn_at = timezone.now()
        certification.save(update_fields=["withdrawn_at"])
        vendor_refresh_cert_expiry(vendor=certification.vendor)
        certification_changed.send(
            sender=Certification, certification=certification, action="withdrawn", actor=actor
        )
    return certification


def certifications_freeze(*, certification_ids) -> None:
    Certification.objects.filter(pk__in=list(certification_ids)).update(frozen=True)
