from django.core.management.base import BaseCommand, CommandError

from reviews.audit import audit_verify
from reviews.audit_checkpoints import checkpoint_store_label


class Command(BaseCommand):
    help = (
        "Verify the audit log: its HMAC chain, and the checkpoints written outside the database; exit "
        "non-zero naming what broke (an event, a removed tail, an edited checkpoint, or a checkpoint store "
        "missing, empty or cut back)."
    )

    def handle(self, *args, **options):
        report = audit_verify()
        if report.kind == "checkpoint":
            raise CommandError(
                f"Audit checkpoints broken: {report.reason}. The chain was not checked against "
                "them; restore the file from its backup before trusting the log."
            )
        if report.kind == "anchor":
            raise CommandError(
                f"Audit checkpoints missing or cut back: {report.reason} ({report.checked} events "
                "verified, but a removed tail could not be seen). Restore the store from its "
                "backup; on a new installation, write the first with manage.py audit_checkpoint."
            )
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_at} ({report.kind}): {report.reason} "
                f"({report.checked} events before it verified)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} events verified (checkpoints: {checkpoint_store_label()})."
            )
        )
