"""The accounts' and groups' admin pages write their two-box choosers (groups, permissions) in Python
(reviews.account_widgets) and their sidebar with activities.templatetags.admin_sidebar: the same markup as
Django's FilteredSelectMultiple and nav_sidebar.html, the same options chosen, in any language; what the
superuser saves is saved as before; the pages ask as many queries whatever the number of permissions."""

import re

import pytest
from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reviews.account_widgets import QuickFilteredSelectMultiple
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIDEBAR = r'<button class="sticky toggle-nav-sidebar".*?</nav>'


def markup(html) -> str:
    html = re.sub(r"\s+<", "<", str(html))
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+", " ", html).strip()


def select_of(body: str, name: str) -> str:
    found = re.search(rf'<select name="{name}".*?</select>', body, re.DOTALL)
    assert found, name
    return found.group(0)


def djangos_select(response, name: str) -> str:
    """The <select> Django's own FilteredSelectMultiple writes for the page's field, value and attributes."""
    form = response.context["adminform"].form
    wrapper = form.fields[name].widget
    quick = wrapper.widget
    assert isinstance(quick, QuickFilteredSelectMultiple)
    djangos = FilteredSelectMultiple(quick.verbose_name, quick.is_stacked, quick.attrs)
    djangos.choices = quick.choices
    wrapper.widget = djangos
    try:
        return select_of(str(form[name]), name)
    finally:
        wrapper.widget = quick


def assert_sidebar_is_djangos(response):
    djangos = render_to_string(
        "admin/nav_sidebar.html",
        {"available_apps": response.context["available_apps"], "request": response.wsgi_request},
    )
    found = [re.search(SIDEBAR, text, re.DOTALL) for text in (response.content.decode(), djangos)]
    assert all(found)
    assert markup(found[0].group(0)) == markup(found[1].group(0))


@pytest.fixture
def member(db):
    user = make_user("wxw", "Legal", "Requester", is_staff=True, first_name="晓雯", last_name="王")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_vendor", "add_group"]))
    return user


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_accounts_page_writes_djangos_choosers(client, admin_user, member, language):
    client.force_login(admin_user)
    with translation.override(language):
        response = client.get(
            reverse("admin:auth_user_change", args=[member.pk]), HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert select_of(body, "user_permissions") == djangos_select(response, "user_permissions")
        assert select_of(body, "groups") == djangos_select(response, "groups")
        assert_sidebar_is_djangos(response)
    permissions, groups = select_of(body, "user_permissions"), select_of(body, "groups")
    assert permissions.count("<option") == Permission.objects.count()
    assert groups.count("<option") == Group.objects.count()
    assert permissions.count(" selected>") == 2 and groups.count(" selected>") == 2


def test_the_group_pages_write_djangos_chooser(client, admin_user):
    client.force_login(admin_user)
    legal = Group.objects.get(name="Legal")
    assert legal.permissions.exists()
    change = client.get(reverse("admin:auth_group_change", args=[legal.pk]))
    body = change.content.decode()
    assert select_of(body, "permissions") == djangos_select(change, "permissions")
    assert select_of(body, "permissions").count(" selected>") == legal.permissions.count()
    add = client.get(reverse("admin:auth_group_add"))
    assert select_of(add.content.decode(), "permissions") == djangos_select(add, "permissions")
    assert_sidebar_is_djangos(add)


def test_what_the_superuser_saves_is_saved(client, admin_user):
    client.force_login(admin_user)
    chosen = list(Permission.objects.filter(codename__in=["view_vendor", "view_review"]))
    response = client.post(
        reverse("admin:auth_group_add"), {"name": "Readers", "permissions": [p.pk for p in chosen]}
    )
    assert response.status_code == 302
    assert set(Group.objects.get(name="Readers").permissions.all()) == set(chosen)


def test_the_pages_ask_as_many_queries_with_more_permissions(client, admin_user, member):
    client.force_login(admin_user)
    pages = [
        reverse("admin:auth_user_change", args=[member.pk]),
        reverse("admin:auth_group_change", args=[Group.objects.get(name="Legal").pk]),
        reverse("admin:auth_group_add"),
    ]

    def queries() -> list[int]:
        counts = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            counts.append(len(captured))
        return counts

    queries()
    before = queries()
    kind = ContentType.objects.get_for_model(Group)
    Permission.objects.bulk_create(
        Permission(content_type=kind, codename=f"extra_{n}", name=f"Extra {n}") for n in range(40)
    )
    assert queries() == before == [8, 6, 4]


def test_other_choices_are_left_to_django():
    class Form(forms.Form):
        pick = forms.MultipleChoiceField(
            choices=[("a", "A & B"), ("Group", [("b", "<b>")])],
            widget=QuickFilteredSelectMultiple("pick", False),
        )

    class Djangos(forms.Form):
        pick = forms.MultipleChoiceField(
            choices=[("a", "A & B"), ("Group", [("b", "<b>")])], widget=FilteredSelectMultiple("pick", False)
        )

    assert str(Form(initial={"pick": ["b"]})["pick"]) == str(Djangos(initial={"pick": ["b"]})["pick"])
