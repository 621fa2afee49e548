"""Own channels already live: the inventory import takes them (category 自有渠道, a kind, no credit code), and
Legal brings them through the catch-up review (补齐审核) like any platform in use."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import workflow
from reviews.models import AuditEvent, ReviewState
from tests import builders
from tests.vendors.inventory_files import HEADINGS_ZH, csv_bytes, row
from vendors.inventory.reading import inventory_read
from vendors.inventory.services import inventory_confirm, inventory_upload
from vendors.models import OwnChannel, Vendor, VendorStatus

pytestmark = pytest.mark.django_db
# The category and the column are new: spelled by value and in English here, so that the test does not
# depend on the Chinese catalogue; a kind is given in Chinese, English or as its value.
HEADINGS = [*HEADINGS_ZH, "Kind of own channel"]


def channel_row(name, kind, **overrides):
    fields = {"uscc": "", "category": "own_channel", "name": name, "systems": "CDP, CRM", **overrides}
    return [*row(0, **fields), kind]


def vendor_row(n):
    return [*row(n), ""]


def read(rows):
    return inventory_read(csv_bytes(rows, headings=HEADINGS), "inventory.csv")


def test_the_import_reads_own_channels_without_a_credit_code(requester):
    preview = read(
        [
            channel_row("品牌官网", "网站"),
            channel_row("品牌会员小程序", "mini_program"),
            channel_row("品牌抖音号", "Douyin account"),
            vendor_row(1),
        ]
    )
    assert [r.errors for r in preview.rows] == [[], [], [], []]
    assert [r.values.get("channel_kind") for r in preview.rows[:3]] == ["website", "mini_program", "douyin"]
    assert all(r.action == "create" for r in preview.rows)


@pytest.mark.parametrize(
    "bad,message",
    [
        (channel_row("品牌官网", ""), "kind of own channel"),
        (channel_row("品牌官网", "传真"), "Unknown kind"),
        (channel_row("品牌官网", "网站", uscc="91310115000000001X"), "no credit code"),
    ],
)
def test_a_channel_row_without_its_kind_or_with_a_credit_code_is_refused(requester, bad, message):
    (result,) = read([bad]).rows
    assert any(message in error for error in result.errors), result.errors


def test_the_same_channel_twice_in_one_file_is_refused(requester):
    preview = read([channel_row("品牌官网", "网站"), channel_row("品牌官网", "网站")])
    assert all(r.errors for r in preview.rows)


def import_rows(rows, actor):
    record, _preview = inventory_upload(
        upload=SimpleUploadedFile("inventory.csv", csv_bytes(rows, headings=HEADINGS)), actor=actor
    )
    return inventory_confirm(inventory_import=record, actor=actor)


def test_confirmed_channels_are_in_use_and_a_second_import_updates_them(legal, requester):
    record = import_rows(
        [channel_row("品牌官网", "网站"), channel_row("品牌抖音号", "抖音账号"), vendor_row(2)], legal
    )
    assert record.created_count == 3
    site = Vendor.objects.get(name_zh="品牌官网")
    assert site.is_own_channel and site.uscc == "" and site.status == VendorStatus.IN_USE
    assert site.channel.kind == "website" and site.business_owner == requester
    assert OwnChannel.objects.count() == 2
    event = AuditEvent.objects.get(action="inventory.imported")
    assert "品牌官网" in event.data["created"]
    again = import_rows(
        [channel_row("品牌官网", "网站", systems="CDP"), channel_row("品牌抖音号", "抖音账号")], legal
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    site.refresh_from_db()
    assert site.connected_systems == "CDP" and Vendor.objects.filter(name_zh="品牌官网").count() == 1


def test_a_live_channel_goes_through_the_catch_up_review_and_onto_the_approved_list(
    legal, requester, security
):
    import_rows([channel_row("品牌官方服务号", "微信公众号")], legal)
    entry = Vendor.objects.get(name_zh="品牌官方服务号")
    review = workflow.review_open_catch_up(
        vendor=entry, requester=requester, due=builders.today() + timedelta(days=30), actor=legal
    )
    assert review.catch_up and review.template.subject == "own_channel"
    entry.refresh_from_db()
    assert entry.status == VendorStatus.IN_USE and entry.catch_up_due is not None
    from reviews.models import StageKind

    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    from tests.factories import PASSWORD

    workflow.review_sign_off(
        review=review, actor=legal, password=PASSWORD, statement="账号安全与告知同意符合要求。", conditions=""
    )
    review.refresh_from_db()
    entry.refresh_from_db()
    assert review.state == ReviewState.APPROVED and entry.status == VendorStatus.APPROVED
