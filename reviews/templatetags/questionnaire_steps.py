"""{{ progress|section_steps:section }}: the sections of the questionnaire as steps, one link each with its
answered count and red flags (reviews/_questionnaire_steps.html), written as the loop it replaces wrote them,
white space included:

    {% for p in progress %}{% with current=section.pk|default_if_none:0 %}
    <a class="... step-{{ p.section.code }}{% if p.section.pk == current %} active{% endif %}" ...>
      ...
    </a>
    {% endwith %}{% endfor %}

Eight sections, each link some twenty nodes resolved in the template's context, on every page of the
questionnaire and on the vendor contact's home. `progress`: reviews.views.questionnaire.questionnaire_progress;
`section`: the section shown, or None. tests/reviews/questionnaire/test_widgets.py holds it equal to the
loop."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

CURRENT = ' aria-current="step"'


def _text(value) -> str:
    """{{ value }}: localized, escaped unless safe."""
    return conditional_escape(localize(value))


@register.filter
def section_steps(progress, section) -> str:
    current = getattr(section, "pk", None)  # section.pk|default_if_none:0
    current = 0 if current is None else current
    red_flags_title = conditional_escape(gettext("Red flags"))
    parts = []
    for p in progress:
        step = p["section"]
        here = step.pk == current
        flags = (
            f'<span class="badge text-bg-danger" title="{red_flags_title}">⚑ {_text(p["red_flags"])}</span>'
            if p["red_flags"]
            else ""
        )
        parts.append(
            '\n    <a class="list-group-item list-group-item-action d-flex justify-content-between '
            f'align-items-start gap-2 step-{_text(step.code)}{" active" if here else ""}" '
            f'href="{_text(p["url"])}"{CURRENT if here else ""}>\n'
            f"      <span>{_text(step.code)}. {_text(step.title)}</span>\n"
            '      <span class="text-nowrap">\n'
            f"        {flags}\n"
            f'        <span class="badge {"text-bg-light border" if p["missing"] else "text-bg-success"}">'
            f"{_text(p['answered'])}/{_text(p['total'])}</span>\n"
            "      </span>\n"
            "    </a>\n"
            "    "
        )
    return mark_safe("".join(parts))
