"""The business owner of a vendor in the admin, in real Chromium: Legal types part of a requester's name, the
list under the input offers the requesters who match (family name first, with their e-mail), and the one
chosen is saved; without script the same input takes a user name or e-mail, checked on the server."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, shoot
from tests.factories import VendorFactory, make_user
from vendors.models import Vendor, VendorStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_legal_finds_the_owner_by_name_and_saves_them(live_server, page, base_data):
    make_user("legal", "Legal", is_staff=True)
    make_user("cmo", "Requester", first_name="晓雯", last_name="王", email="wang.xw@example.com")
    make_user("cmo2", "Requester", first_name="Anna", last_name="Schmidt", email="anna@example.com")
    vendor = VendorFactory()
    Vendor.objects.filter(pk=vendor.pk).update(status=VendorStatus.IN_USE)
    base = live_server.url

    login(page, base, "legal")
    page.goto(f"{base}/admin/vendors/vendor/{vendor.pk}/change/")
    owner = page.locator("input[name=business_owner]")
    owner.click()
    owner.press_sequentially("王")
    # The search answered: the list under the input holds the requester found by the family name only.
    options = page.locator("datalist#id_business_owner-people option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "cmo"
    assert options.first.get_attribute("label") == "王晓雯 · wang.xw@example.com"
    owner.fill("cmo")
    owner.dispatch_event("input")
    expect(page.locator("#id_business_owner-name")).to_have_text("王晓雯")
    shoot(page, "vendor-owner-search")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    vendor.refresh_from_db()
    assert vendor.business_owner.username == "cmo"


def test_an_owner_who_is_no_requester_is_refused_by_the_server(live_server, page, base_data):
    make_user("legal", "Legal", is_staff=True)
    vendor = VendorFactory()
    base = live_server.url

    login(page, base, "legal")
    page.goto(f"{base}/admin/vendors/vendor/{vendor.pk}/change/")
    page.locator("input[name=business_owner]").fill("legal")
    page.locator("input[name=_save]").click()

    expect(page.locator(".errorlist")).to_contain_text("No requester is known by “legal”")
    vendor.refresh_from_db()
    assert vendor.business_owner is None
