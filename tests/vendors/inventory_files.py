"""Inventory files as people send them: an .xlsx workbook, CSV from Excel on Chinese Windows (GBK), "CSV
UTF-8" with a byte-order mark. Built with tablib, the library the import reads them with."""

import tablib

from tests.factories import uscc_with_check

HEADINGS_ZH = [
    "法定名称",
    "统一社会信用代码",
    "类别",
    "业务负责人",
    "是否涉及个人信息",
    "涉及个人数量（区间）",
    "开始使用日期",
    "合同到期日",
    "对接的系统",
]
HEADINGS_EN = [
    "Legal name",
    "Credit code (USCC)",
    "Category",
    "Business owner",
    "Personal data involved",
    "Individuals (range)",
    "In use since",
    "Contract ends",
    "Systems it connects to",
]


def code(n: int) -> str:
    return uscc_with_check(f"91310115{n:09d}")


def row(n: int, owner: str = "cmo", **overrides) -> list:
    values = {
        "name": f"上海云触达营销科技有限公司{n}",
        "uscc": code(n),
        "category": "短信/EDM 发送服务商",
        "owner": owner,
        "personal": "是",
        "individuals": "10万人以上不满100万人",
        "since": "2023-04-01",
        "ends": "2027-03-31",
        "systems": "会员中心, 小程序商城",
    }
    values.update(overrides)
    return [
        values[k]
        for k in ("name", "uscc", "category", "owner", "personal", "individuals", "since", "ends", "systems")
    ]


def dataset(rows, headings=HEADINGS_ZH) -> tablib.Dataset:
    data = tablib.Dataset(title="Inventory")
    data.headers = headings
    for values in rows:
        data.append(values)
    return data


def csv_bytes(rows, *, encoding: str = "gb18030", headings=HEADINGS_ZH) -> bytes:
    text = dataset(rows, headings).export("csv")
    if encoding == "utf-8-sig":
        return ("\ufeff" + text).encode("utf-8")
    return text.encode(encoding)


def xlsx_bytes(rows, headings=HEADINGS_ZH) -> bytes:
    return dataset(rows, headings).export("xlsx")


def many_rows(count: int, owner: str = "cmo") -> list:
    return [row(n, owner) for n in range(1, count + 1)]


def handmade_xlsx(rows, *, dimension: str | None = None, extra: dict | None = None) -> bytes:
    """A workbook written by hand, as small as a valid one gets: `rows` are (row number, [cell texts]) in inline
    strings, `dimension` what the sheet claims to span (whatever it holds), `extra` more zip members. Lets a
    test build the files an attacker would: a million rows declared in 2 KB, a cell of a megabyte."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    def cells(number, values):
        return "".join(
            f'<c r="{get_column_letter(i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for i, v in enumerate(values, start=1)
            if v is not None
        )

    body = "".join(f'<row r="{number}">{cells(number, values)}</row>' for number, values in rows)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{body}</sheetData></worksheet>"
    )
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
            'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Inventory" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()
