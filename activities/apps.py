from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Use: scopes and marketing activities")

    def ready(self):
        # Register the activities' Celery tasks under their names (reviews.queue queues them by name), the panels
        # they add to the dashboard and the reviewers' desk (reviews.panels); the scope extensions' admin registers
        # itself on the desk's site; their rows refuse deletion (I7).
        from . import admin_extensions, dashboard, desk, receivers, retention, tasks  # noqa: F401
