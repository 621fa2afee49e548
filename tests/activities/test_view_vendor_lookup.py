"""/activities/vendors/?q=: the registration form's vendor lookup. At most 10 vendors of the register whose
name contains the term or whose credit code starts with it, the approved first: one query for the approved,
and a second for the others only when fewer than ten approved vendors match."""

import pytest
from django.urls import reverse

from tests.factories import VendorFactory

URL = reverse("activities:vendor_lookup")


def test_it_finds_vendors_by_part_of_the_name_the_approved_first(client, cmo, edm_vendor):
    VendorFactory(name_zh="云信营销服务有限公司")
    client.force_login(cmo)

    vendors = client.get(URL, {"q": "云信"}).json()["vendors"]

    assert [v["name"].split(" / ")[0] for v in vendors] == ["云信科技有限公司", "云信营销服务有限公司"]
    first = vendors[0]
    assert (first["uscc"], first["status"], first["usable"]) == (edm_vendor.uscc, "approved", True)
    assert first["scope"] == "Member marketing · E-mail (EDM) · Contact details"
    assert (vendors[1]["usable"], vendors[1]["scope"]) == (False, "")


def test_it_finds_a_vendor_by_the_start_of_its_code_in_any_case(client, cmo, edm_vendor):
    client.force_login(cmo)
    vendors = client.get(URL, {"q": edm_vendor.uscc[:10].lower()}).json()["vendors"]
    assert edm_vendor.uscc in [v["uscc"] for v in vendors]


def test_it_answers_at_most_ten(client, cmo):
    for i in range(12):
        VendorFactory(name_zh=f"星河数据{i}")
    client.force_login(cmo)
    assert len(client.get(URL, {"q": "星河"}).json()["vendors"]) == 10


def test_a_term_shorter_than_two_characters_finds_nothing(client, cmo, edm_vendor):
    client.force_login(cmo)
    assert client.get(URL, {"q": "云"}).json() == {"vendors": []}
    assert client.get(URL).json() == {"vendors": []}


def test_the_status_reads_in_the_users_language(client, cmo, edm_vendor):
    client.force_login(cmo)
    vendor = client.get(URL, {"q": "云信"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["vendors"][0]
    assert vendor["status_label"] == "已批准"
    assert vendor["scope"] == "会员营销 · 电子邮件（EDM） · 联系方式"


def test_the_anonymous_get_401_not_a_redirect(client, db):
    response = client.get(URL, {"q": "云信"})
    assert response.status_code == 401 and "error" in response.json()


def test_it_takes_get_only(client, cmo):
    client.force_login(cmo)
    assert client.post(URL, {"q": "云信"}).status_code == 405


# session, user; the approved vendors, then the others (their count is never asked)
QUERIES = 4


@pytest.mark.parametrize("count", [3, 40])
def test_the_queries_do_not_grow_with_the_matches(client, cmo, count, django_assert_num_queries):
    for i in range(count):
        VendorFactory(name_zh=f"星河数据{i}")
    client.force_login(cmo)
    with django_assert_num_queries(QUERIES):
        assert len(client.get(URL, {"q": "星河"}).json()["vendors"]) == min(count, 10)


def test_ten_approved_matches_take_one_query_and_come_first(
    client, cmo, edm_vendor, django_assert_num_queries
):
    from vendors.models import Vendor, VendorStatus

    for i in range(10):
        VendorFactory(name_zh=f"云信分公司{i}")
    Vendor.objects.filter(name_zh__startswith="云信分公司").update(
        status=VendorStatus.APPROVED,
        approved_until=edm_vendor.approved_until,
        approval_reference=edm_vendor.approval_reference,
    )
    VendorFactory(name_zh="云信未审公司")
    client.force_login(cmo)
    with django_assert_num_queries(QUERIES - 1):
        vendors = client.get(URL, {"q": "云信"}).json()["vendors"]

    assert len(vendors) == 10
    assert {v["status"] for v in vendors} == {"approved"}
