"""Bounded imports (vendors/inventory/reading.py): size, rows, columns and cell length are checked while the file
is read, row by row, and a file past any of them is refused with a message before anything is stored; what was
read is kept with the upload, and the preview and the confirmation never read the file again.

Memory is measured (tracemalloc) and rows counted; time is not asserted here (bench/inventory_import.py prints
it)."""

import contextlib
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._reader import WorkSheetParser

from tests.vendors.inventory_files import HEADINGS_ZH, csv_bytes, handmade_xlsx, row, xlsx_bytes
from vendors.inventory import reading
from vendors.inventory.reading import CELL_MAX_CHARS, InventoryRefused, inventory_parse
from vendors.inventory.services import inventory_confirm, inventory_preview, inventory_upload
from vendors.models import InventoryImport, Vendor

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def rows_parsed(monkeypatch):
    """How many rows of a workbook's XML were parsed."""
    count = [0]
    parse_row = WorkSheetParser.parse_row

    def counting(self, element):
        count[0] += 1
        return parse_row(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return count


def peak_bytes(function, *args) -> int:
    tracemalloc.start()
    with contextlib.suppress(InventoryRefused):
        function(*args)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def nothing_stored(settings) -> bool:
    root = settings.PRIVATE_MEDIA_ROOT
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return not files and not InventoryImport.objects.exists() and not Vendor.objects.exists()


def test_a_2_kb_workbook_declaring_a_million_rows_is_refused_reading_three_rows_in_little_memory(rows_parsed):
    data = handmade_xlsx([(1, HEADINGS_ZH), (2, row(1)), (1_000_000, row(2))], dimension="A1:XFD1000000")
    assert len(data) <= 2048

    with pytest.raises(InventoryRefused, match=r"rows below row 10,?001"):
        inventory_parse(data, "inventory.xlsx")

    assert rows_parsed[0] == 3
    assert peak_bytes(inventory_parse, data, "inventory.xlsx") < 100 * MB


def test_a_workbook_with_more_rows_than_allowed_stops_being_read_at_the_limit(settings, rows_parsed):
    settings.VETTED_INVENTORY_MAX_ROWS = 1000
    data = handmade_xlsx([(1, HEADINGS_ZH), *((n + 1, row(n)) for n in range(1, 5001))])

    with pytest.raises(InventoryRefused, match="at most 1000 rows are read at once"):
        inventory_parse(data, "inventory.xlsx")

    assert rows_parsed[0] == 1002  # the headings, 1,000 rows, and the one too many: not the 5,001 it holds


def test_the_blank_rows_a_sheet_declares_are_never_filled_in(rows_parsed):
    """openpyxl's read-only sheet yields an empty row for each one missing between two it holds."""
    data = handmade_xlsx([(1, HEADINGS_ZH), (2, row(1)), (9000, row(2))], dimension="A1:XFD9000")

    parsed = inventory_parse(data, "inventory.xlsx")

    assert [number for number, _raw, _numeric in parsed.rows] == [2, 9000]
    assert rows_parsed[0] == 3


def test_a_workbook_unpacking_to_more_than_it_could_hold_is_refused_before_unpacking(settings):
    settings.VETTED_INVENTORY_MAX_ROWS = 100  # allows 4 MB unpacked
    padding = "<!-- " + "x" * (6 * MB) + " -->"
    data = handmade_xlsx([(1, HEADINGS_ZH), (2, row(1))], extra={"xl/padding.xml": padding})
    assert len(data) < 100 * 1024

    with pytest.raises(InventoryRefused, match="unpacks to more than"):
        inventory_parse(data, "inventory.xlsx")


def test_a_one_megabyte_cell_is_refused_at_upload_and_nothing_is_stored(legal, settings):
    data = handmade_xlsx([(1, HEADINGS_ZH), (2, row(1, systems="会员中心" * (MB // 4)))])

    with pytest.raises(
        InventoryRefused,
        match=f"Cell I2 holds 1048576 characters; a cell may hold at most {CELL_MAX_CHARS} characters",
    ):
        inventory_upload(upload=SimpleUploadedFile("inventory.xlsx", data), actor=legal)

    assert nothing_stored(settings)


def test_a_20_mb_csv_cell_is_refused_with_a_message(legal, settings):
    data = csv_bytes([row(1, systems="x" * (20 * MB))], encoding="utf-8")

    with pytest.raises(InventoryRefused, match=f"a cell may hold at most {CELL_MAX_CHARS} characters"):
        inventory_upload(upload=SimpleUploadedFile("inventory.csv", data), actor=legal)

    assert nothing_stored(settings)
    assert peak_bytes(inventory_parse, data, "inventory.csv") < 5 * MB  # the line is never held whole


@pytest.mark.parametrize(
    "name, data",
    [
        ("inventory.csv", csv_bytes([row(1, systems="x" * (CELL_MAX_CHARS + 1))])),
        ("inventory.csv", csv_bytes([row(1, systems="x" * 300_000)])),
        ("inventory.xlsx", xlsx_bytes([row(1, systems="x" * (CELL_MAX_CHARS + 1))])),
    ],
    ids=["csv-just-over", "csv-over-the-parsers-limit", "xlsx"],
)
def test_the_admin_says_why_a_file_with_a_long_cell_is_refused(client, legal, name, data, settings):
    client.force_login(legal)

    response = client.post(reverse("admin:vendors_vendor_import"), {"file": SimpleUploadedFile(name, data)})

    assert response.status_code == 200
    assert f"a cell may hold at most {CELL_MAX_CHARS} characters" in response.content.decode()
    assert nothing_stored(settings)


def test_a_cell_beyond_the_last_column_read_is_refused():
    data = handmade_xlsx([(1, HEADINGS_ZH), (2, [*row(1), *[None] * 41, "x"])])

    with pytest.raises(InventoryRefused, match="column AY; at most 50 columns are read"):
        inventory_parse(data, "inventory.xlsx")


def test_a_csv_file_past_the_row_limit_is_refused_without_decoding_it_whole(settings):
    """The encoding is checked a piece at a time and the rows split as they come: reading stops at the limit
    and the file's text is never held whole."""
    settings.VETTED_INVENTORY_MAX_ROWS = 1000
    data = csv_bytes([row(n) for n in range(1, 50_001)], encoding="utf-8-sig")

    with pytest.raises(InventoryRefused, match="at most 1000 rows"):
        inventory_parse(data, "inventory.csv")

    assert peak_bytes(inventory_parse, data, "inventory.csv") < len(data) / 4


@pytest.mark.parametrize("damage", [b"<row r='x'>", b"<sheetData><row"])
def test_a_damaged_sheet_is_refused_as_unreadable(damage):
    data = handmade_xlsx([(1, HEADINGS_ZH), (2, row(1))])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b"<sheetData>", damage)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)

    with pytest.raises(InventoryRefused, match="cannot be read"):
        inventory_parse(buffer.getvalue(), "inventory.xlsx")


# --- What was read is kept ----------------------------------------------------------------------------------------


def never_read_again(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(reading, "_rows", refuse)


def test_the_preview_and_the_confirmation_use_the_rows_read_at_upload(legal, requester, monkeypatch):
    record, first = _upload_for_real(legal, xlsx_bytes([row(1), row(2)]))
    never_read_again(monkeypatch)

    again = inventory_preview(inventory_import=record)
    record = inventory_confirm(inventory_import=record, actor=legal)

    assert [r.number for r in again.rows] == [r.number for r in first.rows] == [2, 3]
    assert record.created_count == 2
    assert record.parsed["rows"][0][1][0] == "上海云触达营销科技有限公司1"


def test_the_preview_page_shows_the_rows_kept(client, legal, requester, monkeypatch):
    record, _preview = _upload_for_real(legal, csv_bytes([row(1), row(2, owner="nobody")]))
    never_read_again(monkeypatch)
    client.force_login(legal)

    response = client.get(reverse("admin:vendors_vendor_import_preview", args=[record.pk]))

    assert response.status_code == 200
    assert 'data-count="errors">1<' in response.content.decode()


def _upload_for_real(legal, data):
    """Upload with the real reader (the tests then forbid reading again)."""
    name = "inventory.xlsx" if data.startswith(b"PK") else "inventory.csv"
    return inventory_upload(upload=SimpleUploadedFile(name, data), actor=legal)
