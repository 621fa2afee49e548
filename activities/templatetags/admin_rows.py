"""{% quick_result_list cl %}: the admin's {% result_list cl %} (same headers, same rows, same markup), with the
rows written at less cost, for the desk's lists of activities and scope extensions.

Django's items_for_result builds every cell with format_html (a lazy-aware escape of each of its four
arguments), asks for the empty value's display and resolves each link's preserved filters again for every cell
(admin_urls.add_preserved_filters parses and writes the URL's query anew), and the template then writes each
cell as a value of its own: on a page of 25 rows of 7 columns, that is most of the list's time. Here what is
the same for every row is worked out once per list (which columns link and with which tag, the empty value),
each row's link once per row, a choice's or a yes/no's display once per value, and a row reaches the template
as one piece of markup. What a cell shows is still Django's (lookup_field, display_for_field,
display_for_value, conditional_escape): only the work around it is saved.

A list that is not a plain read-only list (a formset of list_editable, a popup, an action checkbox, to_field)
is left to Django's own rows."""

import datetime

from django import template
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

register = template.Library()

_NO_LINK = object()


def _plain(cl) -> bool:
    return (
        cl.formset is None
        and not cl.is_popup
        and not cl.to_field
        and "action_checkbox" not in cl.list_display
        and all(isinstance(name, str) for name in cl.list_display)
    )


class Column:
    """One column of the list, worked out once: its cell's first class, "th"/"td" when the cell links to the
    row's page (as items_for_result decides), and how a row's value is read (as lookup_field reads it)."""

    def __init__(self, cl, name: str, tag: str | None):
        self.name, self.css, self.tag = name, f"field-{name}", tag
        self.field = None
        self.method = None
        try:
            # lookup_field's own test of a column that is a model field, so that both read it alike.
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


class RowLink:
    """The link of each row, add_preserved_filters(url_for_result(row)) as items_for_result writes it. The
    rows' links differ by their path alone (RowLinksChangeList preserves no filter of its own: each link
    carries the list's query), so the query is written once per list."""

    def __init__(self, cl):
        self.cl = cl
        self.context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        self.queries: dict[str, str] = {}

    def __call__(self, result) -> str | None:
        try:
            url = self.cl.url_for_result(result)
        except NoReverseMatch:
            return None
        if self.cl.preserved_filters:
            return escape(add_preserved_filters(self.context, url))
        path, _sep, query = url.partition("?")
        if "#" in path or "#" in query:
            return escape(add_preserved_filters(self.context, url))
        if query not in self.queries:
            self.queries[query] = add_preserved_filters(self.context, f"/?{query}")[1:]
        return escape(path + self.queries[query])


def quick_results(cl):
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
            name, tag = column.name, column.tag
            empty = default_empty
            classes = column.css
            try:
                field, attr, value = column.lookup(result, model_admin)
            except ObjectDoesNotExist:
                result_repr = empty
            else:
                empty = getattr(attr, "empty_value_display", empty)
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                if field is None or field.auto_created:
                    boolean = getattr(attr, "boolean", False)
                    if isinstance(attr, property) and hasattr(attr, "fget"):
                        boolean = getattr(attr.fget, "boolean", False)
                    result_repr = display_for_value(value, empty, boolean)
                    if isinstance(value, (datetime.date, datetime.time)):
                        classes += " nowrap"
                else:
                    if isinstance(field.remote_field, models.ManyToOneRel):
                        field_value = getattr(result, field.name)
                        result_repr = empty if field_value is None else field_value
                    elif _remembered(field):
                        key = (name, empty, value)
                        try:
                            result_repr = shown[key]
                        except KeyError:
                            result_repr = shown[key] = display_for_field(
                                value, field, empty, avoid_link=tag is not None
                            )
                        except TypeError:  # an unhashable value
                            result_repr = display_for_field(value, field, empty, avoid_link=tag is not None)
                    else:
                        result_repr = display_for_field(value, field, empty, avoid_link=tag is not None)
                    if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                        classes += " nowrap"
            text = conditional_escape(result_repr)
            if tag is None:
                cells.append(f'<td class="{classes}">{text}</td>')
                continue
            if url is None:
                url = link_of(result) or _NO_LINK
            content = text if url is _NO_LINK else f'<a href="{url}">{text}</a>'
            cells.append(f'<{tag} class="{classes}">{content}</{tag}>')
        yield admin_list.ResultList(None, [mark_safe("".join(cells))])


def quick_result_list(cl):
    """admin_list.result_list, with the rows of quick_results."""
    headers = list(admin_list.result_headers(cl))
    context = {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
    }
    context["results"] = list(quick_results(cl))
    return context


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    # django-stubs give InclusionAdminNode a `name` Django's does not take.
    return InclusionAdminNode(  # type: ignore[call-arg]
        parser,
        token,
        func=quick_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
