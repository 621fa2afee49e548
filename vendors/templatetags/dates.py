"""{{ value|ymd }} and {{ value|ymd_hm }}: a date as 2026-11-30, a time as 2026-11-30 09:05, in the current time
zone. What {{ value|date:"Y-m-d" }} and {{ value|date:"Y-m-d H:i" }} write, for the rows of a list: those
formats are the same in every language, and Django's date filter looks the format up for the active language
on every call (tens of microseconds each, a list of fifty rows spends milliseconds on it)."""

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def ymd(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, date) else ""


@register.filter(expects_localtime=True, is_safe=False)
def ymd_hm(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return ymd(value)
