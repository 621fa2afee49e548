"""The vendor register's admin list writes its rows in Python (vendors.templatetags.register_rows) and its
sidebar with activities.templatetags.admin_sidebar: the same markup as Django's {% result_list %} and
admin/nav_sidebar.html (but for the white space between elements), action checkboxes included, whatever the
filter, sort, search, language or reader; its count is one query whatever the register's size, its order the
primary key's index."""

import re
from datetime import date

import pytest
from django.contrib.admin.templatetags.admin_list import result_list
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import VendorFactory, make_user
from vendors.admin import RegisterPaginator
from vendors.models import Vendor, VendorCategory, VendorStatus

pytestmark = pytest.mark.django_db

LIST = reverse("admin:vendors_vendor_changelist")
RESULTS = r'<div class="results">.*?</table>\s*</div>'
SIDEBAR = r'<button class="sticky toggle-nav-sidebar".*?</nav>'


def markup(html) -> str:
    html = re.sub(r"\s+<", "<", str(html))
    html = re.sub(r">\s+", ">", html)
    return re.sub(r"\s+", " ", html).strip()


def part(body: str, pattern: str) -> str:
    found = re.search(pattern, body, re.DOTALL)
    assert found, pattern
    return markup(found.group(0))


def assert_djangos_markup(response):
    assert response.status_code == 200
    body = response.content.decode()
    cl = response.context["cl"]
    assert cl.result_list, "a list with rows"
    djangos_rows = render_to_string("admin/change_list_results.html", result_list(cl))
    assert part(body, RESULTS) == part(djangos_rows, RESULTS)
    djangos_sidebar = render_to_string(
        "admin/nav_sidebar.html",
        {"available_apps": response.context["available_apps"], "request": response.wsgi_request},
    )
    assert part(body, SIDEBAR) == part(djangos_sidebar, SIDEBAR)
    return body


@pytest.fixture
def register(requester):
    owner = make_user("wxw", "Requester", first_name="晓雯", last_name="王")
    VendorFactory(name_zh="上海<星链> & 广告", business_owner=owner)
    VendorFactory(name_zh="北京数据", status=VendorStatus.IN_USE, stop_using=True)
    VendorFactory(name_zh="深圳短信", name_en="Shenzhen SMS", category=VendorCategory.SMS_EDM)
    VendorFactory(
        name_zh="杭州广告",
        status=VendorStatus.APPROVED,
        approved_until=date(2027, 6, 30),
        approval_reference="VR-2026-0001",
    )
    return Vendor.objects.all()


@pytest.mark.parametrize(
    "query",
    ["", "?status=approved", "?o=1", "?o=-3.1", "?q=%E4%B8%8A%E6%B5%B7", "?in_use=stop", "?category=sms_edm"],
)
def test_legals_list_is_djangos_markup_with_its_checkboxes(client, legal, register, query):
    client.force_login(legal)
    response = client.get(LIST + query)
    body = assert_djangos_markup(response)
    assert 'class="action-select"' in body  # Legal may suspend: the rows have their checkboxes


def test_the_markup_holds_in_chinese_and_for_a_reader_without_actions(client, legal, auditor, register):
    client.force_login(legal)
    with translation.override("zh-hans"):
        response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans")
        body = assert_djangos_markup(response)
    assert "选择" in body  # Django's own words, in Chinese (the checkboxes' labels)
    client.force_login(auditor)
    response = client.get(LIST)
    body = assert_djangos_markup(response)
    assert "action_checkbox" not in response.context["cl"].list_display
    assert 'class="action-select"' not in body


def test_the_latest_entries_come_first(client, legal, register):
    client.force_login(legal)
    response = client.get(LIST)
    shown = [vendor.pk for vendor in response.context["cl"].result_list]
    assert shown == sorted(shown, reverse=True)


def test_the_list_asks_as_many_queries_for_three_vendors_as_for_thirty(client, legal, register):
    client.force_login(legal)
    client.get(LIST)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for n in range(27):
        VendorFactory(name_zh=f"供应商{n}")
    assert queries() == few == 7  # session, user, groups, 2 x permissions, one count, the page's rows


def test_the_whole_registers_count_is_exact_when_small_and_one_query(legal, register):
    paginator = RegisterPaginator(Vendor.objects.all(), 25)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 4
    assert len(captured) == 1
    assert paginator.estimated is False
    filtered = RegisterPaginator(Vendor.objects.filter(status=VendorStatus.IN_USE), 25)
    assert filtered.count == 1 and filtered.estimated is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_a_large_registers_count_is_the_estimate_in_one_query(legal, register, monkeypatch):
    import vendors.admin

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vendors_vendor")
    monkeypatch.setattr(vendors.admin, "ESTIMATE_FROM", 1)
    paginator = RegisterPaginator(Vendor.objects.all(), 25)
    with CaptureQueriesContext(connection) as captured:
        count = paginator.count
    assert len(captured) == 1
    assert paginator.estimated is True and count == 4
