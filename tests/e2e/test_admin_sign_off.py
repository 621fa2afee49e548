"""Legal signs off a review on the reviewers' desk in real Chromium; the vendor reaches the approved list.

The review is walked to the sign-off with the real services (tests.builders); everything Legal does happens
in the browser: the admin login, the queue, the review page, a wrong password, then the signature.
Screenshots land in test-artifacts/e2e/admin-*.png."""

import pytest
from playwright.sync_api import expect

from reviews.models import AuditEvent, ReviewState, SignOff
from tests.builders import review_ready_for_sign_off
from tests.e2e.conftest import shoot
from tests.factories import PASSWORD, VendorFactory, make_user
from vendors.selectors import approved_vendors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def admin_login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("load")
    assert "/admin/login/" not in page.url, f"admin login as {username} failed"


def test_legal_signs_off_in_the_admin_and_the_vendor_is_approved(live_server, page, base_data):
    requester = make_user("cmo", "Requester")
    legal = make_user("legal", "Legal", is_staff=True, first_name="Mei", last_name="Wang")
    security = make_user("security", "Security", is_staff=True)
    vendor = VendorFactory(name_zh="深圳云触达信息技术有限公司", name_en="Shenzhen Cloud Reach IT Co., Ltd.")
    review = review_ready_for_sign_off(requester, legal=legal, security=security, vendor=vendor)
    base = live_server.url

    # 1. The queue opens on what waits for Legal: this review, at the sign-off.
    admin_login(page, base, "legal")
    page.goto(f"{base}/admin/reviews/review/")
    row = page.locator("#result_list tbody tr", has_text=review.number)
    expect(row).to_contain_text("Legal sign-off")
    expect(page.locator("#changelist-filter")).to_contain_text("Waiting on me")
    shoot(page, "admin-01-queue-waiting-on-me")

    # 2. The review page: the whole file, read-only, with the sign-off button.
    row.get_by_role("link", name=review.number).click()
    expect(page.locator("#answers")).to_be_visible()
    expect(page.locator("#certificates")).to_contain_text("ISMS-2024-0815")
    expect(page.locator("#audit")).to_contain_text("stage.passed")
    shoot(page, "admin-02-review-page")

    # 3. The sign-off form: validity prefilled with the cap; a wrong password signs nothing.
    page.locator("#sign-off-link").click()
    expect(page.locator("#id_valid_until")).not_to_have_value("")
    page.fill("#id_statement", "经审查，该供应商符合我司个人信息保护要求，准予入库。")
    page.fill("#id_conditions", "每季度提供同意日志抽样 / quarterly consent-log samples")
    shoot(page, "admin-03-sign-off-form")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="Sign off and admit the vendor").click()
    expect(page.locator("#id_password_error")).to_contain_text("password is not correct")
    shoot(page, "admin-04-sign-off-wrong-password")
    assert not SignOff.objects.filter(review=review).exists()
    assert AuditEvent.objects.filter(review=review, action="signoff.refused").exists()

    # 4. The right password signs: back on the review page with the sign-off shown.
    expect(page.locator("#id_statement")).to_have_value(
        "经审查，该供应商符合我司个人信息保护要求，准予入库。"
    )
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign off and admit the vendor").click()
    expect(page.locator(".messagelist")).to_contain_text("Signed off as")
    expect(page.locator("#sign-off")).to_contain_text("quarterly consent-log samples")
    shoot(page, "admin-05-signed-off")

    review.refresh_from_db()
    assert review.state == ReviewState.APPROVED
    assert vendor in approved_vendors()

    # 5. The approved list shows the vendor.
    page.goto(f"{base}/vendors/")
    expect(page.get_by_text(vendor.name_zh).first).to_be_visible()
    shoot(page, "admin-06-approved-list")
