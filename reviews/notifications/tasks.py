"""The notification wing's Celery tasks: one e-mail per task, and the hourly reminders. Queued by name from
reviews.notifications.notify (reviews.queue); the registered names predate this module and are kept so that
queued messages and beat entries survive the move."""

import smtplib
from contextlib import contextmanager

from celery import shared_task

from . import catch_up, renewals
from .mail import contact_invitation_deliver, notification_deliver
from .role_mail import role_change_deliver

# The mail server or the network failed: worth another try. Anything else (a template error, a missing row)
# fails the same way every time and is not retried. smtplib.SMTPException and ConnectionError are OSErrors;
# they are named for the reader.
NOTIFICATION_TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, OSError)
NOTIFICATION_MAX_RETRIES = 5
# Every task that sends mail: retried with backoff when the server or the network fails, and only then.
MAIL_TASK_OPTIONS = {
    "acks_late": True,  # a worker lost mid-send leaves the message queued: at worst a recipient gets it twice
    "autoretry_for": NOTIFICATION_TRANSIENT_ERRORS,
    "retry_backoff": 30,  # about 30 s, 1 min, 2 min, ... (full jitter), at most 30 minutes apart
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": NOTIFICATION_MAX_RETRIES,
}


class NotificationRefused(Exception):
    """The mail server refused the message permanently; it is not retried."""


def _refused_for_good(exc: smtplib.SMTPException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _reply in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


@shared_task(
    name="reviews.tasks.notification_send",
    **MAIL_TASK_OPTIONS,
)
def notification_send(event: str, object_id: int, recipient_id: int) -> None:
    """Send one notification e-mail to one user (queued by reviews.notifications)."""
    with _refusal_not_retried(f"{event} #{object_id} to user #{recipient_id}"):
        notification_deliver(event=event, object_id=object_id, recipient_id=recipient_id)


@shared_task(
    name="reviews.tasks.contact_invitation_send",
    **MAIL_TASK_OPTIONS,
)
def contact_invitation_send(link_id: int, token: str) -> None:
    """E-mail a vendor contact their link (queued by reviews.notifications.contact_invited)."""
    with _refusal_not_retried(f"invitation of contact link #{link_id}"):
        contact_invitation_deliver(link_id=link_id, token=token)


@shared_task(
    name="reviews.tasks.role_change_send",
    **MAIL_TASK_OPTIONS,
)
def role_change_send(event_id: int) -> None:
    """Mail Legal a role change (queued by reviews.notifications.notify.role_changed)."""
    with _refusal_not_retried(f"role change #{event_id}"):
        role_change_deliver(event_id=event_id)


@contextmanager
def _refusal_not_retried(what: str):
    try:
        yield
    except smtplib.SMTPException as exc:
        if _refused_for_good(exc):
            # A 5xx reply (unknown mailbox, sender not allowed): the same message would be refused again.
            raise NotificationRefused(f"{what}: {exc}") from exc
        raise


@shared_task(name="reviews.tasks.approvals_remind_expiring")
def approvals_remind_expiring() -> int:
    """Remind of approvals that end soon (reviews.notifications.renewals). Run hourly by Celery beat."""
    return renewals.approvals_remind_expiring()


@shared_task(name="reviews.tasks.catch_up_remind")
def catch_up_remind() -> int:
    """Remind of catch-up reviews due soon or overdue (reviews.notifications.catch_up). Run hourly by beat."""
    return catch_up.catch_up_remind()
