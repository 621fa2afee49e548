"""The text of an inventory file follows the rules of the vendor forms (vendors.text.plain_text_problems): control
characters, markup and formula starts are refused in every imported text field, and the row is left out saying
which column and why. Such a name used to be stored, and its vendor could then get no catch-up review."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reviews import workflow
from tests.factories import make_user
from tests.vendors.inventory_files import csv_bytes, row, xlsx_bytes
from vendors.admin import VendorAdminForm
from vendors.inventory.reading import inventory_read
from vendors.inventory.services import inventory_confirm, inventory_upload
from vendors.models import Vendor, VendorCategory
from vendors.services import vendor_create
from vendors.text import plain_text_problems

pytestmark = pytest.mark.django_db

REFUSED = {
    "control": ("上海\x07云触达科技有限公司", "Remove the control characters (U+0007)"),
    "carriage-return": ("上海云触达\r科技有限公司", "U+000D"),
    "markup": ("<script>alert(1)</script>有限公司", "Remove the markup"),
    "closing-tag": ("上海云触达</title>科技", "Remove the markup"),
    "formula": ('=HYPERLINK("http://evil.example","点这里")', "Do not begin with “=”"),
    "formula-after-blanks": ("  @SUM(1+1)", "Do not begin with “@”"),
    "plus": ("+86 科技有限公司", "Do not begin with “+”"),
    "minus": ("-2+3 科技", "Do not begin with “-”"),
}
ACCEPTED = [
    "上海云触达营销科技有限公司",
    "A<100万 人次",
    "会员中心 - 小程序商城",
    "Acme (China) Co., Ltd. 100%",
]


def upload_rows(rows, legal):
    return inventory_upload(
        upload=SimpleUploadedFile("inventory.csv", csv_bytes(rows, encoding="utf-8")), actor=legal
    )


@pytest.mark.parametrize("value, says", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize(
    "column, overrides",
    [
        ("Legal name", lambda v: {"name": v}),
        ("Systems it connects to", lambda v: {"systems": v}),
        ("Business owner (name, user name or e-mail)", lambda v: {"owner": v}),
    ],
    ids=["name", "systems", "owner"],
)
def test_a_row_with_such_text_is_left_out_naming_the_column(requester, value, says, column, overrides):
    preview = inventory_read(csv_bytes([row(1, **overrides(value))], encoding="utf-8"), "inventory.csv")

    [bad] = preview.rows
    assert not bad.ok
    assert any(error.startswith(f"{column}:") and says in error for error in bad.errors), bad.errors


@pytest.mark.parametrize("value", ACCEPTED)
def test_ordinary_text_is_read_as_is(requester, value):
    preview = inventory_read(csv_bytes([row(1, systems=value)], encoding="utf-8"), "inventory.csv")

    assert preview.rows[0].ok, preview.rows[0].errors


def test_line_breaks_are_allowed_in_the_systems_cell_of_a_workbook(requester):
    preview = inventory_read(xlsx_bytes([row(1, systems="会员中心\n小程序商城")]), "inventory.xlsx")

    assert preview.rows[0].ok and preview.rows[0].values["connected_systems"] == "会员中心\n小程序商城"


@pytest.mark.parametrize("value, says", REFUSED.values(), ids=REFUSED.keys())
def test_the_vendor_forms_refuse_the_same_text(value, says):
    form = VendorAdminForm(
        data={"name_zh": value, "uscc": "91310115000000001U", "category": VendorCategory.SMS_EDM}
    )

    assert not form.is_valid()
    assert any(says in message for message in form.errors["name_zh"])
    with pytest.raises(
        ValidationError, match=says.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")
    ):
        vendor_create(name_zh=value, uscc="91310115000000001U", category=VendorCategory.SMS_EDM)
    assert plain_text_problems(value) != []


def test_only_the_clean_rows_reach_the_register_and_each_can_get_a_catch_up_review(legal, requester):
    bad = {key: value for key, (value, _says) in REFUSED.items()}
    rows = [row(1), *[row(n, name=value) for n, value in enumerate(bad.values(), start=2)]]
    record, _preview = upload_rows(rows, legal)

    record = inventory_confirm(inventory_import=record, actor=legal)

    assert (record.created_count, record.error_rows) == (1, len(bad))
    [vendor] = Vendor.objects.all()
    review = workflow.review_open_catch_up(
        vendor=vendor, requester=requester, due=timezone.localdate() + timedelta(days=30), actor=legal
    )
    assert review.catch_up


def test_an_owner_named_with_markup_is_no_user_and_says_so(requester):
    make_user("<b>cmo</b>", "Requester")

    preview = inventory_read(csv_bytes([row(1, owner="<b>cmo</b>")], encoding="utf-8"), "inventory.csv")

    assert any(
        error.startswith("Business owner (name, user name or e-mail):") and "markup" in error
        for error in preview.rows[0].errors
    )
