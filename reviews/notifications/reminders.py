"""Whether a reminder is due, from the columns that record the reminders sent (the renewal reminders on the
approval's sign-off, the catch-up reminders on the review): the nearest reminder sent, as days before the date
it is about, and that date. Reminders count down (30 days, then 7, ...); one is sent once, and a later run
sends only a nearer one. When the date moves (a new deadline, an approval whose end changed), the reminders
start again."""

from datetime import date


def reminder_sent(sent_days: int | None, sent_for: date | None, *, slot: int, about: date) -> bool:
    """Whether the reminder of `slot` days before `about`, or a nearer one, has been sent already."""
    return sent_days is not None and sent_for == about and sent_days <= slot
