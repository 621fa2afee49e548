"""The desk's lists of activities and scope extensions write their rows (activities.templatetags.admin_rows)
and their navigation sidebar (activities.templatetags.admin_sidebar) in Python: the same markup as Django's
{% result_list %} and admin/nav_sidebar.html, but for the white space between elements, whatever the filter,
sort, search, language or reader."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import result_list
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from activities.extension_reading import additions_summary, scope_items
from activities.models import Activity, ScopeExtension
from activities.services import activity_decide, activity_register
from activities.templatetags.admin_rows import quick_results
from activities.templatetags.admin_sidebar import app_list_html
from tests.factories import make_user
from vendors.scope import AudienceSource, Channel, DataCategory, Purpose, Scope, ScopeInvalid

from .conftest import plan
from .extension_helpers import ask

pytestmark = pytest.mark.django_db

ACTIVITIES = reverse("admin:activities_activity_changelist")
EXTENSIONS = reverse("admin:activities_scopeextension_changelist")


def markup(html) -> str:
    html = re.sub(r"\s+<", "<", str(html))
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+", " ", html).strip()


def part(body: str, pattern: str) -> str:
    found = re.search(pattern, body, re.DOTALL)
    assert found, pattern
    return markup(found.group(0))


RESULTS = r'<div class="results">.*?</table>\s*</div>'
SIDEBAR = r'<button class="sticky toggle-nav-sidebar".*?</nav>'


def assert_djangos_markup(response):
    """The page's rows and sidebar are what Django's own templates write for the same list."""
    assert response.status_code == 200
    body = response.content.decode()
    cl = response.context["cl"]
    djangos_rows = render_to_string("admin/change_list_results.html", result_list(cl))
    if cl.result_list:
        assert part(body, RESULTS) == part(djangos_rows, RESULTS)
    else:  # a reader who reads none (a superuser without a reviewer's role): no table, as Django writes it
        assert '<div class="results">' not in body + djangos_rows
    djangos_sidebar = render_to_string(
        "admin/nav_sidebar.html",
        {"available_apps": response.context["available_apps"], "request": response.wsgi_request},
    )
    assert part(body, SIDEBAR) == part(djangos_sidebar, SIDEBAR)


@pytest.fixture
def activities(legal):
    owner = make_user("wxw", "Requester", first_name="晓雯", last_name="王")
    waiting = activity_register(owner=owner, plan=plan(name="儿童节 <亲子> & 活动", minors=True))
    refused = activity_register(
        owner=owner,
        plan=plan(name="个性化定价", personalised_pricing=True, pricing_justification="新会员优惠"),
    )
    activity_decide(activity=refused, actor=legal, approve=False, reason="理由不充分")
    cleared = activity_register(
        owner=make_user("nameless", "Requester"),
        plan=plan(
            name="门店场景营销", channels=[Channel.WECHAT], audience_source=AudienceSource.PUBLIC_AGGREGATED
        ),
    )
    Activity.objects.filter(pk=waiting.pk).update(
        flagged_at=timezone.now() - timedelta(hours=2), flag_reason="供应商已暂停"
    )
    return [waiting, refused, cleared]


QUERIES = [
    {},
    {"status": "all"},
    {"status": "all", "o": "-3.2"},
    {"status": "all", "flagged": "open"},
    {"status": "refused"},
    {"q": "<亲子> &"},
    {"q": "门店", "o": "7"},
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_activity_list_is_djangos_markup(client, legal, activities, query, language):
    client.force_login(legal)
    response = client.get(ACTIVITIES, query, HTTP_ACCEPT_LANGUAGE=language)
    assert len(response.context["cl"].result_list) >= 1
    assert_djangos_markup(response)


@pytest.mark.parametrize("persona", ["security", "auditor", "admin_user"])
def test_every_reader_gets_djangos_markup(client, request, activities, persona):
    client.force_login(request.getfixturevalue(persona))
    assert_djangos_markup(client.get(ACTIVITIES, {"status": "all"}))


@pytest.fixture
def extensions(edm_vendor, cmo):
    wang = make_user("wangxw", "Requester", first_name="晓雯", last_name="王")
    return [
        ask(edm_vendor, wang, Scope.build(channels=[Channel.SMS])),
        ask(edm_vendor, cmo, Scope.build(data_categories=[DataCategory.SENSITIVE])),
        ask(edm_vendor, wang, Scope.build(purposes=[Purpose.ANALYTICS], channels=[Channel.SMS])),
    ]


@pytest.mark.parametrize("query", [{}, {"waiting": "all"}, {"waiting": "all", "o": "-7"}, {"q": "EXT"}])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_extension_list_is_djangos_markup(client, auditor, legal, extensions, query, language):
    for reader in (auditor, legal):
        client.force_login(reader)
        assert_djangos_markup(client.get(EXTENSIONS, query, HTTP_ACCEPT_LANGUAGE=language))


def test_a_list_django_would_write_otherwise_is_left_to_django(client, legal, activities):
    client.force_login(legal)
    cl = client.get(ACTIVITIES, {"status": "all"}).context["cl"]
    cl.is_popup = True
    rows = list(quick_results(cl))
    assert len(rows[0]) == len(cl.list_display)  # Django's rows: one item per cell


def test_a_reader_without_any_table_is_told_so():
    assert markup(app_list_html([], "/admin/")) == markup(
        render_to_string("admin/app_list.html", {"app_list": [], "show_changelinks": False})
    )


@pytest.mark.parametrize(
    "additions",
    [
        {},
        {"channels": ["edm", "sms", "sms"], "purposes": ["analytics"]},
        {"data_categories": ["sensitive", "contact"], "cross_border": True, "ceiling": "gt10m"},
        {"audience_sources": ["vendor_supplied", "own_consented"], "ceiling": ""},
    ],
)
def test_what_an_extension_adds_reads_as_the_checked_scope_lists_it(additions):
    extension = ScopeExtension(additions=additions)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            checked = " · ".join(label for _value, label in scope_items(Scope.from_json(additions))) or "—"
            assert additions_summary(extension) == checked


@pytest.mark.parametrize(
    "additions", [{"channels": ["fax"]}, {"audience_sources": ["purchased"]}, {"ceiling": "lots"}]
)
def test_an_addition_the_scope_would_refuse_is_refused_as_before(additions):
    with pytest.raises(ScopeInvalid):
        additions_summary(ScopeExtension(additions=additions))
