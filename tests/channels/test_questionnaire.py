"""The own-channel questionnaire v1: every rule and red flag, the kinds it asks of, the floors, its wording."""

import pytest

from reviews.models import Question, QuestionnaireTemplate
from reviews.questionnaire import template_channel_v1 as data
from reviews.questionnaire.scoring import AnswerState, evaluate
from reviews.questionnaire.tiering import FLOOR_RULES, Facts
from vendors.models import RiskTier

pytestmark = pytest.mark.django_db

S = AnswerState
# A well-run app: every answer the one that raises nothing.
MODEL = {
    "N1": S("yes", has_file=True),
    "N2": S(detail="App—我的—设置—隐私政策"),
    "N3": S("yes"),
    "K1": S("active", has_file=True),
    "K2": S("no"),
    "K4": S("no"),
    "S1": S("listed", has_file=True),
    "S2": S("yes"),
    "S3": S("no"),
    "S4": S(detail="位置：门店导航"),
    "S5": S("yes"),
    "U1": S("named"),
    "U2": S("yes", has_file=True),
    "U3": S("yes"),
    "X1": S(detail="会员数据存于CDP与CRM"),
    "X2": S("restricted"),
    "X3": S("no"),
    "Y1": S("no"),
    "R1": S("yes", detail="我的—设置—注销账号"),
    "R2": S("yes"),
    "R3": S("yes"),
    "I1": S("yes", has_file=True),
    "I2": S("none"),
}


@pytest.fixture
def questions(db):
    template = QuestionnaireTemplate.objects.get(subject="own_channel", version=1)
    return list(Question.objects.filter(section__template=template).order_by("section__order", "order"))


def score(questions, overrides=None, *, kind="app"):
    return evaluate(questions, {**MODEL, **(overrides or {})}, category=kind)


def test_the_model_answers_raise_nothing_and_leave_nothing_missing(questions):
    result = score(questions)
    assert result.red_flags == [] and result.risks == [] and result.missing == []
    assert result.tier == RiskTier.LOW


RED_FLAGS = [
    ("N1", {"N1": S("no")}, "PIPL Art. 17"),
    ("K1", {"K1": S("none")}, "PIPL Art. 14"),
    ("K3", {"K2": S("yes"), "K3": S("no", has_file=False)}, "PIPL Art. 23"),
    ("K5", {"K4": S("yes"), "K5": S("no")}, "PIPL Art. 29, 30"),
    ("S1", {"S1": S("unknown")}, "PIPL Art. 17, 23; GB/T 35273-2020 9.7"),
    ("S1", {"S1": S("listed", has_file=False)}, "PIPL Art. 17, 23; GB/T 35273-2020 9.7"),
    ("S3", {"S3": S("yes")}, "PIPL Art. 14"),
    ("S5", {"S5": S("no")}, "PIPL Art. 6, 16"),
    ("U1", {"U1": S("shared")}, "PIPL Art. 51"),
    ("Y2", {"Y1": S("yes"), "Y2": S("no")}, "PIPL Art. 31"),
    ("I2", {"I2": S("unhandled")}, "PIPL Art. 57"),
]


@pytest.mark.parametrize(
    "code,overrides,article", RED_FLAGS, ids=[f"{c}-{i}" for i, (c, *_r) in enumerate(RED_FLAGS)]
)
def test_each_red_flag(questions, code, overrides, article):
    result = score(questions, overrides)
    assert [(f.code, f.legal_basis) for f in result.red_flags] == [(code, article)]
    assert result.tier == RiskTier.CRITICAL


RISKS = [
    ("N3", {"N3": S("no")}, 15),
    ("K1", {"K1": S("implied", has_file=True)}, 20),
    ("S2", {"S2": S("no")}, 15),
    ("U1", {"U1": S("agency")}, 10),
    ("U2", {"U2": S("no")}, 15),
    ("U2", {"U2": S("yes", has_file=False)}, 5),
    ("U3", {"U3": S("no")}, 15),
    ("X2", {"X2": S("anyone")}, 15),
    ("R1", {"R1": S("no")}, 15),
    ("R2", {"R2": S("no")}, 15),
    ("R3", {"R3": S("no")}, 10),
    ("I1", {"I1": S("no")}, 20),
    ("I2", {"I2": S("handled")}, 10),
]


