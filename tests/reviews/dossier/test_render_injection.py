"""No markup or style injection into the dossier: a name that holds a carriage return, a form feed, quotes,
backslashes or </style> cannot end the stylesheet's strings and hide pages; every page and section stays."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from reviews.dossier.render import LABELS, dossier_html, dossier_render
from reviews.templatetags.css_strings import css_string_literal
from tests.builders import approved_review
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

HIDE_ALL = '恶意\r}body{display:none}@page{@top-left{content:"x"}}\f"\\\'</style><style>body{display:none}'


def test_the_css_string_escaper_leaves_no_way_out_of_a_string():
    literal = css_string_literal("a\r\n\f\"'\\<>&\x00\u2028中文 Ltd.")

    assert literal == '"a\\d \\a \\c \\22 \\27 \\5c \\3c \\3e \\26 \\0 \\2028 中文 Ltd."'
    inner = literal[1:-1]
    assert not set(inner) & set("\r\n\f\"'<>&\x00\u2028")


@pytest.mark.parametrize("field", ["name_zh", "name_en"])
def test_a_name_stored_with_control_characters_hides_no_page_of_the_dossier(
    requester, legal, security, field
):
    review = approved_review(requester, legal=legal, security=security)
    _, clean = dossier_render(review)
    # Stored behind the services' back, as a name from before they refused control characters would be.
    Vendor.objects.filter(pk=review.vendor_id).update(**{field: HIDE_ALL})
    review.vendor.refresh_from_db()

    html = dossier_html(review)
    _, pdf = dossier_render(review)

    style = html[html.index("<style>") : html.index("</style>")]
    assert "\r" not in style and "\f" not in style and "</style" not in style[1:]
    if field == "name_zh":  # the running header: the whole name stays inside one escaped string
        assert f"content: {css_string_literal(review.sign_off.number + ' · ' + HIDE_ALL)};" in style
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= len(PdfReader(io.BytesIO(clean)).pages)  # a longer name may wrap; no page is lost
    texts = [page.extract_text() for page in pages]
    assert all(text.strip() for text in texts)  # no page rendered blank
    # The Chinese of each heading: pypdf decodes the first subset of the CJK font, in which the headings are set;
    # text set in a second subset (the English of labels, some table text) comes out undecoded. The whole text
    # layer reads in full with pdftotext.
    text = "\n".join(texts)
    with translation.override("zh-hans"):
        for key in (
            "summary",
            "red_flags",
            "questionnaire",
            "evidence",
            "certificates",
            "decisions",
            "sign_off",
            "audit",
        ):
            assert gettext(LABELS[key]) in text, key
