"""The portfolio's monthly snapshots: the headline figures as they stood in each month, so that the board reads a
trend over twelve months without the register having to remember its past (portfolio.snapshots)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortfolioSnapshot(models.Model):
    """One month's figures. The month's row is written by the daily task and rewritten until the month ends,
    so it holds the figures as the month closed; months before the first snapshot are reconstructed once from
    the records (`backfilled`), as far as they reach."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    backfilled = models.BooleanField(
        _("reconstructed from the records"),
        default=False,
        help_text=_(
            "Taken after the month, from the approvals, the register and the activities as recorded."
        ),
    )
    vetted = models.PositiveIntegerField(_("vetted (on the approved list)"), default=0)
    in_use = models.PositiveIntegerField(_("in use, not vetted"), default=0)
    overdue = models.PositiveIntegerField(_("in use, catch-up review overdue"), default=0)
    ending_soon = models.PositiveIntegerField(_("approvals ending within 30 days"), default=0)
    activities_blocked = models.PositiveIntegerField(_("activities blocked"), default=0)

    class Meta:
        verbose_name = _("portfolio snapshot")
        verbose_name_plural = _("portfolio snapshots")

    def __str__(self):
        return f"{self.month:%Y-%m}"
