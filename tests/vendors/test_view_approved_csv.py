import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.vendors.helpers import approved_vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
from vendors.views import _safe

pytestmark = pytest.mark.django_db
URL = reverse("vendors:approved_csv")


def _rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_export_uses_the_same_filters(client, requester, legal):
    approved_vendor(actor=legal, name_zh="华为技术有限公司", category="scrm_saas")
    approved_vendor(actor=legal, name_zh="短信通", category="sms_edm")
    client.force_login(requester)
    response = client.get(URL, {"category": "sms_edm"})
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = _rows(response)
    assert header[0] == "Legal name (Chinese)"
    assert [row[0] for row in rows] == ["短信通"]


def test_export_streams_every_approved_vendor_once_with_its_columns(client, requester, legal):
    vendors = [approved_vendor(actor=legal, tier="high") for _ in range(7)]
    approved_vendor(actor=legal, name_zh="@SUM(1+1)", name_en="=cmd")
    client.force_login(requester)
    response = client.get(URL)
    assert response["Content-Disposition"] == (
        f'attachment; filename="approved-vendors-{timezone.localdate():%Y%m%d}.csv"'
    )
    header, *rows = _rows(response)
    assert header == [
        "Legal name (Chinese)",
        "English name",
        "USCC",
        "Category",
        "Risk tier",
        "Approved until",
        "Approval reference",
        "Nearest certificate expiry",
        "Purposes",
        "Channels",
        "Data categories",
        "Audience sources",
        "Cross-border transfer",
        "Volume ceiling",
        "Conditions of use",
        "Scope confirmed by Legal",
    ]
    assert sorted(row[2] for row in rows) == sorted([v.uscc for v in vendors] + [rows[0][2]])
    assert len({row[2] for row in rows}) == 8
    first = vendors[0]
    [row] = [row for row in rows if row[2] == first.uscc]
    assert row == [
        first.name_zh,
        first.name_en,
        first.uscc,
        "SCRM / CRM / CDP SaaS",
        "High",
        first.approved_until.isoformat(),
        first.approval_reference,
        "",
        "",
        "",
        "",
        "",
        "no",
        "",
        "",
        "yes",
    ]  # admitted without a scope (tests.vendors.helpers)
    assert rows[0][:2] == ["'@SUM(1+1)", "'=cmd"]  # sorted by name, escaped


def test_export_spans_several_chunks(client, requester, legal, monkeypatch):
    from vendors import views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 2)
    made = {approved_vendor(actor=legal).uscc for _ in range(5)}
    client.force_login(requester)
    response = client.get(URL)
    chunks = list(response.streaming_content)
    assert len(chunks) == 4  # the header, then 2 + 2 + 1 rows
    _header, *rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8")[1:])))
    assert {row[2] for row in rows} == made and len(rows) == 5


def test_headers_and_labels_follow_the_language_of_the_request(client, requester, legal):
    approved_vendor(actor=legal, tier="high")
    client.force_login(requester)
    header, row = _rows(client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert header[0] != "Legal name (Chinese)" and row[4] != "High"


def _export_queries(client):
    with CaptureQueriesContext(connection) as queries:
        _rows(client.get(URL))  # the rows are read while the response is consumed
    return len(queries)


def test_query_count_is_the_same_for_10_and_200_vendors(client, requester, legal):
    client.force_login(requester)
    for _ in range(10):
        approved_vendor(actor=legal)
    at_10 = _export_queries(client)
    for _ in range(190):
        approved_vendor(actor=legal)
    at_200 = _export_queries(client)
    assert at_10 == at_200 <= 4  # session, user, the rows (in chunks of one cursor on PostgreSQL)


def test_a_formula_in_a_name_is_defused(client, requester, legal):
    approved_vendor(actor=legal, name_zh='=HYPERLINK("http://evil")')
    client.force_login(requester)
    [_header, row] = _rows(client.get(URL))
    assert row[0].startswith("'=")


def test_a_formula_behind_a_leading_space_is_defused(client, requester, legal):
    approved_vendor(actor=legal, name_zh="正常公司", name_en=' =HYPERLINK("http://evil")')
    client.force_login(requester)
    [_header, row] = _rows(client.get(URL))
    assert row[1] == '\' =HYPERLINK("http://evil")'


# Cells as the export's escaping sees them; names with control characters are refused when typed, but the
# export must not rely on that (older rows, imports).
@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t短信通",
        "\rX",
        ' =HYPERLINK("http://evil")',  # a leading space
        "\u3000+cmd|' /C calc'!A0",  # an ideographic space
        "\x00-2+3",  # a control character
        "\x1f\x7f=1",  # more of them
        "\u200b@SUM(1+1)",  # an invisible zero-width space
        "\ufeff=1",  # a byte-order mark
        "\r\n=1+1",  # a line break first
    ],
)
def test_a_formula_start_after_blanks_or_control_characters_is_defused(cell):
    assert _safe(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["Acme (China) Ltd.", "A-1 Marketing", "  Ordinary name", "华为 = 好", "", "\x00"]
)
def test_ordinary_cells_are_exported_unchanged(cell):
    assert _safe(cell) == cell


# -- what each approval covers -----------------------------------------------------------------------------

EDM_ONLY = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM, Channel.SMS],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.NO_EXTERNAL_LISTS],
    other_conditions="=仅限会员",
)


def test_the_export_has_a_column_per_dimension_of_the_scope(client, requester, legal):
    vendor = approved_vendor(actor=legal, scope=EDM_ONLY, scope_confirmed=False)
    client.force_login(requester)

    header, row = _rows(client.get(URL))

    cells = dict(zip(header, row, strict=True))
    assert cells["USCC"] == vendor.uscc
    assert cells["Purposes"] == "Member marketing"
    assert cells["Channels"] == "SMS; E-mail (EDM)"
    assert cells["Data categories"] == "Contact details"
    assert cells["Audience sources"] == "Own customers or members who consented"
    assert cells["Cross-border transfer"] == "no"
    assert cells["Volume ceiling"] == "Up to 1 million individuals"
    # The coded conditions, then Legal's own text, kept from running as a formula.
    assert cells["Conditions of use"] == (
        "Only recipients who opted in (Advertising Law Art. 43); No bought, "
        "rented or swapped lists (PIPL Art. 10); =仅限会员"
    )
    assert cells["Scope confirmed by Legal"] == "no, derived from the answers"


def test_a_conditions_cell_starting_with_a_formula_is_defused(client, requester, legal):
    approved_vendor(
        actor=legal,
        scope=Scope.build(
            purposes=[Purpose.ANALYTICS],
            channels=[Channel.EVENTS],
            other_conditions='=HYPERLINK("http://evil")',
        ),
    )
    client.force_login(requester)

    header, row = _rows(client.get(URL))

    assert row[header.index("Conditions of use")] == '\'=HYPERLINK("http://evil")'


def test_the_scope_columns_in_chinese(client, requester, legal):
    approved_vendor(actor=legal, scope=EDM_ONLY.widened_by(Scope.build(cross_border=True)))
    client.force_login(requester)

    header, row = _rows(client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans"))

    cells = dict(zip(header, row, strict=True))
    assert cells["用途"] == "会员营销"
    assert cells["渠道"] == "短信; 电子邮件（EDM）"
    assert cells["数据出境"] == "是"
    assert cells["规模上限"] == "不超过100万人"
    assert cells["使用条件"].startswith("仅限已同意的接收者（《广告法》第四十三条）")
    assert cells["适用范围已由法务确认"] == "是"
