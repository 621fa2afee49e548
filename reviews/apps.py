from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Vendor reviews")

    def ready(self):
        from . import receivers  # noqa: F401  (audit vendor status changes)


class VettedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the reviewers' desk as its site (reviews/admin_site.py)."""

    default = False  # ReviewsConfig stays the default config of this module
    default_site = "reviews.admin_site.VettedAdminSite"
