"""Legal confirms the scope of an approval signed before scopes existed (docs/domain.md "Use").

The migration that introduced scopes derived each running approval's scope from its answers
(reviews.scope_proposal) and marked it unconfirmed: the pages and the API say so, and the desk lists them,
until Legal confirms it here, as it is or narrowed."""

from django.db import transaction
from django.utils.translation import gettext as _

from vendors import services as vendor_services
from vendors.models import Vendor
from vendors.scope import Scope

from .audit import audit_record
from .errors import WorkflowError
from .models import SignOff
from .roles import Role, has_role


def sign_off_confirm_scope(*, sign_off: SignOff, actor, scope: Scope) -> SignOff:
    if not has_role(actor, Role.LEGAL):
        raise WorkflowError(_("Only Legal confirms an approval's scope."), code="forbidden")
    if scope.is_empty:
        raise WorkflowError(_("Name at least one purpose, channel, data category or audience the approval "
                              "covers."), code="scope")
    with transaction.atomic():
        sign_off = SignOff.objects.select_for_update().select_related("review").get(pk=sign_off.pk)
        if sign_off.scope_confirmed:
            raise WorkflowError(_("This scope was already confirmed."), code="already_decided")
        vendor = Vendor.objects.get(pk=sign_off.review.vendor_id)
        if vendor.approval_reference == sign_off.number:
            try:
                vendor_services.vendor_set_scope(vendor=vendor, reference=sign_off.number, scope=scope)
            except vendor_services.VendorError as error:
                raise WorkflowError(str(error), code="state") from None
        old = sign_off.scope
        sign_off.scope, sign_off.scope_confirmed = scope.as_json(), True
        sign_off.save(update_fields=["scope", "scope_confirmed"])
        audit_record(action="scope.confirmed", actor=actor, review=sign_off.review, obj=sign_off,
                     data={"number": sign_off.number, "old": old, "new": sign_off.scope})
    return sign_off
