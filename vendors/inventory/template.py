"""The template to fill in, in the user's language: an .xlsx workbook (with a sheet of the allowed values)
or a CSV file in UTF-8 with a byte-order mark, which Excel opens with the Chinese intact."""

import tablib
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import IndividualsRange, VendorCategory
from .columns import COLUMNS


def _rows_sheet() -> tablib.Dataset:
    sheet = tablib.Dataset(title=_("Inventory")[:31])
    sheet.headers = [str(c.label) + (" *" if c.required else "") for c in COLUMNS]
    sheet.append([str(c.example) for c in COLUMNS])
    return sheet


def _values_sheet() -> tablib.Dataset:
    sheet = tablib.Dataset(title=_("Allowed values")[:31])
    sheet.headers = [_("Column"), _("Value")]
    for label, choices in (
        (_("Category"), VendorCategory.choices),
        (_("Individuals (range)"), IndividualsRange.choices),
    ):
        for _value, choice in choices:
            sheet.append([label, str(choice)])
    sheet.append([_("Personal data involved (yes/no)"), _("yes / no (是 / 否)")])
    return sheet


def inventory_template(*, file_format: str, language: str) -> bytes:
    """The template as bytes; file_format is "xlsx" or "csv"."""
    with translation.override(language):
        if file_format == "xlsx":
            return tablib.Databook([_rows_sheet(), _values_sheet()]).export("xlsx")
        return ("\ufeff" + _rows_sheet().export("csv")).encode("utf-8")
