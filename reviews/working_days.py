"""Working days, Monday to Friday, for the time a stage waits on its reviewers. A stage submitted on Friday
evening is not a day late on Monday morning; public holidays are not counted out (no calendar of them is
kept), so a target of 5 working days is a week in most weeks."""

from datetime import date, timedelta


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    days = weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def working_days_before(end: date, n: int) -> date:
    """The latest day `start` with working_days_between(start, end) == n: waiting since before it is more
    than n working days."""
    day = end
    counted = 0
    while counted < n:
        if day.weekday() < 5:
            counted += 1
        day -= timedelta(days=1)
    return day
