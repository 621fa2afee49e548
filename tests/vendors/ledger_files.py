"""Ledgers as companies keep them (营销平台台账), written as Excel and WPS save them: an .xlsx workbook written with
openpyxl (a title row above the headings, the company's own headings and category words, owners by name, a
credit code typed as a number), and CSV in GBK or UTF-8 with a byte-order mark."""

import io

import openpyxl

from tests.factories import uscc_with_check

TITLE = "营销平台台账（2026年11月）"
HEADINGS = [
    "序号",
    "平台/供应商名称",
    "统一社会信用代码",
    "平台类型",
    "负责人",
    "启用日期",
    "对接系统",
    "备注",
]


def ledger_code(n: int) -> str:
    return uscc_with_check(f"91440300{n:09d}")


def full_width(code: str) -> str:
    """As typed with a Chinese input method in full-width mode: ９１４４…"""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in code)


def ledger_rows() -> list[list]:
    """Five rows: an ordinary one, a full-width code, a duplicate of the first with another date, a code Excel
    stored as a number, one owned by a person named in Western order."""
    return [
        [
            1,
            "深圳云信通讯科技有限公司",
            ledger_code(1),
            "短信平台",
            "王晓雯",
            "2024-03-01",
            "会员中心",
            "续签中",
        ],
        [2, "上海数衡数据科技有限公司", full_width(ledger_code(2)), "CDP", "陈建国", "2023-07-15", "CRM", ""],
        [3, "深圳云信通讯科技有限公司", ledger_code(1), "短信平台", "王晓雯", "2024-04-01", "", "重复登记"],
        [4, "北京巨量引擎广告有限公司", 914403001922038016, "广告投放平台", "陈建国", "2022-01-10", "", ""],
        [
            5,
            "杭州星芒达人文化传媒有限公司",
            ledger_code(5).lower(),
            "KOL代理",
            "Anna Schmidt",
            "2025-05-20",
            "",
            "",
        ],
    ]


def ledger_xlsx(rows=None, headings=HEADINGS, title: str | None = TITLE) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(headings)
    for values in ledger_rows() if rows is None else rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_csv(
    rows=None, headings=HEADINGS, *, encoding: str = "gb18030", title: str | None = TITLE
) -> bytes:
    """As Excel or WPS saves CSV: every line as wide as the sheet, a number as Excel prints it."""
    import csv

    width = len(headings)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if title:
        writer.writerow([title] + [""] * (width - 1))
    writer.writerow(headings)
    for values in ledger_rows() if rows is None else rows:
        writer.writerow(["9.14403E+17" if isinstance(v, int) and v > 10**15 else v for v in values])
    text = buffer.getvalue()
    if encoding == "utf-8-sig":
        return ("\ufeff" + text).encode("utf-8")
    return text.encode(encoding)
