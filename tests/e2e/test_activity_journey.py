"""The issue's journey, tried as a new user would, in real Chromium and in Chinese: the CMO registers an ABM
activity through an approved SMS/EDM sender whose approval covers EDM to opted-in members only, and is told
no (不得开展), each finding with its article, and the way forward; then a member EDM within the scope, told go
with conditions (有条件开展), acknowledges them and may start (可以开展); then follows the way forward and asks
for the scope to include SMS, answering the questions and uploading the documents that addition needs.
Screenshots land in test-artifacts/e2e/activity-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, ActivityStatus, ExtensionStatus, ScopeExtension
from reviews import workflow
from tests.activities.conftest import EDM_SCOPE
from tests.builders import review_ready_for_sign_off
from tests.e2e.conftest import login, shoot
from tests.factories import PASSWORD, VendorFactory, make_user, pdf_bytes, png_bytes
from vendors.models import VendorCategory
from vendors.scope import Channel, Purpose

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ZH = "zh-hans"


def approved_edm_sender(*, requester, legal, security):
    """The issue's vendor, approved through the services: EDM to opted-in members, no bought lists, and Legal's
    further condition that it is not used for SMS."""
    vendor = VendorFactory(category=VendorCategory.SMS_EDM, name_zh="云信科技有限公司")
    review = review_ready_for_sign_off(requester, legal=legal, security=security, vendor=vendor)
    workflow.review_sign_off(
        review=review, actor=legal, password=PASSWORD, statement="准予入库", scope=EDM_SCOPE
    )
    vendor.refresh_from_db()
    assert vendor.scope == EDM_SCOPE
    return vendor


def chinese_page(browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale=ZH, extra_http_headers={"Accept-Language": ZH}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def choose_vendor_by_code(page, vendor) -> None:
    """Type the start of the credit code into the vendors field and pick the vendor the lookup offers."""
    field = page.get_by_label("供应商（统一社会信用代码）")
    field.click()
    field.press_sequentially(vendor.uscc[:8], delay=40)
    suggestions = page.locator("#vendor-suggestions")
    expect(suggestions).to_be_visible()
    expect(page.locator("#vendor-lookup-status")).to_contain_text("1")
    suggestions.get_by_role("button", name=vendor.name_zh).click()
    expect(page.locator("#vendor-lookup-status")).to_contain_text(vendor.name_zh)
    expect(suggestions).to_be_hidden()
    assert field.input_value().strip() == vendor.uscc


def fill_dates(page) -> None:
    today = timezone.localdate()
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("结束日期").fill((today + timedelta(days=30)).isoformat())


def test_the_cmo_is_told_no_with_the_way_forward_then_go_with_conditions(live_server, browser, base_data):
    cmo = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True, first_name="敏", last_name="赵")
    vendor = approved_edm_sender(requester=cmo, legal=legal, security=security)
    base = live_server.url
    page = chinese_page(browser)

    # 1. From the list, in Chinese, the CMO registers the ABM activity: SMS through the EDM sender, a bought list.
    login(page, base, "cmo")
    page.goto(f"{base}/activities/")
    assert page.locator("html").get_attribute("lang") == ZH
    page.get_by_role("link", name="登记营销活动").first.click()
    expect(page.get_by_role("heading", name="登记营销活动")).to_be_visible()
    page.get_by_label("活动名称").fill("ABM 重点客户春季推广")
    fill_dates(page)
    page.get_by_label("目的").select_option(label="目标客户营销（ABM）")
    page.get_by_label("短信", exact=True).check()
    choose_vendor_by_code(page, vendor)
    page.get_by_label("购买、租用或交换的名单").check()
    page.get_by_label("受众说明").fill("外部采购的重点客户决策人名单")
    page.get_by_label("联系方式", exact=True).check()
    page.get_by_label("触达人数").select_option(label="不足10万人")
    shoot(page, "activity-01-abm-form-zh")
    page.get_by_role("button", name="登记并前置检查").click()

    # 2. 不得开展, each finding with its article in Chinese, and the way forward.
    outcome = page.locator("#outcome")
    expect(outcome).to_contain_text("不得开展")
    expect(page.locator(".activity-status")).to_have_text("不得开展")
    refusals = page.locator("#refusals .finding")
    expect(refusals).to_have_count(3)
    purpose = refusals.filter(has_text="目标客户营销（ABM）")
    expect(purpose).to_contain_text("云信科技有限公司")
    expect(purpose).to_contain_text("《个人信息保护法》第六条、第二十一条")
    channel = refusals.filter(has_text="短信")
    expect(channel).to_contain_text("《个人信息保护法》第六条、第十四条")
    bought = refusals.filter(has_text="《刑法》第二百五十三条之一")
    expect(bought).to_contain_text("《个人信息保护法》第十条")
    for finding in refusals.all():
        expect(finding).to_contain_text("法律依据：")
    way_forward = page.locator("#way-forward")
    expect(way_forward).to_be_visible()
    expect(way_forward.get_by_role("link", name="申请扩展适用范围")).to_be_visible()
    expect(way_forward.locator("#scenario-marketing")).to_contain_text("基于匿名行为的场景营销")
    abm = Activity.objects.get(name="ABM 重点客户春季推广")
    assert abm.status == ActivityStatus.BLOCKED and list(abm.vendors.all()) == [vendor]
    shoot(page, "activity-02-abm-no-go-zh")

    # 3. The member EDM within the scope: go with conditions, acknowledged, cleared to start.
    page.goto(f"{base}/activities/new/")
    page.get_by_label("活动名称").fill("会员春季EDM")
    fill_dates(page)
    page.get_by_label("目的").select_option(label="会员营销")
    page.get_by_label("电子邮件（EDM）", exact=True).check()
    choose_vendor_by_code(page, vendor)
    page.get_by_label("已同意的自有客户或会员").check()
    page.get_by_label("受众说明").fill("近12个月有消费且同意接收营销邮件的会员")
    page.get_by_label("联系方式", exact=True).check()
    page.get_by_label("触达人数").select_option(label="不足10万人")
    page.get_by_role("button", name="登记并前置检查").click()
    expect(page.locator("#outcome")).to_contain_text("有条件开展")
    expect(page.locator("#refusals")).to_have_count(0)
    conditions = page.locator("#conditions")
    expect(conditions).to_contain_text("仅限EDM渠道，不得用于短信")
    expect(conditions.locator(".finding")).not_to_have_count(0)
    for finding in conditions.locator(".finding").all():
        expect(finding).to_contain_text("法律依据：")
    expect(page.locator(".activity-status")).to_have_text("待确认条件")
    page.get_by_label("我已阅读并将遵守上述条件").check()
    page.get_by_role("button", name="确认条件").click()
    expect(page.locator(".activity-status")).to_have_text("可以开展")
    expect(page.locator("#outcome")).to_contain_text("可以开展")
    expect(page.locator("#acknowledged")).to_contain_text("王晓雯")
    edm = Activity.objects.get(name="会员春季EDM")
    assert edm.status == ActivityStatus.CLEARED and edm.acknowledged_by == cmo
    shoot(page, "activity-03-edm-cleared-zh")

    # 4. Back to the ABM activity: the way forward asks for the scope to include SMS.
    page.goto(f"{base}/activities/")
    page.get_by_role("link", name="ABM 重点客户春季推广").click()
    page.locator("#way-forward").get_by_role("link", name="申请扩展适用范围").click()
    expect(page.get_by_role("heading", name="云信科技有限公司", exact=False).first).to_be_visible()
    # The link carries what the activity lacked: the purpose and the channel, ticked.
    abm_box = page.get_by_label("目标客户营销（ABM）", exact=True)
    sms_box = page.get_by_label("短信", exact=True)
    expect(abm_box).to_be_checked()
    expect(sms_box).to_be_checked()
    # EDM is covered already, so it is not offered.
    expect(page.get_by_label("电子邮件（EDM）", exact=True)).to_have_count(0)
    abm_box.uncheck()
    page.get_by_label("为何需要该供应商").fill(
        "春季会员活动需通过短信触达已同意接收营销短信的会员，该供应商已承接我司EDM。"
    )
    page.get_by_role("button", name="下一步：扩展所需材料").click()

    # Step 2: the questions the SMS channel asks again, and its two documents.
    expect(page.locator("#extension-adds")).to_contain_text("短信")
    expect(page.locator("#who-reviews")).to_be_visible()
    cards = page.locator(".question-again")
    expect(cards).to_have_count(4)
    codes = [card.locator(".badge").first.inner_text().strip() for card in cards.all()]
    assert codes == ["A3", "C1", "C2", "C4"]
    answers = {"A3": "是", "C1": "是", "C2": "是", "C4": "实时生效"}
    for card, code in zip(cards.all(), codes, strict=True):
        card.get_by_label(answers[code], exact=True).check()
        detail = card.locator(f"textarea[name=d_{code}]")
        if detail.count():
            detail.fill("增值电信业务经营许可证 B2-20240815；短信端口码号 1069 0000" if code == "A3" else "")
    files = page.locator("#documents input[type=file]")
    expect(files).to_have_count(2)
    page.locator("input[name=f_telecom_licence]").set_input_files(
        {"name": "电信业务经营许可证.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("B2-20240815")}
    )
    page.locator("input[name=f_marketing_samples]").set_input_files(
        {"name": "短信样例.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    shoot(page, "activity-04-extension-form-zh")
    page.get_by_role("button", name="提交扩展申请").click()

    # 5. Its page: what it adds, the answers, the documents, waiting for Legal.
    expect(page.locator(".alert-success")).to_contain_text("EXT-")
    extension = ScopeExtension.objects.get()
    assert page.url == f"{base}/activities/extensions/{extension.pk}/"
    assert extension.status == ExtensionStatus.AWAITING_LEGAL and extension.requester == cmo
    assert (
        extension.additions["channels"] == [Channel.SMS]
        and Purpose.ABM not in extension.additions["purposes"]
    )
    assert set(extension.answers) == {"A3", "C1", "C2", "C4"}
    assert extension.files.count() == 2
    expect(page.locator(".extension-status")).to_have_text("待法务决定")
    expect(page.locator("#extension-adds")).to_contain_text("短信")
    expect(page.locator("#extension-answers li")).to_have_count(4)
    expect(page.locator("#extension-files")).to_contain_text("电信业务经营许可证.pdf")
    expect(page.locator("#extension-files")).to_contain_text("短信样例.png")
    shoot(page, "activity-05-extension-page-zh")

    # The way forward on the ABM activity now points at the extension under way rather than asking again.
    page.goto(f"{base}/activities/{abm.pk}/")
    expect(page.locator("#way-forward")).to_contain_text(extension.number)
    page.context.close()
