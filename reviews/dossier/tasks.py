"""The dossier's Celery task. Queued by name from reviews.dossier.services.dossier_request (reviews.queue);
its registered name predates this module and is kept so that queued messages survive the move."""

import logging

from celery import Task, shared_task

from .archive import dossier_timestamp_add, dossiers_archive
from .services import TRANSIENT_ERRORS, DossierGenerationError, dossier_fail, dossier_generate_now

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


@shared_task(
    bind=True,
    name="reviews.dossier.tasks.dossier_timestamp_retry",
    autoretry_for=(ConnectionError,),  # TimestampUnavailable: no TSA answered
    retry_backoff=60,  # about 1, 2, 4, ... minutes, at most an hour apart; then the hourly run takes over
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=DOSSIER_MAX_RETRIES,
)
def dossier_timestamp_retry(self, dossier_id: int) -> None:
    """Add the timestamp a dossier is owed because no TSA answered when it was signed."""
    try:
        dossier_timestamp_add(dossier_id=dossier_id, reason="pending")
    except ConnectionError:
        if not self.request.is_eager:
            raise
        # In-process: nothing would run a retry later but the hourly beat run, which will.


@shared_task(name="reviews.dossier.tasks.dossiers_timestamp_pending")
def dossiers_timestamp_pending() -> int:
    """Hourly: the dossiers still owed a timestamp get it once a TSA answers. Returns how many did."""
    done, _failed = dossiers_archive(pending_only=True)
    return len(done)


@shared_task(name="reviews.dossier.tasks.dossiers_archive_run")
def dossiers_archive_run() -> int:
    """Monthly: a document timestamp (PAdES B-LTA) for every dossier never archived or last archived longer
    ago than VETTED_DOSSIER_ARCHIVE_DAYS (reviews/dossier/archive.py). Returns how many were extended."""
    done, failed = dossiers_archive()
    for pk, why in failed:
        logger.error("dossier %s could not be timestamped for archiving: %s", pk, why)
    return len(done)
