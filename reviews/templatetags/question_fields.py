"""{{ row.value|question_choices:row.is_multi }}: the options of a question of the questionnaire's sections
(reviews/_section_step.html), written as the loop they replace wrote them, white space included:

    {% for choice in field %}
    <div class="form-check{% if not multi %} form-check-inline{% endif %}">{{ choice.tag }}<label
      class="form-check-label" for="{{ choice.id_for_label }}">{{ choice.choice_label }}</label></div>
    {% endfor %}

(on one line in the template, indented by twelve spaces). A section shows some forty options: the loop's
nodes, each resolved in the template's context, were a good part of its rendering. The input of each option
is still the widget's (BoundWidget.tag's, as the form's renderer writes it); tests/reviews/questionnaire/
test_widgets.py holds the whole equal to the loop for every kind of question."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..questionnaire.widgets import WRITERS, QuestionWidgets

register = template.Library()

INDENT = "\n            "


def _tag(choice) -> str:
    """{{ choice.tag }}: the option's input, written here when the form's renderer would write it (no
    dispatch through the renderer), by the renderer otherwise."""
    write = WRITERS.get(choice.template_name) if isinstance(choice.renderer, QuestionWidgets) else None
    written = write({**choice.data, "wrap_label": False}) if write is not None else None
    return written.strip() if written is not None else choice.tag()


@register.filter
def question_choices(field, multi) -> str:
    inline = "" if multi else " form-check-inline"
    return mark_safe(
        "".join(
            f'{INDENT}<div class="form-check{inline}">{_tag(choice)}<label class="form-check-label" '
            f'for="{conditional_escape(choice.id_for_label)}">{conditional_escape(choice.choice_label)}</label>'
            f"</div>{INDENT}"
            for choice in field
        )
    )
