"""Reading an inventory file: the formats and encodings people send, and the errors of each row, before
anything is saved (vendors/inventory/reading.py)."""

import pytest

from tests.factories import HUAWEI_USCC, VendorFactory, make_user
from tests.vendors.inventory_files import HEADINGS_EN, HEADINGS_ZH, code, csv_bytes, row, xlsx_bytes
from vendors.inventory.reading import CREATE, UNCHANGED, UPDATE, InventoryRefused, inventory_read
from vendors.models import IndividualsRange, Vendor, VendorCategory

pytestmark = pytest.mark.django_db

GOOD = [row(1), row(2, owner="cmo@example.com")]


@pytest.mark.parametrize(
    "name, data",
    [
        ("inventory.xlsx", xlsx_bytes(GOOD)),
        ("inventory.csv", csv_bytes(GOOD, encoding="gb18030")),
        ("inventory.csv", csv_bytes(GOOD, encoding="utf-8-sig")),
        ("inventory.csv", csv_bytes(GOOD, encoding="utf-8")),
    ],
    ids=["xlsx", "gbk-csv", "utf8-bom-csv", "utf8-csv"],
)
def test_each_format_reads_the_same_rows(requester, name, data):
    preview = inventory_read(data, name)

    assert [r.errors for r in preview.rows] == [[], []]
    first = preview.rows[0].values
    assert first["name_zh"] == "上海云触达营销科技有限公司1"
    assert first["uscc"] == code(1)
    assert first["category"] == VendorCategory.SMS_EDM
    assert first["business_owner_id"] == requester.pk
    assert first["personal_data"] is True
    assert first["individuals"] == IndividualsRange.FROM_100K_TO_1M
    assert str(first["in_use_since"]) == "2023-04-01"
    assert first["connected_systems"] == "会员中心, 小程序商城"
    assert preview.rows[1].values["business_owner_id"] == requester.pk  # found by e-mail
    assert [r.action for r in preview.rows] == [CREATE, CREATE]


def test_english_headings_and_english_values_read_too(requester):
    data = csv_bytes(
        [row(1, category="SMS / EDM sender", personal="no", individuals="10 million or more")],
        encoding="utf-8",
        headings=HEADINGS_EN,
    )

    values = inventory_read(data, "inventory.csv").rows[0].values

    assert (values["category"], values["personal_data"], values["individuals"]) == (
        VendorCategory.SMS_EDM,
        False,
        IndividualsRange.GT_10M,
    )


def test_a_mixed_file_gives_each_bad_row_its_error_and_keeps_the_good_ones(requester):
    rows = [
        row(1),
        row(2, uscc="91310115ABC"),  # malformed code
        row(3, owner="nobody"),  # unknown owner
        row(4, since="2023-13-45"),  # bad date
        row(5, category="卫星通信"),  # unknown category
        row(6, uscc=code(1)),  # duplicate of row 2 of the sheet
        row(7, uscc=code(7)[:17] + ("0" if code(7)[17] != "0" else "1")),  # check character wrong
    ]

    preview = inventory_read(csv_bytes(rows), "inventory.csv")
    errors = {r.number: " ".join(r.errors) for r in preview.rows}

    assert "18" in errors[3]
    assert "nobody" in errors[4]
    assert "2023-13-45" in errors[5]
    assert "卫星通信" in errors[6]
    # The same code twice is one vendor: the later row merged into the first (tests/vendors/test_inventory_ledgers.py).
    assert errors[2] == errors[7] == "" and preview.rows[5].merged_into == 2
    assert errors[8] == ""
    assert preview.rows[
        6
    ].warnings  # a checksum mismatch warns (docs/domain.md "Unified Social Credit Code"), it does not block
    assert len(preview.error_rows) == 4


def test_an_owner_named_by_a_shared_email_is_ambiguous(requester):
    make_user("cmo-assistant", email="cmo@example.com")

    preview = inventory_read(csv_bytes([row(1, owner="cmo@example.com")]), "inventory.csv")

    assert preview.rows[0].errors


def test_an_existing_vendor_is_matched_by_its_code_and_keeps_its_identity(requester):
    vendor = VendorFactory(uscc=HUAWEI_USCC, name_zh="华为技术有限公司")

    preview = inventory_read(csv_bytes([row(1, uscc=HUAWEI_USCC)]), "inventory.csv")

    (only,) = preview.rows
    assert only.action == UPDATE and only.vendor == vendor
    assert any("华为技术有限公司" in w for w in only.warnings)


def test_a_row_equal_to_the_register_is_unchanged(requester):
    vendor = VendorFactory(
        uscc=code(1),
        category=VendorCategory.SMS_EDM,
        business_owner=requester,
        personal_data=True,
        individuals=IndividualsRange.FROM_100K_TO_1M,
        in_use_since="2023-04-01",
        contract_ends="2027-03-31",
        connected_systems="会员中心, 小程序商城",
    )

    preview = inventory_read(csv_bytes([row(1, name=vendor.name_zh)]), "inventory.csv")

    assert preview.rows[0].action == UNCHANGED


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("inventory.csv", b"", "empty"),
        ("inventory.csv", "名称,代码\n甲,乙\n".encode("gb18030"), "Required columns are missing"),
        ("inventory.csv", csv_bytes([]), "no rows"),
        ("inventory.csv", "\ufeff法定名称".encode("utf-16"), "UTF-16"),
        ("inventory.csv", b"\x81\x30\xff\xfe\x00", "UTF-16"),
        ("inventory.csv", b"legal name\n\x80\xff\x80\xff\n", "neither UTF-8 nor GBK"),
        ("inventory.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cannot be read"),
        ("inventory.pdf", b"%PDF-1.4 hello", r"\.xlsx or \.xls workbook, or a \.csv"),
        ("inventory.csv", (",".join(HEADINGS_ZH) + "\n1,2,3\n").encode(), "different numbers of cells"),
    ],
    ids=["empty", "no-columns", "no-rows", "utf16", "binary", "unknown-encoding", "xls", "pdf", "ragged"],
)
def test_an_unreadable_file_is_refused_as_a_whole(name, data, says):
    with pytest.raises(InventoryRefused, match=says):
        inventory_read(data, name)
    assert not Vendor.objects.exists()


def test_a_file_over_the_row_limit_is_refused(settings, requester):
    settings.VETTED_INVENTORY_MAX_ROWS = 2

    with pytest.raises(InventoryRefused, match="at most 2"):
        inventory_read(csv_bytes([row(1), row(2), row(3)]), "inventory.csv")
