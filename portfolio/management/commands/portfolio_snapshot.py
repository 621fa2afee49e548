"""Take this month's portfolio snapshot now, as the beat task does (and, the first time, reconstruct the months
before from the records)."""

from django.core.management.base import BaseCommand

from portfolio.models import PortfolioSnapshot
from portfolio.snapshots import snapshot_take


class Command(BaseCommand):
    help = "Take this month's portfolio snapshot (the first time, also the eleven months before, from the records)."

    def handle(self, *args, **options):
        snapshot = snapshot_take()
        months = PortfolioSnapshot.objects.count()
        self.stdout.write(
            f"snapshot {snapshot.month:%Y-%m}: vetted {snapshot.vetted}, in use {snapshot.in_use}, "
            f"overdue {snapshot.overdue}; {months} months kept"
        )
