import csv
import io

import pytest
from django.urls import reverse

from tests.vendors.helpers import approved_vendor

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
