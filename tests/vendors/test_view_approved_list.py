import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import approved_review, start_review
from tests.vendors.helpers import approved_vendor
from vendors.forms import SORTS
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
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


def test_query_count_is_the_same_for_10_and_200_vendors(
    client, requester, legal, django_assert_max_num_queries
):
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


# -- what each approval covers (vendors/scope.py) -------------------------------------------------------------

EDM_ONLY = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE],
    other_conditions="仅限EDM渠道，不得用于短信",
)


def _row_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_each_row_says_what_the_vendor_is_approved_for_and_how_many_conditions(client, requester, legal):
    approved_vendor(actor=legal, name_zh="云信科技有限公司", scope=EDM_ONLY)
    client.force_login(requester)

    html = client.get(URL).content.decode()

    row = _row_of(html, "云信科技有限公司")
    assert "Approved for" in html
    assert '<div class="scope-summary">Member marketing</div>' in row
    assert '<div class="scope-summary-channels">E-mail (EDM)</div>' in row
    assert "3 conditions" in row  # two coded ones and Legal's own text
    assert "to be confirmed by Legal" not in row


def test_a_scope_derived_from_the_answers_is_marked_until_legal_confirms_it(client, requester, legal):
    approved_vendor(actor=legal, name_zh="推定范围公司", scope=EDM_ONLY, scope_confirmed=False)
    approved_vendor(actor=legal, name_zh="确认范围公司", scope=EDM_ONLY)
    client.force_login(requester)

    html = client.get(URL).content.decode()

    assert "Derived from the answers, to be confirmed by Legal" in _row_of(html, "推定范围公司")
    assert "Derived from the answers" not in _row_of(html, "确认范围公司")


def test_the_scope_column_in_chinese(client, requester, legal):
    approved_vendor(actor=legal, name_zh="云信科技有限公司", scope=EDM_ONLY, scope_confirmed=False)
    client.force_login(requester)

    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    row = _row_of(html, "云信科技有限公司")
    assert "批准用途" in html
    assert "会员营销</div>" in row and "电子邮件（EDM）</div>" in row
    assert "3 项条件" in row
    assert "由回答推定，待法务确认" in row


def test_showing_the_scope_costs_no_query(client, requester, legal, django_assert_max_num_queries):
    for n in range(30):
        approved_vendor(actor=legal, scope=EDM_ONLY, scope_confirmed=bool(n % 2))
    client.force_login(requester)

    with django_assert_max_num_queries(QUERIES):
        response = client.get(URL)

    assert len(response.context["rows"]) == 25
    assert all(row.scope.channels == ["E-mail (EDM)"] for row in response.context["rows"])
