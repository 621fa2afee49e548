"""The own-channel request's business owner: searched by name (/channels/owners/?q=, JSON for the form's
combobox, static/js/person-combobox.js) and typed as a user name or e-mail without script; the server takes
an active requester only, whatever the browser sent; the page asks as many queries whatever the staff's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.channel_forms import ChannelRequestForm
from reviews.models import Review
from reviews.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("channel_owners")
PAGE = reverse("channel_new")


@pytest.fixture
def staff(requester):
    return {
        "wang": make_user("xw.wang", Role.REQUESTER, first_name="晓雯", last_name="王", email="wxw@brand.cn"),
        "schmidt": make_user("anna", Role.REQUESTER, first_name="Anna", last_name="Schmidt"),
        "gone": make_user("gone", Role.REQUESTER, first_name="离", last_name="张", is_active=False),
        "security": make_user("sec.only", Role.SECURITY, first_name="安", last_name="刘", is_staff=True),
    }


def found(client, term: str) -> list[str]:
    response = client.get(SEARCH, {"q": term})
    assert response.status_code == 200
    return [person["value"] for person in response.json()["results"]]


def test_a_requester_finds_requesters_by_name_either_order_user_name_or_e_mail(client, requester, staff):
    client.force_login(requester)
    assert found(client, "王晓雯") == ["xw.wang"]
    assert found(client, "晓雯 王") == ["xw.wang"]
    assert found(client, "anna schmidt") == ["anna"]
    assert found(client, "XW.W") == ["xw.wang"]
    assert found(client, "wxw@brand") == ["xw.wang"]
    answer = client.get(SEARCH, {"q": "王"}).json()
    assert answer == {
        "results": [{"value": "xw.wang", "name": "王晓雯", "email": "wxw@brand.cn"}],
        "more": False,
    }


def test_only_active_requesters_are_found(client, requester, staff):
    client.force_login(requester)
    assert found(client, "张离") == [] and found(client, "gone") == []
    assert found(client, "刘安") == [] and found(client, "sec.only") == []


def test_at_most_ten_family_name_first_and_more_is_said(client, requester):
    for n in range(12):
        make_user(f"member{n:02d}", Role.REQUESTER, first_name="Member", last_name=f"Z{n:02d}")
    client.force_login(requester)
    answer = client.get(SEARCH, {"q": "member"}).json()
    assert [person["value"] for person in answer["results"]] == [f"member{n:02d}" for n in range(10)]
    assert answer["more"] is True
    assert answer["results"][0]["name"] == "Member Z00"


def test_who_may_search(client, requester, legal, security, auditor, admin_user, staff):
    assert client.get(SEARCH, {"q": "王"}).status_code == 401
    for someone in (legal, security, auditor, admin_user):
        client.force_login(someone)
        response = client.get(SEARCH, {"q": "王"})
        assert response.status_code == 403 and "results" not in response.json()
    client.force_login(requester)
    assert client.post(SEARCH, {"q": "王"}).status_code == 405


def test_the_search_asks_as_many_queries_whatever_it_finds(client, requester, staff):
    client.force_login(requester)
    client.get(SEARCH, {"q": "x"})
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, {"q": "王"})
    for n in range(15):
        make_user(f"wang{n}", Role.REQUESTER, first_name=f"{n}", last_name="王")
    with CaptureQueriesContext(connection) as many:
        assert len(found(client, "王")) == 10
    assert len(few) == len(many) == 4  # session, user, roles, the search


def test_the_page_asks_as_many_queries_whatever_the_number_of_requesters(client, requester):
    client.force_login(requester)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for n in range(30):
        make_user(f"member{n}", Role.REQUESTER, first_name="Member", last_name=f"{n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(PAGE).content.decode()
    assert len(few) == len(many) == 3  # session, user, roles
    assert "member29" not in page


def form(requester, owner: str) -> ChannelRequestForm:
    return ChannelRequestForm(
        {
            "kind": "wechat_oa",
            "name_zh": "品牌官方服务号",
            "operator": "深圳市腾讯计算机系统有限公司",
            "administrators": "王芳, wang.fang@example.com",
            "purpose": "会员服务",
            "personal_data": "OpenID",
            "expected_volume": "lt100k",
            "business_owner": owner,
        },
        user=requester,
    )


def test_the_form_takes_a_requester_by_user_name_or_e_mail(requester, staff):
    by_name = form(requester, "xw.wang")
    assert by_name.is_valid(), by_name.errors
    assert by_name.cleaned_data["business_owner"] == staff["wang"]
    by_mail = form(requester, " WXW@brand.cn ")
    assert by_mail.is_valid(), by_mail.errors
    assert by_mail.cleaned_data["business_owner"] == staff["wang"]


@pytest.mark.parametrize("who", ["gone", "sec.only", "nobody", "wang", ""])
def test_the_form_refuses_anyone_but_an_active_requester(requester, staff, who):
    refused = form(requester, who)
    assert not refused.is_valid()
    assert "business_owner" in refused.errors


def test_a_forged_id_of_a_non_requester_is_refused_and_nothing_is_made(client, requester, staff):
    client.force_login(requester)
    response = client.post(
        PAGE,
        {
            "kind": "wechat_oa",
            "name_zh": "品牌官方服务号",
            "operator": "深圳市腾讯计算机系统有限公司",
            "administrators": "王芳, wang.fang@example.com",
            "purpose": "会员服务",
            "personal_data": "OpenID",
            "expected_volume": "lt100k",
            "business_owner": staff["security"].pk,
        },
    )
    assert response.status_code == 200 and "business_owner" in response.context["form"].errors
    assert not Review.objects.exists()
    # What was typed is shown again as typed.
    assert f'value="{staff["security"].pk}"' in response.content.decode()
