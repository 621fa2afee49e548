"""Under the Content-Security-Policy the pages run in real Chromium without a single violation: the
requester's pages (with their scripts: language switch, questionnaire, credit-code check, upload progress)
and the reviewers' desk (the admin's own scripts included). Chromium reports each refused script or style
on the console, so the console is read."""

import pytest

from tests.builders import review_ready_for_sign_off, start_review
from tests.e2e.conftest import login
from tests.e2e.test_admin_sign_off import admin_login
from tests.factories import make_user

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
    for path in ("/", "/reviews/new/", f"/reviews/{draft.pk}/", f"/reviews/{draft.pk}/questionnaire/",
                 f"/reviews/{draft.pk}/questionnaire/A/", f"/reviews/{ready.pk}/data-source/",
                 f"/reviews/{ready.pk}/security/", "/vendors/"):
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
    for path in ("/admin/", "/admin/reviews/review/", f"/admin/reviews/review/{ready.pk}/change/",
                 f"/admin/reviews/review/{ready.pk}/sign-off/", "/admin/vendors/vendor/",
                 "/admin/axes/accessattempt/"):
        page.goto(base + path)
        page.wait_for_load_state("load")

    assert csp_reports(messages) == [], "\n".join(messages)

    # The console would have shown a violation: an inline script added now is refused and reported.
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__inline_ran = true;"; document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert csp_reports(messages), "an inline script was not reported; the check above proves nothing"
    assert page.evaluate("window.__inline_ran === undefined")
