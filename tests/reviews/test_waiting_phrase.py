"""How long something has waited, phrased for each language ({{ moment|waiting }})."""

from datetime import timedelta

from django.utils import timezone, translation

from reviews.templatetags.waiting import waiting

NOW = timezone.now()


def test_chinese_reads_naturally():
    with translation.override("zh-hans"):
        assert waiting(NOW - timedelta(seconds=30), NOW) == "刚刚"
        assert waiting(NOW - timedelta(minutes=5), NOW) == "已等待 5 分钟"
        assert waiting(NOW - timedelta(days=3, hours=2), NOW) == "已等待 3 天"


def test_english_says_for_how_long():
    with translation.override("en"):
        assert waiting(NOW - timedelta(hours=1), NOW) == "for 1 hour"
        assert waiting(NOW - timedelta(days=2), NOW) == "for 2 days"


def test_nothing_for_no_moment():
    assert waiting(None) == ""
