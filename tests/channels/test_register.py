"""The register of the brand's own channels: no credit code, kind-specific identifiers, named administrators."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews.models import AuditEvent
from tests.builders import own_channel
from tests.factories import VendorFactory
from vendors.channel_rules import app_store_ids, validate_icp_filing
from vendors.models import ChannelAdministrator, OwnChannel, Vendor, VendorCategory, VendorStatus

pytestmark = pytest.mark.django_db


def test_a_channel_enters_the_register_without_a_credit_code(requester):
    entry = own_channel("website", actor=requester, business_owner=requester, connected_systems="CDP\nCRM")
    entry.refresh_from_db()
    assert entry.uscc == ""
    assert entry.category == VendorCategory.OWN_CHANNEL
    assert entry.is_own_channel and entry.status == VendorStatus.CANDIDATE
    assert entry.channel.kind == "website" and entry.channel.icp_filing == "沪ICP备12345678号-1"
    assert entry.business_owner == requester and entry.connected_systems == "CDP\nCRM"
    assert [(a.name, a.email) for a in entry.channel.administrators.all()] == [
        ("王芳", "wang.fang@example.com")
    ]
    assert "own channel" in str(entry) or "自有渠道" in str(entry)
    event = AuditEvent.objects.get(action="vendor.created", vendor=entry)
    assert event.data["changes"]["kind"] == [None, "website"]
    assert event.data["changes"]["administrators"] == [None, ["王芳 <wang.fang@example.com>"]]


def test_many_channels_of_one_brand_sit_side_by_side():
    for kind in ("website", "wechat_oa", "mini_program", "app", "douyin"):
        own_channel(kind)
    assert Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL).count() == 5
    assert OwnChannel.objects.count() == 5


def test_the_database_refuses_a_channel_with_a_credit_code_and_a_vendor_without_one():
    vendor = VendorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.filter(pk=vendor.pk).update(uscc="")
    entry = own_channel("douyin")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.filter(pk=entry.pk).update(uscc=vendor.uscc[:-1] + "0")


def test_two_vendors_still_cannot_share_a_credit_code():
    vendor = VendorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.create(name_zh="重复", uscc=vendor.uscc, category="other")


@pytest.mark.parametrize(
    "number",
    ["京ICP备12345678号", "粤ICP备2023123456号-1", "沪ICP备2023012345号-5X", " 浙ICP备12345678号－2 "],
)
def test_icp_filing_numbers_accepted(number):
    validate_icp_filing(number.strip().replace("－", "-"))


@pytest.mark.parametrize(
    "number", ["ICP备12345678号", "京ICP证030173号", "京ICP备123号", "12345678", "XXICP备12345678号"]
)
def test_icp_filing_numbers_refused(number):
    with pytest.raises(ValidationError, match="ICP"):
        validate_icp_filing(number)


def test_a_website_and_a_mini_program_need_their_icp_filing():
    for kind in ("website", "mini_program"):
        with pytest.raises(ValidationError) as caught:
            own_channel(kind, icp_filing="")
        assert "icp_filing" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        own_channel("website", icp_filing="京ICP证030173号")
    assert "icp_filing" in caught.value.message_dict
    assert not Vendor.objects.exists()  # nothing half-made


def test_an_app_needs_store_identifiers_and_they_are_checked():
    with pytest.raises(ValidationError) as caught:
        own_channel("app", app_store_ids="")
    assert "app_store_ids" in caught.value.message_dict
    with pytest.raises(ValidationError, match="Not an app store identifier"):
        app_store_ids("id1234567890\nhttps://apps.apple.com/x")
    assert app_store_ids("id1234567890，com.example.brand") == ["id1234567890", "com.example.brand"]
    entry = own_channel("app", app_store_ids="id1234567890, com.example.brand")
    assert entry.channel.app_store_ids == "id1234567890\ncom.example.brand"


def test_a_social_account_needs_neither():
    entry = own_channel("xiaohongshu", name_zh="品牌小红书号")
    assert entry.channel.icp_filing == "" and entry.channel.app_store_ids == ""


def test_the_operator_may_be_a_vendor_of_the_register_but_not_a_channel():
    tencent = VendorFactory(name_zh="深圳市腾讯计算机系统有限公司")
    entry = own_channel("wechat_oa", operator="", operator_vendor=tencent)
    assert entry.channel.operator_label == tencent.name_zh
    other = own_channel("douyin")
    with pytest.raises(ValidationError) as caught:
        own_channel("weibo", name_zh="品牌微博", operator_vendor=other)
    assert "operator_vendor" in caught.value.message_dict


def test_administrators_are_people_with_their_own_address():
    with pytest.raises(ValidationError):
        own_channel("douyin", administrators=[("运营共用账号", "not-an-address")])
    entry = own_channel(
        "douyin", administrators=[("王芳", "Wang.Fang@Example.com"), ("李雷", "li.lei@example.com")]
    )
    assert list(
        ChannelAdministrator.objects.filter(channel=entry.channel).values_list("email", flat=True)
    ) == [
        "wang.fang@example.com",
        "li.lei@example.com",
    ]
