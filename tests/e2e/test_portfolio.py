"""The portfolio for the board in real Chromium: the CMO (Executive) reads the headline figures first, platforms
in use are taken stock of and the coverage shows them (in use, not vetted; overdue); a chart's table unfolds
and downloads as CSV; the board's PDF downloads in Chinese; the page reads in Chinese, at 1366 px and on a
phone (390 px: chart text at a readable size, nothing wider than the screen, the waiting table scrolls to its
last column), with no serious accessibility fault (axe) at either width. Screenshots land in
test-artifacts/e2e/portfolio-*.png."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import builders
from tests.builders import today
from tests.e2e.conftest import login, shoot
from tests.factories import VendorFactory, make_user
from tests.vendors.helpers import approved_vendor
from vendors.models import VendorStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def coverage_row(page, label):
    return page.locator("#chart-coverage tbody tr", has_text=label).locator("td").first


def no_serious_accessibility_fault(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def test_the_portfolio_shows_the_platforms_in_use_as_coverage_changes(live_server, page, base_data):
    make_user("cmo", "Requester", "Executive")
    legal = make_user("legal", "Legal", is_staff=True)
    approved_vendor(actor=legal, name_zh="上海悦享数字营销有限公司", tier="high", days=20)
    # A review waiting at the questionnaire, so that the waiting chart has a row.
    requester = make_user("cmo2", "Requester")
    builders.submit_stage(builders.start_review(requester), "questionnaire", requester)
    base = live_server.url

    # 1. Before the inventory: the headline first, one vetted vendor, nothing in use unvetted.
    login(page, base, "cmo")
    page.get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", name="Portfolio at a glance")).to_be_visible()
    expect(page.locator("#headline-vetted-share .headline-value")).to_have_text("100%")
    expect(page.locator("#headline-ending-soon .headline-value")).to_have_text("1")
    expect(coverage_row(page, "Vetted (on the approved list)")).to_have_text("1")
    expect(coverage_row(page, "In use, not vetted")).to_have_text("0")
    shoot(page, "portfolio-01-before")

    # 2. Three platforms in use are taken stock of; one is past its catch-up date.
    for due in (30, 60, -5):
        VendorFactory(status=VendorStatus.IN_USE, catch_up_due=today() + timedelta(days=due))
    page.reload()
    expect(page.locator("#headline-vetted-share .headline-value")).to_have_text("25%")
    expect(page.locator("#headline-overdue .headline-value")).to_have_text("1")
    # The table is folded under its total; it unfolds on a click.
    table = page.locator("#chart-coverage table")
    expect(table).to_be_hidden()
    page.locator("#chart-coverage summary").click()
    expect(table).to_be_visible()
    expect(coverage_row(page, "In use, not vetted")).to_have_text("2")
    expect(coverage_row(page, "In use, catch-up review overdue")).to_have_text("1")
    expect(page.locator("#chart-coverage svg rect")).to_have_count(3)
    shoot(page, "portfolio-02-after-inventory")

    # 3. The table behind the chart downloads as CSV.
    with page.expect_download() as download:
        page.locator("#chart-coverage").get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert '"In use, catch-up review overdue",1,25%' in text

    # 4. No serious accessibility fault (figures, captions, tables, contrast).
    no_serious_accessibility_fault(page)

    # 5. In Chinese, with the board's PDF in Chinese.
    page.locator("select[name=language]").select_option("zh-hans")
    expect(page.get_by_role("heading", name="供应商全景")).to_be_visible()
    expect(page.locator("#headline-vetted-share")).to_contain_text("在用平台已审比例")
    expect(coverage_row(page, "在用，补齐审核已逾期")).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("link", name="董事会 PDF（简体中文）").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    words = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")
    assert "供应商全景" in words and "在用平台已审比例" in words and "25%" in words
    shoot(page, "portfolio-03-zh-1366")

    # 6. On a phone: nothing wider than the screen, chart text readable, the waiting table scrolls to its end.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    label_heights = page.locator("#chart-coverage svg text.label").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert label_heights and min(label_heights) >= 11, label_heights
    page.locator("#chart-waiting summary").click()
    region = page.locator("#chart-waiting .table-responsive")
    expect(region).to_be_visible()
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    last = page.locator("#chart-waiting thead th").last
    box = last.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, box
    expect(last).to_be_in_viewport()
    no_serious_accessibility_fault(page)
    shoot(page, "portfolio-04-zh-390")
