"""{{ form.field|as_bootstrap_field }}: a form field written as crispy-forms' bootstrap5 pack writes it
({{ form.field|as_crispy_field }}: the same elements, attributes and classes, the label, the errors and the help
text in the same places), in Python.

crispy renders a field through its field template and two or three included ones, and a group of checkboxes
or radio buttons through one more for the group and another for every option's attributes: on the activity
form (seventeen fields, some thirty options) that was most of the page's time. Here the wrapper is written in
Python; the input itself is still the form's (str(field), with the classes crispy's {% crispy_field %} adds:
Django's templates, or activities.widgets for the activity form) and a group's options come from the widget's
optgroups as crispy's take them. Only the white space between elements differs
(tests/activities/test_form_fields.py holds the rest equal, errors and help text included). A field of another
kind (a file, a hidden input, a widget of several inputs) or of a form with a FormHelper is left to
crispy."""

from django import forms, template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from ..widgets import attributes

register = template.Library()

GROUP_WIDGETS = (forms.CheckboxSelectMultiple, forms.RadioSelect)
ASTERISK = '<span class="asteriskField">*</span>'


def _unlocalized(value) -> str:
    """{{ value|unlocalize }}."""
    return conditional_escape(str(localize(value, use_l10n=False)))


def _errors(field) -> str:
    """bootstrap5/layout/field_errors_block.html."""
    items = "".join(
        f'<p id="error_{n}_{escape(field.auto_id)}"><strong>{conditional_escape(error)}</strong></p>'
        for n, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{escape(field.errors.field_id)}_error" class="invalid-feedback">{items}</div>'


def choice_group(field) -> str:
    """The markup of bootstrap5/field.html for a CheckboxSelectMultiple or RadioSelect field, as
    as_crispy_field renders it (no label or field class, labels and errors shown)."""
    invalid = " is-invalid" if field.errors else ""
    css = field.css_classes()
    parts = [f'<div id="div_{escape(field.auto_id)}" class="mb-3{" " + escape(css) if css else ""}">']
    fieldset = field.use_fieldset and field.label
    if field.label:
        if field.use_fieldset:
            described = getattr(field, "aria_describedby", None)
            parts.append(f'<fieldset aria-describedby="{escape(described)}">' if described else "<fieldset>")
        element = "legend" if field.use_fieldset else "label"
        label_for = f' for="{escape(field.id_for_label)}"' if field.id_for_label else ""
        required = field.field.required
        parts.append(
            f'<{element}{label_for} class="form-label{" requiredField" if required else ""}'
            f'{" fs-6" if field.use_fieldset else ""}">{conditional_escape(field.label)}'
            f"{ASTERISK if required else ''}</{element}>"
        )
    parts.append("<div >")
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    name = escape(field.html_name)
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{conditional_escape(group)}</strong>")
        for option_number, option in enumerate(options, start=1):
            parts.append(
                f'<div class="form-check"><input type="{escape(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" value="{_unlocalized(option["value"])}"'
                f'{attributes(option["attrs"])}><label for="{escape(option["attrs"].get("id", ""))}" '
                f'class="form-check-label">{_unlocalized(option["label"])}</label>'
            )
            if field.errors and option_number == len(options) and group_number == len(groups):
                parts.append(_errors(field))
            parts.append("</div>")
    parts.append("</div>")
    parts.append(_help_text(field))
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    return mark_safe("".join(parts))


def _help_and_errors(field) -> str:
    """bootstrap5/layout/help_text_and_errors.html (neither inline): the errors, then the help text."""
    return (_errors(field) if field.errors else "") + _help_text(field)


def _help_text(field) -> str:
    """bootstrap5/layout/help_text.html (not inline)."""
    if not field.help_text:
        return ""
    helptext_id = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {helptext_id}class="form-text">{field.help_text}</div>'


def _add_classes(widget, classes: str) -> None:
    """{% crispy_field field 'class' classes %}: the widget's class name and `classes` added to its class."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    widget.attrs["class"] = css_class
    for name in classes.split():
        if name not in widget.attrs["class"].split():
            widget.attrs["class"] += f" {name}"


def single_field(field) -> str:
    """The markup of bootstrap5/field.html for a field of one input (text, date, select, text area, a
    checkbox), as as_crispy_field renders it."""
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    css = field.css_classes()
    wrapper_class = f" {escape(css)}" if css else ""
    required = field.field.required
    label = f"{conditional_escape(field.label)}{ASTERISK if required else ''}"
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, f"form-check-input{invalid}")
        return mark_safe(
            f'<div class="mb-3"><div id="div_{escape(field.auto_id)}" class="form-check{wrapper_class}">'
            f'{field}<label for="{escape(field.id_for_label)}" '
            f'class="form-check-label{" requiredField" if required else ""}">{label}</label>'
            f"{_help_and_errors(field)}</div></div>"
        )
    _add_classes(widget, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalid)
    parts = [f'<div id="div_{escape(field.auto_id)}" class="mb-3{wrapper_class}">']
    if field.label:
        label_for = f' for="{escape(field.id_for_label)}"' if field.id_for_label else ""
        parts.append(
            f'<label{label_for} class="form-label{" requiredField" if required else ""}">{label}</label>'
        )
    parts += [str(field), _help_and_errors(field), "</div>"]
    return mark_safe("".join(parts))


def _left_to_crispy(field) -> bool:
    widget = field.field.widget
    return (
        getattr(field.form, "helper", None) is not None
        or field.is_hidden
        or isinstance(widget, forms.FileInput)
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
        or (field.use_fieldset and not isinstance(widget, GROUP_WIDGETS))
    )


@register.filter
def as_bootstrap_field(field):
    if _left_to_crispy(field):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    if isinstance(field.field.widget, GROUP_WIDGETS):
        return choice_group(field)
    return single_field(field)
