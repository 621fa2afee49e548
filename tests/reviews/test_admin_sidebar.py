"""The admin's sidebar, built once for each set of permissions and roles in each language (issue 23):
the same tables as before for each reader, and no permission asked again on the next page."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from reviews.admin_site import VettedAdminSite

pytestmark = pytest.mark.django_db


def tables(response) -> set[str]:
    return {
        model["object_name"].lower() for app in response.context["available_apps"] for model in app["models"]
    }


@pytest.fixture(autouse=True)
def fresh_sidebars():
    admin.site._app_lists.clear()
    yield
    admin.site._app_lists.clear()


def test_the_next_page_reads_the_sidebar_kept_without_building_it_again(client, legal, monkeypatch):
    client.force_login(legal)
    first = client.get(reverse("admin:reviews_contactlink_changelist"))
    built = []
    monkeypatch.setattr(
        VettedAdminSite, "_build_app_list", lambda self, request, app_label=None: built.append(1) or []
    )

    second = client.get(reverse("admin:reviews_contactlink_changelist"))

    assert first.status_code == second.status_code == 200
    assert built == []
    assert tables(second) == tables(first)
    assert "review" in tables(first)
    assert "answer" not in tables(first)  # a technical table (reviews.admin_site.TECHNICAL_TABLES)


def test_each_role_and_language_has_its_own_sidebar(client, legal, security, admin_user):
    shown = {}
    for user in (legal, security, admin_user):
        client.force_login(user)
        shown[user.username] = tables(client.get(reverse("admin:reviews_review_changelist")))

    assert "calendarday" in shown["legal"]
    assert "inventoryword" in shown["legal"]
    assert "inventoryword" not in shown["security"]
    assert "answer" in shown[admin_user.username]
    assert len({frozenset(t) for t in shown.values()}) == 3


def test_a_role_given_shows_its_tables_on_the_next_page(client, security):
    client.force_login(security)
    before = tables(client.get(reverse("admin:reviews_review_changelist")))
    security.groups.add(Group.objects.get(name="Legal"))

    after = tables(client.get(reverse("admin:reviews_review_changelist")))

    assert "inventoryword" not in before
    assert "inventoryword" in after
