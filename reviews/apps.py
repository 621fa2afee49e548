from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Vendor reviews")

    def ready(self):
        # Register every Celery task under its name (reviews.queue queues them by name), in web processes
        # and workers alike.
        from . import (
            receivers,  # noqa: F401  (audit vendor status changes)
            role_changes,  # noqa: F401  (audit role changes)
            tasks,  # noqa: F401
            throttle,  # noqa: F401  (audit sign-in lockouts)
        )
        from .dossier import tasks as dossier_tasks  # noqa: F401
        from .notifications import tasks as notification_tasks  # noqa: F401

        if settings.VETTED_SIGNING_REQUIRED:
            # Production: a dossier must be signed, so a missing or unreadable key stops start-up here with
            # ImproperlyConfigured, rather than the first sign-off failing hours later.
            from .dossier.signing import credentials

            credentials()


class VettedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the reviewers' desk as its site (reviews/admin_site.py)."""

    default = False  # ReviewsConfig stays the default config of this module
    default_site = "reviews.admin_site.VettedAdminSite"
