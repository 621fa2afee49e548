"""The inventory import's preview in the admin with a ledger as kept: the template's own example row imports
for the demo's people, the columns and owners the file leaves open are answered on the preview, an upload is
discarded from it; Legal keeps the ledger words in the admin."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.demo import PEOPLE
from tests.factories import make_user
from tests.vendors.ledger_files import HEADINGS, ledger_code, ledger_xlsx
from vendors.models import InventoryImport, InventoryWord, InventoryWordKind, Vendor, VendorCategory

pytestmark = pytest.mark.django_db

START = reverse("admin:vendors_vendor_import")
WORDS = reverse("admin:vendors_inventoryword_changelist")
ADD_WORD = reverse("admin:vendors_inventoryword_add")


def send(client, data: bytes, name: str):
    response = client.post(START, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_templates_own_example_row_imports_in_the_demo(client, file_format, language):
    users = {  # the demo's people (reviews/demo.py), with their names
        p.username: make_user(
            p.username,
            *[r for r in (p.role, *p.also) if r],
            first_name=p.first_name,
            last_name=p.last_name,
            is_staff=p.is_staff,
        )
        for p in PEOPLE
        if not p.is_superuser
    }
    client.force_login(users["legal"])
    template = client.get(
        reverse("admin:vendors_vendor_import_template", args=[file_format]), {"lang": language}
    )

    preview_url = send(client, template.content, f"template.{file_format}")
    page = client.get(preview_url)

    assert page.context["counts"]["errors"] == 0 and page.context["counts"]["importable"] == 1
    assert not page.context["preview"].open_choices
    client.post(preview_url, {"confirm": "1"})
    assert Vendor.objects.get().business_owner == users["legal"]  # the example names who downloaded it


def test_legal_maps_a_column_and_chooses_an_owner_on_the_preview_then_confirms(client, legal):
    make_user("jianguo", "Requester", first_name="建国", last_name="陈")
    namesake = make_user(
        "jianguo2", "Requester", first_name="建国", last_name="陈", email="chen2@example.com"
    )
    headings = ["数据流向" if h == "对接系统" else h for h in HEADINGS]
    row = [1, "上海数衡数据科技有限公司", ledger_code(2), "CDP", "陈建国", "2023-07-15", "CRM", ""]
    client.force_login(legal)
    preview_url = send(client, ledger_xlsx([row], headings), "台账.xlsx")

    page = client.get(preview_url).content.decode()
    assert 'id="inventory-columns"' in page and "数据流向" in page and 'id="inventory-owners"' in page
    assert "chen2@example.com" in page  # people with the same name told apart
    assert 'id="inventory-confirm"' not in page and 'id="inventory-open"' in page
    position = page.split('name="column_')[1].split('"')[0]

    client.post(
        preview_url,
        {
            "choose": "1",
            f"column_{position}": "connected_systems",
            "owner_name_1": "陈建国",
            "owner_1": namesake.pk,
        },
    )
    page = client.get(preview_url).content.decode()
    assert 'id="inventory-confirm"' in page and 'id="inventory-open"' not in page

    response = client.post(preview_url, {"confirm": "1"})

    assert response.status_code == 302
    vendor = Vendor.objects.get()
    assert vendor.connected_systems == "CRM" and vendor.business_owner == namesake


def test_a_confirmation_with_questions_open_saves_nothing(client, legal):
    make_user("xiaowen", "Requester", first_name="晓雯", last_name="王")
    headings = ["数据流向" if h == "对接系统" else h for h in HEADINGS]
    row = [1, "上海数衡数据科技有限公司", ledger_code(2), "CDP", "王晓雯", "2023-07-15", "CRM", ""]
    client.force_login(legal)
    preview_url = send(client, ledger_xlsx([row], headings), "台账.xlsx")

    response = client.post(preview_url, {"confirm": "1"}, follow=True)

    assert "answer above the rows first" in response.content.decode()
    assert not Vendor.objects.exists()


def test_legal_discards_an_upload_and_it_leaves_the_recent_imports(client, legal):
    make_user("xiaowen", "Requester", first_name="晓雯", last_name="王")
    client.force_login(legal)
    preview_url = send(client, ledger_xlsx(), "台账.xlsx")
    recent = client.get(START).content.decode().split('id="recent-imports"')[1]
    assert f'action="{preview_url}"' in recent and 'name="discard"' in recent  # discarded from the list too

    response = client.post(preview_url, {"discard": "1"})

    assert response.status_code == 302 and response["Location"] == START
    record = InventoryImport.objects.get()
    assert record.discarded_by == legal
    assert 'id="recent-imports"' not in client.get(START).content.decode()
    assert 'id="inventory-discarded"' in client.get(preview_url).content.decode()
    client.post(preview_url, {"confirm": "1"})
    assert not Vendor.objects.exists()


def test_the_preview_shows_merged_rows_and_the_numeric_code_error(client, legal):
    make_user("xiaowen", "Requester", first_name="晓雯", last_name="王")
    make_user("jianguo", "Requester", first_name="建国", last_name="陈")
    make_user("anna", "Requester", first_name="Anna", last_name="Schmidt")
    client.force_login(legal)
    preview_url = send(client, ledger_xlsx(), "台账.xlsx")

    response = client.get(preview_url)
    page = response.content.decode()

    assert response.context["counts"]["merged"] == 1 and 'data-count="merged"' in page
    assert "Format Cells" in page and "设置单元格格式" in page
    assert "Headings read from row 3" in page


def test_legal_adds_a_ledger_word_and_a_mismatched_one_is_refused(client, legal):
    client.force_login(legal)

    refused = client.post(
        ADD_WORD, {"kind": InventoryWordKind.CATEGORY, "word": "私域工具箱", "means": "name_zh"}
    )
    added = client.post(
        ADD_WORD,
        {"kind": InventoryWordKind.CATEGORY, "word": "私域工具箱", "means": VendorCategory.SCRM_SAAS},
    )

    assert refused.status_code == 200 and "A category word means a category" in refused.content.decode()
    assert added.status_code == 302
    assert InventoryWord.objects.get().added_by == legal
    again = client.post(
        ADD_WORD, {"kind": InventoryWordKind.CATEGORY, "word": " 私域工具箱 ", "means": VendorCategory.OTHER}
    )
    assert again.status_code == 200 and InventoryWord.objects.count() == 1


@pytest.mark.parametrize("persona, list_status, add_status", [("auditor", 200, 403), ("security", 403, 403)])
def test_others_read_or_do_not_see_the_ledger_words(client, request, persona, list_status, add_status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(WORDS).status_code == list_status
    assert client.get(ADD_WORD).status_code == add_status


def test_the_template_lists_the_words_each_category_is_also_read_as(client, legal):
    client.force_login(legal)
    template = client.get(reverse("admin:vendors_vendor_import_template", args=["xlsx"]), {"lang": "zh-hans"})

    values = openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[1]
    also = " ".join(str(cell.value or "") for cell in values["C"])

    assert "短信平台" in also and "KOL代理" in also
