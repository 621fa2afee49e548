"""Platforms in use and not vetted, said plainly: never on the approved list, listed apart on /vendors/
with their badges, and answered "not usable, in use" by the JSON API (I1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
URL = reverse("vendors:approved")
API = reverse("vendors:approved_api")


def in_use(owner, **fields):
    return VendorFactory(status=VendorStatus.IN_USE, business_owner=owner, **fields)


def test_a_platform_in_use_is_never_on_the_approved_list(client, requester, legal):
    approved = approved_vendor(actor=legal)
    unvetted = in_use(requester)
    client.force_login(requester)

    listed = list(client.get(URL).context["page"].object_list)

    assert listed == [approved] and unvetted not in listed


def test_the_in_use_tab_lists_them_with_their_badges(client, requester, legal, django_assert_num_queries):
    today = timezone.localdate()
    due = in_use(requester, name_zh="按期公司", catch_up_due=today + timedelta(days=30))
    late = in_use(requester, name_zh="逾期公司", catch_up_due=today - timedelta(days=1))
    stop = VendorFactory(status=VendorStatus.REJECTED, stop_using=True, name_zh="停用公司")
    for n in range(30):
        in_use(requester, name_zh=f"其他公司{n}")
    approved_vendor(actor=legal)
    client.force_login(requester)

    with django_assert_num_queries(5):  # session, user, groups, count, page (owners joined)
        response = client.get(URL, {"list": "in_use"})

    page = response.context["page"]
    assert page.paginator.count == 33
    assert list(page.object_list)[:3] == [stop, late, due]  # the most urgent first
    html = response.content.decode()
    assert html.count("vendor-stop-using") == 1 and html.count("vendor-overdue") == 1


def test_the_approved_tab_says_how_many_are_in_use(client, requester):
    in_use(requester)
    client.force_login(requester)

    response = client.get(URL)

    assert response.context["in_use_count"] == 1 and "?list=in_use" in response.content.decode()


def test_the_api_answers_a_platform_in_use_is_not_usable(client, requester):
    vendor = in_use(requester, catch_up_due=timezone.localdate() + timedelta(days=90))
    client.force_login(requester)

    answer = client.get(API, {"uscc": vendor.uscc}).json()

    assert (answer["usable"], answer["status"], answer["stop_using"]) == (False, "in_use", False)
    assert answer["catch_up_due"] == vendor.catch_up_due.isoformat()
    assert answer["approved_until"] is None


def test_the_api_says_stop_using(client, requester):
    vendor = VendorFactory(status=VendorStatus.REJECTED, stop_using=True)
    client.force_login(requester)

    answer = client.get(API, {"uscc": vendor.uscc}).json()

    assert (answer["usable"], answer["stop_using"]) == (False, True)


def test_the_vendor_page_says_in_use_not_vetted_and_overdue(client, requester):
    vendor = in_use(
        requester, catch_up_due=timezone.localdate() - timedelta(days=2), connected_systems="会员中心"
    )
    client.force_login(requester)

    html = client.get(reverse("vendor_detail", args=[vendor.pk])).content.decode()

    assert "vendor-overdue" in html and "会员中心" in html and 'id="vendor-inventory"' in html


def test_the_vendor_page_says_stop_using(client, requester):
    vendor = VendorFactory(status=VendorStatus.REJECTED, stop_using=True, status_reason="数据来源不合法")
    client.force_login(requester)

    html = client.get(reverse("vendor_detail", args=[vendor.pk])).content.decode()

    assert "alert-danger" in html and "数据来源不合法" in html
