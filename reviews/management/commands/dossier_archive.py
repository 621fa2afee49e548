"""Add a document timestamp (PAdES B-LTA) to every approval dossier due, and the timestamp owed to those signed
while no TSA answered (reviews/dossier/archive.py). Celery beat runs the same monthly (and the owed ones
hourly); the command is for operators, and for a first run after configuring a TSA.

    python manage.py dossier_archive [--pending] [--limit N]

Each extension is audited (dossier.timestamped). Exit code 1 when a dossier could not be extended.
"""

from django.core.management.base import BaseCommand, CommandError

from reviews.dossier.archive import dossiers_archive
from reviews.dossier.signing import signing_config


class Command(BaseCommand):
    help = "Add archive timestamps (PAdES B-LTA) to the approval dossiers due, and owed timestamps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending",
            action="store_true",
            help="only the dossiers owed the timestamp their TSA failed to give",
        )
        parser.add_argument("--limit", type=int, default=None, help="at most this many dossiers")

    def handle(self, *args, pending, limit, **options):
        if not signing_config().tsa_urls:
            raise CommandError("No time-stamping authority is configured: set VETTED_TSA_URL.")
        done, failed = dossiers_archive(pending_only=pending, limit=limit)
        for dossier in done:
            self.stdout.write(
                f"dossier #{dossier.pk} ({dossier.review.number}): {dossier.pades_level}, SHA-256 {dossier.sha256}"
            )
        self.stdout.write(f"{len(done)} dossier(s) timestamped.")
        if failed:
            for pk, why in failed:
                self.stderr.write(f"dossier #{pk}: not timestamped: {why}")
            raise CommandError(
                f"{len(failed)} dossier(s) could not be timestamped; the next run tries again.", returncode=1
            )
