"""QuickWidgets: a form renderer that writes Django's own widget templates for a text, date, check box, text area
or drop-down input (django/forms/widgets/input.html, textarea.html, select.html and the templates they include)
and for one box of a group of check boxes or radio buttons (checkbox_option.html, radio_option.html, as a
page that lays the group out itself asks for them) in Python, and hands every other template to Django's
renderer.

Each input of a form is a template with an included template for its attributes, and a drop-down one more per
option: the activity form has a dozen of them. The markup is Django's, white space included; the templates'
context is the widget's own (Widget.get_context), so what an input holds, its attributes and its options are
decided where they were (tests/activities/test_form_fields.py compares both)."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (text.html, date.html, checkbox.html include it)."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{attributes(widget["attrs"])}>\n'


def _typed_input(widget: dict) -> str:
    """text.html, date.html, checkbox.html: input.html included, and the file's own line end."""
    return _input(widget) + "\n"


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>\n'


def _option(option: dict) -> str:
    """django/forms/widgets/select_option.html."""
    return (
        f'<option value="{escape(str(option["value"]))}"{attributes(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _choice_option(widget: dict) -> str | None:
    """checkbox_option.html, radio_option.html (input_option.html): one box of a group of check boxes or radio
    buttons, as BoundWidget.tag() asks for it (without its label); with its label, Django's templates."""
    if widget.get("wrap_label"):
        return None
    return _input(widget)


OPTION = "django/forms/widgets/select_option.html"
WRITERS = {
    "django/forms/widgets/checkbox_option.html": _choice_option,
    "django/forms/widgets/radio_option.html": _choice_option,
    "django/forms/widgets/text.html": _typed_input,
    "django/forms/widgets/date.html": _typed_input,
    "django/forms/widgets/checkbox.html": _typed_input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class QuickWidgets(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None and "widget" in context:
            written = write(context["widget"])
            if written is not None:
                # Django's renderer strips what a template writes around its markup, so does this.
                return mark_safe(written.strip())
        return super().render(template_name, context, request)
