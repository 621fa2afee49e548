"""A requester registers a new Douyin account of the brand in a real browser and takes it through review:
the channel questionnaire, its evidence, the security stage without a certificate, Legal's sign-off, and
the channel on its page as approved. Decisions go through reviews.workflow, as in test_requester_journey."""

import re

import pytest
from playwright.sync_api import expect

from reviews import workflow
from reviews.models import AnswerType, Question, Review, StageKind
from tests.builders import answers_for, stage_of
from tests.e2e.conftest import login, shoot
from tests.factories import PASSWORD, make_user, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pdf(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(text)}


def _answer_section(page, review, answers) -> None:
    section = re.search(r"/questionnaire/([A-Z])/", page.url).group(1)
    for question in Question.objects.filter(
        section__template=review.template, section__code=section
    ).order_by("order"):
        card = page.locator(f"#q-{question.code}")
        if not card.is_visible():
            continue
        value, detail = answers[question.code]
        if question.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE) and value:
            card.locator(f"input[name=q_{question.code}][value='{value}']").check()
        detail_box = card.locator(f"textarea[name=d_{question.code}]")
        if detail_box.count() and detail_box.is_enabled():
            detail_box.fill(detail or "见附件")
        if question.has_file and card.locator(f"input[name=f_{question.code}]").count():
            card.locator(f"input[name=f_{question.code}]").set_input_files(
                [_pdf(f"{question.code}.pdf", f"{review.number} {question.code}")]
            )


def test_a_new_douyin_account_from_registration_to_approval(live_server, page, base_data):
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    base = live_server.url

    # 1. Registered in the browser: no credit code; a mistake is named and nothing typed is lost.
    login(page, base, "cmo")
    page.get_by_role("link", name="New own-channel review").first.click()
    expect(page.locator("input[name=uscc]")).to_have_count(0)
    page.select_option("select[name=kind]", "douyin")
    page.fill("input[name=name_zh]", "品牌抖音新号")
    page.fill("input[name=operator]", "北京微播视界科技有限公司")
    page.fill("textarea[name=administrators]", "王晓雯 密码 abc123")
    page.fill("textarea[name=connected_systems]", "CDP")
    page.fill("textarea[name=purpose]", "新开抖音号：短视频种草与直播预约")
    page.select_option("select[name=expected_volume]", "lt100k")
    page.get_by_role("button", name="Register the channel and send the request").click()
    expect(page.locator("#id_administrators").locator("xpath=..")).to_contain_text("never a password")
    expect(page.locator("input[name=name_zh]")).to_have_value("品牌抖音新号")
    page.fill(
        "textarea[name=administrators]",
        "王晓雯, wang.xiaowen@brand.example.com\n陈建国, chen@brand.example.com",
    )
    shoot(page, "channel-01-register")
    page.get_by_role("button", name="Register the channel and send the request").click()
    expect(page.locator(".alert-success")).to_contain_text("Channel review")
    review = Review.objects.get(vendor__name_zh="品牌抖音新号")
    assert review.vendor.uscc == "" and review.template.subject == "own_channel"
    expect(page.locator("#channel-kind")).to_contain_text("Douyin account")
    shoot(page, "channel-02-review")

    # 2. The channel questionnaire, section by section: no SDK questions for a social account.
    # A plain brand account: nothing shared with others, nothing sensitive, nothing abroad, no children.
    plain = dict.fromkeys(("K2", "K4", "X3", "Y1"), ("no", ""))
    answers = answers_for(review, overrides=plain)
    page.goto(f"{base}/reviews/{review.pk}/questionnaire/")
    page.locator("#still-missing a.missing-section").first.click()
    for _ in range(10):
        if "/S/" in page.url:
            expect(page.locator("#q-S1")).to_be_hidden()
        _answer_section(page, review, answers)
        page.get_by_role("button", name=re.compile("Save and (continue|review)")).click()
        expect(page.locator(".alert-success")).to_contain_text("Saved")
        if page.url.rstrip("/").endswith("questionnaire"):
            break
    shoot(page, "channel-03-questionnaire")
    page.get_by_role("button", name="Submit the questionnaire to Legal").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")
    workflow.stage_pass(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="OK")

    # 3. Evidence: the privacy policy and consent texts, already given with the answers.
    page.goto(f"{base}/reviews/{review.pk}/data-source/")
    expect(page.locator("#kind-privacy_policy .badge").first).to_contain_text("provided")
    expect(page.locator("#kind-consent_text")).to_be_visible()
    shoot(page, "channel-04-evidence")
    page.get_by_role("button", name="Submit the evidence to Legal").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")
    workflow.stage_pass(stage=stage_of(review, StageKind.DATA_SOURCE), actor=legal, comment="OK")

    # 4. Security: a social account needs no certificate; its account security was given with U2.
    page.goto(f"{base}/reviews/{review.pk}/security/")
    expect(page.locator("#channel-security-note")).to_contain_text("A social account needs no certificate")
    page.get_by_role("button", name="Submit to Security").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")
    workflow.stage_pass(stage=stage_of(review, StageKind.SECURITY), actor=security, comment="双重验证已启用")
    workflow.review_sign_off(
        review=Review.objects.get(pk=review.pk),
        actor=legal,
        password=PASSWORD,
        statement="账号安全与告知同意符合要求，准予开通。",
    )

    # 5. Approved: the review and the channel's page say so.
    page.goto(f"{base}/reviews/{review.pk}/")
    expect(page.get_by_text("Approved").first).to_be_visible()
    page.goto(f"{base}/vendors/{review.vendor_id}/")
    expect(page.locator("#vendor-usable")).to_contain_text("Approved until")
    expect(page.locator("#channel-administrators")).to_contain_text("wang.xiaowen@brand.example.com")
    shoot(page, "channel-05-approved")
    assert requester.pk == Review.objects.get(pk=review.pk).requester_id
