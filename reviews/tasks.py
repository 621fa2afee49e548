import logging
import smtplib
from contextlib import contextmanager

from celery import Task, shared_task

from . import renewals
from .audit import audit_verify
from .audit_checkpoints import audit_checkpoint
from .dossier import TRANSIENT_ERRORS, DossierGenerationError, dossier_fail, dossier_generate_now
from .notification_mail import audit_alarm_deliver, contact_invitation_deliver, notification_deliver

logger = logging.getLogger(__name__)

DOSSIER_MAX_RETRIES = 5


class DossierTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called when the task gives up: retries exhausted on a transient error, or at once on any other
        # (already recorded by the service; dossier_fail leaves a failed row alone). Either way the dossier
        # must not stay "being generated" forever.
        dossier_id = kwargs.get("dossier_id", args[0] if args else None)
        if dossier_id is not None:
            dossier_fail(dossier_id=dossier_id, error=exc)


@shared_task(
    bind=True,
    base=DossierTask,
    name="reviews.tasks.dossier_generate",
    acks_late=True,  # a worker lost mid-render leaves the message queued; redelivery is harmless
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,  # about 5 s, 10 s, 20 s, ... (full jitter), at most 10 minutes apart
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=DOSSIER_MAX_RETRIES,
)
def dossier_generate(self, dossier_id: int) -> None:
    """Render and store one dossier by id (queued by reviews.dossier.dossier_request)."""
    try:
        dossier_generate_now(dossier_id=dossier_id)
    except TRANSIENT_ERRORS as exc:
        if not self.request.is_eager:
            raise  # autoretry_for retries it with backoff
        # In-process (no broker, the embedded default): nothing would run a retry later, so record the
        # failure now; Legal sees the reason and can regenerate.
        dossier_fail(dossier_id=dossier_id, error=exc)
        raise DossierGenerationError(str(exc)) from exc


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
    """Remind of approvals that end soon (reviews.renewals). Run hourly by Celery beat."""
    return renewals.approvals_remind_expiring()


@shared_task(name="reviews.tasks.audit_checkpoint_write")
def audit_checkpoint_write() -> int:
    """Anchor the audit chain's head outside the database (reviews.audit_checkpoints). Run hourly by Celery
    beat; returns the event count recorded."""
    return audit_checkpoint(reason="hourly").count


@shared_task(
    name="reviews.tasks.audit_chain_check",
    autoretry_for=NOTIFICATION_TRANSIENT_ERRORS,  # the alarm could not be mailed: check and mail again
    retry_backoff=60,
    retry_jitter=True,
    max_retries=NOTIFICATION_MAX_RETRIES,
)
def audit_chain_check() -> bool:
    """Verify the audit log's hash chain (I5); when it is broken, log it and alarm Legal and the
    administrators by e-mail. Run daily by Celery beat, so a tampered record is noticed within a day."""
    report = audit_verify()
    if not report.ok:
        logger.error("audit chain broken at event #%s: %s (%s events verified before it)",
                     report.broken_at, report.reason, report.checked)
        audit_alarm_deliver(report)
    return report.ok
