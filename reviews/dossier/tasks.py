"""The dossier's Celery task. Queued by name from reviews.dossier.services.dossier_request (reviews.queue);
its registered name predates this module and is kept so that queued messages survive the move."""

from celery import Task, shared_task

from .services import TRANSIENT_ERRORS, DossierGenerationError, dossier_fail, dossier_generate_now

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
