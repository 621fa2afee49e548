from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Use: scopes and marketing activities")

    def ready(self):
        # Register the activities' Celery tasks under their names (reviews.queue queues them by name), and
        # the panels the dashboard shows (reviews.panels).
        from . import dashboard, receivers, tasks  # noqa: F401
