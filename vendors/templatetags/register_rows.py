"""{% register_result_list cl %}: the admin's {% result_list cl %} (the same headers, rows and markup, action
checkboxes included), with the rows written at less cost. Written for the vendor register, it now writes every
admin list's rows (templates/admin/change_list.html; tests/test_admin_markup.py holds each table's equal).

Django's items_for_result renders each row's action checkbox through the form renderer's templates (a
CheckboxInput a row), builds every cell with format_html, and parses and writes each row link's query again
(admin_urls.add_preserved_filters): on a page of 25 vendors that was most of the list's time. Here what is the
same for every row is worked out once per list (which column links and with which tag, how each column is
read, the empty value), a choice's display once per value, the link's query once per list, and the checkbox is
written as the widget writes it. What a cell shows is still Django's (lookup_field, display_for_field,
display_for_value, conditional_escape); tests/vendors/test_register_rows.py holds the markup equal to
Django's, whatever the filter, sort, search, language or reader.

A list that is not a plain list (a formset of list_editable, a pop-up, to_field, a callable column) is left to
Django's own rows. The desk's lists of activities have their own such tag (activities.templatetags.admin_rows,
which has no action checkbox to write); vendors, the lower layer, does not import it."""

import datetime

from django import template
from django.contrib.admin import helpers
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# Django admin's own words for the checkbox's label, in Django's own translation: asked through a variable,
# which makemessages does not collect, so that the project's catalogue does not take them over.
_CHECKBOX_LABEL = "Select this object for an action - {}"
_NO_LINK = object()


def _plain(cl) -> bool:
    return (
        cl.formset is None
        and not cl.is_popup
        and not cl.to_field
        and all(isinstance(name, str) for name in cl.list_display)
    )


class Column:
    """One column of the list, worked out once: its cell's class, "th"/"td" when the cell links to the row's
    page (as items_for_result decides), and how a row's value is read (as lookup_field reads it)."""

    def __init__(self, cl, name: str, tag: str | None):
        self.name, self.tag = name, tag
        self.css = "action-checkbox" if name == "action_checkbox" else f"field-{name}"
        self.field = None
        self.method = None
        try:
            self.field = admin_utils._get_non_gfk_field(cl.lookup_opts, name)  # type: ignore[attr-defined]
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if hasattr(cl.model_admin, name) and name != "__str__":
                self.method = getattr(cl.model_admin, name)

    def lookup(self, result, model_admin):
        """lookup_field(name, result, model_admin)."""
        if self.field is not None:
            return self.field, None, getattr(result, self.name)
        if self.method is not None:
            return None, self.method, self.method(result)
        return lookup_field(self.name, result, model_admin)


def _columns(cl) -> list[Column]:
    columns = []
    first = True
    for name in cl.list_display:
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = None
        if link:
            tag = "th" if first else "td"
            first = False
        columns.append(Column(cl, name, tag))
    return columns


def _remembered(field) -> bool:
    """A field whose display depends on its value alone (a choice, a yes/no): shown once per value."""
    return bool(getattr(field, "flatchoices", None)) or isinstance(field, models.BooleanField)


def checkbox(result) -> str:
    """ModelAdmin.action_checkbox(result), as its CheckboxInput renders it."""
    label = gettext(_CHECKBOX_LABEL).format(escape(str(result)))
    return (
        f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{escape(str(result.pk))}" '
        f'class="action-select" aria-label="{conditional_escape(mark_safe(label))}">'
    )


class RowLink:
    """The link of each row, add_preserved_filters(url_for_result(row)) as items_for_result writes it; the
    rows' links differ by their path alone, so their query is written once per list."""

    def __init__(self, cl):
        self.cl = cl
        self.context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        self.queries: dict[str, str] = {}

    def __call__(self, result) -> str | None:
        try:
            url = self.cl.url_for_result(result)
        except NoReverseMatch:
            return None
        path, _sep, query = url.partition("?")
        if self.cl.preserved_filters or "#" in url:
            return escape(add_preserved_filters(self.context, url))
        if query not in self.queries:
            self.queries[query] = add_preserved_filters(self.context, f"/?{query}")[1:]
        return escape(path + self.queries[query])


def _cell(column, result, model_admin, default_empty, shown) -> tuple[str, str]:
    """(classes, escaped content) of one cell, as items_for_result makes them."""
    empty = default_empty
    classes = column.css
    try:
        field, attr, value = column.lookup(result, model_admin)
    except ObjectDoesNotExist:
        return classes, conditional_escape(empty)
    empty = getattr(attr, "empty_value_display", empty)
    if isinstance(value, str) and value.strip() == "":
        value = ""
    if field is None or field.auto_created:
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        shown_value = display_for_value(value, empty, boolean)
        if isinstance(value, (datetime.date, datetime.time)):
            classes += " nowrap"
        return classes, conditional_escape(shown_value)
    if isinstance(field.remote_field, models.ManyToOneRel):
        field_value = getattr(result, field.name)
        shown_value = empty if field_value is None else field_value
    elif _remembered(field):
        key = (column.name, empty, value)
        try:
            shown_value = shown[key]
        except KeyError:
            shown_value = shown[key] = display_for_field(
                value, field, empty, avoid_link=column.tag is not None
            )
        except TypeError:  # an unhashable value
            shown_value = display_for_field(value, field, empty, avoid_link=column.tag is not None)
    else:
        shown_value = display_for_field(value, field, empty, avoid_link=column.tag is not None)
    if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
        classes += " nowrap"
    return classes, conditional_escape(shown_value)


def register_results(cl):
    """The rows of `cl` as admin_list.results gives them, one ResultList per row holding the row's markup."""
    if not _plain(cl):
        yield from admin_list.results(cl)
        return
    model_admin = cl.model_admin
    default_empty = model_admin.get_empty_value_display()
    columns = _columns(cl)
    link_of = RowLink(cl)
    shown: dict = {}
    for result in cl.result_list:
        url = None
        cells = []
        for column in columns:
            if column.name == "action_checkbox":
                cells.append(f'<td class="action-checkbox">{checkbox(result)}</td>')
                continue
            classes, text = _cell(column, result, model_admin, default_empty, shown)
            tag = column.tag
            if tag is None:
                cells.append(f'<td class="{classes}">{text}</td>')
                continue
            if url is None:
                url = link_of(result) or _NO_LINK
            content = text if url is _NO_LINK else f'<a href="{url}">{text}</a>'
            cells.append(f'<{tag} class="{classes}">{content}</{tag}>')
        yield admin_list.ResultList(None, [mark_safe("".join(cells))])


def register_result_list(cl):
    """admin_list.result_list, with the rows of register_results."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": list(register_results(cl)),
    }


@register.tag(name="register_result_list")
def register_result_list_tag(parser, token):
    # django-stubs give InclusionAdminNode a `name` Django's does not take.
    return InclusionAdminNode(  # type: ignore[call-arg]
        parser,
        token,
        func=register_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
