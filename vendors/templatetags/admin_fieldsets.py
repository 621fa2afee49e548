"""{% quick_fieldset fieldset heading_level=2 prefix="fieldset" id_prefix=0 id_suffix=n %}: the admin's
admin/includes/fieldset.html (a change form's fieldset: its heading, its lines, each field's label, input or
read-only contents, errors and help text), the same elements, attributes and words, written in Python.

The template tests each line and each field through some thirty lookups and conditions, and iterates each line
twice (its classes, then its fields), making every field's AdminField or AdminReadonlyField anew each time: on
the change forms of a vendor or an account that loop was most of the page. Here each line's fields are made
once and the markup written around them; what each piece shows is still Django's (the field's input as
str(BoundField), AdminField.label_tag, AdminReadonlyField.contents, the errors' as_ul), and each value is
written as the template writes it (render_value_in_context). Only the white space between elements differs
(tests/test_admin_markup.py holds the rest equal on every change form of the site). Every admin change form
writes its fieldsets so (templates/admin/change_form.html)."""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import safe
from django.utils.safestring import mark_safe

register = template.Library()


def _field_attr(field, name: str):
    """{{ field.field.<name> }}: a BoundField's attribute, or a read-only field's entry (a dict), "" when it
    has none (as the template language resolves a missing lookup)."""
    inner = field.field
    if isinstance(inner, dict):
        return inner.get(name, "")
    return getattr(inner, name, "")


def _field(context, field, single: bool) -> str:
    """One field's <div> of a line."""
    out = lambda value: render_value_in_context(value, context)  # noqa: E731
    name = _field_attr(field, "name")
    is_hidden = _field_attr(field, "is_hidden")
    errors = "" if field.is_readonly else field.errors()
    parts = ["<div>"]
    if not single and not field.is_readonly:
        parts.append(out(errors))
    classes = "flex-container"
    if not single:
        classes += " fieldBox"
        if name:
            classes += f" field-{out(name)}"
        if not field.is_readonly and errors:
            classes += " errors"
        if is_hidden:
            classes += " hidden"
    if field.is_checkbox:
        classes += " checkbox-row"
    parts.append(f'<div class="{classes}">')
    if field.is_checkbox:
        parts.append(f"{out(field.field)}{out(field.label_tag())}")
    else:
        parts.append(out(field.label_tag()))
        if field.is_readonly:
            parts.append(f'<div class="readonly">{out(field.contents())}</div>')
        else:
            parts.append(out(field.field))
    parts.append("</div>")
    help_text = _field_attr(field, "help_text")
    if help_text:
        id_for_label = _field_attr(field, "id_for_label")
        help_id = f' id="{out(id_for_label)}_helptext"' if id_for_label else ""
        parts.append(
            f'<div class="help{" hidden" if is_hidden else ""}"{help_id}><div>{out(safe(help_text))}</div></div>'
        )
    parts.append("</div>")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def quick_fieldset(context, fieldset, heading_level=2, prefix="", id_prefix="", id_suffix="") -> str:
    """admin/includes/fieldset.html for `fieldset`, as change_form.html includes it."""
    out = lambda value: render_value_in_context(value, context)  # noqa: E731
    level = out(heading_level or 2)
    heading_id = f"{out(prefix)}-{out(id_prefix)}-{out(id_suffix)}-heading"
    labelled = f' aria-labelledby="{heading_id}"' if fieldset.name else ""
    parts = [f'<fieldset class="module aligned {out(fieldset.classes)}"{labelled}>']
    if fieldset.name:
        collapsible = fieldset.is_collapsible
        parts.append(
            f"{'<details><summary>' if collapsible else ''}"
            f'<h{level} id="{heading_id}" class="fieldset-heading">{out(fieldset.name)}</h{level}>'
            f"{'</summary>' if collapsible else ''}"
        )
    if fieldset.description:
        parts.append(f'<div class="description">{out(safe(fieldset.description))}</div>')
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        classes = "form-row"
        if single and line.errors():
            classes += " errors"
        if not line.has_visible_field:
            classes += " hidden"
        for field in fields:
            name = _field_attr(field, "name")
            if name:
                classes += f" field-{out(name)}"
        parts.append(f'<div class="{classes}">')
        parts.append(out(line.errors()) if single else '<div class="flex-container form-multiline">')
        parts.extend(_field(context, field, single) for field in fields)
        if not single:
            parts.append("</div>")
        parts.append("</div>")
    if fieldset.name and fieldset.is_collapsible:
        parts.append("</details>")
    parts.append("</fieldset>")
    return mark_safe("".join(parts))
