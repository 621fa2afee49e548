"""When a reminder is due, and whether it was sent, from the columns that record the reminders sent (the
renewal reminders on the approval's sign-off, the catch-up reminders on the review).

Lead times are China's working days (reviews.working_days, docs/domain.md "Working days"), from the table
VETTED_REMINDER_WORKING_DAYS: a date just after the Spring Festival or National Day is reminded of before the
holiday, not during it. A reminder of N working days is due from the first day with at most N working days
after it up to the date (that day is itself a working day, so reminders go out on working days). Reminders
count down (20 working days, then 5, ...): the nearest one due is sent, once, and a later run sends only a
nearer one. The columns keep the nearest reminder sent, as working days before the date it is about, and that
date; when the date moves (a new deadline, an approval whose end changed), the reminders start again."""

from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

from ..bilingual import EN, ZH, Bi
from ..working_days import working_days_between, working_days_within


def reminder_lead_times(kind: str) -> list[int]:
    """The working days before the date that each reminder of `kind` ("renewal", "catch_up") goes out,
    nearest first."""
    return sorted(settings.VETTED_REMINDER_WORKING_DAYS[kind])


def reminders_reach(kind: str, *, today: date) -> date:
    """The farthest date a reminder of `kind` may be due for today: the dates to look at."""
    return working_days_within(today, reminder_lead_times(kind)[-1])


def reminder_due(kind: str, *, today: date, about: date) -> tuple[int | None, int]:
    """The nearest reminder due today for `about` (its lead time in working days; None when none is due
    yet), and the working days left: after today up to and including `about`."""
    left = working_days_between(today, about)
    return next((n for n in reminder_lead_times(kind) if left <= n), None), left


def reminder_sent(sent_days: int | None, sent_for: date | None, *, slot: int, about: date) -> bool:
    """Whether the reminder of `slot` working days before `about`, or a nearer one, has been sent already."""
    return sent_days is not None and sent_for == about and sent_days <= slot


def working_days_text(n: int) -> Bi:
    """ "N working days" in both languages (N 个工作日), for the reminders' e-mails."""
    texts = []
    for language in (ZH, EN):
        with translation.override(language):
            texts.append(ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n})
    return Bi(*texts)
