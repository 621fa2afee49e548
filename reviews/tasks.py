from celery import shared_task


@shared_task(name="reviews.tasks.dossier_generate", acks_late=True)
def dossier_generate(dossier_id: int) -> None:
    """Render and store one dossier (filled in by the dossier pipeline)."""
