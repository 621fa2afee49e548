"""The portfolio at a glance in real Chromium: the CMO (Executive) reads the coverage, platforms in use are
taken stock of, and the coverage shows them (in use, not vetted; overdue); a chart's table downloads as CSV;
the page reads in Chinese and has no serious accessibility fault (axe). Screenshots land in
test-artifacts/e2e/portfolio-*.png."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.builders import today
from tests.e2e.conftest import login, shoot
from tests.factories import VendorFactory, make_user
from tests.vendors.helpers import approved_vendor
from vendors.models import VendorStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def coverage_row(page, label):
    return page.locator("#chart-coverage tbody tr", has_text=label).locator("td").first


def test_the_portfolio_shows_the_platforms_in_use_as_coverage_changes(live_server, page, base_data):
    make_user("cmo", "Requester", "Executive")
    legal = make_user("legal", "Legal", is_staff=True)
    approved_vendor(actor=legal, name_zh="上海悦享数字营销有限公司")
    base = live_server.url

    # 1. Before the inventory: one vetted vendor, nothing in use unvetted.
    login(page, base, "cmo")
    page.get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", name="Portfolio at a glance")).to_be_visible()
    expect(coverage_row(page, "Vetted (on the approved list)")).to_have_text("1")
    expect(coverage_row(page, "In use, not vetted")).to_have_text("0")
    shoot(page, "portfolio-01-before")

    # 2. Three platforms in use are taken stock of; one is past its catch-up date.
    for due in (30, 60, -5):
        VendorFactory(status=VendorStatus.IN_USE, catch_up_due=today() + timedelta(days=due))
    page.reload()
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
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()

    # 5. In Chinese.
    page.locator("select[name=language]").select_option("zh-hans")
    expect(page.get_by_role("heading", name="供应商全景")).to_be_visible()
    expect(coverage_row(page, "在用，补齐审核已逾期")).to_have_text("1")
    shoot(page, "portfolio-03-zh")
