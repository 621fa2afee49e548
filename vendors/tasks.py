from celery import shared_task

from .services import vendors_lapse_expired as lapse
from .services import vendors_refresh_cert_expiry


@shared_task(name="vendors.tasks.vendors_lapse_expired")
def vendors_lapse_expired() -> int:
    # The same hourly run moves each vendor's nearest certificate expiry past the certificates that lapsed.
    vendors_refresh_cert_expiry()
    return lapse()
