"""What a review's file shows of its record: the decisions, the dossiers made from the sign-off and the audit
trail, each event with its sentence in the reader's language (reviews.review_view.AuditLine)."""

from django.db.models import Q

from reviews.models import AuditEvent, Decision, Dossier, Review, SignOff, Stage
from reviews.review_view import AuditLine, audit_lines
from vendors.models import Vendor


def review_decisions(stages: list[Stage]) -> list[Decision]:
    """Every decision on the stages, each given its stage (already read: not joined); one query."""
    by_pk = {stage.pk: stage for stage in stages}
    decisions = list(Decision.objects.filter(stage__in=list(by_pk)).select_related("decided_by"))
    for decision in decisions:
        decision.stage = by_pk[decision.stage_id]
    return decisions


def review_dossiers(review: Review, sign_off: SignOff | None) -> list[Dossier]:
    """The dossiers are shown with the sign-off only (they are made from it): none to read before it."""
    if sign_off is None:
        return []
    return list(Dossier.objects.filter(review=review).select_related("requested_by"))


def review_audit_lines(review: Review) -> list[AuditLine]:
    """The review's events, oldest first. Vendor events (approved, suspended) carry no review; those since
    this review began are shown too."""
    events = list(
        AuditEvent.objects.filter(
            Q(review=review) | Q(review__isnull=True, vendor_id=review.vendor_id, at__gte=review.created_at)
        )
        .select_related("actor")
        .order_by("pk")
    )
    _attach_review_and_vendor(events, review)
    return audit_lines(events)


def _attach_review_and_vendor(events: list[AuditEvent], review: Review) -> None:
    """Give the events their review and vendor (the audit sentences name them) from the review already read,
    rather than joining both wide rows to every event. An event naming another vendor, which the events of a
    review do not, gets its vendor in one more query."""
    others = {e.vendor_id for e in events if e.vendor_id is not None and e.vendor_id != review.vendor_id}
    vendors = {review.vendor_id: review.vendor}
    if others:
        vendors.update(Vendor.objects.in_bulk(others))
    for event in events:
        if event.review_id == review.pk:
            event.review = review
        if event.vendor_id is not None:
            event.vendor = vendors[event.vendor_id]
