"""China's working days (reviews/working_days.py, docs/domain.md "Working days"): the public holidays of the
State Council's notice are not working days, its make-up days (调休) are, a year the `chinesecalendar`
package lacks counts Monday to Friday until Legal enters its days, and the desk warns before such a year."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reviews.desk import desk_for
from reviews.models import AuditEvent, CalendarDay, CalendarDayKind
from reviews.working_days import (
    calendar_gaps,
    library_years,
    working_calendar,
    working_days_before,
    working_days_between,
)

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")


def test_the_spring_festival_2026_is_not_counted():
    # Friday 13 February 2026 to Tuesday 24 February: the holiday runs from the 15th to the 23rd, and
    # Saturday the 14th is a make-up working day. Two working days, where Monday to Friday counts seven.
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0


def test_a_make_up_saturday_is_a_working_day():
    # Saturday 28 February 2026 and Saturday 10 October 2026 are 调休 working days.
    assert working_days_between(date(2026, 2, 27), date(2026, 2, 28)) == 1
    assert working_calendar().is_working_day(date(2026, 10, 10))
    # An ordinary Saturday is not.
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 7)) == 0


def test_the_national_day_week_is_not_counted_and_its_make_up_sunday_is():
    # Friday 18 September to Friday 9 October 2026: Sunday the 20th works; the Mid-Autumn Festival (Friday
    # 25 September) and 1-7 October do not. Ten working days, where Monday to Friday counts fifteen.
    assert working_days_between(date(2026, 9, 18), date(2026, 10, 9)) == 10


def test_the_package_covers_2026():
    assert 2026 in library_years()


# The first year the installed package lacks: 2027 with release 1.11, later with a release that carries it.
LACKED = max(library_years()) + 1


def _friday_in_march(year: int) -> date:
    day = date(year, 3, 1)
    return day + timedelta(days=(4 - day.weekday()) % 7)


def test_a_year_the_package_lacks_counts_monday_to_friday_until_legal_enters_it(
    django_capture_on_commit_callbacks,
):
    # A week of that year: Monday to Friday counts five days, and the year is reported uncovered.
    friday = _friday_in_march(LACKED)
    next_friday = friday + timedelta(days=7)
    assert working_days_between(friday, next_friday) == 5
    assert calendar_gaps(date(LACKED - 1, 12, 7)) == [LACKED]

    with django_capture_on_commit_callbacks(execute=True):
        for offset in range(3, 8):  # Monday to Friday of the week after
            CalendarDay.objects.create(
                day=friday + timedelta(days=offset), kind=CalendarDayKind.HOLIDAY, name="春节"
            )
        CalendarDay.objects.create(
            day=next_friday + timedelta(days=1), kind=CalendarDayKind.WORKDAY, name="春节"
        )

    assert working_days_between(friday, next_friday) == 0
    assert working_days_between(next_friday, next_friday + timedelta(days=1)) == 1  # the make-up Saturday
    assert calendar_gaps(date(LACKED - 1, 12, 7)) == []


def test_an_entry_by_legal_wins_over_the_package(django_capture_on_commit_callbacks):
    # A day the notice later changed: Monday 2 March 2026 made a holiday.
    assert working_days_between(date(2026, 2, 27), date(2026, 3, 2)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(day=date(2026, 3, 2), kind=CalendarDayKind.HOLIDAY, name="更正")

    assert working_days_between(date(2026, 2, 27), date(2026, 3, 2)) == 1


@pytest.mark.parametrize("n", [1, 5, 10])
def test_working_days_before_is_the_latest_start_that_many_days_back(n):
    day = date(2026, 1, 1)
    while day < date(2026, 12, 31):
        start = working_days_before(day, n)
        assert working_days_between(start, day) == n
        assert working_days_between(start - timedelta(days=1), day) >= n
        assert working_days_between(
            start + timedelta(days=1), day
        ) < n or not working_calendar().is_working_day(start + timedelta(days=1))
        day += timedelta(days=3)


def test_the_desk_waits_during_the_spring_festival(legal, requester):
    from django.utils import timezone

    from reviews.models import StageKind
    from tests.builders import stages_update, start_review, submit_stage

    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    stages_update(
        where={"review": review, "kind": StageKind.QUESTIONNAIRE},
        submitted_at=timezone.make_aware(timezone.datetime(2026, 2, 13, 18, 0)),
    )

    item = desk_for(legal, today=date(2026, 2, 24)).groups[0].items[0]

    assert item.days_waiting == 2 and not item.overdue


def test_the_desk_warns_when_the_coming_year_is_not_covered(client, legal, security):
    assert desk_for(legal, today=date(LACKED - 1, 12, 7)).calendar_gaps == [LACKED]
    assert desk_for(legal, today=date(LACKED - 1, 6, 1)).calendar_gaps == []  # before the notice is due
    assert desk_for(legal, today=date(LACKED, 3, 1)).calendar_gaps == [LACKED]

    client.force_login(legal)
    page = client.get(DESK).content.decode()
    year = date.today().year + 1
    if year not in library_years() and date.today().month >= 11:  # a warning today, as on 7 December 2026
        assert f'id="calendar-gap-{year}"' in page
        assert reverse("admin:reviews_calendarday_add") in page
    client.force_login(security)
    page = client.get(DESK).content.decode()
    assert reverse("admin:reviews_calendarday_add") not in page


def test_legal_enters_a_day_in_the_admin_audited_and_counted_at_once(
    client, legal, security, django_capture_on_commit_callbacks
):
    client.force_login(security)
    assert client.get(reverse("admin:reviews_calendarday_add")).status_code == 403
    assert client.get(reverse("admin:reviews_calendarday_changelist")).status_code == 200

    client.force_login(legal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reviews_calendarday_add"),
            {"day": "2027-10-01", "kind": CalendarDayKind.HOLIDAY, "name": "国庆节"},
        )

    assert response.status_code == 302
    entered = CalendarDay.objects.get(day=date(2027, 10, 1))
    assert entered.added_by == legal
    event = AuditEvent.objects.get(action="calendar.day_added")
    assert event.data == {"day": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    assert working_days_between(date(2027, 9, 30), date(2027, 10, 1)) == 0


@pytest.mark.parametrize(
    "day, kind, says",
    [
        ("2026-03-07", CalendarDayKind.HOLIDAY, "already counts as a day off"),  # an ordinary Saturday
        ("2026-03-04", CalendarDayKind.WORKDAY, "already counts as a working day"),  # an ordinary Wednesday
        ("2026-02-16", CalendarDayKind.HOLIDAY, "already counts as a day off"),  # in the Spring Festival
    ],
)
def test_an_entry_that_changes_nothing_is_refused_saying_why(client, legal, day, kind, says):
    client.force_login(legal)

    response = client.post(
        reverse("admin:reviews_calendarday_add"), {"day": day, "kind": kind, "name": "测试"}
    )

    assert response.status_code == 200 and says in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_request_reads_the_calendar_from_the_cache_once_and_the_next_sees_a_change(
    client, legal, monkeypatch
):
    """A page counting days for every row reads the kept calendar from the cache once, not once a row; a
    change Legal makes is seen by the next request, and outside a request at once."""
    from reviews import working_days

    reads = []
    real_get = working_days.django_cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(working_days.django_cache, "get", counting_get)
    working_days._request_starts()  # what Django's request_started signal calls
    for _ in range(20):
        assert working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5
    assert reads.count(working_days.CACHE_KEY) == 1
    working_days._request_ends()

    reads.clear()
    for _ in range(3):
        working_days_between(date(2026, 3, 2), date(2026, 3, 9))
    assert reads.count(working_days.CACHE_KEY) == 3  # outside a request: asked every time
    CalendarDay.objects.create(day=date(2026, 3, 4), kind=CalendarDayKind.HOLIDAY, name="更正")
    working_days._forget()  # what forget_calendar does once Legal's change is committed
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 4

    # The signals are wired: a real request starts keeping and leaves nothing kept behind it.
    client.force_login(legal)
    assert client.get(DESK).status_code == 200
    assert getattr(working_days._request, "calendar", None) is None
    assert not getattr(working_days._request, "open", False)
