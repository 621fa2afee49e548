"""A new review after Legal corrects a vetted vendor's credit code or legal name (vendors.services.
vendor_correct_identity): the approval was given to the identity as it was, so the vendor is vetted again."""

from django.db import transaction
from django.utils.translation import gettext as _

from vendors.models import Vendor

from . import workflow
from .audit import audit_record
from .models import Review, ReviewState
from .roles import Role, roles_of


def review_open_after_correction(*, vendor: Vendor, actor, reason: str) -> Review | None:
    """Open the new review in the name of the vendor's last requester, who answers for the vendor; Legal is
    named as the one who caused it. Nothing is opened when a review is already under way (it goes on with the
    corrected identity) or when nobody can request it; the audit log says which."""
    with transaction.atomic():
        open_review = vendor.reviews.filter(state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS]).first()
        last = vendor.reviews.select_related("requester").order_by("-created_at", "-pk").first()
        if open_review is not None or last is None or Role.REQUESTER not in roles_of(last.requester) \
                or not last.requester.is_active:
            why = (_("review %(number)s is already under way") % {"number": open_review.number} if open_review
                   else _("no requester can be named; a requester must open it"))
            audit_record(action="review.not_reopened", obj=vendor, vendor=vendor, actor=actor,
                         data={"reason": reason, "why": why})
            return None
        review = workflow.review_create(
            requester=last.requester, vendor=vendor,
            purpose=_("Vetted again: Legal corrected the vendor's identity (%(reason)s). Earlier purpose: "
                      "%(purpose)s") % {"reason": reason, "purpose": last.purpose},
            expected_volume=last.expected_volume, personal_data=last.personal_data, language=last.language)
        audit_record(action="review.opened_after_correction", actor=actor, review=review, obj=review,
                     data={"reason": reason, "requester": last.requester.get_username()})
    return review
