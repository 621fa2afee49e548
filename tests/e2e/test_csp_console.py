"""Under the Content-Security-Policy the pages run in real Chromium without a single violation: the
requester's pages (with their scripts: language switch, questionnaire, credit-code check, upload progress,
the activity form's vendor lookup), the marketing activities and scope extensions, and the reviewers' desk (the
admin's own scripts included). Chromium reports each refused script or style
on the console, so the console is read."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.services import activity_plan, activity_register
from tests.activities.extension_helpers import ask
from tests.builders import review_ready_for_sign_off, start_review
from tests.e2e.conftest import login
from tests.e2e.test_activity_journey import approved_edm_sender
from tests.e2e.test_admin_sign_off import admin_login
from tests.factories import make_user
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def csp_reports(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]


def test_requester_and_admin_pages_raise_no_policy_violation(live_server, page, base_data):
    requester = make_user("cmo", "Requester")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    ready = review_ready_for_sign_off(requester, legal=legal, security=security)
    draft = start_review(requester)
    base = live_server.url
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))

    login(page, base, "cmo")
    for path in (
        "/",
        "/reviews/new/",
        f"/reviews/{draft.pk}/",
        f"/reviews/{draft.pk}/questionnaire/",
        f"/reviews/{draft.pk}/questionnaire/A/",
        f"/reviews/{ready.pk}/data-source/",
        f"/reviews/{ready.pk}/security/",
        "/vendors/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("load")
    # The scripts run: the progress bar got its width from page.js, the language switch sends its form.
    page.goto(f"{base}/reviews/{draft.pk}/questionnaire/")
    assert page.locator(".progress-bar[data-width]").first.evaluate("bar => bar.style.width") != ""
    # The switch submits its form: wait for that navigation, not for the current page's load state (which
    # is already "load" and would let the assertion race the request).
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    page.context.clear_cookies()
    admin_login(page, base, "legal")
    for path in (
        "/admin/",
        "/admin/reviews/review/",
        f"/admin/reviews/review/{ready.pk}/change/",
        f"/admin/reviews/review/{ready.pk}/sign-off/",
        "/admin/vendors/vendor/",
        "/admin/axes/accessattempt/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("load")

    assert csp_reports(messages) == [], "\n".join(messages)

    # The console would have shown a violation: an inline script added now is refused and reported.
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__inline_ran = true;"; document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert csp_reports(messages), "an inline script was not reported; the check above proves nothing"
    assert page.evaluate("window.__inline_ran === undefined")


def test_the_activity_and_extension_pages_raise_no_policy_violation(live_server, page, base_data):
    requester = make_user("cmo", "Requester")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    vendor = approved_edm_sender(requester=requester, legal=legal, security=security)
    today = timezone.localdate()
    waiting = activity_register(
        owner=requester,
        plan=activity_plan(
            name="六一亲子会员EDM",
            starts_on=today,
            ends_on=today,
            purpose=Purpose.MEMBER_MARKETING,
            channels=[Channel.EDM],
            vendors=[vendor],
            audience_source=AudienceSource.OWN_CONSENTED,
            data_categories=[DataCategory.CONTACT],
            volume=Ceiling.LT_100K,
            minors=True,
        ),
    )
    extension = ask(vendor, requester, Scope.build(channels=[Channel.SMS], ceiling=Ceiling.FROM_1M_TO_10M))
    base = live_server.url
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))

    login(page, base, "cmo")
    for path in (
        "/activities/",
        f"/activities/{waiting.pk}/",
        f"/activities/extensions/new/{vendor.pk}/",
        f"/activities/extensions/{extension.pk}/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("load")
    # The form's script runs: the justification of a price difference shows only while the box is ticked,
    # and the vendor lookup fetches and offers the vendor.
    page.goto(f"{base}/activities/new/")
    justification = page.locator("#pricing-justification")
    expect(justification).to_be_hidden()
    page.locator("#id_personalised_pricing").check()
    expect(justification).to_be_visible()
    page.locator("#id_vendors").press_sequentially(vendor.uscc[:8], delay=40)
    expect(page.locator("#vendor-suggestions")).to_contain_text(vendor.name_zh)
    # The extension's second step (its questions and file inputs).
    page.goto(f"{base}/activities/extensions/new/{vendor.pk}/?channels=sms")
    page.locator("#id_reason").fill("春季会员短信")
    page.locator("#extension-scope-form [type=submit]").click()
    expect(page.locator("#extension-needs-form")).to_be_visible()

    page.context.clear_cookies()
    admin_login(page, base, "legal")
    for path in (
        "/admin/",
        "/admin/activities/activity/",
        f"/admin/activities/activity/{waiting.pk}/change/",
        "/admin/activities/scopeextension/?waiting=all",
        f"/admin/activities/scopeextension/{extension.pk}/change/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("load")
    # The extension's documents preview in the page (the workbench script opens them in a sandboxed frame).
    preview = page.locator("details.vetted-preview").first
    preview.locator("summary").click()
    expect(preview.locator("iframe")).to_be_visible()
    page.wait_for_timeout(300)

    assert csp_reports(messages) == [], "\n".join(messages)

    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__inline_ran = true;"; document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert csp_reports(messages), "an inline script was not reported; the check above proves nothing"
