"""The reviewers' side of the use, in real Chromium at 1366 px and in Chinese: Legal finds on the desk an
activity that reaches children under 14, opens it, reads the pre-check, is stopped when refusing without a
reason (said beside the field, nothing lost), then approves with a reason, and the owner reads the decision
on the activity's page. A scope extension for SMS and a higher volume goes to Security, who passes it, then to
Legal, who grants SMS only; the vendor's scope in force then includes SMS. Screenshots land in
test-artifacts/e2e/activity-legal-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityStatus, ExtensionStatus
from activities.services import activity_plan, activity_register
from reviews.models import AuditEvent
from tests.activities.extension_helpers import ask
from tests.e2e.conftest import login, shoot
from tests.e2e.test_activity_journey import ZH, approved_edm_sender, chinese_page
from tests.factories import PASSWORD, make_user
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def admin_login_zh(browser, base: str, username: str):
    page = chinese_page(browser)
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url == f"{base}/admin/", f"admin login as {username} failed"
    assert page.locator("html").get_attribute("lang") == ZH
    return page


@pytest.fixture
def world(base_data):
    cmo = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True, first_name="敏", last_name="赵")
    vendor = approved_edm_sender(requester=cmo, legal=legal, security=security)
    today = timezone.localdate()
    children = activity_register(
        owner=cmo,
        plan=activity_plan(
            name="六一亲子会员EDM",
            starts_on=today + timedelta(days=7),
            ends_on=today + timedelta(days=21),
            purpose=Purpose.MEMBER_MARKETING,
            channels=[Channel.EDM],
            vendors=[vendor],
            audience_source=AudienceSource.OWN_CONSENTED,
            audience="亲子会员（含不满十四周岁儿童的家庭）",
            data_categories=[DataCategory.CONTACT],
            volume=Ceiling.LT_100K,
            minors=True,
        ),
    )
    assert children.status == ActivityStatus.AWAITING_LEGAL
    return {"cmo": cmo, "legal": legal, "security": security, "vendor": vendor, "children": children}


def test_legal_decides_the_activity_and_the_extension_on_the_desk(live_server, browser, world):
    base, children, vendor = live_server.url, world["children"], world["vendor"]

    # 1. The desk: the activity waits for Legal.
    legal = admin_login_zh(browser, base, "legal")
    panel = legal.locator("#activities-waiting")
    expect(panel).to_contain_text("营销活动待法务决定")
    expect(panel).to_contain_text(children.reference)
    expect(panel).to_contain_text("王晓雯")
    shoot(legal, "activity-legal-01-desk-zh")

    # 2. Its page in the desk: the pre-check, the finding with its article, the decision beside it.
    panel.get_by_role("link", name=children.reference).click()
    assert legal.url == f"{base}/admin/activities/activity/{children.pk}/change/"
    precheck = legal.locator("#precheck")
    expect(precheck).to_contain_text("《个人信息保护法》第三十一条")
    expect(precheck).to_contain_text("需法务决定")
    expect(legal.locator("#vendors")).to_contain_text("云信科技有限公司")
    expect(legal.locator("#decision")).to_be_visible()
    shoot(legal, "activity-legal-02-activity-zh")

    # 3. Refused without a reason: said beside the field; the activity still waits, the page is all there.
    legal.locator("#decision").get_by_role("button", name="驳回").click()
    error = legal.locator("#id_reason_error")
    expect(error).to_contain_text("请填写决定理由。")
    box, field = error.bounding_box(), legal.locator("#id_reason").bounding_box()
    assert 0 <= box["y"] - (field["y"] + field["height"]) < 40, "the error is not beside the reason"
    # ... and tied to it, so that a screen reader reads it with the field.
    reason_box = legal.locator("#id_reason")
    expect(reason_box).to_have_attribute("aria-invalid", "true")
    assert "id_reason_error" in reason_box.get_attribute("aria-describedby").split()
    expect(legal.locator("#precheck")).to_contain_text("《个人信息保护法》第三十一条")
    expect(legal.locator(".messagelist .success")).to_have_count(0)
    children.refresh_from_db()
    assert children.status == ActivityStatus.AWAITING_LEGAL and children.decided_at is None
    shoot(legal, "activity-legal-03-refused-without-reason-zh")

    # 4. Approved with a reason.
    reason = "已核实监护人单独同意的取得方式，儿童信息仅用于本次活动，活动结束后删除。准予开展。"
    legal.locator("#id_reason").fill(reason)
    legal.locator("#decision").get_by_role("button", name="批准").click()
    expect(legal.locator(".messagelist")).to_contain_text(children.reference)
    expect(legal.locator("#no-decision")).to_be_visible()
    children.refresh_from_db()
    assert children.decided_by == world["legal"] and children.decision_reason == reason
    # Approved, it still has the pre-check's conditions for its owner to acknowledge.
    assert children.status == ActivityStatus.AWAITING_ACK
    decisions = AuditEvent.objects.filter(
        object_type="activity",
        object_id=str(children.pk),
        action__in=["activity.approved", "activity.refused"],
    )
    assert list(decisions.values_list("action", flat=True)) == ["activity.approved"]

    # 5. The owner reads the decision on the activity's page.
    owner = chinese_page(browser)
    login(owner, base, "cmo")
    owner.goto(f"{base}/activities/{children.pk}/")
    decision = owner.locator("#legal-decision")
    expect(decision).to_contain_text("法务已批准该活动")
    expect(decision).to_contain_text(reason)
    expect(decision).to_contain_text("刘洋")
    expect(owner.locator(".activity-status")).to_have_text("待确认条件")
    expect(owner.locator("#acknowledge-form")).to_be_visible()
    shoot(owner, "activity-legal-04-owner-reads-decision-zh")

    # 6. An extension for SMS and a higher volume: Security first, because the exposure grows.
    extension = ask(
        vendor,
        world["cmo"],
        Scope.build(channels=[Channel.SMS], ceiling=Ceiling.FROM_1M_TO_10M),
        reason="春季会员短信营销，预计触达约200万已同意会员。",
    )
    assert extension.status == ExtensionStatus.AWAITING_SECURITY and extension.needs_security
    security = admin_login_zh(browser, base, "security")
    security.goto(f"{base}/admin/activities/scopeextension/")
    security.get_by_role("link", name=extension.number).click()
    expect(security.locator("#scope")).to_contain_text("短信")
    expect(security.locator("#rule-higher_volume")).to_be_visible()
    expect(security.locator("#decision")).to_contain_text("审批：安全")
    security.locator("#id_comment").fill("已复核数据量扩大后的安全措施，符合要求。")
    shoot(security, "activity-legal-05-security-decides-zh")
    security.get_by_role("button", name="通过，转交法务").click()
    expect(security.locator(".messagelist")).to_contain_text(extension.number)
    expect(security.locator("#security-decision")).to_contain_text("赵敏")
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.AWAITING_LEGAL

    # 7. Legal grants part of it: SMS, not the higher volume.
    legal.goto(f"{base}/admin/activities/scopeextension/")
    legal.get_by_role("link", name=extension.number).click()
    grants = legal.locator("#grant-choices")
    expect(grants.get_by_label("短信")).to_be_checked()
    ceiling = grants.get_by_label("不超过1000万人")
    expect(ceiling).to_be_checked()
    ceiling.uncheck()
    legal.locator("#legal-form textarea[name=comment]").fill("同意增加短信渠道；触达人数仍以100万人为上限。")
    shoot(legal, "activity-legal-06-partial-grant-zh")
    legal.get_by_role("button", name="批准所勾选的内容").click()
    expect(legal.locator(".messagelist")).to_contain_text(extension.number)
    expect(legal.locator("#legal-decision")).to_contain_text("刘洋")
    extension.refresh_from_db()
    vendor.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert set(vendor.scope.channels) == {Channel.EDM, Channel.SMS}
    assert vendor.scope.ceiling == Ceiling.FROM_100K_TO_1M
    shoot(legal, "activity-legal-07-extension-approved-zh")

    # 8. The vendor's scope in force, as the requester reads it, now includes SMS (and the ceiling stays).
    owner.goto(f"{base}/activities/extensions/{extension.pk}/")
    expect(owner.locator(".extension-status")).to_have_text("已批准")
    scope_now = owner.locator("#scope-now")
    expect(scope_now).to_contain_text("短信")
    expect(scope_now).to_contain_text("电子邮件（EDM）")
    expect(scope_now).to_contain_text("不超过100万人")
    expect(owner.locator("#legal-decision")).to_contain_text("同意增加短信渠道")
    shoot(owner, "activity-legal-08-scope-now-includes-sms-zh")
    for page in (legal, security, owner):
        page.context.close()
