"""Scope extensions: one function per transition, as activities.services.

    requested ──(the data or exposure grows)──> awaiting_security ──Security passes──> awaiting_legal
              ──(otherwise)───────────────────> awaiting_legal
    awaiting_security ──Security refuses──> refused
    awaiting_legal ──Legal approves all or part──> approved (the vendor's scope widened by what was granted)
                   ──Legal refuses──> refused
    open ──withdraw──> withdrawn
What an extension must show comes from activities.extension_rules; its answers are held to the
questionnaire's rules (activities.extension_answers: a red flag refuses it, as it blocks a questionnaire, I3);
its documents are stored like evidence (vendors.files), frozen and never deleted (I7, activities.retention).
Nobody decides an extension they asked for (I4); two deciding at once record one decision (I8); a refused
decision attempt is audited, as reviews.workflow does. The approved extension is an addendum to the approval's
dossier, and only while that approval is still the vendor's (I1): an extension of an approval since replaced,
suspended or lapsed widens nothing."""

import functools
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.access import decider_refusal
from reviews.audit import audit_record
from reviews.models import EvidenceKind
from reviews.roles import Role, has_role
from vendors import services as vendor_services
from vendors.files import check_upload, store_upload
from vendors.models import Vendor, VendorStatus
from vendors.people import person_name
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope
from vendors.storage import private_storage
from vendors.templatetags.dates import ymd
from vendors.text import clean_text

from . import notify
from .extension_answers import (
    answers_checked,
    answers_reading,
    approved_review,
    red_flag_message,
    template_questions,
)
from .extension_rules import extension_needs
from .models import OPEN_EXTENSION_STATES, ExtensionFile, ExtensionStatus, ScopeExtension
from .services import ActivityError, next_in_year, state_refusal, withdraw_locked


def _audit(extension: ScopeExtension, action: str, actor, **data) -> None:
    audit_record(
        action=action,
        actor=actor,
        obj=extension,
        vendor=extension.vendor,
        data={"number": extension.number, **data},
    )


def _locked(extension: ScopeExtension) -> ScopeExtension:
    return ScopeExtension.objects.select_for_update().select_related("vendor").get(pk=extension.pk)


def approval_problem(*, vendor: Vendor, reference: str, today: date) -> str | None:
    """Why the approval `reference` can no longer be widened, or None while it is the vendor's approval in
    force: replaced by a renewal, suspended, or past its end (the daily lapse may not have run yet)."""
    if vendor.approval_reference and vendor.approval_reference != reference:
        return _(
            "The approval %(reference)s this extension widens has been replaced by %(current)s: it can no "
            "longer be widened. Refuse this extension; the requester asks again for the approval in force."
        ) % {"reference": reference, "current": vendor.approval_reference}
    if vendor.status != VendorStatus.APPROVED:
        return _(
            "The approval %(reference)s this extension widens is no longer in force: the vendor is "
            "%(status)s. Refuse this extension; the vendor needs a new review."
        ) % {"reference": reference, "status": vendor.get_status_display()}
    if vendor.approved_until is None or vendor.approved_until < today:
        return _(
            "The approval %(reference)s this extension widens lapsed on %(date)s. Refuse this extension; "
            "the vendor needs a new review."
        ) % {"reference": reference, "date": ymd(vendor.approved_until)}
    return None


def _next_number(now) -> str:
    return next_in_year(ScopeExtension, "number", f"EXT-{now:%Y}-")


def _files_checked(files: dict, needed: tuple[str, ...]) -> dict:
    """The uploads of the needed documents, each checked before any is stored: a refused file names its
    document, and nothing of the request is kept."""
    missing = [kind for kind in needed if not files.get(kind)]
    if missing:
        raise ActivityError(
            _("Upload the documents this extension needs: %(documents)s.")
            % {"documents": "; ".join(str(EvidenceKind(k).label) for k in missing)},
            field="files",
        )
    uploads = {kind: files[kind] for kind in needed}
    for kind, upload in uploads.items():
        try:
            check_upload(upload)
        except ValidationError as error:
            raise ActivityError(
                _("%(document)s: %(problem)s")
                % {"document": EvidenceKind(kind).label, "problem": " ".join(error.messages)},
                field="files",
            ) from None
    return uploads


