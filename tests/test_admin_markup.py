"""Every admin page writes its navigation sidebar in Python (activities.templatetags.admin_sidebar, through
templates/admin/base_site.html), every admin list its rows (vendors.templatetags.register_rows, through
templates/admin/change_list.html) and every change form its fieldsets (vendors.templatetags.admin_fieldsets,
through templates/admin/change_form.html): the same markup as Django's admin/nav_sidebar.html,
{% result_list %} and admin/includes/fieldset.html, but for the white space between elements, on every table of
the site, for every reader, in both languages."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_list
from django.template.loader import render_to_string
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.site_world import build_world

pytestmark = pytest.mark.django_db

RESULTS = r'<div class="results">.*?</table>\s*</div>'
SIDEBAR = r'<button class="sticky toggle-nav-sidebar".*?</nav>'
READERS = ("legal", "security", "auditor", "superuser")


def markup(html) -> str:
    html = re.sub(r"\s+<", "<", str(html))
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+", " ", html).strip()


def part(body: str, pattern: str) -> str | None:
    found = re.search(pattern, body, re.DOTALL)
    return markup(found.group(0)) if found else None


def djangos_sidebar(response) -> str | None:
    return part(
        render_to_string(
            "admin/nav_sidebar.html",
            {"available_apps": response.context["available_apps"], "request": response.wsgi_request},
        ),
        SIDEBAR,
    )


@pytest.fixture
def world(monkeypatch):
    return build_world(monkeypatch)


@pytest.fixture
def readers(world):
    clients = {}
    for reader in READERS:
        clients[reader] = Client()
        clients[reader].force_login(world.users[reader])
    return clients


def pages(world, view: str) -> list[tuple[str, str]]:
    """(table, path) of the `view` page ("changelist" or "change") of every table of the site."""
    out = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
        try:
            path = reverse(name, args=[world.ids[model._meta.model_name]] if view == "change" else [])
        except (KeyError, NoReverseMatch):
            continue
        out.append((model._meta.label, path))
    return out


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_list_writes_djangos_rows_and_sidebar(world, readers, language):
    checked = set()
    for table, path in pages(world, "changelist"):
        for reader, client in readers.items():
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200 or "cl" not in (response.context or {}):
                continue
            body = response.content.decode()
            cl = response.context["cl"]
            djangos_rows = part(render_to_string("admin/change_list_results.html", result_list(cl)), RESULTS)
            assert part(body, RESULTS) == djangos_rows, (table, reader)
            assert part(body, SIDEBAR) == djangos_sidebar(response), (table, reader)
            checked.add((table, bool(cl.result_list), "action-select" in body))
    tables = {table for table, _rows, _checkboxes in checked}
    assert {"reviews.Review", "reviews.Evidence", "reviews.AuditEvent", "vendors.Certification"} <= tables
    assert any(rows and checkboxes for _table, rows, checkboxes in checked)  # a list with its action boxes


def djangos_fieldsets(response, language) -> str:
    with translation.override(language):
        return markup(
            "".join(
                render_to_string(
                    "admin/includes/fieldset.html",
                    {
                        "fieldset": fieldset,
                        "heading_level": 2,
                        "prefix": "fieldset",
                        "id_prefix": 0,
                        "id_suffix": n,
                    },
                )
                for n, fieldset in enumerate(response.context["adminform"])
            )
        )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_change_and_add_page_writes_djangos_sidebar_and_fieldsets(world, readers, language):
    checked, forms = set(), set()
    for table, path in pages(world, "change") + pages(world, "add"):
        for reader, client in readers.items():
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            if (
                response.status_code != 200
                or not response.context
                or "available_apps" not in response.context
            ):
                continue
            body = response.content.decode()
            if "adminform" in response.context:
                fieldsets = djangos_fieldsets(response, language)
                assert fieldsets.startswith('<fieldset class="module aligned'), (table, reader)
                assert fieldsets in markup(body), (table, reader)
                forms.add((table, "readonly" in fieldsets, "<input" in fieldsets))
            shown = part(body, SIDEBAR)
            if shown is None:  # a page without the sidebar (the reviewers' workbench pages)
                continue
            assert shown == djangos_sidebar(response), (table, reader)
            checked.add(table)
    assert {"vendors.Vendor", "auth.User", "reviews.Evidence"} <= checked
    assert {"vendors.Vendor", "auth.User", "auth.Group", "reviews.CalendarDay"} <= {t for t, _r, _i in forms}
    assert any(readonly for _t, readonly, _i in forms) and any(inputs for _t, _r, inputs in forms)
