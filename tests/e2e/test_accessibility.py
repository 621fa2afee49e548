"""axe-core, run in Chromium over the main pages of both sides in both languages: no serious or critical
violation (colour contrast, names of controls, labels, landmarks ...)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from reviews.models import StageKind
from tests.builders import review_ready_for_sign_off, start_review, submit_stage
from tests.e2e.conftest import CHROMIUM_ARGS, login  # noqa: F401  (the browser fixture launches with them)
from tests.factories import VendorFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()
SERIOUS = {"serious", "critical"}


def problems(page) -> list[str]:
    results = AXE.run(page)
    return [f"{page.url} {v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_main_pages_have_no_serious_accessibility_violation(live_server, browser, base_data, language):
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True)
    waiting = start_review(requester, vendor=VendorFactory(name_zh="北京智推广告技术有限公司"))
    submit_stage(waiting, StageKind.QUESTIONNAIRE, requester)
    signing = review_ready_for_sign_off(requester, legal=legal, security=security)
    base = live_server.url
    pages = {
        "cmo": ["/", "/reviews/new/", f"/reviews/{waiting.pk}/", f"/reviews/{waiting.pk}/questionnaire/",
                "/vendors/", "/my/action/"],
        "legal": ["/admin/", f"/admin/reviews/review/{waiting.pk}/change/",
                  f"/admin/reviews/review/{signing.pk}/sign-off/"],
    }
    found = []
    for username, paths in pages.items():
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=language,
                                      extra_http_headers={"Accept-Language": language})
        page = context.new_page()
        page.set_default_timeout(20_000)
        login(page, base, username)
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("load")
            found += problems(page)
        context.close()

    assert not found, "\n".join(found)
