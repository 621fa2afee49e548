"""{{ value|ymd }} and {{ value|ymd_hm }} (vendors/templatetags/dates.py) write what Django's |date:"Y-m-d"
and |date:"Y-m-d H:i" write, in the active time zone."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

MOMENTS = [
    datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(2024, 12, 31, 17, 59, tzinfo=UTC),
    datetime(2024, 12, 31, 16, 0, tzinfo=UTC),
    datetime(999, 3, 4, 5, 6, tzinfo=UTC),
    datetime(2025, 6, 30, 23, 30),
]


def _render(source: str, value) -> str:
    return Template("{% load dates %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/Los_Angeles"])
@pytest.mark.parametrize("value", MOMENTS)
def test_a_moment_is_written_as_django_writes_it_in_the_active_time_zone(value, zone):
    with timezone.override(zone):
        assert _render("{{ value|ymd_hm }}", value) == _render('{{ value|date:"Y-m-d H:i" }}', value)
        assert _render("{{ value|ymd }}", value) == _render('{{ value|date:"Y-m-d" }}', value)


@pytest.mark.parametrize("value", [date(2024, 2, 29), date(1, 1, 1)])
def test_a_day_is_written_as_django_writes_it(value):
    assert _render("{{ value|ymd }}", value) == _render('{{ value|date:"Y-m-d" }}', value)


@pytest.mark.parametrize("value", [None, "", "2024-01-02", 3])
def test_anything_else_is_empty_as_with_django(value):
    assert _render("{{ value|ymd }}", value) == _render('{{ value|date:"Y-m-d" }}', value) == ""
    assert _render("{{ value|ymd_hm }}", value) == _render('{{ value|date:"Y-m-d H:i" }}', value) == ""


def test_a_day_has_no_time_of_day_as_with_django():
    with pytest.raises(TypeError):
        _render('{{ value|date:"Y-m-d H:i" }}', date(2024, 1, 2))
    with pytest.raises(TypeError):
        _render("{{ value|ymd_hm }}", date(2024, 1, 2))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_same_in_every_language(language):
    moment = datetime(2026, 11, 30, 21, 5, tzinfo=UTC)  # the next day in Shanghai
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert _render("{{ value|ymd }} {{ value|ymd_hm }}", moment) == "2026-12-01 2026-12-01 05:05"
        expected = "2026-12-01 2026-12-01 05:05"
        assert _render('{{ value|date:"Y-m-d" }} {{ value|date:"Y-m-d H:i" }}', moment) == expected
