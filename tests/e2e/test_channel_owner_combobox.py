"""The business owner of an own-channel request, in real Chromium: the requester types part of a name, the
combobox lists the requesters who match (family name first), the arrow keys and Enter choose one (the form is
not sent by that Enter), and the channel is registered with that owner; without script the same input takes a
user name or e-mail, checked on the server."""

import pytest
from playwright.sync_api import expect

from reviews.models import Review
from tests.e2e.conftest import login, shoot
from tests.e2e.test_accessibility import problems
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_channel(page):
    page.select_option("select[name=kind]", "douyin")
    page.fill("input[name=name_zh]", "品牌抖音新号")
    page.fill("input[name=operator]", "北京微播视界科技有限公司")
    page.fill("textarea[name=administrators]", "王晓雯, wang.xiaowen@brand.example.com")
    page.fill("textarea[name=purpose]", "新开抖音号")
    page.select_option("select[name=expected_volume]", "lt100k")


def test_the_requester_chooses_the_owner_by_name_with_the_keyboard(live_server, page, base_data):
    make_user("cmo", "Requester", first_name="晓雯", last_name="王", email="wang.xw@example.com")
    make_user("cmo2", "Requester", first_name="Anna", last_name="Schmidt", email="anna@example.com")
    make_user("chen", "Requester", first_name="建国", last_name="陈", email="chen@example.com")
    base = live_server.url
    login(page, base, "cmo")
    page.goto(f"{base}/channels/new/")
    owner = page.get_by_role("combobox", name="Business owner")
    expect(owner).to_have_value("cmo")
    expect(owner).to_have_attribute("aria-expanded", "false")
    fill_channel(page)
    owner.fill("")
    owner.press_sequentially("schm")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(owner).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text("Anna Schmidt")
    owner.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(owner).to_have_attribute("aria-activedescendant", "id_business_owner-listbox-0")
    shoot(page, "channel-owner-combobox")
    assert problems(page) == []  # axe-core, with the list open and an option active
    owner.press("Enter")
    expect(owner).to_have_value("cmo2")
    expect(owner).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#id_business_owner-name")).to_have_text("Anna Schmidt")
    assert "/channels/new/" in page.url  # Enter chose; it did not send the form
    owner.fill("")
    owner.press_sequentially("陈")
    expect(listbox.get_by_role("option")).to_have_count(1)
    owner.press("Escape")
    expect(listbox).to_be_hidden()
    owner.fill("cmo2")
    page.get_by_role("button", name="Register the channel and send the request").click()
    expect(page.locator(".alert-success")).to_contain_text("Channel review")
    assert Review.objects.get().vendor.business_owner.username == "cmo2"


def test_without_script_the_owner_is_typed_and_checked_on_the_server(live_server, page, browser, base_data):
    make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    make_user("legal", "Legal", is_staff=True, email="legal@example.com")
    make_user("cmo2", "Requester", first_name="Anna", last_name="Schmidt", email="anna@example.com")
    base = live_server.url
    login(page, base, "cmo")  # signed in with script (the sign-in page's own), then the same session without
    context = browser.new_context(java_script_enabled=False, locale="en")
    context.add_cookies(page.context.cookies())
    page = context.new_page()
    try:
        page.goto(f"{base}/channels/new/")
        owner = page.locator("input[name=business_owner]")
        expect(owner).to_have_value("cmo")
        fill_channel(page)
        owner.fill("legal@example.com")
        page.get_by_role("button", name="Register the channel and send the request").click()
        expect(page.locator("#id_business_owner").locator("xpath=..")).to_contain_text(
            "No requester is known by “legal@example.com”"
        )
        assert not Review.objects.exists()
        page.locator("input[name=business_owner]").fill("anna@example.com")
        page.get_by_role("button", name="Register the channel and send the request").click()
        expect(page.locator(".alert-success")).to_contain_text("Channel review")
        assert Review.objects.get().vendor.business_owner.username == "cmo2"
    finally:
        context.close()
