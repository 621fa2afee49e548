"""Taking stock of the platforms in use, in real Chromium: Legal uploads a CSV as Excel on Chinese Windows
saves it (GBK), reads the preview with a row in error, confirms, and opens catch-up reviews (补齐审核) in bulk;
the business owner then finds them on the dashboard with their deadline, and the portfolio's coverage counts
the platforms in use, not vetted. Screenshots land in
test-artifacts/e2e/inventory-*.png."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from reviews.models import Review
from tests.builders import today
from tests.e2e.conftest import login, shoot
from tests.factories import make_user
from tests.vendors.inventory_files import csv_bytes, row
from vendors.models import Vendor, VendorStatus
from vendors.selectors import approved_vendors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_legal_imports_the_inventory_and_the_owner_sees_the_catch_up_reviews(live_server, page, base_data):
    make_user("legal", "Legal", is_staff=True)
    owner = make_user("cmo", "Requester", first_name="Xiaowen", last_name="Wang")
    base = live_server.url
    inventory = csv_bytes([row(1), row(2, owner="cmo@example.com"), row(3), row(4, owner="nobody")])

    # 1. Legal finds the import on the vendor register and uploads the file Excel saved (GBK). Before it, the
    #    portfolio knows no platform in use.
    login(page, base, "legal")
    page.goto(f"{base}/portfolio/")
    expect(coverage(page, "In use, not vetted")).to_have_text("0")
    page.goto(f"{base}/admin/vendors/vendor/")
    page.locator("#import-inventory").click()
    page.set_input_files(
        "input[name=file]", files=[{"name": "在用平台清单.csv", "mimeType": "text/csv", "buffer": inventory}]
    )
    shoot(page, "inventory-01-upload")
    page.get_by_role("button", name="Upload and preview").click()

    # 2. The preview counts the rows and names the error of the bad one; nothing is saved yet.
    expect(page.locator("[data-count=create]")).to_have_text("3")
    expect(page.locator("[data-count=errors]")).to_have_text("1")
    expect(page.locator("tr[data-row='5']")).to_contain_text("nobody")
    assert not Vendor.objects.exists()
    shoot(page, "inventory-02-preview")

    # 3. Confirming saves the three good rows as in use, not vetted: none is on the approved list.
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".messagelist .success")).to_contain_text("3 vendors added")
    assert Vendor.objects.filter(status=VendorStatus.IN_USE).count() == 3
    assert not approved_vendors().exists()
    shoot(page, "inventory-03-imported")

    # 4. Legal selects them and opens catch-up reviews; the deadline defaults to 90 days.
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("open_catch_up_reviews")
    page.locator("button[name=index]").click()
    due = today() + timedelta(days=90)
    expect(page.locator("input[name=due]")).to_have_value(due.isoformat())
    shoot(page, "inventory-04-catch-up-deadline")
    page.get_by_role("button", name="Open the reviews").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Catch-up reviews opened")
    assert Review.objects.filter(catch_up=True, requester=owner).count() == 3

    # 5. The business owner sees the three reviews they own, with their deadline, on the dashboard.
    page.context.clear_cookies()
    login(page, base, "cmo")
    items = page.locator("#catch-up-reviews .catch-up-item")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text(due.isoformat())
    shoot(page, "inventory-05-owner-dashboard")

    # 6. /vendors/ says it plainly: three platforms in use, not vetted.
    page.goto(f"{base}/vendors/?list=in_use")
    expect(page.locator("#in-use-vendors tbody tr")).to_have_count(3)
    shoot(page, "inventory-06-in-use-list")

    # 7. The portfolio's coverage shows the change: three platforms in use, not vetted, none overdue yet.
    page.context.clear_cookies()
    login(page, base, "legal")
    page.goto(f"{base}/portfolio/")
    expect(coverage(page, "In use, not vetted")).to_have_text("3")
    expect(coverage(page, "In use, catch-up review overdue")).to_have_text("0")
    shoot(page, "inventory-07-portfolio")


def coverage(page, group):
    """The figure of one group in the table behind the portfolio's coverage chart."""
    return page.locator("#chart-coverage tbody tr", has_text=group).locator("td").first
