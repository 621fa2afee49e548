"""The portfolio as a PDF for the board pack, in Chinese and in English: the headline figures and every chart
with its table, Chinese text in an embedded CJK font."""

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import builders
from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db


def _populate(legal):
    approved_vendor(actor=legal, name_zh="上海悦享数字营销有限公司", tier="high", days=20)
    approved_vendor(actor=legal, tier="critical")
    VendorFactory(status=VendorStatus.IN_USE, catch_up_due=builders.today() - timedelta(days=3))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_chinese_pdf_holds_the_headline_and_every_chart(client, executive, legal, tmp_path):
    _populate(legal)
    client.force_login(executive)
    response = client.get(reverse("portfolio:pdf", args=["zh-hans"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        "portfolio-" in response["Content-Disposition"] and "zh-hans.pdf" in response["Content-Disposition"]
    )
    pdf = b"".join(response.streaming_content)
    text = _text(pdf).replace(" ", "")
    for words in (
        "供应商全景",
        "在用平台已审比例",
        "67%",  # two vetted of three in use
        "补齐审核逾期",
        "30天内到期的准入",
        "被阻止的营销活动",
        "近12个月已审比例",
        "覆盖情况",
        "严重",  # the critical tier, named
    ):
        assert words in text, words
    if shutil.which("pdffonts"):
        path = tmp_path / "portfolio.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all(" yes " in line for line in cjk), fonts


def test_the_english_pdf_reads_in_english(client, legal):
    _populate(legal)
    client.force_login(legal)
    pdf = b"".join(client.get(reverse("portfolio:pdf", args=["en"])).streaming_content)
    text = " ".join(_text(pdf).split())  # lines joined where a cell wraps
    assert "Portfolio at a glance" in text and "Vetted share of platforms in use" in text
    assert "Catch-up reviews overdue" in text and "在用平台已审比例" not in text


def test_an_unknown_language_is_404(client, legal):
    client.force_login(legal)
    assert client.get(reverse("portfolio:pdf", args=["fr"])).status_code == 404


@pytest.mark.parametrize("persona", ["requester", "outsider"])
def test_only_the_portfolios_readers_get_the_pdf(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portfolio:pdf", args=["en"])).status_code == 403


def test_the_page_offers_the_pdf_in_both_languages(client, executive):
    client.force_login(executive)
    html = client.get(reverse("portfolio:page")).content.decode()
    for code in ("zh-hans", "en"):
        assert reverse("portfolio:pdf", args=[code]) in html
