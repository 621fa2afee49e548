"""Legal returns a questionnaire naming one answer; the requester changes only that answer and resubmits
without uploading anything again; the earlier files still count and Legal passes it (issue 11, point 4)."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import Decision, Evidence, StageKind, StageState
from tests.builders import stage_of, start_review, submit_stage
from tests.e2e.conftest import login, shoot
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_returned_questionnaire_resubmitted_without_new_uploads_passes(
    live_server, page, browser, base_data
):
    requester = make_user("cmo", "Requester")
    make_user("legal", "Legal", is_staff=True)
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    files_before = Evidence.objects.filter(review=review).count()
    base = live_server.url

    # 1. Legal returns it in the admin, reopening only D5.
    login(page, base, "legal")
    page.goto(f"{base}/admin/reviews/review/{review.pk}/change/")
    for box in page.locator("#reopen-choices input[name=reopen]").all():
        box.set_checked(box.get_attribute("value") == "D5")
    page.fill("#return-comment", "请写明可用区 / name the availability zone")
    shoot(page, "returned-01-return-form")
    page.get_by_role("button", name="Return to the requester").click()
    expect(page.locator(".messagelist")).to_contain_text("returned")
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    assert (stage.state, stage.round) == (StageState.RETURNED, 2)
    assert Decision.objects.get(stage=stage).reopened == ["D5"]

    # 2. The requester sees what reopened; nothing reads "not answered", no red flag appears.
    requester_page = browser.new_context(locale="en", extra_http_headers={"Accept-Language": "en"}).new_page()
    login(requester_page, base, "cmo")
    requester_page.goto(f"{base}/reviews/{review.pk}/questionnaire/")
    expect(requester_page.locator(".reviewer-comment")).to_contain_text("availability zone")
    expect(requester_page.locator("#still-missing")).to_have_count(0)
    expect(requester_page.locator("#red-flags")).to_have_count(0)
    expect(requester_page.locator("#answered-count")).to_have_text(re.compile(r"(\d+) of \1 answered"))
    requester_page.goto(f"{base}/reviews/{review.pk}/questionnaire/D/")
    expect(requester_page.locator("#q-D5 .reopened")).to_be_visible()
    expect(requester_page.locator("textarea[name=d_D3]")).to_be_disabled()  # kept as submitted
    requester_page.locator("textarea[name=d_D5]").fill("阿里云华东2（上海）可用区 H / cn-shanghai zone H")
    shoot(requester_page, "returned-02-reopened-answer")
    requester_page.get_by_role("button", name="Save draft").click()
    expect(requester_page.locator(".alert-success")).to_contain_text("Saved")

    # 3. Resubmitted with no new upload.
    requester_page.goto(f"{base}/reviews/{review.pk}/questionnaire/")
    requester_page.get_by_role("button", name="Submit the questionnaire to Legal").click()
    expect(requester_page.locator(".alert-success")).to_contain_text("was submitted")
    assert Evidence.objects.filter(review=review).count() == files_before
    shoot(requester_page, "returned-03-resubmitted")

    # 4. Legal passes it.
    page.goto(f"{base}/admin/reviews/review/{review.pk}/change/")
    page.get_by_role("button", name="Pass").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Yes, pass it").click()  # asked in the page
    expect(page.locator(".messagelist")).to_contain_text("passed")
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.PASSED
    assert "zone H" in review.answers.get(question__code="D5").detail
