"""A requester gets Huawei vetted in a real browser, from the empty dashboard to the approved list.

The reviewers' decisions and the sign-off go through reviews.workflow (the admin desk is tested on its own
in test_admin_sign_off.py). Screenshots of every step land in test-artifacts/e2e/."""

import re

import pytest
from playwright.sync_api import expect

from reviews import workflow
from reviews.models import AnswerType, Question, Review, StageKind
from tests.builders import answers_for, stage_of
from tests.e2e.conftest import login, shoot
from tests.factories import HUAWEI_USCC, PASSWORD, docx_bytes, make_user, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pdf(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(text)}


def _answer_visible_questions(page, review, answers) -> None:
    """Fill in every question the page shows, the way a person would, in page order."""
    questions = Question.objects.filter(section__template=review.template, section__code=_section(page))
    for question in questions.order_by("order"):
        card = page.locator(f"#q-{question.code}")
        if not card.is_visible():
            continue
        value, detail = answers[question.code]
        if question.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE) and value:
            card.locator(f"input[name=q_{question.code}][value='{value}']").check()
        elif question.answer_type == AnswerType.MULTI:
            for box in card.locator(f"input[name=q_{question.code}]").all():
                box.set_checked(box.get_attribute("value") in (value or []))
        detail_box = card.locator(f"textarea[name=d_{question.code}]")
        if detail_box.count() and detail_box.is_enabled():  # A1 comes from the request, read-only
            detail_box.fill(detail)
        if (
            question.has_file
            and card.locator(".evidence-item").count() == 0
            and card.locator(f"input[name=f_{question.code}]").count()
        ):
            card.locator(f"input[name=f_{question.code}]").set_input_files(
                [_pdf(f"{question.code}.pdf", f"{review.number} {question.code}")]
            )


def _section(page) -> str:
    return re.search(r"/questionnaire/([A-Z])/", page.url).group(1)


