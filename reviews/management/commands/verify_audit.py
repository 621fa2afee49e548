from django.core.management.base import BaseCommand, CommandError

from reviews.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit non-zero naming the first broken event."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_at}: {report.reason} "
                f"({report.checked} events before it verified)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events verified."))