def extension_request(
    *,
    vendor: Vendor,
    requester,
    additions: Scope,
    reason: str,
    answers: dict | None = None,
    files: dict | None = None,
) -> ScopeExtension:
    """Ask to widen `vendor`'s approved scope by `additions` (only what it does not cover yet). `answers`
    gives the questions the addition needs again ({code: {"value", "detail"}}); `files` the documents
    ({evidence kind: upload}). Everything needed must be there and pass the questionnaire's rules: nothing is
    kept from a refused request, not even a file."""
    if not has_role(requester, Role.REQUESTER):
        raise ActivityError(_("Only marketing requesters ask for scope extensions."), code="forbidden")
    reason = clean_text(reason or "", error=ActivityError, multiline=True)
    if not reason:
        raise ActivityError(_("Say why the vendor is needed for this."), field="reason")
    now = timezone.now()
    if vendor.status != VendorStatus.APPROVED or not vendor.approval_reference:
        raise ActivityError(
            _("Only an approved vendor's scope can be extended; this one needs a review."), code="state"
        )
    if vendor.approved_until is None or vendor.approved_until < timezone.localdate(now):
        raise ActivityError(
            _(
                "The vendor's approval lapsed on %(date)s: its scope can no longer be extended; it "
                "needs a new review."
            )
            % {"date": ymd(vendor.approved_until)},
            code="state",
        )
    if not vendor.scope_confirmed:
        # Confirming a derived scope replaces it (reviews.approval_scope): an extension granted before would be
        # lost, so the scope is settled first.
        raise ActivityError(
            _(
                "Legal has not confirmed this approval's scope yet: ask Legal to confirm it on the "
                "approval first, then extend it."
            ),
            code="state",
        )
    additions = vendor.scope.beyond(additions)
    if additions.is_empty and not additions.cross_border and not additions.ceiling:
        raise ActivityError(
            _("The approval already covers all of this: nothing to extend."), field="additions"
        )
    needs = extension_needs(additions)
    review = approved_review(vendor.approval_reference)
    questions = template_questions(review)
    answers = answers_checked(
        questions={q.code: q for q in questions}, needed=needs.questions, answers=answers
    )
    uploads = _files_checked(files or {}, needs.documents)
    flags = answers_reading(
        review=review, questions=questions, answers=answers, file_kinds=set(uploads), category=vendor.category
    ).red_flags
    if flags:
        raise ActivityError(red_flag_message(flags), code="red_flag", field="answers")
    stored = {}
    try:
        for kind, upload in uploads.items():
            stored[kind] = store_upload(upload, folder="extensions")
        extension = _record(
            vendor=vendor,
            requester=requester,
            additions=additions,
            reason=reason,
            answers=answers,
            needs=needs,
            stored=stored,
            now=now,
        )
    except BaseException:
        # Never on record: the stored files would be orphans nobody can reach (vendors.files).
        for file in stored.values():
            private_storage().delete(file.name)
        raise
    return extension


def _record(*, vendor, requester, additions, reason, answers, needs, stored, now) -> ScopeExtension:
    for attempt in range(3):
        try:
            with transaction.atomic():
                extension = ScopeExtension.objects.create(
                    number=_next_number(now),
                    vendor=vendor,
                    approval_reference=vendor.approval_reference,
                    requester=requester,
                    additions=additions.as_json(),
                    reason=reason,
                    answers=answers,
                    needs_security=needs.security,
                    status=ExtensionStatus.AWAITING_SECURITY
                    if needs.security
                    else ExtensionStatus.AWAITING_LEGAL,
                    created_at=now,
                )
                for kind, file in stored.items():
                    ExtensionFile.objects.create(
                        extension=extension,
                        kind=kind,
                        uploaded_by=requester,
                        uploaded_at=now,
                        **file.columns(),
                    )
                _audit(
                    extension,
                    "extension.requested",
                    requester,
                    additions=extension.additions,
                    needs=list(needs.rules),
                    security=needs.security,
                    answers=answers,
                    files={kind: file.sha256 for kind, file in stored.items()},
                )
                notify.extension_submitted(extension)
            return extension
        except IntegrityError:
            # Two first extensions of a year took the same number (no row to lock yet): take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# -- decisions --------------------------------------------------------------------------------------------


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
        "status": extension.get_status_display()
    }


def _refusals_audited(attempted: str):
    """A refused decision attempt (I4, I8, a missing comment, an approval no longer in force) is recorded in
    a transaction of its own, since the decision's has rolled back; then the error goes on to the caller."""

    def wrap(service):
        @functools.wraps(service)
        def run(*, extension: ScopeExtension, actor, **kwargs):
            try:
                return service(extension=extension, actor=actor, **kwargs)
            except ActivityError as error:
                with transaction.atomic():
                    _audit(
                        extension,
                        "extension.decision_refused",
                        actor if getattr(actor, "is_authenticated", False) else None,
                        reason=error.message,
                        code=error.code,
                        attempted=attempted,
                    )
                raise

        return run

    return wrap


