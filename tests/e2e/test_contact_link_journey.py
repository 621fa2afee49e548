"""The requester invites the vendor's contact; the contact, in a browser of their own with no account, answers
a section with a file and uploads a data-source document; the requester sees both as the contact's, then
revokes the link and it stops working. Screenshots land in test-artifacts/e2e/contact-*.png."""

import pytest
from playwright.sync_api import expect

from reviews.models import AuditEvent, Evidence, StageKind
from tests import builders
from tests.e2e.conftest import login, shoot
from tests.factories import HUAWEI_USCC, VendorFactory, make_user, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pdf(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(text)}


def test_a_vendor_contact_answers_through_a_link_and_the_requester_sees_it(
    live_server, browser, page, base_data
):
    requester = make_user("cmo", "Requester", first_name="Na", last_name="Li", email="na.li@brand.example")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    review = builders.start_review(
        requester, vendor=VendorFactory(name_zh="华为技术有限公司", uscc=HUAWEI_USCC)
    )
    base = live_server.url

    # 1. The requester invites the contact from the review page; a wrong address is said, in place.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    login(page, base, "cmo")
    page.goto(f"{base}/reviews/{review.pk}/")
    panel = page.locator("#contact-links")
    panel.get_by_label("Contact's name").fill("张三")
    panel.get_by_label("Contact's e-mail").fill("zhang@")
    panel.get_by_role("button", name="Create link").click()
    expect(page.locator("#contact-links .invalid-feedback")).to_contain_text("valid email")
    page.locator("#contact-links").get_by_label("Contact's e-mail").fill("zhang@huawei.example")
    page.locator("#contact-links").get_by_label("Valid for (days)").fill("7")
    page.locator("#contact-links").get_by_role("button", name="Create link").click()
    expect(page.locator(".contact-link-created")).to_contain_text("shown only this once")
    url = page.locator("#contact-link-url").input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("Copied to the clipboard.")
    shoot(page, "contact-01-link-created")

    # 2. The contact opens it in a browser of their own, in Chinese, with no account.
    contact_context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-hans"},
    )
    vendor = contact_context.new_page()
    vendor.set_default_timeout(20_000)
    vendor.goto(url)
    expect(vendor.locator("h1")).to_have_text("华为技术有限公司")
    expect(vendor.locator(".contact-intro")).to_contain_text("致 张三，由 Na Li 邀请。")
    shoot(vendor, "contact-02-home")
    vendor.get_by_role("link", name="回答问题").click()

    # 3. Section A with the business licence; saved as a draft, on to section B.
    # A1 is the credit code of the request: read-only here, nobody types it twice.
    expect(vendor.locator("textarea[name=d_A1]")).to_be_disabled()
    expect(vendor.locator("textarea[name=d_A1]")).to_have_value(HUAWEI_USCC)
    vendor.check("input[name=q_A2][value=yes]")
    vendor.set_input_files("input[name=f_A2]", [_pdf("营业执照.pdf", "licence")])
    vendor.check("input[name=q_A4][value=none]")
    vendor.check("input[name=q_A5][value=lt100k]")
    shoot(vendor, "contact-03-section-A")
    vendor.get_by_role("button", name="保存并继续").click()
    expect(vendor.locator(".alert-success")).to_contain_text("已保存")
    assert "/questionnaire/B/" in vendor.url
    expect(vendor.locator(".red-flag, .risk-flag")).to_have_count(0)

    # 4. The requester sees the answers and the file as the contact's.
    page.goto(f"{base}/reviews/{review.pk}/questionnaire/A/")
    expect(page.locator("#q-A2 > .card-body > .d-flex > .via-contact")).to_have_text(
        "from vendor contact 张三"
    )
    expect(page.locator("#q-A2 .evidence-item")).to_contain_text("营业执照.pdf")
    expect(page.locator("#q-A2 .evidence-item .via-contact")).to_have_text("from vendor contact 张三")
    shoot(page, "contact-04-requester-sees-answers")

    # 5. Once the questionnaire has passed, the contact uploads a data-source document.
    builders.pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    vendor.goto(url)
    vendor.get_by_role("link", name="上传文件").click()
    pipia = vendor.locator("#kind-pipia")
    pipia.locator("input[type=file]").set_input_files([_pdf("PIPIA-2026.pdf", "vendor's PIPIA")])
    pipia.get_by_role("button", name="上传").click()
    expect(vendor.locator(".alert-success")).to_contain_text("已添加 1 个文件")
    expect(vendor.locator("#kind-pipia .evidence-item")).to_contain_text("来自您")
    assert vendor.locator("a[href*='/file/']").count() == 0  # listed, never served to the contact
    shoot(vendor, "contact-05-documents")

    page.goto(f"{base}/reviews/{review.pk}/data-source/")
    expect(page.locator("#kind-pipia .evidence-item")).to_contain_text("from vendor contact 张三")
    shoot(page, "contact-06-requester-sees-document")
    assert Evidence.objects.get(stage__kind=StageKind.DATA_SOURCE).uploaded_by is None
    labels = set(
        AuditEvent.objects.filter(review=review, action__in=["answers.saved", "evidence.added"]).values_list(
            "actor_label", flat=True
        )
    )
    assert any(label.startswith("Vendor contact 张三 <zhang@huawei.example> (link #") for label in labels)

    # 6. The requester revokes the link; the contact's next click gets the neutral page.
    page.goto(f"{base}/reviews/{review.pk}/#contact-links")
    page.locator("#contact-links summary", has_text="Revoke").click()
    page.get_by_role("button", name="Yes, revoke the link").click()
    expect(page.locator(".alert-success")).to_contain_text("was revoked")
    expect(page.locator("#contact-links .badge.link-revoked")).to_have_text("Revoked")
    shoot(page, "contact-07-revoked")
    vendor.reload()
    expect(vendor.locator("h1")).to_have_text("此链接无法使用")
    shoot(vendor, "contact-08-link-dead")
    contact_context.close()
