"""The labels of the return's reopen choices are shortened as |truncatechars:90 shortens them."""

import pytest
from django.template.defaultfilters import truncatechars

from reviews.admin.review_file import _shortened

TEXTS = ["", "A1 是否收集个人信息？", "x" * 89, "x" * 90, "x" * 91, "数" * 200, "e\u0301" * 60, "e\u0301" * 100,
         "Cafe\u0301 " * 30]


@pytest.mark.parametrize("text", TEXTS)
def test_a_label_is_shortened_as_the_filter_shortens_it(text):
    assert _shortened(text) == truncatechars(text, 90)
