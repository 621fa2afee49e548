"""/channels/new/: a requester registers an own channel and asks for its review in one page."""

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.builders import own_channel
from vendors.models import OwnChannel, Vendor

pytestmark = pytest.mark.django_db
URL = reverse("channel_new")


def post(client, **overrides):
    data = {
        "kind": "wechat_oa",
        "name_zh": "品牌官方服务号",
        "operator": "深圳市腾讯计算机系统有限公司",
        "administrators": "王芳, wang.fang@example.com\n李雷，li.lei@example.com",
        "connected_systems": "CRM",
        "purpose": "会员服务与活动通知",
        "personal_data": "OpenID、手机号",
        "expected_volume": "100k_1m",
        **overrides,
    }
    return client.post(URL, data)


def test_a_requester_registers_a_channel_and_lands_on_its_review(client, requester):
    client.force_login(requester)
    page = client.get(URL)
    assert page.status_code == 200
    assert "credit" not in page.content.decode().lower() or "operator" in page.content.decode().lower()
    response = post(client, business_owner=requester.pk)
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == reverse("review_detail", args=[review.pk])
    entry = review.vendor
    assert entry.is_own_channel and entry.uscc == "" and entry.business_owner == requester
    assert entry.channel.kind == "wechat_oa"
    assert list(entry.channel.administrators.values_list("name", "email")) == [
        ("王芳", "wang.fang@example.com"),
        ("李雷", "li.lei@example.com"),
    ]
    assert review.template.subject == "own_channel" and review.requester == requester
    detail = client.get(reverse("review_detail", args=[review.pk]))
    assert detail.status_code == 200 and "品牌官方服务号" in detail.content.decode()


def test_a_website_without_its_icp_filing_is_refused_and_nothing_is_lost(client, requester):
    client.force_login(requester)
    response = post(
        client, kind="website", name_zh="品牌官网", icp_filing="京ICP证030173号", business_owner=requester.pk
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "icp_filing" in form.errors
    assert form["name_zh"].value() == "品牌官网"
    assert not Vendor.objects.exists() and not Review.objects.exists()
    response = post(client, kind="website", name_zh="品牌官网", icp_filing="", business_owner=requester.pk)
    assert "ICP" in " ".join(response.context["form"].errors.get("icp_filing", []))


def test_an_app_needs_store_identifiers(client, requester):
    client.force_login(requester)
    response = post(
        client, kind="app", name_zh="品牌App", app_store_ids="apps.apple.com/app", business_owner=requester.pk
    )
    assert "app_store_ids" in response.context["form"].errors
    assert not OwnChannel.objects.exists()


def test_administrators_are_people_not_passwords(client, requester):
    client.force_login(requester)
    response = post(client, administrators="运营账号 密码 Abc12345", business_owner=requester.pk)
    errors = " ".join(response.context["form"].errors["administrators"])
    assert "password" in errors.lower() or "密码" in errors
    response = post(client, administrators="王芳", business_owner=requester.pk)
    assert "administrators" in response.context["form"].errors
    assert not Vendor.objects.exists()


def test_the_operator_links_to_a_vendor_by_its_credit_code(client, requester):
    from tests.factories import VendorFactory

    tencent = VendorFactory(name_zh="深圳市腾讯计算机系统有限公司")
    client.force_login(requester)
    post(client, operator="", operator_uscc=tencent.uscc, business_owner=requester.pk)
    assert OwnChannel.objects.get().operator_vendor == tencent
    response = post(
        client, name_zh="另一个号", operator_uscc="91110000802100433B", business_owner=requester.pk
    )
    assert "operator_uscc" in response.context["form"].errors


def test_several_channels_each_get_their_own_review_and_a_second_request_waits(client, requester):
    client.force_login(requester)
    post(client, business_owner=requester.pk)
    post(
        client,
        kind="douyin",
        name_zh="品牌抖音号",
        operator="北京微播视界科技有限公司",
        business_owner=requester.pk,
    )
    assert Review.objects.count() == 2 and Vendor.objects.count() == 2
    entry = Vendor.objects.get(name_zh="品牌抖音号")
    response = client.post(URL, {"channel": entry.pk, "purpose": "再次审核", "expected_volume": "lt100k"})
    assert response.status_code == 200
    assert "already under way" in response.context["workflow_error"].message
    assert Review.objects.count() == 2


def test_a_new_review_of_a_registered_channel(client, requester):
    entry = own_channel("douyin")
    client.force_login(requester)
    page = client.get(URL, {"channel": entry.pk})
    assert "品牌抖音号" in page.content.decode() and "name_zh" not in page.context["form"].fields
    response = client.post(
        URL, {"channel": entry.pk, "purpose": "新号开通前审核", "expected_volume": "lt100k"}
    )
    assert response.status_code == 302
    assert Review.objects.get().vendor == entry


def test_only_requesters_register_channels(client, legal):
    client.force_login(legal)
    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert not Vendor.objects.exists()


def test_the_channel_page_shows_its_facts_not_a_credit_code(client, requester):
    entry = own_channel("mini_program")
    client.force_login(requester)
    page = client.get(reverse("vendor_detail", args=[entry.pk])).content.decode()
    assert "沪ICP备12345678号-3X" in page and "wang.fang@example.com" in page
    assert "Unified Social Credit Code" not in page
    assert f"{URL}?channel={entry.pk}" in page


def test_the_business_owner_is_typed_and_searched_not_a_drop_down_of_every_requester(client, requester):
    """The owner is a text input (a user name or e-mail without script; a combobox searching people by name
    with it), holding the requester at first and naming them family name first beside it, never a <select>
    listing every requester."""
    from reviews.roles import Role
    from tests.factories import make_user

    make_user("xw.wang", Role.REQUESTER, first_name="晓雯", last_name="王")
    requester.first_name, requester.last_name = "芳", "李"
    requester.save()
    client.force_login(requester)
    page = client.get(URL).content.decode()
    start = page.index('name="business_owner"')
    owner_input = page[page.rindex("<input", 0, start) : page.index(">", start) + 1]
    assert 'type="text"' in owner_input and f'value="{requester.username}"' in owner_input
    assert f'data-person-combobox="{reverse("channel_owners")}"' in owner_input
    assert '<select name="business_owner"' not in page and "王晓雯" not in page
    assert 'id="id_business_owner-name" aria-live="polite">李芳</span>' in page
    assert "js/person-combobox.js" in page
