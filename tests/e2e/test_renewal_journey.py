"""A requester renews an approval that ends in three weeks, in real Chromium: the dashboard offers it, the
request form comes filled in from the running approval, and the vendor stays on the approved list while the
renewal review runs. Screenshots land in test-artifacts/e2e/renewal-*.png."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from reviews.models import Review, ReviewState
from tests.builders import approved_review, today
from tests.e2e.conftest import login, shoot
from tests.factories import VendorFactory, make_user
from vendors.selectors import approved_vendors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_requester_renews_an_approval_before_it_ends(live_server, page, base_data):
    requester = make_user("cmo", "Requester", first_name="Xiaowen", last_name="Wang")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    vendor = VendorFactory(
        name_zh="上海悦享数字营销有限公司", name_en="Shanghai Yuexiang Digital Marketing Co., Ltd."
    )
    approval = approved_review(
        requester, legal=legal, security=security, vendor=vendor, valid_until=today() + timedelta(days=21)
    )
    base = live_server.url

    # 1. The dashboard puts the approval that ends soon first, with the way to renew it.
    login(page, base, "cmo")
    ending = page.locator("#approvals-ending .ending-item", has_text=vendor.name_zh)
    expect(ending).to_contain_text(approval.sign_off.number)
    shoot(page, "renewal-01-dashboard")

    # 2. The request form comes filled in: the registered vendor and the purpose of the running approval.
    ending.get_by_role("link", name="Request a renewal").click()
    expect(page.locator("#renewal-note")).to_contain_text(approval.sign_off.number)
    expect(page.locator("input[name=uscc]")).to_have_value(vendor.uscc)
    expect(page.locator("textarea[name=purpose]")).to_have_value(approval.purpose)
    shoot(page, "renewal-02-request-form")

    # 3. Sending it starts the renewal review; the vendor stays approved until the old approval ends.
    page.get_by_role("button", name="Request a renewal review").click()
    expect(page.locator(".alert-success")).to_contain_text("created")
    renewal = Review.objects.exclude(pk=approval.pk).get(vendor=vendor)
    assert renewal.state == ReviewState.DRAFT and renewal.requester == requester
    assert vendor in approved_vendors()
    expect(page.locator("#renews")).to_contain_text(approval.sign_off.number)
    shoot(page, "renewal-03-review-started")

    # 4. The dashboard no longer nags: a renewal is under way.
    page.goto(f"{base}/")
    expect(page.locator("#approvals-ending")).to_have_count(0)
    page.goto(f"{base}/vendors/{vendor.pk}/")
    expect(page.locator("#vendor-usable")).to_contain_text("A renewal review is under way.")
