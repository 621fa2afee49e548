"""{{ value|ymd }} and {{ value|ymd_hm }} (vendors/templatetags/dates.py) write what Django's date filter writes
with "Y-m-d" and "Y-m-d H:i", in the current time zone, in every language."""

from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
from django.template import engines
from django.utils import timezone, translation

render = engines["django"].from_string

VALUES = [date(2026, 2, 28), date(1999, 12, 31),
          datetime(2026, 11, 30, 21, 5, tzinfo=dt_timezone.utc),  # the next day in Shanghai
          datetime(2026, 6, 1, 0, 0, tzinfo=dt_timezone(timedelta(hours=-7))),
          timezone.now(), None, ""]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
@pytest.mark.parametrize("value", VALUES)
def test_they_write_what_the_date_filter_writes(value, zone, language):
    with timezone.override(zone), translation.override(language):
        day = render('{{ v|date:"Y-m-d" }}').render({"v": value})
        assert render("{% load dates %}{{ v|ymd }}").render({"v": value}) == day
        if isinstance(value, date) and not isinstance(value, datetime):
            # Django's filter refuses a time format for a day; ymd_hm shows the day.
            expected = day
        else:
            expected = render('{{ v|date:"Y-m-d H:i" }}').render({"v": value})
        assert render("{% load dates %}{{ v|ymd_hm }}").render({"v": value}) == expected


def test_an_aware_time_is_shown_in_the_current_time_zone():
    late = datetime(2026, 11, 30, 21, 5, tzinfo=dt_timezone.utc)
    with timezone.override("Asia/Shanghai"):
        assert render("{% load dates %}{{ v|ymd }} {{ v|ymd_hm }}").render({"v": late}) == "2026-12-01 2026-12-01 05:05"
