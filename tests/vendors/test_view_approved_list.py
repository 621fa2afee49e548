import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import approved_review, start_review
from tests.vendors.helpers import approved_vendor
from vendors.forms import SORTS
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db
URL = reverse("vendors:approved")
QUERIES = 6  # session, user, groups, count, page, count of the platforms in use (the other tab)


def _names(response):
    return [v.name_zh for v in response.context["page"].object_list]


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_only_approved_vendors_are_listed_with_nearest_certificate_expiry(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    start_review(requester)
    client.force_login(requester)
    response = client.get(URL)
    [vendor] = response.context["page"].object_list
    assert vendor == review.vendor and vendor.nearest_cert_expiry is not None
    assert vendor.nearest_cert_expiry.isoformat() in response.content.decode()


def test_search_by_name_or_uscc(client, requester, legal):
    huawei = approved_vendor(actor=legal, name_zh="华为技术有限公司", uscc="914403001922038216")
    approved_vendor(actor=legal, name_zh="腾讯科技")
    client.force_login(requester)
    assert _names(client.get(URL, {"q": "华为"})) == [huawei.name_zh]
    assert _names(client.get(URL, {"q": "9144 0300"})) == [huawei.name_zh]


def test_filter_by_category_and_tier_and_sort(client, requester, legal):
    approved_vendor(actor=legal, name_zh="甲", category="sms_edm", tier="high", days=30)
    approved_vendor(actor=legal, name_zh="乙", category="sms_edm", tier="low", days=300)
    approved_vendor(actor=legal, name_zh="丙", category="ad_network", tier="high", days=100)
    client.force_login(requester)
    assert _names(client.get(URL, {"category": "sms_edm", "sort": "approved_until"})) == ["甲", "乙"]
    assert _names(client.get(URL, {"tier": "high", "sort": "-approved_until"})) == ["丙", "甲"]


def test_invalid_filter_is_ignored_not_an_error(client, requester, legal):
    approved_vendor(actor=legal)
    client.force_login(requester)
    response = client.get(URL, {"category": "nonsense", "sort": "drop table"})
    assert response.status_code == 200 and len(_names(response)) == 1


def test_query_count_is_the_same_for_10_and_200_vendors(client, requester, legal, django_assert_max_num_queries):
    client.force_login(requester)
    for _ in range(10):
        approved_vendor(actor=legal)
    with CaptureQueriesContext(connection) as at_10, django_assert_max_num_queries(QUERIES):
        assert client.get(URL).context["page"].paginator.count == 10
    for _ in range(190):
        approved_vendor(actor=legal)
    with CaptureQueriesContext(connection) as at_200, django_assert_max_num_queries(QUERIES):
        response = client.get(URL, {"page": 8})
    assert response.context["page"].paginator.count == 200 and len(_names(response)) == 25
    assert len(at_10) == len(at_200)


def test_search_ignores_the_case_of_latin_letters(client, requester, legal):
    huawei = approved_vendor(actor=legal, name_zh="华为Cloud技术", name_en="Shenzhen HUAWEI Tech")
    approved_vendor(actor=legal, name_zh="腾讯科技", name_en="Tencent")
    client.force_login(requester)
    assert _names(client.get(URL, {"q": "huawei"})) == [huawei.name_zh]
    assert _names(client.get(URL, {"q": "CLOUD技"})) == [huawei.name_zh]
    assert _names(client.get(URL, {"q": "tech"})) == [huawei.name_zh]


@pytest.mark.parametrize("sort", ["name", "approved_until", "-approved_until"])
def test_a_deep_page_holds_the_vendors_of_its_place_in_the_order(client, requester, legal, sort):
    for n in range(60):
        approved_vendor(actor=legal, name_zh=f"公司{(n * 37) % 60:02d}", days=30 + n % 7)
    client.force_login(requester)
    response = client.get(URL, {"sort": sort, "page": 3})
    expected = [v.name_zh for v in approved_vendors().order_by(*SORTS[sort])][50:]
    assert _names(response) == expected and len(expected) == 10
