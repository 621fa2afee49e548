"""The columns of an inventory file, and reading a cell of each.

A column is recognised by its heading in either language, or by one of the words ledgers use for it
(WORDS: "平台/供应商名称", "启用日期", "对接系统", ...) or that Legal added in the admin (InventoryWord), so that a
file filled in from either template and a company's own ledger read the same; a category likewise ("短信平台",
"CDP", "KOL代理", ...). Only the four columns that identify a vendor and the person who answers for it are
required; a missing optional column leaves the field empty. Adding a column is one entry in COLUMNS, its
words in WORDS, and its reading in vendors.inventory.reading._read_row."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import IndividualsRange, InventoryWord, InventoryWordKind, VendorCategory

LANGUAGES = ("zh-hans", "en")
# What a heading read as nothing is read as: a column left out of the import, on purpose and said so.
IGNORE = "ignore"


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
    Column("business_owner", _("Business owner (name, user name or e-mail)"), True, "王晓雯"),
    Column("personal_data", _("Personal data involved (yes/no)"), False, _("yes")),
    Column("individuals", _("Individuals (range)"), False, IndividualsRange.FROM_100K_TO_1M.label),
    Column("in_use_since", _("In use since (YYYY-MM-DD)"), False, "2023-04-01"),
    Column("contract_ends", _("Contract ends (YYYY-MM-DD)"), False, "2027-03-31"),
    Column("connected_systems", _("Systems it connects to"), False, "CRM, 小程序商城"),
    # For a row whose category is the brand's own channel (no credit code): vendors/inventory/channels.py.
    Column("channel_kind", _("Kind of own channel"), False, ""),
]


def normalize_heading(text) -> str:
    """Headings and words compare without case, spaces, full-width forms (NFKC) or a required-marking
    asterisk."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("*", "")
    return re.sub(r"\s+", "", text).casefold()


# The words ledgers kept by Chinese and foreign companies use, in Chinese and English, for each column and each
# category: one table, which Legal extends in the admin (InventoryWord) with the words of the company's own.
WORDS: dict[str, dict[str, list[str]]] = {
    InventoryWordKind.HEADING: {
        # Columns ledgers keep that the register has no field for: read as left out, and listed as such.
        IGNORE: ["序号", "编号", "No.", "No", "#", "备注", "说明", "Remarks", "Notes", "Note", "Comments"],
        "name_zh": [
            "平台/供应商名称",
            "供应商名称",
            "平台名称",
            "服务商名称",
            "公司名称",
            "企业名称",
            "单位名称",
            "供应商全称",
            "名称",
            "供应商",
            "平台",
            "Vendor",
            "Vendor name",
            "Supplier",
            "Supplier name",
            "Company name",
            "Platform",
            "Platform name",
            "Name",
        ],
        "uscc": [
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "统一信用代码",
            "纳税人识别号",
            "税号",
            "USCC",
            "Credit code",
            "Unified social credit code",
            "Tax ID",
        ],
        "category": [
            "平台类型",
            "供应商类型",
            "服务类型",
            "类型",
            "类别",
            "分类",
            "Type",
            "Vendor type",
            "Platform type",
            "Category",
        ],
        "business_owner": [
            "负责人",
            "业务负责人",
            "对接人",
            "责任人",
            "使用部门负责人",
            "Owner",
            "Business owner",
            "Contact person",
        ],
        "personal_data": [
            "是否涉及个人信息",
            "涉及个人信息",
            "个人信息",
            "是否处理个人信息",
            "Personal data",
            "Personal information",
        ],
        "individuals": [
            "涉及人数",
            "个人信息数量",
            "数据量级",
            "用户量级",
            "Individuals",
            "Number of individuals",
        ],
        "in_use_since": [
            "启用日期",
            "开始使用日期",
            "上线日期",
            "合作开始日期",
            "启用时间",
            "Start date",
            "Since",
            "Go-live date",
        ],
        "contract_ends": [
            "合同到期日",
            "合同到期日期",
            "合同截止日期",
            "合同结束日期",
            "到期日",
            "Contract end",
            "Contract end date",
            "End date",
        ],
        "connected_systems": [
            "对接系统",
            "对接的系统",
            "对接系统/数据",
            "集成系统",
            "系统",
            "Connected systems",
            "Systems",
            "Integrations",
        ],
    },
    InventoryWordKind.CATEGORY: {
        VendorCategory.SMS_EDM: [
            "短信平台",
            "短信服务商",
            "短信",
            "邮件营销",
            "EDM",
            "SMS",
            "SMS platform",
            "Email marketing",
        ],
        VendorCategory.SCRM_SAAS: [
            "CDP",
            "SCRM",
            "CRM",
            "客户数据平台",
            "私域工具",
            "私域运营",
            "营销自动化",
            "MA",
        ],
        VendorCategory.AD_NETWORK: [
            "广告投放平台",
            "广告平台",
            "广告网络",
            "媒介投放",
            "信息流广告",
            "DSP",
            "Ad platform",
            "Advertising",
        ],
        VendorCategory.DATA_PROVIDER: [
            "数据服务商",
            "数据供应商",
            "数据提供方",
            "数据公司",
            "Data vendor",
            "Data supplier",
        ],
        VendorCategory.SOCIAL_AGENCY: [
            "KOL代理",
            "KOL",
            "达人营销",
            "社媒代理",
            "社交媒体代理",
            "Social agency",
            "Influencer agency",
        ],
        VendorCategory.APP_DEVELOPER: [
            "小程序开发",
            "小程序",
            "APP开发",
            "App开发",
            "Mini-program developer",
            "App developer",
        ],
        VendorCategory.EVENT_AGENCY: ["活动执行", "活动公司", "线下活动", "会展", "Event agency", "Events"],
        VendorCategory.OTHER: ["其他", "其它"],
    },
}


def _in_each_language(label) -> set[str]:
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(str(label))
    return names


def legal_words() -> dict[str, dict[str, str]]:
    """The words Legal added (InventoryWord), by kind: normalised word -> what it means (one query)."""
    found: dict[str, dict[str, str]] = {kind: {} for kind in InventoryWordKind.values}
    for kind, word, means in InventoryWord.objects.values_list("kind", "word", "means"):
        found.setdefault(kind, {})[normalize_heading(word)] = means
    return found


def heading_map(added: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised heading -> column key: the headings of both templates (with or without the hint in
    brackets, which people tend to delete), the words of WORDS and those Legal added."""
    found = {normalize_heading(word): IGNORE for word in WORDS[InventoryWordKind.HEADING][IGNORE]}
    for column in COLUMNS:
        for word in WORDS[InventoryWordKind.HEADING].get(column.key, ()):
            found[normalize_heading(word)] = column.key
        for name in _in_each_language(column.label):
            found[normalize_heading(name)] = column.key
            found[normalize_heading(name).split("(")[0]] = column.key
    found.update(added or {})
    return found


def choice_map(choices, words: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Value or label, in either language, or a word for it, normalised -> the stored value."""
    found = {}
    for value, label in choices:
        found[normalize_heading(value)] = value
        for name in _in_each_language(label):
            found[normalize_heading(name)] = value
        for word in (words or {}).get(value, ()):
            found[normalize_heading(word)] = value
    return found


def category_map(added: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised category -> VendorCategory value: the labels of both languages, WORDS, Legal's words."""
    found = choice_map(VendorCategory.choices, WORDS[InventoryWordKind.CATEGORY])
    found.update(added or {})
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
