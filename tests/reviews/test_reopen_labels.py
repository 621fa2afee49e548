"""The labels of the return's reopen choices are shortened as |truncatechars:90 shortens them."""

import pytest
from django.template.defaultfilters import truncatechars
from django.utils import translation

from reviews.admin.review_file import _shortened

TEXTS = [
    "",
    "A1 是否收集个人信息？",
    "x" * 89,
    "x" * 90,
    "x" * 91,
    "数" * 200,
    "e\u0301" * 60,
    "e\u0301" * 100,
    "Cafe\u0301 " * 30,
    (
        "D4 Does the vendor hold a valid ISO/IEC 27001 certificate covering the platform "
        "that processes the data?"
    ),
    "y" * 200,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_label_is_shortened_as_the_filter_shortens_it(text, language):
    with translation.override(language):
        assert _shortened(text) == truncatechars(text, 90)
