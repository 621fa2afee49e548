"""One language per page: legal citations, the vendor contact in the audit trail and the language menu read in
the page's language (vendors/citations.py, reviews/audit_sentences.py, the language menus)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from reviews.audit_sentences import actor_name, audit_sentence
from reviews.models import AuditEvent, StageKind
from tests.builders import start_review, submit_stage
from tests.factories import make_user
from vendors.citations import chinese_number, citation, citation_zh

ZH = "zh-hans"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (
            "PIPL Art. 52; NDSMR Art. 31; GDPR Art. 28",
            "《个人信息保护法》第五十二条；《网络数据安全管理条例》第三十一条；欧盟《通用数据保护条例》第二十八条",
        ),
        ("PIPL Art. 52, 54", "《个人信息保护法》第五十二条、第五十四条"),
        ("PIPL Art. 38-40, 51", "《个人信息保护法》第三十八条至第四十条、第五十一条"),
        ("PIPL Art. 4, 73(4)", "《个人信息保护法》第四条、第七十三条第（四）项"),
        ("GDPR Art. 28(2)", "欧盟《通用数据保护条例》第二十八条第二款"),
        ("Criminal Law Art. 253-1", "《刑法》第二百五十三条之一"),
        (
            "CSL Art. 44 (Art. 46 since 2026-01-01)",
            "《网络安全法》第四十四条（2026年1月1日起为第四十六条）",
        ),
        ("Advertising Law Art. 43; Ad Law Art. 43", "《广告法》第四十三条；《广告法》第四十三条"),
        ("GB/T 35273-2020 9.1; GB 32100-2015", "GB/T 35273-2020 第9.1条；GB 32100-2015"),
        ("Some Other Rule 5", "Some Other Rule 5"),  # unknown: shown as written, never dropped
    ],
)
def test_a_citation_reads_in_chinese_with_the_laws_title_and_article(english, chinese):
    assert citation_zh(english) == chinese


def test_chinese_numbers_are_written_as_the_laws_write_them():
    assert [chinese_number(n) for n in (1, 10, 14, 20, 21, 105, 110, 253)] == [
        "一",
        "十",
        "十四",
        "二十",
        "二十一",
        "一百零五",
        "一百一十",
        "二百五十三",
    ]


def test_an_english_page_keeps_the_english_citation():
    assert citation("PIPL Art. 52", "en") == "PIPL Art. 52"
    assert citation("PIPL Art. 52", ZH) == "《个人信息保护法》第五十二条"


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r'data-article="[^"]*"', "", html))


@pytest.mark.django_db
def test_the_chinese_review_page_cites_the_laws_in_chinese(client, requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    client.force_login(legal)
    client.cookies["django_language"] = ZH

    text = _visible(client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode())

    assert "《个人信息保护法》第五十二条" in text
    assert not re.search(r"\b(PIPL|NDSMR|GDPR|DSL|CSL) Art\. \d", text)


@pytest.mark.django_db
def test_the_chinese_questionnaire_cites_the_laws_in_chinese(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    client.cookies["django_language"] = ZH

    text = " ".join(
        _visible(
            client.get(reverse("questionnaire_section", args=[review.pk, section.code])).content.decode()
        )
        for section in review.template.sections.all()
    )

    assert "《个人信息保护法》第五十二条" in text and not re.search(r"\b(PIPL|NDSMR|GDPR) Art\. \d", text)


@pytest.mark.django_db
def test_the_vendor_contact_reads_in_the_readers_language_in_the_audit_trail():
    requester = make_user("wxw", "Requester", first_name="晓雯", last_name="王")
    review = start_review(requester)
    event = AuditEvent(
        actor_label="Vendor contact 王敏 <wangmin@vendor.example.cn> (link #1)",
        action="answers.saved",
        review=review,
        vendor=review.vendor,
        data={"stage": "questionnaire", "codes": ["A1"]},
    )

    with translation.override(ZH):
        zh, zh_actor = audit_sentence(event), actor_name(event)
    with translation.override("en"):
        en_actor = actor_name(event)

    assert zh_actor == "供应商联系人 王敏 <wangmin@vendor.example.cn>（链接 #1）"
    assert "Vendor contact" not in zh and "link #" not in zh and "王敏" in zh
    assert en_actor == "Vendor contact 王敏 <wangmin@vendor.example.cn> (link #1)"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["vendors:approved", "admin:index"])
def test_the_language_menu_names_each_language_in_itself(client, legal, page):
    client.force_login(legal)
    client.cookies["django_language"] = ZH

    html = client.get(reverse(page)).content.decode()

    assert '<option value="en" lang="en"' in html and ">English</option>" in html
    assert "英语" not in html and "简体中文</option>" in html
