import csv
import io

import pytest
from django.urls import reverse

from tests.vendors.helpers import approved_vendor
from vendors.views import _safe

pytestmark = pytest.mark.django_db
URL = reverse("vendors:approved_csv")


def _rows(response):
    text = response.content.decode("utf-8")
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


def test_a_formula_in_a_name_is_defused(client, requester, legal):
    approved_vendor(actor=legal, name_zh="=HYPERLINK(\"http://evil\")")
    client.force_login(requester)
    [_header, row] = _rows(client.get(URL))
    assert row[0].startswith("'=")



def test_a_formula_behind_a_leading_space_is_defused(client, requester, legal):
    approved_vendor(actor=legal, name_zh="正常公司", name_en=" =HYPERLINK(\"http://evil\")")
    client.force_login(requester)
    [_header, row] = _rows(client.get(URL))
    assert row[1] == "' =HYPERLINK(\"http://evil\")"


# Cells as the export's escaping sees them; names with control characters are refused when typed, but the
# export must not rely on that (older rows, imports).
@pytest.mark.parametrize("cell", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t短信通", "\rX",
    " =HYPERLINK(\"http://evil\")",    # a leading space
    "\u3000+cmd|' /C calc'!A0",        # an ideographic space
    "\x00-2+3",                        # a control character
    "\x1f\x7f=1",                       # more of them
    "\u200b@SUM(1+1)",                 # an invisible zero-width space
    "\ufeff=1",                        # a byte-order mark
    "\r\n=1+1",                        # a line break first
])
def test_a_formula_start_after_blanks_or_control_characters_is_defused(cell):
    assert _safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Acme (China) Ltd.", "A-1 Marketing", "  Ordinary name", "华为 = 好", "", "\x00"])
def test_ordinary_cells_are_exported_unchanged(cell):
    assert _safe(cell) == cell
