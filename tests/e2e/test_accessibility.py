"""axe-core, run in Chromium over the main pages of both sides in both languages, the marketing activities and
scope extensions included (their forms also with errors), and over every other page the browser journeys
visit, each at 1366 px and on a 390 px phone: no serious or critical violation (colour contrast, names of
controls, labels, landmarks ...)."""

from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from activities.services import activity_plan, activity_register
from reviews.models import StageKind
from tests.activities.extension_helpers import ask
from tests.builders import invite_contact, review_ready_for_sign_off, start_review, submit_stage
from tests.e2e.conftest import CHROMIUM_ARGS, login  # noqa: F401  (the browser fixture launches with them)
from tests.e2e.test_activity_journey import approved_edm_sender
from tests.factories import VendorFactory, make_user
from vendors.models import VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()
SERIOUS = {"serious", "critical"}


def problems(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


WIDTHS = [1366, 390]


@contextmanager
def signed_in(browser, base, username, language, width=1366):
    """A page of a fresh browser context `width` px wide in `language`, signed in as `username` (or nobody)."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    if username:
        login(page, base, username)
    try:
        yield page
    finally:
        context.close()


def problems_on(page, base, paths) -> list[str]:
    """axe's serious and critical violations on each of `paths`."""
    found = []
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("load")
        found += problems(page)
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server, browser, base_data, language, width
):
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True)
    waiting = start_review(requester, vendor=VendorFactory(name_zh="北京智推广告技术有限公司"))
    submit_stage(waiting, StageKind.QUESTIONNAIRE, requester)
    signing = review_ready_for_sign_off(requester, legal=legal, security=security)
    base = live_server.url
    pages = {
        "cmo": [
            "/",
            "/reviews/new/",
            f"/reviews/{waiting.pk}/",
            f"/reviews/{waiting.pk}/questionnaire/",
            "/vendors/",
            "/my/action/",
        ],
        "legal": [
            "/admin/",
            f"/admin/reviews/review/{waiting.pk}/change/",
            f"/admin/reviews/review/{signing.pk}/sign-off/",
        ],
    }
    found = []
    for username, paths in pages.items():
        with signed_in(browser, base, username, language, width) as page:
            found += problems_on(page, base, paths)

    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_activity_and_extension_pages_have_no_serious_accessibility_violation(
    live_server, browser, base_data, language, width
):
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True)
    vendor = approved_edm_sender(requester=requester, legal=legal, security=security)
    today = timezone.localdate()

    def register(name, **plan):
        fields = {
            "starts_on": today,
            "ends_on": today,
            "purpose": Purpose.MEMBER_MARKETING,
            "channels": [Channel.EDM],
            "vendors": [vendor],
            "audience_source": AudienceSource.OWN_CONSENTED,
            "data_categories": [DataCategory.CONTACT],
            "volume": Ceiling.LT_100K,
            **plan,
        }
        return activity_register(owner=requester, plan=activity_plan(name=name, **fields))

    # A no-go with its way forward, and one waiting for Legal (the admin page with its decision form).
    blocked = register(
        "ABM 重点客户春季推广",
        purpose=Purpose.ABM,
        channels=[Channel.SMS],
        audience_source=AudienceSource.PURCHASED,
    )
    waiting = register("六一亲子会员EDM", minors=True)
    extension = ask(vendor, requester, Scope.build(channels=[Channel.SMS]))
    base = live_server.url
    pages = {
        "cmo": [
            "/activities/",
            "/activities/new/",
            f"/activities/{blocked.pk}/",
            f"/activities/{waiting.pk}/",
            f"/activities/extensions/new/{vendor.pk}/?channels=sms",
            f"/activities/extensions/{extension.pk}/",
        ],
        "legal": [
            "/admin/activities/activity/",
            f"/admin/activities/activity/{waiting.pk}/change/",
            f"/admin/activities/scopeextension/{extension.pk}/change/",
        ],
    }
    found = []
    for username, paths in pages.items():
        with signed_in(browser, base, username, language, width) as page:
            found += problems_on(page, base, paths)
            if username == "cmo":
                # The registration form sent empty: its errors beside the fields.
                page.goto(base + "/activities/new/")
                page.locator("#activity-form [type=submit]").click()
                page.wait_for_load_state("load")
                assert page.locator("#form-errors").is_visible()
                found += problems(page)
                # The extension's second step: the questions asked again and the documents to upload.
                page.goto(f"{base}/activities/extensions/new/{vendor.pk}/?channels=sms")
                page.locator("#id_reason").fill("春季会员短信")
                page.locator("#extension-scope-form [type=submit]").click()
                page.wait_for_load_state("load")
                assert page.locator("#extension-needs-form .question-again").count() == 4
                found += problems(page)
            else:
                # The activity's decision refused without a reason: the error beside the field.
                page.goto(f"{base}/admin/activities/activity/{waiting.pk}/change/")
                page.locator("#decision button[value=refuse]").click()
                page.wait_for_load_state("load")
                assert page.locator("#id_reason_error").is_visible()
                found += problems(page)

    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_other_page_the_journeys_visit_has_no_serious_accessibility_violation(
    live_server, browser, base_data, width
):
    """In Chinese, as the journeys' users read them: the sign-in pages, the in-use list and a vendor, each step
    of a request, the vendor contact's pages, the portfolio, the API documentation and the admin's lists, the
    inventory import and the review page with its files."""
    requester = make_user("cmo", "Requester", "Executive", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("security", "Security", is_staff=True)
    in_use = VendorFactory(
        name_zh="上海星链广告技术有限公司", status=VendorStatus.IN_USE, business_owner=requester
    )
    signing = review_ready_for_sign_off(requester, legal=legal, security=security)
    waiting = start_review(requester, vendor=VendorFactory(name_zh="北京智推广告技术有限公司"))
    submit_stage(waiting, StageKind.QUESTIONNAIRE, requester)
    _link, token = invite_contact(waiting, requester)
    base = live_server.url
    pages = {
        "": ["/accounts/login/", "/admin/login/", f"/contact/{token}/"],
        "cmo": [
            "/vendors/?list=in_use",
            f"/vendors/{in_use.pk}/",
            f"/reviews/{waiting.pk}/questionnaire/A/",
            f"/reviews/{waiting.pk}/questionnaire/D/",
            f"/reviews/{signing.pk}/data-source/",
            f"/reviews/{signing.pk}/security/",
            "/portfolio/",
            "/accounts/password/",
        ],
        "legal": [
            "/admin/reviews/review/",
            "/admin/vendors/vendor/",
            "/admin/vendors/vendor/import/",
            "/admin/activities/scopeextension/",
            "/admin/reviews/apikey/",
            f"/admin/reviews/review/{signing.pk}/change/#evidence",
            "/api/v1/docs/",
        ],
    }
    found = []
    for username, paths in pages.items():
        with signed_in(browser, base, username, "zh-hans", width) as page:
            found += problems_on(page, base, paths)

    assert not found, "\n".join(found)
