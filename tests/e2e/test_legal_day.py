"""Legal's day on the reviewers' desk, in real Chromium: /admin/ opens on the desk, the oldest review first;
its evidence previews inline; passing asks first and names what passes; a sign-off refused for a wrong
password says so beside the field, then signs. Screenshots of the desk and the review page at 1366x900 and
390x844 in both languages land in test-artifacts/e2e/desk-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import ReviewState, SignOff, Stage, StageKind, StageState
from tests.builders import review_ready_for_sign_off, stages_update, start_review, submit_stage
from tests.e2e.conftest import shoot
from tests.factories import PASSWORD, VendorFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def admin_login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.fixture
def day(base_data):
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True, first_name="敏", last_name="赵")
    oldest = start_review(requester, vendor=VendorFactory(name_zh="南京蓝鲸邮件营销有限公司"))
    submit_stage(oldest, StageKind.QUESTIONNAIRE, requester)
    newer = start_review(requester, vendor=VendorFactory(name_zh="北京智推广告技术有限公司"))
    submit_stage(newer, StageKind.QUESTIONNAIRE, requester)
    signing = review_ready_for_sign_off(
        requester, legal=legal, security=security, vendor=VendorFactory(name_zh="成都聚点活动策划有限公司")
    )
    # Test data: the oldest has waited two weeks, past the five working days of its target.
    stages_update(
        where={"review": oldest, "kind": StageKind.QUESTIONNAIRE},
        submitted_at=timezone.now() - timedelta(days=14),
    )
    return {"oldest": oldest, "newer": newer, "signing": signing}


def test_legals_day_on_the_desk(live_server, page, day):
    base, oldest, signing = live_server.url, day["oldest"], day["signing"]

    # 1. /admin/ is the desk: what waits on Legal, by stage, the oldest first and overdue.
    admin_login(page, base, "legal")
    assert page.url == f"{base}/admin/"
    queue = page.locator("#stage-questionnaire + table tbody tr")
    expect(queue.first).to_contain_text(oldest.number)
    expect(queue.first).to_have_class("is-overdue")
    expect(page.locator("#stage-sign_off + table")).to_contain_text(signing.number)
    expect(page.locator("#waiting")).to_contain_text("王晓雯")
    shoot(page, "legal-day-01-desk")

    # 2. The oldest review opens on the workbench: summary, findings and the buttons in the first screen.
    queue.first.get_by_role("link", name=oldest.number).click()
    expect(page.locator("#summary")).to_contain_text("南京蓝鲸邮件营销有限公司")
    expect(page.locator("#findings")).to_be_in_viewport()
    expect(page.locator("#decision input[name=pass]")).to_be_in_viewport()

    # 3. A PDF of the file previews inline, sandboxed.
    page.locator("#evidence > summary").click()
    preview = page.locator("details.vetted-preview").first
    preview.locator("summary").click()
    frame = preview.locator("iframe")
    expect(frame).to_be_visible()
    response = page.request.get(base + frame.get_attribute("src"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["content-disposition"].startswith("inline")
    shoot(page, "legal-day-02-preview")
    # Read, the preview is folded again, and its frame goes with it (static/js/workbench.js): the PDF viewer
    # in it loads in its own time and, on a busy machine, took the keyboard focus after the confirmation below
    # had given it to its button. Opened again, the same file is shown again.
    src = frame.get_attribute("src")
    preview.locator("summary").click()
    expect(frame).to_have_count(0)
    preview.locator("summary").click()
    expect(frame).to_be_visible()
    assert frame.get_attribute("src") == src
    preview.locator("summary").click()
    expect(frame).to_have_count(0)

    # 4. Passing asks first, in the page (not the browser's confirm box), naming what passes; cancelled,
    # nothing happens; confirmed, the stage passes.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The page must hold the browser's focus for document.hasFocus(), which a focus check needs: in the whole
    # suite's run another page of this Chromium could hold it (the test passed alone and failed there).
    page.bring_to_front()
    page.locator("#decision input[name=pass]").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Due-diligence questionnaire")
    expect(confirm).to_contain_text(oldest.number)
    expect(confirm.get_by_role("button", name="Yes, pass it")).to_be_focused()
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    assert Stage.objects.get(review=oldest, kind=StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED
    page.locator("#decision input[name=pass]").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Yes, pass it").click()
    expect(page.locator(".messagelist")).to_contain_text("passed")
    assert Stage.objects.get(review=oldest, kind=StageKind.QUESTIONNAIRE).state == StageState.PASSED
    assert dialogs == []  # no browser dialog at any point

    # 5. Back to the desk, the sign-off: a wrong password is refused beside the field, then it signs.
    page.goto(f"{base}/admin/")
    page.locator("#stage-sign_off + table").get_by_role("link", name=signing.number).click()
    page.locator("#sign-off-link").click()
    expect(page.locator("#validity-cap")).to_be_visible()
    page.fill("#id_statement", "经审查，该供应商符合我司个人信息保护要求，准予入库。")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="Sign off and admit the vendor").click()
    error = page.locator("#id_password_error")
    expect(error).to_contain_text("password is not correct")
    expect(page.locator(".messagelist")).to_have_count(0)
    box, field = error.bounding_box(), page.locator("#id_password").bounding_box()
    assert abs(box["y"] - field["y"]) < 80  # beside the field, not at the top of the page
    shoot(page, "legal-day-03-wrong-password")
    page.fill("#id_password", PASSWORD)
    # Signing renders the dossier in-process here (no broker): give it time.
    page.get_by_role("button", name="Sign off and admit the vendor").click(timeout=120_000)
    expect(page.locator(".messagelist")).to_contain_text("Signed off as")
    signing.refresh_from_db()
    assert signing.state == ReviewState.APPROVED and SignOff.objects.filter(review=signing).exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_desk_and_the_workbench_at_two_sizes(live_server, browser, day, language):
    for width, height in [(1366, 900), (390, 844)]:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=language,
            extra_http_headers={"Accept-Language": language},
        )
        page = context.new_page()
        admin_login(page, live_server.url, "legal")
        expect(page.locator("#waiting")).to_be_visible()
        shoot(page, f"desk-{language}-{width}")
        page.goto(f"{live_server.url}/admin/reviews/review/{day['oldest'].pk}/change/")
        expect(page.locator("#decision")).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(shoot(page, f"review-{language}-{width}")), full_page=False)
        context.close()
