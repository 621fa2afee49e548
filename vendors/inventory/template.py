"""The template to fill in, in the user's language: an .xlsx workbook (with a sheet of the allowed values and
the words each is also known by) or a CSV file in UTF-8 with a byte-order mark, which Excel opens with the
Chinese intact. Its example row names the person who downloads it as the business owner, so that the example
itself imports."""

import tablib
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import IndividualsRange, InventoryWordKind, VendorCategory
from .columns import COLUMNS, WORDS


def _rows_sheet(owner: str) -> tablib.Dataset:
    sheet = tablib.Dataset(title=_("Inventory")[:31])
    sheet.headers = [str(c.label) + (" *" if c.required else "") for c in COLUMNS]
    sheet.append([owner if c.key == "business_owner" and owner else str(c.example) for c in COLUMNS])
    return sheet


def _values_sheet() -> tablib.Dataset:
    sheet = tablib.Dataset(title=_("Allowed values")[:31])
    sheet.headers = [_("Column"), _("Value"), _("Also read as")]
    words = WORDS[InventoryWordKind.CATEGORY]
    for label, choices in (
        (_("Category"), VendorCategory.choices),
        (_("Individuals (range)"), IndividualsRange.choices),
    ):
        for value, choice in choices:
            sheet.append([label, str(choice), "、".join(words.get(value, ()))])
    sheet.append([_("Personal data involved (yes/no)"), _("yes / no (是 / 否)"), ""])
    return sheet


def inventory_template(*, file_format: str, language: str, owner: str = "") -> bytes:
    """The template as bytes; file_format is "xlsx" or "csv"; owner names the example row's business owner."""
    with translation.override(language):
        if file_format == "xlsx":
            return tablib.Databook([_rows_sheet(owner), _values_sheet()]).export("xlsx")
        return ("\ufeff" + _rows_sheet(owner).export("csv")).encode("utf-8")
