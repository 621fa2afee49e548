"""{{ user|person }}: a person's name as vendors.people.person_name writes it."""

from django import template

from vendors.people import person_name

register = template.Library()


@register.filter
def person(user) -> str:
    return person_name(user) if user else ""
