"""The columns of an inventory file, and reading a cell of each.

A column is recognised by its heading in either language, so that a file filled in from the Chinese
template and one from the English template read the same. Only the four columns that identify a vendor and
the person who answers for it are required; a missing optional column leaves the field empty."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import IndividualsRange, VendorCategory

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation: the heading, in the template's language
    required: bool
    example: object  # a value or a lazy translation, shown in the template


COLUMNS = [
    Column("name_zh", _("Legal name"), True, "上海数智营销科技有限公司"),
    Column("uscc", _("Credit code (USCC)"), True, "914403001922038216"),
    Column("category", _("Category"), True, VendorCategory.SCRM_SAAS.label),
    Column("business_owner", _("Business owner (user name or e-mail)"), True, "cmo@example.com"),
    Column("personal_data", _("Personal data involved (yes/no)"), False, _("yes")),
    Column("individuals", _("Individuals (range)"), False, IndividualsRange.FROM_100K_TO_1M.label),
    Column("in_use_since", _("In use since (YYYY-MM-DD)"), False, "2023-04-01"),
    Column("contract_ends", _("Contract ends (YYYY-MM-DD)"), False, "2027-03-31"),
    Column("connected_systems", _("Systems it connects to"), False, "CRM, 小程序商城"),
    # For a row whose category is the brand's own channel (no credit code): vendors/inventory/channels.py.
    Column("channel_kind", _("Kind of own channel"), False, ""),
]


def normalize_heading(text) -> str:
    """Headings compare without case, spaces, full-width forms or a required-marking asterisk."""
    text = str(text or "").replace("（", "(").replace("）", ")").replace("*", "")
    return re.sub(r"\s+", "", text).casefold()


def _in_each_language(label) -> set[str]:
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(str(label))
    return names


def heading_map() -> dict[str, str]:
    """Normalised heading -> column key, for the headings of both languages (with or without the hint in
    brackets, which people tend to delete)."""
    found = {}
    for column in COLUMNS:
        for name in _in_each_language(column.label):
            found[normalize_heading(name)] = column.key
            found[normalize_heading(name).split("(")[0]] = column.key
    return found


def choice_map(choices) -> dict[str, str]:
    """Value or label, in either language, normalised -> the stored value."""
    found = {}
    for value, label in choices:
        found[normalize_heading(value)] = value
        for name in _in_each_language(label):
            found[normalize_heading(name)] = value
    return found


YES = {"yes", "y", "true", "1", "是", "有", "涉及", "√"}
NO = {"no", "n", "false", "0", "否", "无", "不涉及", "×"}
_ISO_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a spreadsheet cell
    return str(value).strip()


def read_bool(value) -> bool | None:
    word = normalize_heading(text(value))
    if not word:
        return None
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError(_("Write yes or no (是 or 否), not “%(value)s”."), params={"value": text(value)})


def read_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    match = _ISO_LIKE.fullmatch(raw)
    if match:  # the common case, without strptime's cost (a file may hold thousands of dates)
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass  # out of range: reported below with the others
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date: write it as YYYY-MM-DD."), params={"value": raw})
