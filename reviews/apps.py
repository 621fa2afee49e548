from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Vendor reviews")

    def ready(self):
        from . import receivers, throttle  # noqa: F401  (audit vendor status changes, lockouts)
