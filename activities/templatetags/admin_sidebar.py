"""{% quick_nav_sidebar %}: the admin's navigation sidebar (admin/nav_sidebar.html, which includes
admin/app_list.html without its change links), the same elements, attributes and words, written in Python. Every
admin page writes it (templates/admin/base_site.html; tests/test_admin_markup.py holds it equal on each table).

The template writes a dozen tables' rows through some forty variable lookups and three `request.path|urlencode`
tests each: on the desk's lists of activities and scope extensions that was a fifth of the page. Only the white
space between elements differs (tests/activities/test_admin_rows.py holds the rest equal). The app list is
the one the site gives every admin page (each_context's available_apps), so that what a reviewer may open is
decided where it was."""

from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from vendors.admin_wording import APP_LIST_HEADINGS

register = template.Library()


def _within(part, path: str) -> bool:
    """`{% if part in path %}` as the template language tests it (a failing test is false)."""
    try:
        return part in path
    except TypeError:
        return False


def _django_admins(message: str) -> str:
    """One of Django admin's own messages, in Django's own translation, as its templates have it. Asked through
    a variable, which makemessages does not collect: the project's catalogue does not take them over."""
    return gettext(message)


def _text(message: str) -> str:
    """{% translate message %}."""
    return conditional_escape(_django_admins(message))


def app_list_html(app_list, path: str) -> str:
    """admin/app_list.html with show_changelinks=False, for the request's `path`."""
    if not app_list:
        return f"<p>{_text('You don’t have permission to view or edit anything.')}</p>"
    path = quote(path, safe="/")
    headings = (
        '<thead class="visually-hidden"><tr>'
        + "".join(f'<th scope="col">{_text(heading)}</th>' for heading in APP_LIST_HEADINGS)
        + "</tr></thead>"
    )
    add = _text("Add")
    parts = []
    for app in app_list:
        label = escape(app["app_label"])
        name = conditional_escape(app["name"])
        title = _django_admins("Models in the %(name)s application") % {"name": name}
        current = " current-app" if _within(app["app_url"], path) else ""
        parts.append(
            f'<div class="app-{label} module{current}"><table><caption>'
            f'<a href="{escape(app["app_url"])}" class="section" title="{title}">{name}</a>'
            f"</caption>{headings}"
        )
        for model in app["models"]:
            model_name = escape(str(model["object_name"]).lower())
            row_id = f"{label}-{model_name}"
            admin_url = model.get("admin_url")
            here = _within(admin_url, path)
            parts.append(
                f'<tr class="model-{model_name}{" current-model" if here else ""}">'
                f'<th scope="row" id="{row_id}">'
            )
            model_text = conditional_escape(model["name"])
            if admin_url:
                current_page = ' aria-current="page"' if here else ""
                parts.append(f'<a href="{escape(admin_url)}"{current_page}>{model_text}</a>')
            else:
                parts.append(model_text)
            parts.append("</th>")
            add_url = model.get("add_url")
            if add_url:
                parts.append(
                    f'<td><a href="{escape(add_url)}" class="addlink" aria-describedby="{row_id}">{add}</a></td>'
                )
            else:
                parts.append("<td></td>")
            parts.append("</tr>")
        parts.append("</table></div>")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def quick_nav_sidebar(context) -> str:
    """admin/nav_sidebar.html."""
    request = context["request"]
    return mark_safe(
        '<button class="sticky toggle-nav-sidebar" id="toggle-nav-sidebar" '
        f'aria-label="{_text("Toggle navigation")}"></button>'
        f'<nav class="sticky" id="nav-sidebar" aria-label="{_text("Sidebar")}">'
        f'<input type="search" id="nav-filter" placeholder="{_text("Start typing to filter…")}" '
        f'aria-label="{_text("Filter navigation items")}">'
        f"{app_list_html(context.get('available_apps'), request.path)}</nav>"
    )
