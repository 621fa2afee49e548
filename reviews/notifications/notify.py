"""Who is told what, by e-mail (docs/architecture.md "Transitions live in services": notify on commit).

The services of reviews/workflow.py and reviews/dossier/services.py call one function here per event, inside their
transaction and after the audit record. Each decides the recipients and queues one message per recipient
once the transaction commits: a transition that is refused or rolled back sends nothing. The task
(reviews.tasks.notification_send) reads the rows again by id, renders and sends
(reviews/notifications/mail.py)."""

from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from django.contrib.auth import get_user_model

from ..access import DECIDING_ROLE
from ..models import AuditEvent, Decision, Dossier, Review, SignOff, Stage, StageKind, StageState
from ..queue import task_queue
from ..roles import Role


class Event(StrEnum):
    """The events, by the name the task carries (a string, so that a queued message stays readable)."""

    STAGE_SUBMITTED = "stage_submitted"
    STAGE_PASSED = "stage_passed"
    STAGE_RETURNED = "stage_returned"
    STAGE_FAILED = "stage_failed"
    REVIEW_APPROVED = "review_approved"
    DOSSIER_FAILED = "dossier_failed"
    REVIEW_WITHDRAWN = "review_withdrawn"
    APPROVAL_EXPIRING = "approval_expiring"
    VENDOR_SUSPENDED = "vendor_suspended"
    CATCH_UP_OPENED = "catch_up_opened"
    CATCH_UP_REMINDER = "catch_up_reminder"
    CATCH_UP_OVERDUE = "catch_up_overdue"
    VENDOR_STOP_USING = "vendor_stop_using"
    RETURNED_AFTER_CORRECTION = "returned_after_correction"


def reachable_users():
    """Users a message can reach: active, with an address. Anyone else is skipped without a word."""
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def _members(role: Role) -> list[int]:
    return list(reachable_users().filter(groups__name=role).order_by("pk").values_list("pk", flat=True))


def _deciders(stage: Stage) -> list[int]:
    # Never the requester, even when they belong to the group: they may not decide their own request (I4).
    return [pk for pk in _members(DECIDING_ROLE[stage.kind]) if pk != stage.review.requester_id]


def _requester(review: Review) -> list[int]:
    return list(reachable_users().filter(pk=review.requester_id).values_list("pk", flat=True))


def review_of(event: AuditEvent) -> Review:
    """The review of an event that is recorded with one (a withdrawal, a catch-up, a correction); an event
    without one is a fault in the data, raised as such."""
    if event.review is None:
        raise ValueError(f"audit event #{event.pk} ({event.action}) names no review")
    return event.review


_suppressed: ContextVar[bool] = ContextVar("notifications_suppressed", default=False)


