"""The portfolio's Celery task, registered by name (config.settings: CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .snapshots import snapshot_take


@shared_task(name="portfolio.tasks.portfolio_snapshot_take")
def portfolio_snapshot_take() -> str:
    """This month's portfolio snapshot (and, the first time, the months before from the records)."""
    return str(snapshot_take().month)
