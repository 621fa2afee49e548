"""{{ text|cite }}: a legal citation in the page's language, as vendors.citations writes it."""

from django import template

from vendors.citations import citation

register = template.Library()


@register.filter
def cite(text) -> str:
    return citation(str(text)) if text else ""
