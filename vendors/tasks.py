from celery import shared_task

from .services import vendors_lapse_expired as lapse


@shared_task(name="vendors.tasks.vendors_lapse_expired")
def vendors_lapse_expired() -> int:
    return lapse()
