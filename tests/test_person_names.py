"""A person is named one way on every page (vendors/people.py): Chinese names family name first with no
space (王晓雯, never "晓雯 王"), and never the account's user name ("cmo") where the person has a name."""

import re
from pathlib import Path

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.audit import audit_record
from tests.factories import VendorFactory, make_user
from vendors.models import InventoryImport, VendorStatus

pytestmark = pytest.mark.django_db

NAMED = "王晓雯"
WESTERN = "晓雯 王"


@pytest.fixture
def owner(db):
    return make_user("cmo", "Requester", first_name="晓雯", last_name="王")


@pytest.fixture
def platform(owner):
    return VendorFactory(status=VendorStatus.IN_USE, business_owner=owner, name_zh="在用平台")


def named(html: str) -> bool:
    """The owner is named family name first, and neither in Western order nor by user name."""
    text = re.sub(r"<[^>]+>", " ", html)
    return NAMED in text and WESTERN not in text and not re.search(r"(?<![\w@/.-])cmo(?![\w@.-])", text)


def test_the_in_use_list_names_the_owner_family_name_first(client, owner, platform):
    client.force_login(owner)

    assert named(client.get(reverse("vendors:approved"), {"list": "in_use"}).content.decode())


def test_the_vendor_page_names_the_owner_family_name_first(client, owner, platform):
    client.force_login(owner)

    assert named(client.get(reverse("vendor_detail", args=[platform.pk])).content.decode())


def test_the_catch_up_page_names_the_owner_family_name_first(client, legal, platform):
    client.force_login(legal)

    response = client.post(
        reverse("admin:vendors_vendor_changelist"),
        {"action": "open_catch_up_reviews", helpers.ACTION_CHECKBOX_NAME: [platform.pk]},
    )

    assert response.templates[0].name == "admin/vendors/vendor/catch_up.html"
    assert named(response.content.decode())


def test_the_admin_vendor_list_names_the_owner_family_name_first(client, legal, platform):
    client.force_login(legal)

    assert named(client.get(reverse("admin:vendors_vendor_changelist")).content.decode())


def test_the_owner_field_and_its_search_name_people_family_name_first(client, legal, platform):
    make_user("anna", "Requester", first_name="Anna", last_name="Schmidt")
    client.force_login(legal)

    html = client.get(reverse("admin:vendors_vendor_change", args=[platform.pk])).content.decode()
    found = client.get(reverse("admin:vendors_vendor_owners")).json()["results"]

    assert (
        f'<span class="person-search-name" id="id_business_owner-name" aria-live="polite">{NAMED}</span>'
        in html
    )
    names = [person["name"] for person in found]
    assert NAMED in names and "Anna Schmidt" in names
    assert WESTERN not in names and "anna" not in names


def test_the_import_history_names_who_uploaded(client, owner, legal):
    legal.first_name, legal.last_name = "敏", "李"
    legal.save()
    InventoryImport.objects.create(
        file=SimpleUploadedFile("ledger.csv", b"a,b\n"),
        original_name="ledger.csv",
        size=4,
        sha256="0" * 64,
        uploaded_by=legal,
    )
    record = InventoryImport.objects.get()
    client.force_login(legal)

    pages = {
        "import page": client.get(reverse("admin:vendors_vendor_import")).content.decode(),
        "records": client.get(reverse("admin:vendors_inventoryimport_changelist")).content.decode(),
        "record": client.get(
            reverse("admin:vendors_inventoryimport_change", args=[record.pk])
        ).content.decode(),
    }

    for page, html in pages.items():
        text = re.sub(r"<[^>]+>", " ", html.split('id="content"')[1])
        assert "李敏" in text and "敏 李" not in text, page
        assert not re.search(r"(?<![\w@/.-])legal(?![\w@.-])", text), page


def test_the_audit_event_list_names_the_actor_family_name_first(client, owner, legal, platform):
    audit_record(action="vendor.updated", obj=platform, actor=owner, vendor=platform, data={})
    client.force_login(legal)

    html = client.get(reverse("admin:reviews_auditevent_changelist")).content.decode()

    assert named(html.split('id="result_list"')[1])


def test_no_template_names_a_person_another_way():
    """get_full_name writes given name first, get_username the account: templates use |person."""
    root = Path(__file__).resolve().parent.parent / "templates"
    offending = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"get_full_name|get_username", path.read_text(encoding="utf-8"))
    ]

    assert offending == []