@contextmanager
def suppressed():
    """Queue nothing inside this block: for changes that are not news to anyone, such as the demo data
    (reviews.demo), whose made-up history would otherwise mail every demo user."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def notifications_suppressed() -> bool:
    """Whether the caller is inside suppressed(): the layers above reviews (activities.notify) ask it too."""
    return _suppressed.get()


def _queue(event: str, object_id: int, recipient_ids: list[int]) -> None:
    if not recipient_ids or _suppressed.get():
        return

    # robust: the transition has committed by then; a broker that cannot take the message must not turn a
    # recorded decision into an error page. Django logs the failure.
    for recipient_id in recipient_ids:
        task_queue("reviews.tasks.notification_send", event, object_id, recipient_id, robust=True)


def stage_submitted(stage: Stage) -> None:
    """The requester submitted a stage (or the sign-off reached Legal's desk): tell those who decide it."""
    _queue(Event.STAGE_SUBMITTED, stage.pk, _deciders(stage))


def stage_passed(decision: Decision) -> None:
    """Tell the requester; when the stage that opens next is the sign-off, it waits for Legal at once."""
    stage = decision.stage
    _queue(Event.STAGE_PASSED, decision.pk, _requester(stage.review))
    sign_off = (
        Stage.objects.filter(
            review_id=stage.review_id,
            order=stage.order + 1,
            kind=StageKind.SIGN_OFF,
            state=StageState.SUBMITTED,
        )
        .select_related("review")
        .first()
    )
    if sign_off is not None:
        stage_submitted(sign_off)


def stage_returned(decision: Decision) -> None:
    _queue(Event.STAGE_RETURNED, decision.pk, _requester(decision.stage.review))


def stage_failed(decision: Decision) -> None:
    """A failed stage rejects the whole review (reviews.workflow.stage_fail): one message says both."""
    _queue(Event.STAGE_FAILED, decision.pk, _requester(decision.stage.review))


def review_approved(sign_off: SignOff) -> None:
    _queue(Event.REVIEW_APPROVED, sign_off.pk, _requester(sign_off.review))


def dossier_failed(dossier: Dossier) -> None:
    """Legal regenerates a failed dossier (reviews.dossier.dossier_regenerate), so Legal is told."""
    _queue(Event.DOSSIER_FAILED, dossier.pk, _members(Role.LEGAL))


def review_withdrawn(event: AuditEvent) -> None:
    """The requester withdrew the review: whoever had a stage of it waiting on their desk can stop."""
    if event.review_id is None:
        return  # not a review's event: no stage of it waits on anyone
    waiting = Stage.objects.filter(review_id=event.review_id, state=StageState.SUBMITTED).select_related(
        "review"
    )
    recipients = [pk for stage in waiting for pk in _deciders(stage)]
    _queue(Event.REVIEW_WITHDRAWN, event.pk, list(dict.fromkeys(recipients)))


def approval_expiring(sign_off: SignOff) -> None:
    """An approval ends soon (reviews.notifications.renewals): the requester who asked for it renews; Legal is told too."""
    recipients = _requester(sign_off.review) + _members(Role.LEGAL)
    _queue(Event.APPROVAL_EXPIRING, sign_off.pk, list(dict.fromkeys(recipients)))


def vendor_suspended(event: AuditEvent, sign_off: SignOff | None) -> None:
    """A vendor left the approved list (suspended by Legal, or its approval lapsed): whoever asked for it
    must stop using it, and Legal decides what next. `event` is the audit record of the suspension; the
    one who suspended it is not told what they just did."""
    if sign_off is None:
        return  # never approved through a review: nobody asked for it
    recipients = _requester(sign_off.review) + _members(Role.LEGAL)
    _queue(Event.VENDOR_SUSPENDED, event.pk, [pk for pk in dict.fromkeys(recipients) if pk != event.actor_id])


def catch_up_opened(event: AuditEvent) -> None:
    """Legal opened a catch-up review (补齐审核) of a platform in use: its business owner answers it."""
    _queue(Event.CATCH_UP_OPENED, event.pk, _requester(review_of(event)))


def catch_up_reminder(event: AuditEvent, *, overdue: bool) -> None:
    """The deadline of a catch-up review nears (reviews.notifications.catch_up): the owner is reminded; once
    it has passed, the owner and Legal are told it is overdue (a notice of its own, not the reminder)."""
    recipients = _requester(review_of(event)) + (_members(Role.LEGAL) if overdue else [])
    _queue(
        Event.CATCH_UP_OVERDUE if overdue else Event.CATCH_UP_REMINDER,
        event.pk,
        list(dict.fromkeys(recipients)),
    )


def vendor_stop_using(event: AuditEvent, review: Review | None) -> None:
    """A platform in use failed its catch-up review (`review`): its business owner and Legal must see that
    its use ends. `event` is the audit record of the rejection."""
    if review is None:
        return
    recipients = _requester(review) + _members(Role.LEGAL)
    _queue(
        Event.VENDOR_STOP_USING, event.pk, [pk for pk in dict.fromkeys(recipients) if pk != event.actor_id]
    )


def review_returned_after_correction(event: AuditEvent) -> None:
    """Legal corrected the vendor's identity under a review in progress (reviews.correction): the requester
    answers again for the stages returned, and the reviewers whose decisions were set aside are told."""
    if not event.data.get("stages"):
        return
    review = review_of(event)
    deciders = (
        Decision.objects.filter(stage__review_id=review.pk)
        .exclude(decided_by_id=event.actor_id)
        .values_list("decided_by_id", flat=True)
    )
    recipients = _requester(review) + list(
        reachable_users().filter(pk__in=deciders).order_by("pk").values_list("pk", flat=True)
    )
    _queue(Event.RETURNED_AFTER_CORRECTION, event.pk, list(dict.fromkeys(recipients)))


def role_changed(event: AuditEvent) -> None:
    """A role, the superuser or staff flag, or the activation of a user changed (reviews.role_changes): Legal
    is told, in one message to each member, so that a grant nobody agreed is noticed within the waiting
    period (VETTED_ROLE_GRANT_WAIT_HOURS)."""
    if _suppressed.get():
        return
    task_queue("reviews.tasks.role_change_send", event.pk, robust=True)


def contact_invited(link, token: str) -> None:
    """E-mail a new link to the vendor's contact, who has no account: the message goes to the address the
    requester gave (reviews.contact.services.contact_link_create)."""
    if _suppressed.get():
        return
    task_queue("reviews.tasks.contact_invitation_send", link.pk, token, robust=True)
