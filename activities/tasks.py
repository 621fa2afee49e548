"""The activities' Celery tasks, registered by name (reviews.queue queues them by name)."""

from celery import shared_task

from reviews.notifications.tasks import MAIL_TASK_OPTIONS

from .mail import activity_mail_deliver


@shared_task(name="activities.tasks.activity_mail_send", **MAIL_TASK_OPTIONS)
def activity_mail_send(event: str, object_id: int, recipient_id: int) -> None:
    """Send one e-mail about an activity or a scope extension to one user."""
    activity_mail_deliver(event=event, object_id=object_id, recipient_id=recipient_id)
