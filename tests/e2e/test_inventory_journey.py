"""Taking stock of the platforms in use, in real Chromium: Legal uploads a CSV as Excel on Chinese Windows
saves it (GBK), reads the preview with a row in error, confirms, and opens catch-up reviews (补齐审核) in bulk;
the business owner then finds them on the dashboard with their deadline, and the portfolio's coverage counts
the platforms in use, not vetted; and a ledger as a Chinese company keeps it, imported as it is. Screenshots
land in test-artifacts/e2e/inventory-*.png."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from reviews.models import Review
from tests.builders import today
from tests.e2e.conftest import login, shoot
from tests.factories import make_user
from tests.vendors.inventory_files import csv_bytes, row
from tests.vendors.ledger_files import HEADINGS, ledger_code, ledger_xlsx
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


def test_legal_imports_a_ledger_as_kept(live_server, page, base_data):
    """A ledger as a Chinese company keeps it (tests/vendors/ledger_files.py): a title row above the headings,
    its own headings (平台/供应商名称, 平台类型, 启用日期, a 数据流向 column the import does not know) and category
    words (短信平台, CDP, 广告投放平台, KOL代理), owners by name (王晓雯, 陈建国, Anna Schmidt), a credit code Excel
    stored as a number, a full-width code, and a code given twice."""
    make_user("legal", "Legal", is_staff=True)
    xiaowen = make_user("xiaowen", "Requester", first_name="晓雯", last_name="王")
    jianguo = make_user("jianguo", "Requester", first_name="建国", last_name="陈")
    anna = make_user("anna", "Requester", first_name="Anna", last_name="Schmidt")
    headings = ["数据流向" if h == "对接系统" else h for h in HEADINGS]
    ledger = ledger_xlsx(headings=headings)
    base = live_server.url
    login(page, base, "legal")

    def upload():
        page.goto(f"{base}/admin/vendors/vendor/import/")
        page.set_input_files(
            "input[name=file]",
            files=[
                {
                    "name": "营销平台台账（2026年11月）.xlsx",
                    "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "buffer": ledger,
                }
            ],
        )
        page.get_by_role("button", name="Upload and preview").click()

    # 1. A first upload is discarded from its preview: it leaves the recent imports, nothing is saved.
    upload()
    page.get_by_role("button", name="Discard this upload").click()
    expect(page.locator(".messagelist .success")).to_contain_text("discarded")
    expect(page.locator("#recent-imports")).to_have_count(0)

    # 2. Uploaded again: the headings are found below the title, 序号 and 备注 are left out as such, and the
    #    column the import does not know is asked about; nothing can be confirmed before it is answered.
    upload()
    expect(page.locator("#inventory-heading-row")).to_contain_text("row 3")
    expect(page.locator("#inventory-columns")).to_contain_text("数据流向")
    expect(page.locator("#inventory-confirm")).to_have_count(0)
    shoot(page, "inventory-ledger-01-columns")
    page.locator("#inventory-columns select").select_option("connected_systems")
    page.get_by_role("button", name="Apply and check again").click()

    # 3. The preview: three vendors to add, the repeated code merged, the numeric code refused with how to fix it.
    expect(page.locator("[data-count=create]")).to_have_text("3")
    expect(page.locator("[data-count=merged]")).to_have_text("1")
    expect(page.locator("[data-count=errors]")).to_have_text("1")
    expect(page.locator("tr[data-row='7']")).to_contain_text("Format Cells")
    expect(page.locator("tr[data-row='6']")).to_contain_text("merged into row 4")
    shoot(page, "inventory-ledger-02-preview")

    # 4. Confirmed: the full-width code stored as the register writes it, the owners found by their names.
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".messagelist .success")).to_contain_text("3 vendors added")
    owners = dict(Vendor.objects.values_list("uscc", "business_owner"))
    assert owners == {
        ledger_code(1): xiaowen.pk,
        ledger_code(2): jianguo.pk,
        ledger_code(5): anna.pk,
    }
    assert Vendor.objects.get(uscc=ledger_code(1)).connected_systems == "会员中心"
    assert Vendor.objects.get(uscc=ledger_code(2)).category == "scrm_saas"
    shoot(page, "inventory-ledger-03-imported")


def test_legal_imports_a_ledger_saved_as_xls(live_server, page, base_data):
    """The same ledger as WPS or Excel 97-2003 saves it (.xls, tests/vendors/ledgers/ledger.xls): the file
    chooser offers .xls, and the preview reads it as it reads an .xlsx ledger."""
    from pathlib import Path

    make_user("legal", "Legal", is_staff=True)
    make_user("xiaowen", "Requester", first_name="晓雯", last_name="王")
    make_user("jianguo", "Requester", first_name="建国", last_name="陈")
    make_user("anna", "Requester", first_name="Anna", last_name="Schmidt")
    ledger = (Path(__file__).resolve().parents[1] / "vendors" / "ledgers" / "ledger.xls").read_bytes()
    base = live_server.url
    login(page, base, "legal")

    page.goto(f"{base}/admin/vendors/vendor/import/")
    expect(page.locator("input[name=file]")).to_have_attribute("accept", ".xlsx,.xls,.csv")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "营销平台台账.xls", "mimeType": "application/vnd.ms-excel", "buffer": ledger}],
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.locator("#inventory-heading-row")).to_contain_text("row 3")
    expect(page.locator("[data-count=create]")).to_have_text("3")
    expect(page.locator("[data-count=merged]")).to_have_text("1")
    expect(page.locator("tr[data-row='7']")).to_contain_text("Format Cells")
    shoot(page, "inventory-ledger-xls-preview")
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".messagelist .success")).to_contain_text("3 vendors added")
    assert str(Vendor.objects.get(uscc=ledger_code(1)).in_use_since) == "2024-03-01"
