from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities.demo import seed as seed_use
from activities.models import Activity, ScopeExtension
from reviews.channel_demo import seed_channels
from reviews.demo import seed as seed_reviews


class Command(BaseCommand):
    help = (
        "Create the demo users (cmo, cmo2, security, legal, auditor, admin), one vendor in every state of "
        "the workflow, own channels of the brand in several states, and marketing activities and scope extensions in every outcome. Development only; "
        "running it again only resets the passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo user.")

    def handle(self, *args, password, **options):
        # Demo users share one known password and include a superuser: never on a real deployment.
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "seed_demo only runs with DEBUG on: it creates users with a shared, known "
                    "password. Use the development settings."
                )
            )
        if not password:
            raise CommandError(_("Give the demo password with --password."))
        there = _("already there, left as it is")
        # The vetting first (reviews.demo), then the use of what it approved (activities.demo), which sits above
        # it in the layers (docs/architecture.md).
        for scenario, created in seed_reviews(password):
            label = pgettext("demo data", "created") if created else there
            self.stdout.write(f"{scenario.key}: {scenario.name_zh} ({scenario.uscc}) {label}")
        for channel, created in seed_channels(password):
            label = pgettext("demo data", "created") if created else there
            self.stdout.write(f"{channel.key}: {channel.name_zh} ({_('own channel')}) {label}")
        kinds = {"activity": Activity._meta.verbose_name, "extension": ScopeExtension._meta.verbose_name}
        for kind, name, created in seed_use():
            label = pgettext("demo data", "created") if created else there
            self.stdout.write(f"{kinds[kind]}: {name} {label}")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo ready. Users cmo, cmo2, security, legal, auditor and admin have the password you gave."
                )
            )
        )