def test_a_requester_gets_a_vendor_from_request_to_the_approved_list(live_server, page, base_data):
    requester = make_user("cmo", "Requester", first_name="Na", last_name="Li")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    base = live_server.url

    # 1. The empty dashboard says what to do.
    login(page, base, "cmo")
    expect(page.get_by_text("You have no vendor requests yet")).to_be_visible()
    shoot(page, "01-dashboard-empty")

    # 2. The request: the USCC is checked as it is typed, with the GB 32100 algorithm.
    page.get_by_role("link", name="Request a vendor review").click()
    uscc = page.locator("input[name=uscc]")
    uscc.fill("91440300192203821X")
    expect(page.locator("#uscc-live")).to_contain_text("The check character does not match (expected 6)")
    uscc.fill("9144030019220382I6")
    expect(page.locator("#uscc-live")).to_contain_text("The letters I, O, S, V and Z never occur")
    uscc.fill(HUAWEI_USCC)
    expect(page.locator("#uscc-live")).to_contain_text("The check character matches.")
    page.fill("input[name=name_zh]", "华为技术有限公司")
    page.fill("input[name=name_en]", "Huawei Technologies Co., Ltd.")
    page.select_option("select[name=category]", "scrm_saas")
    page.fill("input[name=website]", "https://www.huawei.com")
    page.fill("textarea[name=services]", "会员运营 SCRM 平台")
    page.fill("textarea[name=purpose]", "会员营销与私域运营 / member marketing")
    page.fill("textarea[name=personal_data]", "手机号、会员等级 / mobile numbers, membership tier")
    page.select_option("select[name=expected_volume]", "100k_1m")
    shoot(page, "02-request-form")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".alert-success")).to_contain_text("created")
    review = Review.objects.get(vendor__uscc=HUAWEI_USCC)
    assert review.requester == requester and review.vendor.uscc_checksum_ok
    shoot(page, "03-review-page")

    # 3. An empty questionnaire cannot be submitted yet: Submit is disabled, with a count of what is missing
    # per section; the tier is not assessed yet. A1 is already answered from the request.
    page.goto(f"{base}/reviews/{review.pk}/questionnaire/")
    expect(page.get_by_role("button", name="Submit the questionnaire to Legal")).to_be_disabled()
    expect(page.locator("#submit-blocked")).to_contain_text("questions are still to answer")
    expect(page.locator("[data-tier=not-assessed]")).to_be_visible()
    shoot(page, "04-questionnaire-missing")

    # 4. Section by section; conditional questions follow the answers as they change.
    answers = answers_for(review)
    page.locator("#still-missing a.missing-section").first.click()
    expect(page.locator("textarea[name=d_A1]")).to_be_disabled()
    expect(page.locator("#q-A1 .from-request")).to_contain_text("check character matches")
    for _ in range(8):
        section = _section(page)
        if section == "F":
            expect(page.locator("#q-F2")).to_be_hidden()
            page.check("input[name=q_F1][value=yes]")
            expect(page.locator("#q-F2")).to_be_visible()
            page.check("input[name=q_F1][value=no]")
            expect(page.locator("#q-F2")).to_be_hidden()
        if section == "C":
            page.check("input[name=q_C1][value=no]")
            page.get_by_role("button", name="Save draft").click()
            flag = page.locator("#q-C1 .red-flag")
            expect(flag).to_contain_text("Ad Law Art. 43")
            shoot(page, "05-red-flag")
        _answer_visible_questions(page, review, answers)
        shoot(page, f"06-section-{section}")
        page.get_by_role("button", name=re.compile("Save and (continue|review)")).click()
        expect(page.locator(".alert-success")).to_contain_text("Saved")
        if "/questionnaire/" not in page.url or page.url.rstrip("/").endswith("questionnaire"):
            break
    expect(page.locator("#answered-count")).to_have_text(re.compile(r"(\d+) of \1 answered"))
    shoot(page, "07-questionnaire-complete")
    page.get_by_role("button", name="Submit the questionnaire to Legal").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")
    workflow.stage_pass(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="OK")

    # 5. Data-source evidence: one slot per required kind, several files each; refusals and duplicates told.
    # The PIPIA and the privacy policy given with answers B6 and C6 already fill their slots.
    page.goto(f"{base}/reviews/{review.pk}/data-source/")
    slots = page.locator(".evidence-slot")
    required = [
        s.get_attribute("id").removeprefix("kind-")
        for s in slots.all()
        if s.locator(".badge", has_text=re.compile("required|provided")).count()
    ]
    assert "pipia" in required and "privacy_policy" in required
    expect(page.locator("#kind-pipia .from-answers")).to_contain_text("answer B6")
    expect(page.locator("#kind-pipia .badge").first).to_contain_text("provided")
    pipia = page.locator("#kind-pipia")
    pipia.locator("input[type=file]").set_input_files(
        [{"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}]
    )
    pipia.get_by_role("button", name="Upload").click()
    expect(page.locator("#kind-pipia .upload-error")).to_contain_text("Programs and scripts are not accepted")
    shoot(page, "08-upload-refused")
    for kind in required:
        slot = page.locator(f"#kind-{kind}")
        files = [_pdf(f"{kind}.pdf", f"{review.number} {kind} round 1")]
        if kind == "pipia":
            files.append(
                {
                    "name": "pipia-annex.docx",
                    "buffer": docx_bytes(),
                    "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                }
            )
        slot.locator("input[type=file]").set_input_files(files)
        slot.get_by_role("button", name="Upload").click()
        expect(page.locator(f"#kind-{kind} .evidence-item").first).to_be_visible()
    other = page.locator("#kind-other")
    other.locator("input[type=file]").set_input_files([_pdf("copy.pdf", f"{review.number} pipia round 1")])
    other.get_by_role("button", name="Upload").click()
    expect(page.locator(".alert-warning")).to_contain_text("is identical to “pipia.pdf”")
    shoot(page, "09-evidence-uploaded")
    page.get_by_role("button", name="Submit the evidence to Legal").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")

    # 6. Legal returns it; the requester sees the comment first, re-uploads, and the old round stays frozen.
    workflow.stage_return(
        stage=stage_of(review, StageKind.DATA_SOURCE),
        actor=legal,
        comment="PIPIA 报告缺少签字页 / the PIPIA report lacks the signature page",
    )
    page.goto(f"{base}/")
    expect(page.locator(".action-item").first).to_contain_text("the PIPIA report lacks the signature page")
    shoot(page, "10-dashboard-returned")
    page.get_by_role("link", name="Fix and resubmit").first.click()
    for kind in required:
        slot = page.locator(f"#kind-{kind}")
        slot.locator("input[type=file]").set_input_files(
            [_pdf(f"{kind}-v2.pdf", f"{review.number} {kind} round 2")]
        )
        slot.get_by_role("button", name="Upload").click()
        expect(page.locator(f"#kind-{kind} .evidence-item:not(.frozen)").first).to_be_visible()
    expect(page.locator("#kind-pipia .evidence-item.frozen").first).to_contain_text("round 1")
    shoot(page, "11-evidence-round-2")
    page.get_by_role("button", name="Submit the evidence to Legal").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")
    workflow.stage_pass(stage=stage_of(review, StageKind.DATA_SOURCE), actor=legal, comment="OK")

    # 7. Certificates, with the dates checked in the form.
    page.goto(f"{base}/reviews/{review.pk}/security/")
    page.select_option("select[name=kind]", "iso27001")
    page.select_option("select[name=edition]", "iso27001_2013")
    page.fill("input[name=number]", "ISMS-2024-0815")
    page.fill("input[name=issuer]", "中国质量认证中心 CQC")
    page.fill("textarea[name=scope]", "SCRM SaaS 平台的设计、开发与运维")
    page.fill("input[name=issued_on]", "2024-03-01")
    page.fill("input[name=expires_on]", "2024-02-01")
    page.set_input_files("input[name=file]", [_pdf("iso27001.pdf", f"{review.number} cert")])
    page.get_by_role("button", name="Add the certificate").click()
    expect(page.locator("#certificate-form")).to_contain_text("The expiry date must be after the issue date.")
    page.fill("input[name=expires_on]", "2027-02-28")
    page.set_input_files("input[name=file]", [_pdf("iso27001.pdf", f"{review.number} cert")])
    page.get_by_role("button", name="Add the certificate").click()
    # To the 2013 edition: void after 2025-10-31 whatever the printed expiry (vendors.cert_rules).
    expect(page.locator("#certificate-form")).to_contain_text("lapsed on 2025-10-31")
    page.select_option("select[name=edition]", "iso27001_2022")
    page.set_input_files("input[name=file]", [_pdf("iso27001.pdf", f"{review.number} cert")])
    page.get_by_role("button", name="Add the certificate").click()
    expect(page.locator(".certificate-row")).to_contain_text("ISMS-2024-0815")
    expect(page.locator(".certificate-row .cert-title")).to_contain_text("ISO/IEC 27001:2022")
    shoot(page, "12-certificate")
    page.get_by_role("button", name="Submit the certificates to Security").click()
    expect(page.locator(".alert-success")).to_contain_text("was submitted")
    workflow.stage_pass(stage=stage_of(review, StageKind.SECURITY), actor=security, comment="OK")
    workflow.review_sign_off(
        review=review, actor=legal, password=PASSWORD, statement="准予入库 / admitted to the approved list"
    )

    # 8. The vendor is on the approved list, in both languages.
    page.goto(f"{base}/")
    expect(page.locator("#my-requests")).to_contain_text("Approved")
    shoot(page, "13-dashboard-approved")
    page.get_by_role("link", name="Approved vendors").first.click()
    page.fill("input[name=q]", "华为")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#approved-vendors")).to_contain_text(HUAWEI_USCC)
    expect(page.locator("#approved-vendors")).to_contain_text("2027-02-28")  # nearest certificate expiry
    shoot(page, "14-approved-list")
    page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#approved-vendors")).to_contain_text(HUAWEI_USCC)
    shoot(page, "15-approved-list-zh")
    page.locator("#approved-vendors a", has_text="华为技术有限公司").click()
    expect(page.locator("#vendor-usable")).to_contain_text("VD-")
    expect(page.locator(".dossier-panel")).to_be_visible()
    shoot(page, "16-vendor-page-zh")
