from django.core.management.base import BaseCommand

from reviews.audit_checkpoints import audit_checkpoint, checkpoint_store_label


class Command(BaseCommand):
    help = (
        "Write a checkpoint of the audit chain now (reviews.audit_checkpoints): the first of a new "
        "installation, or one before a backup. Decisions, sign-offs and the hourly task write their own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason",
            default="manage.py audit_checkpoint",
            help="What the checkpoint is for, recorded with it.",
        )

    def handle(self, *args, reason, **options):
        checkpoint = audit_checkpoint(reason=reason)
        assert checkpoint is not None  # None only with only_if_grown, which this command does not pass
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint {checkpoint.number} written to {checkpoint_store_label()}: {checkpoint.count} events, head "
                f"#{checkpoint.head_id}."
            )
        )
