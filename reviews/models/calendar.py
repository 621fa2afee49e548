"""The days the State Council's yearly notice on holiday arrangements makes different from Monday to Friday,
entered by Legal for the years the working-day calendar's library does not cover yet (docs/domain.md
"Working days"). An entry here also wins over the library, so that a late change to a notice can be
followed without waiting for a new release."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vendors.fields import user_reference


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (not a working day)")
    WORKDAY = "workday", _("Make-up working day (调休)")


class CalendarDay(models.Model):
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(
        _("holiday"),
        max_length=60,
        help_text=_("The holiday the day belongs to, as the notice names it: 春节, 国庆节, …"),
    )
    added_by = user_reference(_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"

    @property
    def working(self) -> bool:
        return self.kind == CalendarDayKind.WORKDAY
