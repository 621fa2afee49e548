"""What a correction of a vendor's credit code or legal name invalidates (vendors.services.
vendor_correct_identity, docs/architecture.md "The request path").

The decisions and the approval were about the identity as it was: about another company, or a name not on
its licence. So:

- a review under way returns every decided stage to its requester (review_return_after_correction), and a
  sign-off that was about to be given is refused;
- an approved vendor, whose approval vendors suspends, is vetted again in a new review
  (review_open_after_correction).

A correction and a sign-off of the same vendor take the same locks in the same order, the review before the
vendor (review_lock_for_correction runs before vendors locks the vendor; the sign-off locks the review, then
the stage, then the vendor in vendor_admit), so whichever comes first, the other waits for it and then sees
what it did: a sign-off after the correction finds its stages returned and is refused; a correction after
the sign-off suspends the approval it finds and opens a new review. Never an approval of the corrected
company on decisions about the old one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors.models import Vendor

from . import workflow
from .audit import audit_record
from .current_stage import review_refresh_current_stage
from .models import (
    REQUEST_FILLED_QUESTION,
    Answer,
    AuditEvent,
    Review,
    ReviewState,
    Stage,
    StageKind,
    StageState,
)
from .notifications import notify
from .roles import Role, roles_of

OPEN_STATES = (ReviewState.DRAFT, ReviewState.IN_PROGRESS)
RETURNED_ACTION = "review.returned_after_correction"


def review_lock_for_correction(*, vendor: Vendor) -> None:
    """Lock the vendor's review under way before the correction locks the vendor: the workflow's order
    (review, stage, vendor), so that a correction and a sign-off queue instead of deadlocking. A review that
    a sign-off approves while this waits no longer matches, and is not locked."""
    list(Review.objects.select_for_update().filter(vendor=vendor, state__in=OPEN_STATES).values_list("pk"))


def review_return_after_correction(*, review: Review, actor, reason: str, changes: dict) -> list[str]:
    """Return to the requester every stage of `review` decided about the identity before the correction, and
    what came after it: the first passed stage is returned (a new round, everything it held reopened and still
    counted, as after any return), each later stage is locked again until the one before it passes, the
    submitted ones in a new round. The stages decided nothing about are left as they are. Inside the
    correction's transaction, the review already locked (review_lock_for_correction). Returns the kinds of
    the stages returned or locked again."""
    with transaction.atomic():
        stages = list(Stage.objects.select_for_update().filter(review=review).order_by("order"))
        first = next((stage for stage in stages if stage.state == StageState.PASSED), None)
        now = timezone.now()
        touched = []
        if first is not None:
            for stage in stages[stages.index(first) :]:
                fields = ["state"]
                if stage is first:
                    stage.state, stage.decided_at, stage.round = StageState.RETURNED, now, stage.round + 1
                    fields += ["decided_at", "round"]
                elif stage.state == StageState.LOCKED:
                    continue
                else:
                    # What was decided or submitted in this round is kept as it is: a new round takes new versions.
                    # The sign-off has no content of its own, and no decision in its round yet.
                    if (
                        stage.state in (StageState.PASSED, StageState.SUBMITTED)
                        and stage.kind != StageKind.SIGN_OFF
                    ):
                        stage.round += 1
                        fields.append("round")
                    stage.state = StageState.LOCKED
                stage.save(update_fields=fields)
                touched.append(stage.kind)
        if "uscc" in changes:
            # A1 is the credit code itself, filled from the request; it follows the correction while the
            # questionnaire is open to changes, and stays as submitted otherwise (I6).
            questionnaire = next(stage for stage in stages if stage.kind == StageKind.QUESTIONNAIRE)
            if questionnaire.state in (StageState.OPEN, StageState.RETURNED):
                Answer.objects.filter(review=review, question__code=REQUEST_FILLED_QUESTION).update(
                    detail=changes["uscc"][1]
                )
        review_refresh_current_stage(review)
        event = audit_record(
            action=RETURNED_ACTION,
            actor=actor,
            review=review,
            obj=review,
            data={"reason": reason, "changes": changes, "stages": touched},
        )
        notify.review_returned_after_correction(event)
    return touched


def review_refusal_after_correction(review: Review) -> str | None:
    """Why a sign-off found its review changed under it by a correction (reviews.workflow.review_sign_off,
    under the lock), or None."""
    event = AuditEvent.objects.filter(review=review, action=RETURNED_ACTION).order_by("-pk").first()
    if event is None or not event.data.get("stages"):
        return None
    return _(
        "The vendor's identity was corrected at %(time)s (%(reason)s): the decisions were about another "
        "company, so the stages went back to the requester. Nothing was signed."
    ) % {"time": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"), "reason": event.data["reason"]}


def review_open_after_correction(*, vendor: Vendor, actor, reason: str) -> Review | None:
    """Open the new review in the name of the vendor's last requester, who answers for the vendor; Legal is
    named as the one who caused it. Nothing is opened when a review is already under way (its decided
    stages were returned instead) or when nobody can request it; the audit log says which."""
    with transaction.atomic():
        open_review = vendor.reviews.filter(state__in=OPEN_STATES).first()
        last = vendor.reviews.select_related("requester").order_by("-created_at", "-pk").first()
        if (
            open_review is not None
            or last is None
            or Role.REQUESTER not in roles_of(last.requester)
            or not last.requester.is_active
        ):
            why = (
                _("review %(number)s is already under way") % {"number": open_review.number}
                if open_review
                else _("no requester can be named; a requester must open it")
            )
            audit_record(
                action="review.not_reopened",
                obj=vendor,
                vendor=vendor,
                actor=actor,
                data={"reason": reason, "why": why},
            )
            return None
        review = workflow.review_create(
            requester=last.requester,
            vendor=vendor,
            purpose=_(
                "Vetted again: Legal corrected the vendor's identity (%(reason)s). Earlier purpose: "
                "%(purpose)s"
            )
            % {"reason": reason, "purpose": last.purpose},
            expected_volume=last.expected_volume,
            personal_data=last.personal_data,
            language=last.language,
        )
        audit_record(
            action="review.opened_after_correction",
            actor=actor,
            review=review,
            obj=review,
            data={"reason": reason, "requester": last.requester.get_username()},
        )
    return review


def reviews_after_correction(
    *, vendor: Vendor, actor, reason: str, changes: dict, approval_suspended: bool
) -> None:
    """What the correction invalidates (the module's docstring): the review under way has its decided stages
    returned; an approval that was suspended is vetted again."""
    open_review = Review.objects.filter(vendor=vendor, state__in=OPEN_STATES).first()
    if open_review is not None:
        review_return_after_correction(review=open_review, actor=actor, reason=reason, changes=changes)
    if approval_suspended:
        review_open_after_correction(vendor=vendor, actor=actor, reason=reason)
