"""The inventory import in the admin: Legal uploads, reads the preview with the errors of each row, and
confirms; nobody else may; the template downloads in both languages."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.vendors.inventory_files import code, csv_bytes, row
from vendors.models import InventoryImport, Vendor, VendorStatus

pytestmark = pytest.mark.django_db

START = reverse("admin:vendors_vendor_import")
CHANGELIST = reverse("admin:vendors_vendor_changelist")


def send(client, data: bytes, name: str = "inventory.csv"):
    return client.post(START, {"file": SimpleUploadedFile(name, data)})


def test_legal_sees_the_import_button_on_the_vendor_list(client, legal):
    client.force_login(legal)

    assert START in client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("persona", ["security", "auditor"])
def test_others_cannot_import(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    assert START not in client.get(CHANGELIST).content.decode()
    assert client.get(START).status_code == 404
    assert send(client, csv_bytes([row(1)])).status_code == 404
    assert not InventoryImport.objects.exists()


def test_legal_uploads_reads_the_errors_of_each_row_and_confirms(client, legal, requester):
    client.force_login(legal)

    response = send(client, csv_bytes([row(1), row(2, owner="nobody")]))
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()

    assert "nobody" in page and 'data-row="3"' in page
    assert not Vendor.objects.exists()
    response = client.post(preview_url)
    assert response.status_code == 302 and "in_use" in response["Location"]
    assert list(Vendor.objects.values_list("uscc", "status")) == [(code(1), VendorStatus.IN_USE)]


def test_a_refused_file_is_explained_on_the_form_and_nothing_is_kept(client, legal):
    client.force_login(legal)

    response = send(client, b"\x80\xff" * 40)

    assert response.status_code == 200
    assert "neither UTF-8 nor GBK" in response.content.decode()
    assert not InventoryImport.objects.exists()


@pytest.mark.parametrize("language, heading", [("zh-hans", "法定名称 *"), ("en", "Legal name *")])
def test_the_template_downloads_in_both_languages(client, legal, language, heading):
    client.force_login(legal)

    xlsx = client.get(reverse("admin:vendors_vendor_import_template", args=["xlsx"]), {"lang": language})
    csv = client.get(reverse("admin:vendors_vendor_import_template", args=["csv"]), {"lang": language})

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == heading
    assert csv.content.startswith("\ufeff".encode()) and heading in csv.content.decode("utf-8-sig")


def test_a_filled_in_template_reads_back(client, legal, requester):
    """What the template offers as example values is what the import accepts."""
    client.force_login(legal)
    template = client.get(reverse("admin:vendors_vendor_import_template", args=["xlsx"]), {"lang": "zh-hans"})
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    book.active.cell(2, 4).value = "cmo"
    out = io.BytesIO()
    book.save(out)

    preview = client.get(send(client, out.getvalue(), "filled.xlsx")["Location"])

    assert preview.context["counts"]["create"] == 1 and preview.context["counts"]["errors"] == 0


def test_the_vendor_list_filters_the_platforms_in_use(
    client, legal, requester, django_assert_max_num_queries
):
    client.force_login(legal)
    client.post(send(client, csv_bytes([row(n) for n in range(1, 30)]))["Location"])

    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST, {"in_use": "unvetted"})

    assert response.context["cl"].result_count == 29
