"""{{ labels|listed }}: labels joined as each language writes a list (、 in Chinese, a comma in English), the
same way the pre-check's findings join them (activities.precheck)."""

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def listed(values) -> str:
    separator = "、" if (translation.get_language() or "").startswith("zh") else ", "
    return separator.join(str(value) for value in values or ())
