"""The inventory import reads ledgers as companies keep them (docs/domain.md "Inventory"): one test per rule.
The heading row below a title, the ledger's own headings and categories (and the words Legal adds), columns
not recognised put to Legal, owners by name, codes normalised, codes Excel stored as numbers refused, a code
repeated in one file merged into one vendor, an upload discarded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.models import AuditEvent
from tests.factories import make_user
from tests.vendors.inventory_files import HEADINGS_ZH, csv_bytes, row
from tests.vendors.ledger_files import HEADINGS, TITLE, full_width, ledger_code, ledger_csv, ledger_xlsx
from vendors.inventory.reading import CREATE, MERGED, Choices, inventory_check, inventory_parse
from vendors.inventory.services import (
    inventory_choose,
    inventory_confirm,
    inventory_discard,
    inventory_preview,
    inventory_upload,
)
from vendors.models import InventoryWord, InventoryWordKind, Vendor, VendorCategory, VendorStatus
from vendors.services import VendorError

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "王晓雯": make_user("xiaowen", "Requester", first_name="晓雯", last_name="王"),
        "陈建国": make_user("jianguo", "Requester", first_name="建国", last_name="陈"),
        "Anna Schmidt": make_user("anna", "Requester", first_name="Anna", last_name="Schmidt"),
    }


def read(data: bytes, name: str, choices: Choices | None = None):
    return inventory_check(inventory_parse(data, name), choices)


def by_number(preview) -> dict:
    return {r.number: r for r in preview.rows}


def ledger(row_values: list, headings=HEADINGS) -> bytes:
    return ledger_xlsx([row_values], headings)


def one_row(people, **values):
    base = {
        "序号": 1,
        "平台/供应商名称": "深圳云信通讯科技有限公司",
        "统一社会信用代码": ledger_code(1),
        "平台类型": "短信平台",
        "负责人": "王晓雯",
        "启用日期": "2024-03-01",
        "对接系统": "会员中心",
        "备注": "",
    }
    base.update(values)
    return [base[h] for h in HEADINGS]


# --- The heading row ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv-gbk", "csv-utf8-bom"])
def test_a_title_row_above_the_headings_is_skipped(people, kind):
    data, name = {
        "xlsx": (ledger_xlsx(), "台账.xlsx"),
        "csv-gbk": (ledger_csv(encoding="gb18030"), "台账.csv"),
        "csv-utf8-bom": (ledger_csv(encoding="utf-8-sig"), "台账.csv"),
    }[kind]

    parsed = inventory_parse(data, name)

    assert parsed.heading_row == (3 if kind == "xlsx" else 2)  # the CSV writer writes no blank line
    assert TITLE not in parsed.headings
    assert parsed.rows[0][0] == parsed.heading_row + 1


def test_the_headings_may_start_a_few_rows_down_after_notes(people):
    data = ledger_xlsx([one_row(people)], title=None, headings=HEADINGS)  # baseline: headings on row 1
    assert inventory_parse(data, "a.xlsx").heading_row == 1

    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for note in (TITLE, "编制部门：法务部", "更新日期：2026-11-30", "说明：每季度盘点一次"):
        sheet.append([note])
    sheet.append(HEADINGS)
    sheet.append(one_row(people))
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = inventory_parse(buffer.getvalue(), "a.xlsx")

    assert parsed.heading_row == 5 and len(parsed.rows) == 1


# --- Headings and categories ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headings",
    [
        ["平台/供应商名称", "统一社会信用代码", "平台类型", "负责人", "启用日期", "对接系统"],
        ["供应商名称", "信用代码", "类型", "对接人", "上线日期", "对接的系统"],
        ["Vendor name", "USCC", "Type", "Owner", "Start date", "Connected systems"],
        [
            "ＶＥＮＤＯＲ　ＮＡＭＥ",
            "Credit Code",
            "Platform type",
            "Business Owner",
            "Go-live date",
            "Systems",
        ],
    ],
    ids=["ledger-zh", "other-zh", "english", "full-width"],
)
def test_the_usual_heading_words_are_recognised_in_chinese_and_english(people, headings):
    data = ledger_xlsx(
        [["深圳云信通讯科技有限公司", ledger_code(1), "短信平台", "王晓雯", "2024-03-01", "会员中心"]],
        headings,
        title=None,
    )

    preview = read(data, "a.xlsx")

    assert not preview.open_choices
    (only,) = preview.rows
    assert only.ok, only.errors
    assert only.values["connected_systems"] == "会员中心"
    assert str(only.values["in_use_since"]) == "2024-03-01"


@pytest.mark.parametrize(
    "word, category",
    [
        ("短信平台", VendorCategory.SMS_EDM),
        ("CDP", VendorCategory.SCRM_SAAS),
        ("SCRM", VendorCategory.SCRM_SAAS),
        ("广告投放平台", VendorCategory.AD_NETWORK),
        ("数据服务商", VendorCategory.DATA_PROVIDER),
        ("KOL代理", VendorCategory.SOCIAL_AGENCY),
        ("小程序开发", VendorCategory.APP_DEVELOPER),
        ("活动执行", VendorCategory.EVENT_AGENCY),
        ("SMS platform", VendorCategory.SMS_EDM),
        ("ｃｄｐ", VendorCategory.SCRM_SAAS),
    ],
)
def test_the_companys_own_category_words_are_read(people, word, category):
    preview = read(ledger(one_row(people, 平台类型=word)), "a.xlsx")

    assert preview.rows[0].values["category"] == category, preview.rows[0].errors


def test_an_unknown_category_lists_the_accepted_values(people):
    preview = read(ledger(one_row(people, 平台类型="卫星通信")), "a.xlsx")

    (error,) = [e for e in preview.rows[0].errors if "卫星通信" in e]
    assert all(str(label) in error for label in VendorCategory.labels)


def test_words_legal_adds_are_read_as_headings_and_categories(people):
    InventoryWord.objects.create(kind=InventoryWordKind.HEADING, word="合作方全称", means="name_zh")
    InventoryWord.objects.create(
        kind=InventoryWordKind.CATEGORY, word="私域SaaS", means=VendorCategory.SCRM_SAAS
    )
    headings = ["合作方全称" if h == "平台/供应商名称" else h for h in HEADINGS]

    preview = read(ledger(one_row(people, 平台类型="私域 saas"), headings), "a.xlsx")

    (only,) = preview.rows
    assert only.values["name_zh"] == "深圳云信通讯科技有限公司"
    assert only.values["category"] == VendorCategory.SCRM_SAAS


# --- Columns not recognised -----------------------------------------------------------------------------------


def test_a_column_not_recognised_is_put_to_legal_not_ignored(people, legal):
    headings = [*HEADINGS[:6], "数据流向", "备注"]  # "数据流向" instead of 对接系统
    record, preview = inventory_upload(
        upload=SimpleUploadedFile("a.xlsx", ledger(one_row(people), headings)), actor=legal
    )

    undecided = {c.heading: c for c in preview.undecided_columns}
    assert set(undecided) == {"数据流向"}  # 序号 and 备注 are known as columns left out
    assert undecided["数据流向"].samples == ["会员中心"]
    assert preview.open_choices
    with pytest.raises(VendorError, match="answer above"):
        inventory_confirm(inventory_import=record, actor=legal)

    positions = {c.heading: c.position for c in preview.columns}
    inventory_choose(
        inventory_import=record,
        columns={positions["数据流向"]: "connected_systems"},
        owners={},
        actor=legal,
    )
    record.refresh_from_db()
    preview = inventory_preview(inventory_import=record)

    assert not preview.open_choices
    assert preview.rows[0].values["connected_systems"] == "会员中心"
    assert set(preview.ignored_headings) == {"序号", "备注"}
    inventory_confirm(inventory_import=record, actor=legal)
    assert Vendor.objects.get().connected_systems == "会员中心"


def test_a_required_column_under_an_unknown_heading_is_mapped_in_the_preview(people, legal):
    headings = ["合作方" if h == "平台/供应商名称" else h for h in HEADINGS]
    headings = ["合作单位全称" if h == "合作方" else h for h in headings]
    record, preview = inventory_upload(
        upload=SimpleUploadedFile("a.xlsx", ledger(one_row(people), headings)), actor=legal
    )

    assert preview.missing == ["Legal name"]
    position = next(c.position for c in preview.columns if c.heading == "合作单位全称")
    with pytest.raises(VendorError, match="taken twice"):
        inventory_choose(inventory_import=record, columns={position: "uscc"}, owners={}, actor=legal)
    inventory_choose(inventory_import=record, columns={position: "name_zh"}, owners={}, actor=legal)
    record.refresh_from_db()

    preview = inventory_preview(inventory_import=record)
    assert preview.missing == [] and preview.rows[0].values["name_zh"] == "深圳云信通讯科技有限公司"


def test_a_file_with_too_few_columns_is_refused_naming_the_words_each_is_known_by(people):
    from vendors.inventory.reading import InventoryRefused

    data = ledger_xlsx([["甲公司", "乙"]], ["平台/供应商名称", "平台类型"], title=None)

    with pytest.raises(InventoryRefused, match="统一社会信用代码"):
        inventory_parse(data, "a.xlsx")


# --- Owners by name -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["王晓雯", "王 晓雯", "xiaowen", "XIAOWEN@example.com"])
def test_an_owner_is_matched_by_name_user_name_or_email(people, written):
    preview = read(ledger(one_row(people, 负责人=written)), "a.xlsx")

    assert preview.rows[0].values["business_owner_id"] == people["王晓雯"].pk, preview.rows[0].errors


def test_an_owner_named_in_western_order_is_matched(people):
    preview = read(ledger(one_row(people, 负责人="Anna Schmidt")), "a.xlsx")

    assert preview.rows[0].values["business_owner_id"] == people["Anna Schmidt"].pk


def test_a_name_several_people_answer_to_is_asked_and_then_read(people, legal):
    namesake = make_user("jianguo2", "Requester", first_name="建国", last_name="陈")
    record, preview = inventory_upload(
        upload=SimpleUploadedFile("a.xlsx", ledger(one_row(people, 负责人="陈建国"))), actor=legal
    )

    (choice,) = preview.owners
    assert choice.name == "陈建国" and {p.pk for p in choice.people} == {people["陈建国"].pk, namesake.pk}
    assert preview.open_choices and any("Several people" in e for e in preview.rows[0].errors)

    inventory_choose(inventory_import=record, columns={}, owners={"陈建国": namesake.pk}, actor=legal)
    record.refresh_from_db()
    preview = inventory_preview(inventory_import=record)

    assert not preview.open_choices
    assert preview.rows[0].values["business_owner_id"] == namesake.pk


def test_a_name_nobody_answers_to_says_how_to_name_the_owner(people):
    preview = read(ledger(one_row(people, 负责人="李四")), "a.xlsx")

    assert any("李四" in e and "user name" in e for e in preview.rows[0].errors)


# --- Credit codes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", [full_width(ledger_code(1)), ledger_code(1).lower(), " ".join(ledger_code(1))]
)
def test_a_full_width_lower_case_or_spaced_code_is_normalised(people, written):
    preview = read(ledger(one_row(people, 统一社会信用代码=written)), "a.xlsx")

    assert preview.rows[0].values["uscc"] == ledger_code(1), preview.rows[0].errors


@pytest.mark.parametrize(
    "cell",
    [914403001922038216, 9.14403001922038e17, 91440300192203.0],
    ids=["18-digit-number", "float", "short-number"],
)
def test_a_code_excel_stored_as_a_number_is_refused_saying_how_to_format_the_column(people, cell):
    preview = read(ledger(one_row(people, 统一社会信用代码=cell)), "a.xlsx")

    (only,) = preview.rows
    assert not only.ok and "uscc" not in only.values
    assert any("as a number" in e and "Format" in e and "设置单元格格式" in e for e in only.errors)


@pytest.mark.parametrize("printed", ["9.14403E+17", "914403001922038000", "9.14403001922038E+17"])
def test_a_code_excel_printed_as_a_number_in_csv_is_refused(people, printed):
    rows = [one_row(people, 统一社会信用代码=printed)]

    preview = read(ledger_csv(rows, title=None), "a.csv")

    assert any("as a number" in e for e in preview.rows[0].errors)


def test_an_all_digit_code_ending_in_zeros_whose_check_matches_is_read_from_csv(people):
    # Real codes may be all digits and end in 000: only a failing check marks one Excel rounded.
    from vendors.uscc import check_character

    digits = next(p + "0" for n in range(10000) if check_character(p := f"914403{n:09d}00") == "0")
    assert digits.isdigit() and digits.endswith("000")

    preview = read(ledger_csv([one_row(people, 统一社会信用代码=digits)], title=None), "a.csv")

    assert preview.rows[0].values.get("uscc") == digits, preview.rows[0].errors


def test_a_code_repeated_in_one_file_is_one_vendor_and_its_conflicts_are_shown(people, legal):
    rows = [
        one_row(people),
        one_row(people, 序号=2, 启用日期="2024-04-01", 对接系统=""),
        one_row(people, 序号=3, 统一社会信用代码=full_width(ledger_code(1)), 对接系统=""),
    ]
    record, preview = inventory_upload(
        upload=SimpleUploadedFile("a.xlsx", ledger_xlsx(rows, title=None)), actor=legal
    )
    first, second, third = preview.rows

    assert first.action == CREATE and first.merged == [3, 4]
    assert second.action == third.action == MERGED and second.merged_into == third.merged_into == 2
    assert any("2024-03-01" in w and "2024-04-01" in w for w in first.warnings)  # the conflict, both values
    assert preview.importable == 1 and preview.merged == 2

    inventory_confirm(inventory_import=record, actor=legal)

    vendor = Vendor.objects.get()
    assert str(vendor.in_use_since) == "2024-03-01" and vendor.status == VendorStatus.IN_USE


def test_a_merged_row_fills_what_the_first_left_empty(people):
    rows = [one_row(people, 对接系统=""), one_row(people, 序号=2, 对接系统="小程序商城")]

    preview = read(ledger_xlsx(rows, title=None), "a.xlsx")

    assert preview.rows[0].values["connected_systems"] == "小程序商城"
    assert not any("differs" in w for w in preview.rows[0].warnings)


# --- Discarding an upload -------------------------------------------------------------------------------------


def test_an_unconfirmed_upload_is_discarded_its_file_deleted_and_audited(
    people, legal, django_capture_on_commit_callbacks
):
    record, _preview = inventory_upload(upload=SimpleUploadedFile("a.xlsx", ledger_xlsx()), actor=legal)
    storage, name = record.file.storage, record.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        inventory_discard(inventory_import=record, actor=legal)

    record.refresh_from_db()
    assert record.discarded_by == legal and record.parsed == {}
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action="inventory.discarded", object_id=str(record.pk)).exists()
    with pytest.raises(VendorError, match="discarded"):
        inventory_confirm(inventory_import=record, actor=legal)
    assert not Vendor.objects.exists()


def test_a_confirmed_import_cannot_be_discarded(requester, legal):
    record, _preview = inventory_upload(upload=SimpleUploadedFile("a.csv", csv_bytes([row(1)])), actor=legal)
    inventory_confirm(inventory_import=record, actor=legal)

    with pytest.raises(VendorError, match="already imported"):
        inventory_discard(inventory_import=record, actor=legal)


# --- The whole ledger, as Excel and WPS save it ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv-gbk", "csv-utf8-bom"])
def test_a_ledger_as_kept_imports_in_each_format(people, legal, kind):
    data, name = {
        "xlsx": (ledger_xlsx(), "营销平台台账.xlsx"),
        "csv-gbk": (ledger_csv(encoding="gb18030"), "营销平台台账.csv"),
        "csv-utf8-bom": (ledger_csv(encoding="utf-8-sig"), "营销平台台账.csv"),
    }[kind]
    record, preview = inventory_upload(upload=SimpleUploadedFile(name, data), actor=legal)
    # 序号 and 备注 are known as columns the register has no field for: left out, and said so.
    assert not preview.open_choices and set(preview.ignored_headings) == {"序号", "备注"}

    record = inventory_confirm(inventory_import=record, actor=legal)

    numbered = by_number(preview)
    first = min(numbered)
    assert numbered[first + 2].action == MERGED  # the duplicate
    assert any("as a number" in e for e in numbered[first + 3].errors)  # the numeric code
    assert record.created_count == 3
    assert set(Vendor.objects.values_list("uscc", flat=True)) == {
        ledger_code(1),
        ledger_code(2),
        ledger_code(5),
    }
    owners = dict(Vendor.objects.values_list("uscc", "business_owner__username"))
    assert owners == {ledger_code(1): "xiaowen", ledger_code(2): "jianguo", ledger_code(5): "anna"}
    assert Vendor.objects.get(uscc=ledger_code(2)).category == VendorCategory.SCRM_SAAS


def test_rows_kept_before_the_columns_were_still_read(requester):
    """An upload kept by the first version (one cell per column key, no headings) previews as before."""
    from vendors.inventory.reading import ParsedFile

    cells = [
        "上海云触达营销科技有限公司",
        ledger_code(9),
        "短信平台",
        "cmo",
        "是",
        "",
        "2023-04-01",
        "",
        None,
    ]

    parsed = ParsedFile.from_json({"version": 1, "ignored": [], "rows": [[2, cells]]})
    preview = inventory_check(parsed)

    assert not preview.open_choices and preview.rows[0].ok, preview.rows[0].errors
    assert preview.rows[0].values["uscc"] == ledger_code(9)


def test_the_old_template_headings_still_read(requester):
    preview = read(csv_bytes([row(1)], headings=HEADINGS_ZH), "a.csv")

    assert preview.rows[0].ok and not preview.open_choices