def _decided_already(extension: ScopeExtension, expected: str) -> None:
    """On the locked row: refuse unless it still waits for this step. The second of two deciding at once
    queues on the lock and is told who decided first (I8)."""
    if extension.status == expected:
        return
    if extension.status == ExtensionStatus.WITHDRAWN:
        raise ActivityError(
            _("The requester withdrew this extension; your decision was not recorded."), code="state"
        )
    if expected == ExtensionStatus.AWAITING_SECURITY and extension.security_decided_by_id:
        who, when = extension.security_decided_by, extension.security_decided_at
    else:
        who, when = extension.decided_by, extension.decided_at
    if who is not None:
        raise ActivityError(
            _(
                "%(user)s already decided this extension at %(time)s (it is now %(status)s); your "
                "decision was not recorded."
            )
            % {
                "user": person_name(who),
                "status": extension.get_status_display(),
                "time": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
            },
            code="already_decided",
        )
    raise state_refusal(extension, _("The extension is %(status)s: there is nothing to decide."))


@_refusals_audited("security")
def extension_security_decide(
    *, extension: ScopeExtension, actor, approve: bool, comment: str
) -> ScopeExtension:
    """Security passes the extension on to Legal, or refuses it (with a comment)."""
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
        extension.save(
            update_fields=[
                "status",
                "security_decided_by",
                "security_decided_at",
                "security_comment",
                "updated_at",
            ]
        )
        _audit(
            extension,
            "extension.security_passed" if approve else "extension.security_refused",
            actor,
            comment=comment,
        )
        if approve:
            notify.extension_submitted(extension)
        else:
            notify.extension_decided(extension)
    return extension


@_refusals_audited("legal")
def extension_legal_decide(
    *, extension: ScopeExtension, actor, approve: bool, comment: str, granted: Scope | None = None
) -> ScopeExtension:
    """Legal approves (all of it, or `granted`, a part of what was asked) or refuses, with a reason. An
    approval widens the vendor's scope at once by exactly what was granted, and only while the approval it
    extends is still the vendor's approval in force (I1); the extension then records what it added."""
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
        data = {}
        if approve:
            granted = asked if granted is None else _within(asked, granted)
            # The vendor's row is locked before it is read: a renewal or a suspension committing meanwhile
            # is seen, and vendor_widen_scope checks the reference again under the same lock.
            vendor = Vendor.objects.select_for_update().get(pk=extension.vendor_id)
            problem = approval_problem(
                vendor=vendor, reference=extension.approval_reference, today=timezone.localdate()
            )
            if problem is not None:
                raise ActivityError(problem, code="approval_gone")
            try:
                vendor_services.vendor_widen_scope(
                    vendor=vendor, reference=extension.approval_reference, scope=granted
                )
            except vendor_services.VendorError as error:
                raise ActivityError(str(error), code="approval_gone") from None
            data = {"asked": asked.as_json(), "granted": granted.as_json(), "partial": granted != asked}
            extension.additions = granted.as_json()
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by, extension.decided_at, extension.decision_comment = (
            actor,
            timezone.now(),
            comment,
        )
        extension.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_comment",
                "additions",
                "updated_at",
            ]
        )
        _audit(
            extension,
            "extension.approved" if approve else "extension.refused",
            actor,
            comment=comment,
            **data,
        )
        notify.extension_decided(extension)
    return extension


def _not_asked(asked: Scope, granted: Scope) -> list[str]:
    """The labels of what `granted` holds that was not asked."""
    extra = [str(Purpose(p).label) for p in granted.purposes if p not in asked.purposes]
    extra += [str(Channel(c).label) for c in granted.channels if c not in asked.channels]
    extra += [str(DataCategory(d).label) for d in granted.data_categories if d not in asked.data_categories]
    extra += [
        str(AudienceSource(a).label) for a in granted.audience_sources if a not in asked.audience_sources
    ]
    if granted.cross_border and not asked.cross_border:
        extra.append(_("Data leaving China"))
    if granted.ceiling and granted.ceiling != asked.ceiling:
        extra.append(str(Ceiling(granted.ceiling).label))
    return extra


def _within(asked: Scope, granted: Scope) -> Scope:
    """What Legal grants: a part of what was asked, never more, never nothing (that is a refusal). The
    conditions Legal attaches to it come with it."""
    extra = _not_asked(asked, granted)
    if extra:
        raise ActivityError(
            _("Only what was asked can be granted; this was not asked: %(items)s.")
            % {"items": ", ".join(extra)},
            field="granted",
        )
    if granted.is_empty and not granted.cross_border and not granted.ceiling:
        raise ActivityError(
            _("Grant at least one of the additions asked for, or refuse the extension."), field="granted"
        )
    return granted


def extension_withdraw(*, extension: ScopeExtension, actor) -> ScopeExtension:
    if extension.requester_id != getattr(actor, "pk", None):
        raise ActivityError(_("Only the requester can withdraw the extension."), code="forbidden")
    with transaction.atomic():
        extension = _locked(extension)
        withdraw_locked(
            extension,
            withdrawable=OPEN_EXTENSION_STATES,
            withdrawn=ExtensionStatus.WITHDRAWN,
            refusal=_("The extension is %(status)s and cannot be withdrawn."),
        )
        _audit(extension, "extension.withdrawn", actor)
    return extension
