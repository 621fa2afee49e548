from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself, as an app only so that its signal receivers connect at start-up."""

    name = "config"
    label = "site_config"

    def ready(self):
        from . import sessions  # noqa: F401  (marks a session refreshed at sign-in)
