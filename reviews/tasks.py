"""The core's Celery tasks. The wings keep theirs in their own tasks modules (reviews/dossier/tasks.py,
reviews/notifications/tasks.py); reviews.apps imports them all at start-up."""

import logging

from celery import shared_task

from .audit import audit_verify
from .audit_checkpoints import audit_checkpoint
from .notifications.mail import audit_alarm_deliver
from .notifications.tasks import NOTIFICATION_MAX_RETRIES, NOTIFICATION_TRANSIENT_ERRORS

logger = logging.getLogger(__name__)


@shared_task(name="reviews.tasks.audit_checkpoint_write")
def audit_checkpoint_write() -> int | None:
    """Anchor the audit chain's head outside the database (reviews.audit_checkpoints). Run hourly by Celery
    beat; returns the event count recorded, or None when the log has not grown since the last checkpoint."""
    checkpoint = audit_checkpoint(reason="hourly", only_if_grown=True)
    return checkpoint.count if checkpoint is not None else None


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
        logger.error(
            "audit chain broken at event #%s: %s (%s events verified before it)",
            report.broken_at,
            report.reason,
            report.checked,
        )
        audit_alarm_deliver(report)
    return report.ok
