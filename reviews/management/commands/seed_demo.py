from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reviews.demo import seed


class Command(BaseCommand):
    help = ("Create the demo users (cmo, cmo2, security, legal, auditor, admin) and one vendor in every "
            "state of the workflow. Development only; running it again only resets the passwords.")

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo user.")

    def handle(self, *args, password, **options):
        # Demo users share one known password and include a superuser: never on a real deployment.
        if not settings.DEBUG:
            raise CommandError(_("seed_demo only runs with DEBUG on: it creates users with a shared, known "
                                 "password. Use the development settings."))
        if not password:
            raise CommandError(_("Give the demo password with --password."))
        for scenario, created in seed(password):
            label = pgettext("demo data", "created") if created else _("already there, left as it is")
            self.stdout.write(f"{scenario.key}: {scenario.name_zh} ({scenario.uscc}) {label}")
        self.stdout.write(self.style.SUCCESS(
            _("Demo ready. Users cmo, cmo2, security, legal, auditor and admin have the password you gave.")))
