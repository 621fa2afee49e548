"""China's working days (docs/domain.md "Working days"), for every figure counted in working days: the time
a stage waits on its reviewers, its target and overdue mark. A day is a working day as the State Council's
yearly notice on holiday arrangements says: the public holidays are not, even on a weekday, and the make-up
working days (调休) are, even on a Saturday or Sunday.

The notices come from the `chinesecalendar` package, which carries each year's once published (and is
updated when the next is). For a year it does not cover yet, Legal enters the notice's days in the admin
(reviews.models.CalendarDay); an entry there also wins over the package. A year covered by neither counts
Monday to Friday, and the reviewers' desk says so before that year begins (calendar_gaps).

The entries Legal made are read once and kept in the cache until one changes, so counting the days of a page
of reviews costs no query per row; a request also keeps the calendar it read until it ends, so that a page
counting days for every row reads (and unpickles) it from the cache once, not once a row. The API the callers use is working_days_between, working_days_before and
working_days_within."""

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from asgiref.local import Local
from django.core.cache import cache as django_cache
from django.core.signals import request_finished, request_started
from django.db import transaction

CACHE_KEY = "working-calendar:v1"
CACHE_SECONDS = 3600
# The calendar a request has read, kept until the request ends (outside a request, every call asks the cache).
_request = Local()


@cache
def _library() -> tuple[dict[date, bool], frozenset[int]]:
    """The package's days that differ from Monday to Friday (day -> is it a working day), and its years."""
    from chinese_calendar.constants import holidays, workdays

    days = {day: False for day in holidays if day.weekday() < 5}
    days.update({day: True for day in workdays if day.weekday() >= 5})
    known = set(holidays) | set(workdays)
    years = frozenset(range(min(d.year for d in known), max(d.year for d in known) + 1))
    return days, years


def library_years() -> frozenset[int]:
    return _library()[1]


@dataclass(frozen=True)
class WorkingCalendar:
    """The days that differ from Monday to Friday, and the years whose notice is known."""

    exceptions: dict[date, bool] = field(default_factory=dict)  # day -> working (True) or not (False)
    years: frozenset[int] = frozenset()
    # The days of `exceptions` in order, for bisecting a span (set from them, not given).
    _sorted: list[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_sorted", sorted(self.exceptions))

    def is_working_day(self, day: date) -> bool:
        working = self.exceptions.get(day)
        return day.weekday() < 5 if working is None else working

    def covers(self, year: int) -> bool:
        return year in self.years

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
        if end <= start:
            return 0
        weeks, extra = divmod((end - start).days, 7)
        days = weeks * 5 + sum(
            1 for offset in range(1, extra + 1) if (start + timedelta(offset)).weekday() < 5
        )
        # Then each day of the notices in the span, counted as the notice says instead of by its weekday.
        first = bisect.bisect_right(self._sorted, start)
        last = bisect.bisect_right(self._sorted, end)
        for day in self._sorted[first:last]:
            days += (1 if self.exceptions[day] else 0) - (1 if day.weekday() < 5 else 0)
        return days

    def before(self, end: date, n: int) -> date:
        """The latest day `start` with between(start, end) == n: waiting since before it is more than n
        working days."""
        day, counted = end, 0
        while counted < n:
            if self.is_working_day(day):
                counted += 1
            day -= timedelta(days=1)
        return day

    def last_within(self, start: date, n: int) -> date:
        """The latest day `end` with between(start, end) <= n: the farthest date that is at most n working
        days after `start` (the day before its (n + 1)-th working day)."""
        day, counted = start, 0
        while True:
            following = day + timedelta(days=1)
            if self.is_working_day(following):
                if counted == n:
                    return day
                counted += 1
            day = following


def _load() -> WorkingCalendar:
    from .models import CalendarDay, CalendarDayKind

    library, years = _library()
    exceptions = dict(library)
    entered = set()
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        working = kind == CalendarDayKind.WORKDAY
        entered.add(day.year)
        if working == (day.weekday() < 5):
            exceptions.pop(day, None)  # as Monday to Friday would count it: no exception (a correction)
        else:
            exceptions[day] = working
    return WorkingCalendar(exceptions=exceptions, years=years | frozenset(entered))


def working_calendar() -> WorkingCalendar:
    """The calendar in force: the package's notices with Legal's entries over them (cached)."""
    kept = getattr(_request, "calendar", None)
    if kept is not None:
        return kept
    calendar = django_cache.get(CACHE_KEY)
    if calendar is None:
        calendar = _load()
        django_cache.set(CACHE_KEY, calendar, CACHE_SECONDS)
    if getattr(_request, "open", False):
        _request.calendar = calendar
    return calendar


def _request_starts(**kwargs) -> None:
    _request.open = True
    _request.calendar = None


def _request_ends(**kwargs) -> None:
    _request.open = False
    _request.calendar = None


request_started.connect(_request_starts, dispatch_uid="working-days-request-started")
request_finished.connect(_request_ends, dispatch_uid="working-days-request-finished")


def _forget() -> None:
    _request.calendar = None
    django_cache.delete(CACHE_KEY)


def forget_calendar() -> None:
    """After Legal changed an entry: read the table again, once the change is committed."""
    transaction.on_commit(_forget)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    return working_calendar().between(start, end)


def working_days_before(end: date, n: int) -> date:
    """The latest day `start` with working_days_between(start, end) == n: waiting since before it is more
    than n working days."""
    return working_calendar().before(end, n)


def working_days_within(start: date, n: int) -> date:
    """The latest day `end` with working_days_between(start, end) <= n: what a lead time of n working days
    from `start` reaches (a reminder n working days ahead is due today for a date up to it)."""
    return working_calendar().last_within(start, n)


def calendar_gaps(today: date) -> list[int]:
    """The years from this one to the next that the calendar does not cover: counted Monday to Friday until
    Legal enters their notice."""
    calendar = working_calendar()
    return [year for year in (today.year, today.year + 1) if not calendar.covers(year)]
