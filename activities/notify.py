"""Who is told what about activities and scope extensions (the pattern of reviews.notifications.notify):
the services call one function per event inside their transaction; each picks the recipients and queues one
message per recipient once the transaction commits (activities.tasks.activity_mail_send)."""

from enum import StrEnum

from reviews.notifications.notify import notifications_suppressed, reachable_users
from reviews.queue import task_queue
from reviews.roles import Role


class Event(StrEnum):
    NEEDS_LEGAL = "activity_needs_legal"
    DECIDED = "activity_decided"
    FLAGGED = "activity_flagged"
    EXTENSION_SUBMITTED = "extension_submitted"
    EXTENSION_DECIDED = "extension_decided"


def _queue(event: Event, object_id: int, recipients) -> None:
    if notifications_suppressed():  # the demo's made-up history (activities.demo) is news to nobody
        return
    for recipient_id in recipients:
        task_queue("activities.tasks.activity_mail_send", str(event), object_id, recipient_id)


def _members(role: Role, *, besides: int) -> list[int]:
    # Never the person who asked: they may not decide their own request (I4).
    return [
        pk
        for pk in reachable_users().filter(groups__name=role).order_by("pk").values_list("pk", flat=True)
        if pk != besides
    ]


def _user(pk: int) -> list[int]:
    return list(reachable_users().filter(pk=pk).values_list("pk", flat=True))


def activity_checked(activity) -> None:
    """After the pre-check: Legal is told of an activity that waits for its decision."""
    from .models import ActivityStatus

    if activity.status == ActivityStatus.AWAITING_LEGAL:
        _queue(Event.NEEDS_LEGAL, activity.pk, _members(Role.LEGAL, besides=activity.owner_id))


def activity_decided(activity) -> None:
    _queue(Event.DECIDED, activity.pk, _user(activity.owner_id))


def activity_flagged(activity) -> None:
    _queue(Event.FLAGGED, activity.pk, _user(activity.owner_id))


def extension_submitted(extension) -> None:
    """The extension waits for Security (when its data or exposure grows) or for Legal."""
    from .models import ExtensionStatus

    role = Role.SECURITY if extension.status == ExtensionStatus.AWAITING_SECURITY else Role.LEGAL
    _queue(Event.EXTENSION_SUBMITTED, extension.pk, _members(role, besides=extension.requester_id))


def extension_decided(extension) -> None:
    _queue(Event.EXTENSION_DECIDED, extension.pk, _user(extension.requester_id))
