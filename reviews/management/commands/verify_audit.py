from django.core.management.base import BaseCommand, CommandError

from reviews.audit import audit_verify
from reviews.audit_checkpoints import checkpoint_path


class Command(BaseCommand):
    help = ("Verify the audit log: its HMAC chain, and the checkpoints written outside the database; exit "
            "non-zero naming what broke (an event, a removed tail, or an edited checkpoint).")

    def handle(self, *args, **options):
        report = audit_verify()
        if report.kind == "checkpoint":
            raise CommandError(f"Audit checkpoints broken: {report.reason}. The chain was not checked against "
                               "them; restore the file from its backup before trusting the log.")
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_at} ({report.kind}): {report.reason} "
                f"({report.checked} events before it verified)."
            )
        self.stdout.write(self.style.SUCCESS(
            f"Audit chain intact: {report.checked} events verified (checkpoints: {checkpoint_path()})."))
