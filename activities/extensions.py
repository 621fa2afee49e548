"""Scope extensions: one function per transition, as activities.services.

    requested ──(the data or exposure grows)──> awaiting_security ──Security passes──> awaiting_legal
              ──(otherwise)───────────────────> awaiting_legal
    awaiting_security ──Security refuses──> refused
    awaiting_legal ──Legal approves──> approved (the vendor's scope widened) | refused
    open ──withdraw──> withdrawn
What an extension must show comes from activities.extension_rules; its documents are stored like evidence
(vendors.files) and never deleted (I7). The approved extension is an addendum to the approval's dossier."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.access import decider_refusal
from reviews.audit import audit_record
from reviews.models import EvidenceKind
from reviews.roles import Role, has_role
from vendors import services as vendor_services
from vendors.files import store_upload
from vendors.models import Vendor, VendorStatus
from vendors.scope import Scope
from vendors.text import clean_text

from . import notify
from .extension_rules import extension_needs
from .models import OPEN_EXTENSION_STATES, ExtensionFile, ExtensionStatus, ScopeExtension
from .services import ActivityError


def _audit(extension: ScopeExtension, action: str, actor, **data) -> None:
    audit_record(action=action, actor=actor, obj=extension, vendor=extension.vendor,
                 data={"number": extension.number, **data})


def _locked(extension: ScopeExtension) -> ScopeExtension:
    return ScopeExtension.objects.select_for_update().select_related("vendor").get(pk=extension.pk)


def extension_request(*, vendor: Vendor, requester, additions: Scope, reason: str, answers: dict | None = None,
                      files: dict | None = None) -> ScopeExtension:
    """Ask to widen `vendor`'s approved scope by `additions` (only what it does not cover yet). `answers`
    gives the questions the addition needs again ({code: {"value", "detail"}}); `files` the documents
    ({evidence kind: upload}). Everything needed must be there: nothing is kept from a refused request."""
    if not has_role(requester, Role.REQUESTER):
        raise ActivityError(_("Only marketing requesters ask for scope extensions."), code="forbidden")
    reason = clean_text(reason or "", error=ActivityError, multiline=True)
    if not reason:
        raise ActivityError(_("Say why the vendor is needed for this."), field="reason")
    if vendor.status != VendorStatus.APPROVED or not vendor.approval_reference:
        raise ActivityError(_("Only an approved vendor's scope can be extended; this one needs a review."),
                            code="state")
    additions = vendor.scope.beyond(additions)
    if additions.is_empty and not additions.cross_border and not additions.ceiling:
        raise ActivityError(_("The approval already covers all of this: nothing to extend."), field="additions")
    needs = extension_needs(additions)
    answers = {code: answers[code] for code in needs.questions if code in (answers or {})}
    missing = [code for code in needs.questions if not (answers.get(code) or {}).get("value")]
    if missing:
        raise ActivityError(_("Answer the questions this extension needs: %(codes)s.")
                            % {"codes": ", ".join(missing)}, field="answers")
    files = files or {}
    missing_files = [kind for kind in needs.documents if kind not in files]
    if missing_files:
        raise ActivityError(_("Upload the documents this extension needs: %(documents)s.")
                            % {"documents": "; ".join(str(EvidenceKind(k).label) for k in missing_files)},
                            field="files")
    # Store (and so check) every file before anything is written: a refused file leaves no extension behind.
    stored = {kind: store_upload(upload, folder="extensions") for kind, upload in files.items()
              if kind in needs.documents}
    now = timezone.now()
    with transaction.atomic():
        prefix = f"EXT-{now:%Y}-"
        last = (ScopeExtension.objects.select_for_update().filter(number__startswith=prefix)
                .order_by("-number").values_list("number", flat=True).first())
        number = f"{prefix}{(int(last.rsplit('-', 1)[1]) + 1) if last else 1:05d}"
        extension = ScopeExtension.objects.create(
            number=number, vendor=vendor, approval_reference=vendor.approval_reference, requester=requester,
            additions=additions.as_json(), reason=reason, answers=answers, needs_security=needs.security,
            status=ExtensionStatus.AWAITING_SECURITY if needs.security else ExtensionStatus.AWAITING_LEGAL,
            created_at=now,
        )
        for kind, file in stored.items():
            ExtensionFile.objects.create(extension=extension, kind=kind, file=file.name,
                                         original_name=file.original_name, size=file.size,
                                         content_type=file.content_type, sha256=file.sha256,
                                         uploaded_by=requester, uploaded_at=now)
        _audit(extension, "extension.requested", requester, additions=extension.additions,
               needs=list(needs.rules), security=needs.security,
               files={kind: file.sha256 for kind, file in stored.items()})
        notify.extension_submitted(extension)
    return extension


def _refusal(user, extension: ScopeExtension, role: Role) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return _("Sign in first.")
    if extension.requester_id == user.pk:
        return _("You asked for this extension, so you cannot decide it (segregation of duties).")
    if not has_role(user, role):
        return _("Only %(role)s decides this step.") % {"role": role.label}
    return decider_refusal(user, role)


def extension_decide_refusal(user, extension: ScopeExtension) -> str | None:
    """Why `user` may not take the step `extension` waits for, or None."""
    if extension.status == ExtensionStatus.AWAITING_SECURITY:
        return _refusal(user, extension, Role.SECURITY)
    if extension.status == ExtensionStatus.AWAITING_LEGAL:
        return _refusal(user, extension, Role.LEGAL)
    return _("The extension is %(status)s: there is nothing to decide.") % {
        "status": extension.get_status_display()}


def _decided_already(extension: ScopeExtension, expected: str) -> None:
    if extension.status != expected:
        raise ActivityError(_("The extension is %(status)s now; your decision was not recorded.")
                            % {"status": extension.get_status_display()}, code="already_decided")


def extension_security_decide(*, extension: ScopeExtension, actor, approve: bool, comment: str) -> ScopeExtension:
    comment = clean_text(comment or "", error=ActivityError, multiline=True)
    refusal = _refusal(actor, extension, Role.SECURITY)
    if refusal is not None:
        raise ActivityError(refusal, code="forbidden")
    if not approve and not comment:
        raise ActivityError(_("Say why the extension is refused."), field="comment")
    with transaction.atomic():
        extension = _locked(extension)
        _decided_already(extension, ExtensionStatus.AWAITING_SECURITY)
        extension.status = ExtensionStatus.AWAITING_LEGAL if approve else ExtensionStatus.REFUSED
        extension.security_decided_by, extension.security_decided_at = actor, timezone.now()
        extension.security_comment = comment
        extension.save(update_fields=["status", "security_decided_by", "security_decided_at", "security_comment",
                                      "updated_at"])
        _audit(extension, "extension.security_passed" if approve else "extension.security_refused", actor,
               comment=comment)
        if approve:
            notify.extension_submitted(extension)
        else:
            notify.extension_decided(extension)
    return extension


def extension_legal_decide(*, extension: ScopeExtension, actor, approve: bool, comment: str,
                           granted: Scope | None = None) -> ScopeExtension:
    """Legal approves (all of it, or `granted`, a part of what was asked) or refuses. An approval widens the
    vendor's scope at once, only while the approval it extends is still the vendor's (I1)."""
    comment = clean_text(comment or "", error=ActivityError, multiline=True)
    refusal = _refusal(actor, extension, Role.LEGAL)
    if refusal is not None:
        raise ActivityError(refusal, code="forbidden")
    if not comment:
        raise ActivityError(_("Give the reason for your decision."), field="comment")
    with transaction.atomic():
        extension = _locked(extension)
        _decided_already(extension, ExtensionStatus.AWAITING_LEGAL)
        asked = Scope.from_json(extension.additions)
        if approve:
            granted = asked if granted is None else _within(asked, granted)
            vendor = Vendor.objects.get(pk=extension.vendor_id)
            try:
                vendor_services.vendor_widen_scope(vendor=vendor, reference=extension.approval_reference,
                                                   scope=granted)
            except vendor_services.VendorError as error:
                raise ActivityError(str(error), code="state") from None
            extension.additions = granted.as_json()
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by, extension.decided_at, extension.decision_comment = actor, timezone.now(), comment
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "additions",
                                      "updated_at"])
        _audit(extension, "extension.approved" if approve else "extension.refused", actor, comment=comment,
               granted=extension.additions if approve else None)
        notify.extension_decided(extension)
    return extension


def _within(asked: Scope, granted: Scope) -> Scope:
    """What Legal grants, never more than was asked."""
    return Scope.build(
        purposes=[p for p in granted.purposes if p in asked.purposes],
        channels=[c for c in granted.channels if c in asked.channels],
        data_categories=[d for d in granted.data_categories if d in asked.data_categories],
        audience_sources=[a for a in granted.audience_sources if a in asked.audience_sources],
        cross_border=granted.cross_border and asked.cross_border,
        ceiling=granted.ceiling if granted.ceiling == asked.ceiling else "",
        conditions=granted.conditions, other_conditions=granted.other_conditions,
    )


def extension_withdraw(*, extension: ScopeExtension, actor) -> ScopeExtension:
    if extension.requester_id != getattr(actor, "pk", None):
        raise ActivityError(_("Only the requester can withdraw the extension."), code="forbidden")
    with transaction.atomic():
        extension = _locked(extension)
        if extension.status not in OPEN_EXTENSION_STATES:
            raise ActivityError(_("The extension is %(status)s and cannot be withdrawn.")
                                % {"status": extension.get_status_display()}, code="state")
        extension.status = ExtensionStatus.WITHDRAWN
        extension.save(update_fields=["status", "updated_at"])
        _audit(extension, "extension.withdrawn", actor)
    return extension
