from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        # Register the monthly snapshot's Celery task under its name (config.settings: CELERY_BEAT_SCHEDULE).
        from . import freshness, tasks  # noqa: F401

        # The figures are cached per version of the data they read: every write of that data replaces it.
        freshness.connect()
