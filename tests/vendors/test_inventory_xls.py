"""Excel 97-2003 ledgers (.xls, what WPS and older Excel save by default) are read by every rule an .xlsx
ledger is (docs/domain.md "Inventory"): one test per rule, on real .xls files (tests/vendors/ledgers/, written
by LibreOffice from .xlsx ledgers: see make.py there)."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_user
from tests.vendors.ledger_files import TITLE, ledger_code, ledger_xlsx
from vendors.inventory.admin_views import InventoryUploadForm
from vendors.inventory.reading import CREATE, MERGED, InventoryRefused, inventory_check, inventory_parse
from vendors.inventory.services import inventory_confirm, inventory_upload
from vendors.models import InventoryImport, Vendor, VendorCategory, VendorStatus

pytestmark = pytest.mark.django_db

LEDGERS = Path(__file__).resolve().parent / "ledgers"
LEDGER = (LEDGERS / "ledger.xls").read_bytes()  # title, blank row, headings, the five rows of ledger_rows()
WIDE = (LEDGERS / "wide.xls").read_bytes()  # a value in cell IV65536


@pytest.fixture
def people(db):
    return {
        "王晓雯": make_user("xiaowen", "Requester", first_name="晓雯", last_name="王"),
        "陈建国": make_user("jianguo", "Requester", first_name="建国", last_name="陈"),
        "Anna Schmidt": make_user("anna", "Requester", first_name="Anna", last_name="Schmidt"),
    }


def rows(people, name: str = "台账.xls") -> dict:
    preview = inventory_check(inventory_parse(LEDGER, name))
    return {row.number: row for row in preview.rows}


def test_the_fixture_is_an_excel_97_2003_workbook():
    assert LEDGER.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def test_the_title_row_above_the_headings_is_skipped(people):
    parsed = inventory_parse(LEDGER, "台账.xls")

    assert parsed.heading_row == 3
    assert TITLE not in parsed.headings
    assert [number for number, _cells, _numeric in parsed.rows] == [4, 5, 6, 7, 8]


def test_the_ledgers_own_headings_are_recognised(people):
    parsed = inventory_parse(LEDGER, "台账.xls")

    assert dict(zip(parsed.headings, parsed.keys, strict=True)) == {
        "序号": "ignore",
        "平台/供应商名称": "name_zh",
        "统一社会信用代码": "uscc",
        "平台类型": "category",
        "负责人": "business_owner",
        "启用日期": "in_use_since",
        "对接系统": "connected_systems",
        "备注": "ignore",
    }


def test_a_code_stored_as_a_number_cell_is_refused_saying_how_to_format_the_column(people):
    numeric = rows(people)[7]

    assert "uscc" in numeric.numeric  # the cell is a number, whatever it prints
    assert not numeric.ok and "uscc" not in numeric.values
    assert any("as a number" in e and "Format" in e and "设置单元格格式" in e for e in numeric.errors)


def test_a_code_in_a_text_cell_is_kept_and_normalised(people):
    read = rows(people)

    assert read[4].values["uscc"] == ledger_code(1) and "uscc" not in read[4].numeric
    assert read[5].values["uscc"] == ledger_code(2)  # typed full-width
    assert read[8].values["uscc"] == ledger_code(5)  # typed in lower case


def test_a_date_cell_reads_as_its_date(people):
    read = rows(people)

    assert read[4].values["in_use_since"] == date(2024, 3, 1)  # a date cell
    assert read[8].values["in_use_since"] == date(2025, 5, 20)  # a date-and-time cell
    assert read[5].values["in_use_since"] == date(2023, 7, 15)  # a date typed as text


def test_chinese_text_is_read_as_written(people):
    read = rows(people)

    assert read[4].values["name_zh"] == "深圳云信通讯科技有限公司"
    assert read[4].values["connected_systems"] == "会员中心"
    assert read[7].values["category"] == VendorCategory.AD_NETWORK  # 广告投放平台, a ledger word
    assert read[4].values["business_owner_id"] == people["王晓雯"].pk


def test_a_code_given_twice_is_one_vendor(people):
    read = rows(people)

    assert read[4].action == CREATE and read[4].merged == [6]
    assert read[6].action == MERGED and read[6].merged_into == 4
    assert any("2024-03-01" in w and "2024-04-01" in w for w in read[4].warnings)


def test_the_ledger_imports(people, legal):
    record, preview = inventory_upload(upload=SimpleUploadedFile("营销平台台账.xls", LEDGER), actor=legal)
    assert not preview.open_choices and record.file.name.endswith(".xls")

    record = inventory_confirm(inventory_import=record, actor=legal)

    assert record.created_count == 3
    assert set(Vendor.objects.values_list("uscc", flat=True)) == {
        ledger_code(1),
        ledger_code(2),
        ledger_code(5),
    }
    assert Vendor.objects.get(uscc=ledger_code(1)).status == VendorStatus.IN_USE


# --- What is refused ------------------------------------------------------------------------------------------


def test_a_cell_beyond_the_columns_read_is_refused_before_the_sheet_is_loaded():
    with pytest.raises(InventoryRefused) as refused:
        inventory_parse(WIDE, "wide.xls")

    assert "Row 65536 has a cell in column IV" in str(refused.value)


def test_more_rows_than_could_be_read_are_refused_before_the_sheet_is_loaded(settings, monkeypatch):
    from vendors.inventory import reading

    settings.VETTED_INVENTORY_MAX_ROWS = 1
    monkeypatch.setattr(reading, "HEADING_ROWS", 2)  # so 3 rows with values at most; the ledger has 7

    with pytest.raises(InventoryRefused) as refused:
        inventory_parse(LEDGER, "台账.xls")

    assert "holds more rows than the 1 read at once" in str(refused.value)


def test_rows_below_the_limit_under_the_headings_are_refused_as_in_xlsx(settings):
    settings.VETTED_INVENTORY_MAX_ROWS = 3

    with pytest.raises(InventoryRefused) as refused:
        inventory_parse(LEDGER, "台账.xls")

    assert "rows below row 6" in str(refused.value)


@pytest.mark.parametrize("name", ["台账.doc", "台账.xlsx", "台账.csv", "台账.msi", "台账"])
def test_the_old_binary_format_is_read_only_under_an_xls_name(name):
    with pytest.raises(InventoryRefused) as refused:
        inventory_parse(LEDGER, name)

    assert "old binary format" in str(refused.value)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><table><tr><td>\xe5\x90\x8d\xe7\xa7\xb0</td></tr></table></body></html>",
        "名称,代码\r\n".encode("gb18030"),
    ],
    ids=["web-page", "csv"],
)
def test_a_file_named_xls_that_is_no_such_workbook_is_refused(data):
    with pytest.raises(InventoryRefused) as refused:
        inventory_parse(data, "台账.xls")

    assert "not an Excel 97-2003 workbook" in str(refused.value)


def test_an_xlsx_workbook_is_still_read_by_its_content():
    assert inventory_parse(ledger_xlsx(), "台账.xlsx").heading_row == 3


@pytest.mark.parametrize(
    "damage", [lambda d: d[:512], lambda d: d[:8] + bytes(len(d) - 8)], ids=["cut", "zeroed"]
)
def test_a_damaged_xls_is_refused(damage):
    with pytest.raises(InventoryRefused) as refused:
        inventory_parse(damage(LEDGER), "台账.xls")

    assert "cannot be read" in str(refused.value)


# --- The upload form --------------------------------------------------------------------------------------------


def test_the_upload_form_offers_and_accepts_xls(client, legal, people):
    form = InventoryUploadForm()
    assert ".xls," in form.fields["file"].widget.attrs["accept"]
    assert ".xls" in str(form.fields["file"].label) and ".xls" in str(form.fields["file"].help_text)
    client.force_login(legal)
    start = reverse("admin:vendors_vendor_import")
    assert 'accept=".xlsx,.xls,.csv"' in client.get(start).content.decode()

    response = client.post(start, {"file": SimpleUploadedFile("营销平台台账.xls", LEDGER)})

    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.context["counts"]["merged"] == 1 and "设置单元格格式" in page.content.decode()
    client.post(response["Location"], {"confirm": "1"})
    assert InventoryImport.objects.get().created_count == 3
