"""Legal confirms the scope of an approval signed before scopes existed (docs/domain.md "Use").

The migration that introduced scopes derived each running approval's scope from its answers
(reviews.scope_proposal) and marked it unconfirmed: the pages and the API say so, and the desk lists them,
until Legal confirms it here, as it is or narrowed. Confirming is a decision on the approval, so it follows
the sign-off's rules: Legal only, never the requester of the review (segregation of duties, I4), not with a
role given moments ago, and every refused attempt is recorded. The demo, which has no approval older than scopes,
makes one with demo_mark_scope_derived."""

from django.db import transaction
from django.utils.translation import gettext as _

from vendors import services as vendor_services
from vendors.models import Vendor
from vendors.scope import Scope

from .access import decider_check, decider_refusal
from .audit import audit_record
from .errors import WorkflowError
from .models import SignOff
from .roles import Role, has_role
from .scope_proposal import scope_proposed


def scope_confirm_refusal(user, sign_off: SignOff) -> str | None:
    """Why `user` may not confirm the scope of `sign_off`, or None when they may: what the page asks before
    it offers the form, and what the service checks again."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.LEGAL):
        return _("Only Legal confirms an approval's scope.")
    if sign_off.review.requester_id == user.pk:
        return _(
            "You requested this review, so you cannot confirm the scope of its approval (segregation of "
            "duties)."
        )
    if sign_off.scope_confirmed:
        return _("This scope was already confirmed.")
    return decider_refusal(user, Role.LEGAL)


def sign_off_confirm_scope(*, sign_off: SignOff, actor, scope: Scope) -> SignOff:
    try:
        return _confirm(sign_off=sign_off, actor=actor, scope=scope)
    except WorkflowError as error:
        # The confirmation's own transaction has rolled back: the refusal is recorded in one of its own.
        with transaction.atomic():
            audit_record(
                action="scope.confirm_refused",
                actor=actor if getattr(actor, "pk", None) else None,
                review=sign_off.review,
                obj=sign_off,
                data={"number": sign_off.number, "reason": error.message, "code": error.code},
            )
        raise


def _scope_set(sign_off: SignOff, scope: Scope, *, confirmed: bool) -> None:
    """On the locked approval: record `scope`, confirmed by Legal or derived from the answers, and give it to
    the vendor too while this is the vendor's approval in force."""
    vendor = Vendor.objects.get(pk=sign_off.review.vendor_id)
    if vendor.approval_reference == sign_off.number:
        try:
            vendor_services.vendor_set_scope(
                vendor=vendor, reference=sign_off.number, scope=scope, confirmed=confirmed
            )
        except vendor_services.VendorError as error:
            raise WorkflowError(str(error), code="state") from None
    sign_off.scope, sign_off.scope_confirmed = scope.as_json(), confirmed
    sign_off.save(update_fields=["scope", "scope_confirmed"])


def _confirm(*, sign_off: SignOff, actor, scope: Scope) -> SignOff:
    if not has_role(actor, Role.LEGAL):
        raise WorkflowError(_("Only Legal confirms an approval's scope."), code="forbidden")
    if sign_off.review.requester_id == actor.pk:
        raise WorkflowError(
            _(
                "You requested this review, so you cannot confirm the scope of its approval "
                "(segregation of duties)."
            ),
            code="forbidden",
        )
    refusal = decider_check(actor, Role.LEGAL)
    if refusal is not None:
        raise WorkflowError(refusal.message, code=refusal.code)
    if scope.is_empty:
        raise WorkflowError(
            _("Name at least one purpose, channel, data category or audience the approval covers."),
            code="scope",
        )
    with transaction.atomic():
        sign_off = SignOff.objects.select_for_update().select_related("review").get(pk=sign_off.pk)
        if sign_off.scope_confirmed:
            raise WorkflowError(_("This scope was already confirmed."), code="already_decided")
        old = sign_off.scope
        _scope_set(sign_off, scope, confirmed=True)
        audit_record(
            action="scope.confirmed",
            actor=actor,
            review=sign_off.review,
            obj=sign_off,
            data={"number": sign_off.number, "old": old, "new": sign_off.scope},
        )
    return sign_off


def demo_mark_scope_derived(*, sign_off: SignOff) -> SignOff:
    """Demo data only (reviews.demo): leave a fresh approval as the scopes migration (reviews migration 0021)
    leaves one signed before scopes existed, its scope derived from the answers and unconfirmed, so that the
    demo shows what Legal then confirms. Nothing else calls it: a real approval's scope is what Legal signed.
    Audited as `scope.derived` with `demo` in its data, so that the record says where it came from."""
    with transaction.atomic():
        sign_off = (
            SignOff.objects.select_for_update().select_related("review", "review__vendor").get(pk=sign_off.pk)
        )
        if not sign_off.scope_confirmed:
            raise WorkflowError(_("This scope is already waiting for Legal's confirmation."), code="state")
        _scope_set(sign_off, scope_proposed(sign_off.review), confirmed=False)
        audit_record(
            action="scope.derived",
            actor=None,
            review=sign_off.review,
            obj=sign_off,
            data={"number": sign_off.number, "scope": sign_off.scope, "demo": True},
        )
    return sign_off
