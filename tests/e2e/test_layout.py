"""Chrome that holds at the sizes people use: at 390 px a credit code stays on one line in the in-use list;
at 1366 px the admin's vendor list and its lists of records are not cut off, and short labels ("下载", "不导入") do not break a character
per line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.evidence import evidence_add
from reviews.models import Dossier, StageKind
from tests.builders import approved_review, stage_of, start_review, today
from tests.e2e.conftest import login, shoot
from tests.factories import VendorFactory, cert_fields, make_user, pdf_bytes, pdf_upload
from tests.vendors.inventory_files import csv_bytes, row
from vendors.models import VendorStatus
from vendors.services import certification_add

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# How many lines each matching element's text takes: the distinct tops of its text's boxes.
LINES = """(selector) => [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null).map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return [el.textContent.trim(), new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
})"""


def lines(page, selector) -> dict[str, int]:
    return dict(page.evaluate(LINES, selector))


def chinese(browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-hans",
        extra_http_headers={"Accept-Language": "zh-hans"},
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def test_a_credit_code_stays_on_one_line_on_a_phone(live_server, browser, base_data):
    owner = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    for n in range(3):
        VendorFactory(
            status=VendorStatus.IN_USE, business_owner=owner, name_zh=f"上海星链广告技术有限公司{n}"
        )
    context, page = chinese(browser, 390)
    try:
        login(page, live_server.url, "cmo")
        page.goto(f"{live_server.url}/vendors/?list=in_use")
        shoot(page, "layout-in-use-390")

        codes = lines(page, "#in-use-vendors .uscc")
        owners = lines(page, "#in-use-vendors td.text-nowrap")
    finally:
        context.close()

    assert len(codes) == 3 and set(codes.values()) == {1}, codes
    assert owners.get("王晓雯") == 1, owners


def test_the_admin_vendor_list_fits_1366_px(live_server, browser, base_data):
    owner = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    make_user("legal", "Legal", is_staff=True)
    for n in range(4):
        VendorFactory(
            status=VendorStatus.IN_USE, business_owner=owner, catch_up_due=today(), stop_using=n == 0
        )
        VendorFactory(status=VendorStatus.APPROVED, approved_until=today(), approval_reference=f"VD-{n}")
    context, page = chinese(browser, 1366)
    try:
        login(page, live_server.url, "legal")
        page.goto(f"{live_server.url}/admin/vendors/vendor/")
        shoot(page, "layout-admin-vendors-1366")
        results = page.locator("#changelist .results")
        overflow = results.evaluate("(el) => el.scrollWidth - el.clientWidth")
        statuses = lines(page, "#result_list td.field-status_shown .nowrap")
    finally:
        context.close()

    assert overflow <= 0
    assert statuses and set(statuses.values()) == {1}, statuses


def test_short_labels_do_not_break_a_character_per_line_at_1366_px(live_server, browser, base_data):
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    make_user("legal", "Legal", is_staff=True)
    review = start_review(requester)
    for n in range(2):
        evidence_add(
            stage=stage_of(review, StageKind.QUESTIONNAIRE),
            actor=requester,
            kind="pipia",
            upload=SimpleUploadedFile(f"个人信息保护影响评估报告-{n}.pdf", pdf_bytes(), "application/pdf"),
        )
    context, page = chinese(browser, 1366)
    try:
        login(page, live_server.url, "legal")
        page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/#evidence")
        downloads = lines(page, "#evidence td.nowrap")

        page.goto(f"{live_server.url}/admin/vendors/vendor/import/")
        inventory = csv_bytes([row(1), row(2, owner="nobody")])
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "在用平台清单.csv", "mimeType": "text/csv", "buffer": inventory}],
        )
        page.locator("form [type=submit]").last.click()
        page.wait_for_load_state("load")
        shoot(page, "layout-import-preview-1366")
        actions = lines(page, "tr[data-row] td.nowrap")
    finally:
        context.close()

    assert downloads and set(downloads) == {"下载"} and set(downloads.values()) == {1}, downloads
    assert actions.get("不导入") == 1, actions


def test_the_admins_lists_of_records_fit_1366_px(live_server, browser, base_data):
    """The audit events, dossiers, sign-offs and certificates once ran past the screen (a 64-character hash, a
    vendor named twice, a credit code beside each name) and hid their last columns behind a scroll bar."""
    requester = make_user("cmo", "Requester", first_name="晓雯", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="洋", last_name="刘")
    security = make_user("sec", "Security", is_staff=True, first_name="建国", last_name="陈")
    vendor = VendorFactory(name_zh="上海云鲸会员科技有限公司华东数字营销与客户数据服务分公司")
    review = approved_review(requester, legal=legal, security=security, vendor=vendor)
    Dossier.objects.create(
        review=review, status="generated", size=591610, sha256="d3859158" * 8, requested_by=legal
    )
    certification_add(
        vendor=vendor,
        upload=pdf_upload("等保备案证明.pdf"),
        actor=requester,
        **cert_fields(
            kind="mlps_filing", edition="mlps_l2", issuer="上海市公安局网络安全保卫总队 / Shanghai PSB"
        ),
    )
    lists = ["reviews/auditevent", "reviews/dossier", "reviews/signoff", "vendors/certification"]
    context, page = chinese(browser, 1366)
    overflow = {}
    try:
        login(page, live_server.url, "legal")
        for name in lists:
            page.goto(f"{live_server.url}/admin/{name}/")
            assert page.locator("#result_list tbody tr").count() >= 1, name
            overflow[name] = page.locator("#changelist .results").evaluate(
                "(el) => el.scrollWidth - el.clientWidth"
            )
        shoot(page, "layout-admin-certificates-1366")
    finally:
        context.close()

    assert overflow == dict.fromkeys(lists, 0)
