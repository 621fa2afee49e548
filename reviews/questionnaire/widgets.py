"""The form renderer of the questionnaire's sections (SectionForm): Django's own widget templates for a radio
button or a check box of a group, a text area and a file input, written in Python; every other template is
left to Django's renderer.

A section page shows some forty options and a dozen text areas, each a template with one or two included
ones (input_option.html, input.html, attrs.html): most of the page's time. The markup is Django's, white space
included, and the context the writers read is the widget's own (Widget.get_context), so what an input holds,
its attributes and its options are decided where they were; tests/reviews/questionnaire/test_widgets.py holds
each writer equal to Django's template for every kind of question. The same pattern as the activity form's
(activities.widgets), copied here: reviews does not import activities."""

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = conditional_escape(name)
        out.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html, with the line end its file has."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{attributes(widget['attrs'])}>\n"
    )


def _input_option(widget: dict) -> str:
    """django/forms/widgets/radio_option.html and checkbox_option.html (both input_option.html): the input of
    one option, in its label when the option is asked with one (BoundWidget.tag(wrap_label=True))."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)} {conditional_escape(widget['label'])}</label>"


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>'


def _file_input(widget: dict) -> str | None:
    """django/forms/widgets/clearable_file_input.html without a file already kept (the questionnaire's never
    has one: each upload is a new file of its own); Django's template otherwise."""
    if widget.get("is_initial"):
        return None
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{attributes(widget['attrs'])}>"
    )


WRITERS = {
    "django/forms/widgets/radio_option.html": _input_option,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/clearable_file_input.html": _file_input,
}


class QuestionWidgets(BaseRenderer):
    """Writes the templates of WRITERS (as Django's renderer does, stripped of the white space around them);
    hands every other one to the site's form renderer."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None and "widget" in context:
            written = write(context["widget"])
            if written is not None:
                return mark_safe(written.strip())
        return get_default_renderer().render(template_name, context, request=request)

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)


QUESTION_WIDGETS = QuestionWidgets()