@pytest.mark.parametrize(
    "code,overrides,points", RISKS, ids=[f"{c}-{p}-{i}" for i, (c, _o, p) in enumerate(RISKS)]
)
def test_each_risk(questions, code, overrides, points):
    result = score(questions, overrides)
    assert result.red_flags == []
    assert [(f.code, f.points) for f in result.risks] == [(code, points)]
    assert result.score == points


def test_an_agency_run_channel_cites_entrusted_processing(questions):
    (flag,) = score(questions, {"U1": S("agency")}).risks
    assert flag.legal_basis == "PIPL Art. 21"


@pytest.mark.parametrize("kind", ["app", "mini_program"])
def test_apps_and_mini_programs_are_asked_about_sdks_and_permissions(questions, kind):
    shown = {q.code for q in score(questions, kind=kind).visible}
    assert {"S1", "S4", "S5"} <= shown


@pytest.mark.parametrize("kind", ["website", "wechat_oa", "douyin", "xiaohongshu", "weibo", "bilibili"])
def test_accounts_and_websites_are_not(questions, kind):
    result = score(questions, {"S1": S("unknown"), "S5": S("no")}, kind=kind)
    assert not {"S1", "S2", "S3", "S4", "S5"} & {q.code for q in result.visible}
    assert result.red_flags == []  # the hidden answers count for nothing


def test_an_unanswered_required_question_is_missing(questions):
    answers = {**MODEL}
    del answers["U1"]
    result = evaluate(questions, answers, category="douyin")
    assert [q.code for q in result.missing] == ["U1"]


@pytest.mark.parametrize(
    "rule,overrides,tier",
    [
        ("channel_cross_border", {"X3": S("yes", detail="境外总部", has_file=True)}, RiskTier.HIGH),
        (
            "channel_sensitive_personal_information",
            {"K4": S("yes", detail="人脸"), "K5": S("yes")},
            RiskTier.HIGH,
        ),
        ("channel_children_under_14", {"Y1": S("yes"), "Y2": S("yes")}, RiskTier.HIGH),
        (
            "channel_shares_with_other_handlers",
            {"K2": S("yes"), "K3": S("yes", has_file=True)},
            RiskTier.MEDIUM,
        ),
    ],
)
def test_inherent_risk_floors(questions, rule, overrides, tier):
    result = score(questions, overrides)
    assert result.red_flags == [] and result.risks == []
    assert result.floor == tier and result.tier == tier
    assert rule in {reason.code for reason in result.reasons}


def test_channel_floors_read_only_channel_codes():
    vendor_codes = {"A5", "B5", "D1", "D5", "E1", "F1"}
    for rule in FLOOR_RULES:
        if rule.code.startswith("channel_"):
            assert not rule.applies(Facts(values=dict.fromkeys(vendor_codes, "yes")))


def test_every_question_cites_its_article_and_every_rule_a_message():
    for section in data.SECTIONS:
        for question in section["questions"]:
            assert question["legal_basis"].startswith("PIPL"), question["code"]
            for rule in question["rules"]:
                assert rule["message_zh"] and rule["message_en"]


def test_the_questionnaire_addresses_the_brand_not_a_vendor():
    text = repr(data.SECTIONS)
    for vendor_word in ("贵司", "分包方", "营业执照", "增值电信", "统一社会信用代码"):
        assert vendor_word not in text


def test_its_codes_never_reuse_a_vendor_question_code():
    from reviews.questionnaire import template_v1

    vendor_codes = {q["code"] for s in template_v1.SECTIONS for q in s["questions"]}
    channel_codes = {q["code"] for s in data.SECTIONS for q in s["questions"]}
    assert not vendor_codes & channel_codes


def test_published_as_its_own_version_one(questions):
    template = QuestionnaireTemplate.objects.get(subject="own_channel", version=1)
    assert template.is_active and template.title_zh == data.TEMPLATE["title_zh"]
    assert len(questions) == sum(len(s["questions"]) for s in data.SECTIONS)
