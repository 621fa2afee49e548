"""reviews.questionnaire.scoring and questionnaire v1 (docs/domain.md "The questionnaire"): visibility, flags, tiers."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from reviews.models import (
    Answer,
    AnswerType,
    Evidence,
    EvidenceKind,
    Question,
    QuestionnaireTemplate,
    Review,
    Stage,
    StageKind,
)
from reviews.questionnaire.scoring import (
    HIGH_RISK_SCORE,
    MEDIUM_RISK_SCORE,
    AnswerState,
    evaluate,
    evaluate_review,
    risk_tier,
)
from vendors.models import RiskTier, Vendor, VendorCategory

DOMAIN_CODES = [
    "A1",
    "A2",
    "A3",
    "A4",
    "A5",
    "A6",
    "B1",
    "B2",
    "B3",
    "B4",
    "B5",
    "B6",
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "C6",
    "D1",
    "D2",
    "D3",
    "D4",
    "D5",
    "D6",
    "D7",
    "D8",
    "D9",
    "E1",
    "E2",
    "E3",
    "F1",
    "F2",
    "F3",
    "G1",
    "G2",
    "H1",
    "H2",
    "H3",
]
SCRM = VendorCategory.SCRM_SAAS
SMS = VendorCategory.SMS_EDM


def yes(detail="", file=False):
    return AnswerState("yes", detail, file)


def no(detail=""):
    return AnswerState("no", detail)


# What a well-run SCRM vendor answers: no red flag, at most a few risk points.
MODEL_ANSWERS = {
    "A1": AnswerState(detail="914403001922038216"),
    "A2": yes(file=True),
    "A4": AnswerState("none"),
    "A5": AnswerState("100k_1m"),
    "B1": AnswerState("deidentified"),
    "B2": AnswerState("first_party", "会员小程序注册时收集 / collected at mini-program sign-up"),
    "B3": yes(file=True),
    "B6": yes(file=True),
    "C1": yes(),
    "C2": yes(file=True),
    "C3": AnswerState(
        detail="时间、渠道、文本版本、OpenID；保存五年 / time, channel, version; kept 5 years", has_file=True
    ),
    "C4": AnswerState("realtime"),
    "C5": yes("https://vendor.example.com/privacy"),
    "C6": no(),
    "D1": AnswerState("processor"),
    "D2": yes(),
    "D3": AnswerState("l3_filed", "31010013000-00001, 2026-05-20 符合", True),
    "D4": AnswerState(["iso27001", "iso27701"], has_file=True),
    "D5": AnswerState("cn_cloud", "阿里云华东2（上海）"),
    "D6": AnswerState(["encryption", "deidentification", "mfa", "logs_6m"]),
    "D7": AnswerState("deleted_certified", "终止后30日内删除 / deleted within 30 days"),
    "D8": no(),
    "D9": yes("2026-03, 某会计师事务所", file=True),
    "E1": no(),
    "E3": no(),
    "F1": no(),
    "G1": AnswerState("provided", has_file=True),
    "G2": yes(),
    "H1": yes(file=True),
    "H2": AnswerState("24h"),
    "H3": no(),
}


@pytest.fixture
def template(db):
    return QuestionnaireTemplate.objects.get(subject="vendor", version=1)


@pytest.fixture
def questions(template):
    return list(
        Question.objects.filter(section__template=template)
        .select_related("section")
        .order_by("section__order", "order")
    )


def score(questions, overrides=None, *, category=SCRM, base=MODEL_ANSWERS):
    return evaluate(questions, {**base, **(overrides or {})}, category=category)


def codes(flags):
    return {flag.code for flag in flags}


def visible_codes(result):
    return [q.code for q in result.visible]


# The template


def test_v1_is_active_with_sections_a_to_h_and_every_domain_question(template, questions):
    assert template.is_active
    assert template.title_zh == "营销供应商个人信息合规尽职调查问卷"
    assert template.title_en == "Marketing vendor PIPL due-diligence questionnaire"
    assert list(template.sections.values_list("code", flat=True)) == list("ABCDEFGH")
    assert [q.code for q in questions] == DOMAIN_CODES
    assert all(q.code.startswith(q.section.code) for q in questions)


def test_every_question_is_bilingual_and_cites_its_legal_basis(template, questions):
    for section in template.sections.all():
        assert section.title_zh and section.title_en
    for q in questions:
        assert q.text_zh.strip() and q.text_en.strip(), q.code
        assert q.legal_basis.strip(), q.code
        assert bool(q.help_zh) == bool(q.help_en), q.code
        for choice in q.choices:
            assert choice["value"] == choice["value"].lower() and choice["zh"] and choice["en"], q.code


def test_every_question_taking_files_names_an_evidence_kind(questions):
    for q in questions:
        if q.has_file or q.answer_type == AnswerType.FILE:
            assert q.evidence_kind in EvidenceKind.values, q.code
        else:
            assert not q.evidence_kind, q.code


def test_every_rule_is_well_formed_and_refers_to_real_answers(questions):
    by_code = {q.code: q for q in questions}
    categories = set(VendorCategory.values)

    def allowed_values(code):
        target = by_code[code]
        if target.answer_type == AnswerType.YES_NO:
            return {"yes", "no"}
        return {c["value"] for c in target.choices}

    for q in questions:
        clauses = list(q.show_if)
        for rule in q.rules:
            assert rule["effect"] in ("red_flag", "risk"), q.code
            if rule["effect"] == "risk":
                assert 5 <= rule["points"] <= 15, q.code
            assert rule["message_zh"].strip() and rule["message_en"].strip(), q.code
            assert "（" in rule["message_zh"] and "(" in rule["message_en"], f"{q.code}: cite the basis"
            clauses += rule["when"]
        for clause in clauses:
            ref = clause.get("q", "self")
            assert clause["op"] in {"eq", "ne", "in", "not_in", "lacks", "blank", "no_file", "answered"}
            if clause["op"] in {"blank", "no_file", "answered"}:
                continue
            values = clause["value"] if clause["op"] in ("in", "not_in") else [clause["value"]]
            known = categories if ref == "@category" else allowed_values(q.code if ref == "self" else ref)
            assert set(values) <= known, f"{q.code}: {clause}"


# Red flags

RED_FLAGS = [
    ("A3", {"A3": no()}, SMS),
    ("A3", {"A3": yes()}, SMS),
    ("A4", {"A4": AnswerState("criminal", "2024年某区法院判决")}, SCRM),
    ("B2", {"B1": AnswerState("identifiable"), "B2": AnswerState("bought", "某数据公司"), "B5": no()}, SCRM),
    ("B2", {"B1": AnswerState("identifiable"), "B2": AnswerState("scraped", "公开网页"), "B5": no()}, SCRM),
    ("B3", {"B3": no()}, SCRM),
    ("B3", {"B3": yes()}, SCRM),
    ("B4", {"D1": AnswerState("recipient"), "B4": no()}, SCRM),
    ("B5", {"B1": AnswerState("identifiable"), "B5": yes()}, SCRM),
    ("C1", {"C1": no()}, SCRM),
    ("C2", {"C2": no()}, SCRM),
    ("D2", {"D2": no()}, SCRM),
    ("D3", {"D3": AnswerState("l2plus_unfiled")}, SCRM),
    ("D7", {"D7": AnswerState("retained")}, SCRM),
    ("D8", {"D8": yes()}, SCRM),
    ("E2", {"E1": yes(), "E2": no()}, SCRM),
    ("E3", {"E3": yes()}, SCRM),
    ("F2", {"F1": yes(), "F2": AnswerState("none"), "F3": yes()}, SCRM),
    ("F3", {"F1": yes(), "F2": AnswerState("standard_contract", has_file=True), "F3": no()}, SCRM),
    ("G1", {"G1": AnswerState("refused")}, SCRM),
    ("G2", {"G2": no()}, SCRM),
    ("H2", {"H2": AnswerState("gt72h")}, SCRM),
    ("H2", {"H2": AnswerState("none")}, SCRM),
]


@pytest.mark.parametrize(
    ("code", "overrides", "category"),
    RED_FLAGS,
    ids=[f"{code}-{i}" for i, (code, _, _) in enumerate(RED_FLAGS)],
)
def test_each_red_flag_answer_is_flagged_and_makes_the_tier_critical(questions, code, overrides, category):
    result = score(questions, overrides, category=category)
    assert codes(result.red_flags) == {code}
    assert result.tier == RiskTier.CRITICAL
    flag = result.red_flags[0]
    assert flag.effect == "red_flag" and flag.points == 0 and flag.legal_basis


def test_model_answers_raise_no_red_flag_and_are_complete(questions):
    result = score(questions)
    assert result.red_flags == []
    assert result.tier in (RiskTier.LOW, RiskTier.MEDIUM)
    assert result.missing == []
    assert result.answered_count == result.total == len(result.visible)


def test_bought_identifiable_data_is_a_red_flag(questions):
    result = score(questions, {"B1": AnswerState("identifiable"), "B2": AnswerState("bought"), "B5": no()})
    assert "B2" in codes(result.red_flags)


def test_bought_anonymous_aggregates_are_not_a_red_flag(questions):
    result = score(questions, {"B1": AnswerState("anonymous"), "B2": AnswerState("bought", "行业统计报告")})
    assert "B2" not in codes(result.red_flags)


def test_explained_trait_based_pricing_is_a_risk_for_legal_to_judge(questions):
    result = score(questions, {"E3": yes("会员等级折扣，规则公开 / published membership discounts")})
    assert result.red_flags == []
    assert codes(result.risks) == {"E3"}


# Risks


@pytest.mark.parametrize(
    ("code", "overrides"),
    [
        ("A2", {"A2": AnswerState("no", has_file=True)}),
        ("A4", {"A4": AnswerState("penalty", "2025年某市市场监管局 罚款")}),
        ("A6", {"A5": AnswerState("1m_10m"), "A6": AnswerState(detail="张三，数据合规官")}),
        ("B1", {"B1": AnswerState("identifiable"), "B5": no()}),
        ("B6", {"B6": no()}),
        ("C3", {"C3": AnswerState(detail="无同意日志")}),
        ("C4", {"C4": AnswerState("gt72h")}),
        ("C5", {"C5": no("https://vendor.example.com/privacy")}),
        ("C6", {"C6": yes(file=True)}),
        ("D3", {"D3": AnswerState("l3_stale", has_file=True)}),
        ("D4", {"D4": AnswerState(["none"])}),
        ("D5", {"D5": AnswerState("overseas", "AWS us-east-1")}),
        ("D9", {"D9": no()}),
        ("E1", {"E1": yes(), "E2": yes(file=True)}),
        ("F1", {"F1": yes(), "F2": AnswerState("assessment", has_file=True), "F3": yes()}),
        ("H1", {"H1": no()}),
        ("H3", {"H3": yes("2024年撞库事件，已通知用户并整改")}),
    ],
)
def test_risk_answers_add_points_without_blocking(questions, code, overrides):
    model = score(questions)
    result = score(questions, overrides)
    assert result.red_flags == []
    assert code in codes(result.risks)
    assert result.score > model.score


def test_each_missing_security_measure_is_its_own_risk(questions):
    result = score(questions, {"D6": AnswerState(["encryption", "mfa"])})
    d6 = result.flags_for("D6")
    assert len(d6) == 2 and all(f.effect == "risk" for f in d6)
    assert len(score(questions, {"D6": AnswerState(["none"])}).flags_for("D6")) == 4


def test_audit_missing_above_ten_million_weighs_more(questions):
    small = score(questions, {"D9": no()}).flags_for("D9")
    large = score(
        questions, {"D9": no(), "A5": AnswerState("gt10m"), "A6": AnswerState(detail="张三", has_file=True)}
    ).flags_for("D9")
    assert sum(f.points for f in large) > sum(f.points for f in small)


def test_an_unanswered_questionnaire_raises_no_flag(questions):
    result = evaluate(questions, {}, category=SCRM)
    assert result.red_flags == [] and result.risks == []
    assert result.tier == RiskTier.LOW


# Conditional questions


def test_b4_shows_only_when_vendor_is_an_independent_recipient(questions):
    for role in ("processor", "joint"):
        assert "B4" not in visible_codes(score(questions, {"D1": AnswerState(role)}))
    result = score(questions, {"D1": AnswerState("recipient")})
    assert "B4" in visible_codes(result)
    assert [q.code for q in result.missing] == ["B4"]


def test_b5_shows_only_for_identifiable_data(questions):
    for form in ("deidentified", "anonymous", "none"):
        assert "B5" not in visible_codes(score(questions, {"B1": AnswerState(form)}))
    assert "B5" in visible_codes(score(questions, {"B1": AnswerState("identifiable")}))


def test_f2_and_f3_show_only_when_data_leaves_china(questions):
    assert not {"F2", "F3"} & set(visible_codes(score(questions)))
    result = score(questions, {"F1": yes()})
    assert {"F2", "F3"} <= set(visible_codes(result))
    assert {q.code for q in result.missing} == {"F2", "F3"}


def test_a3_shows_only_for_sms_and_email_senders(questions):
    for category in VendorCategory.values:
        shown = "A3" in visible_codes(score(questions, category=category))
        assert shown == (category == SMS), category


@pytest.mark.parametrize(
    ("volume", "shown"),
    [
        ("lt100k", False),
        ("100k_1m", False),
        ("1m_10m", True),
        ("gt10m", True),
    ],
)
def test_a6_shows_only_at_one_million_individuals_or_more(questions, volume, shown):
    assert ("A6" in visible_codes(score(questions, {"A5": AnswerState(volume)}))) == shown


def test_e2_shows_only_with_profiling_based_targeting(questions):
    assert "E2" not in visible_codes(score(questions))
    assert "E2" in visible_codes(score(questions, {"E1": yes()}))


def test_a_hidden_question_raises_no_flag_and_is_not_missing(questions):
    result = score(questions, {"D1": AnswerState("processor"), "B4": no(), "F1": no(), "F3": no()})
    assert result.red_flags == []
    assert not {"B4", "F3"} & {q.code for q in result.missing}


def test_sms_sender_without_licence_is_flagged_but_others_are_not_asked(questions):
    assert "A3" in codes(score(questions, {"A3": no()}, category=SMS).red_flags)
    assert score(questions, {"A3": no()}, category=SCRM).red_flags == []


# Missing answers


def test_missing_lists_unanswered_required_visible_questions_only(questions):
    result = evaluate(questions, {}, category=SCRM)
    hidden = {"A3", "A6", "B2", "B3", "B4", "B5", "E2", "F2", "F3"}
    assert [q.code for q in result.missing] == [c for c in DOMAIN_CODES if c not in hidden]
    assert result.answered_count == 0


def test_missing_counts_required_details_and_files(questions):
    answers = {**MODEL_ANSWERS}
    del answers["A1"]
    answers["A2"] = yes()  # licence not uploaded
    answers["C5"] = yes()  # privacy policy URL not given
    answers["D4"] = AnswerState([], has_file=True)  # nothing ticked
    result = evaluate(questions, answers, category=SCRM)
    assert [q.code for q in result.missing] == ["A1", "A2", "C5", "D4"]
    assert result.answered_count == result.total - 4


# Tiers


def _risk_question(code, points):
    rule = {
        "effect": "risk",
        "points": points,
        "when": [{"op": "eq", "value": "yes"}],
        "message_zh": "风险（测试）。",
        "message_en": "Risk (test).",
    }
    return Question(code=code, answer_type=AnswerType.YES_NO, text_zh="问", text_en="Q", rules=[rule])


@pytest.mark.parametrize(
    ("points", "tier"),
    [
        (0, RiskTier.LOW),
        (MEDIUM_RISK_SCORE - 1, RiskTier.LOW),
        (MEDIUM_RISK_SCORE, RiskTier.MEDIUM),
        (HIGH_RISK_SCORE - 1, RiskTier.MEDIUM),
        (HIGH_RISK_SCORE, RiskTier.HIGH),
    ],
)
def test_tier_follows_the_score_thresholds(points, tier):
    result = evaluate([_risk_question("X1", points)], {"X1": AnswerState("yes")}, category=SCRM)
    assert result.score == points
    assert result.tier == tier


def test_any_red_flag_makes_the_tier_critical_whatever_the_score():
    flagged = Question(
        code="X1",
        answer_type=AnswerType.YES_NO,
        text_zh="问",
        text_en="Q",
        rules=[
            {
                "effect": "red_flag",
                "when": [{"op": "eq", "value": "no"}],
                "message_zh": "红线。",
                "message_en": "Red.",
            }
        ],
    )
    result = evaluate([flagged], {"X1": AnswerState("no")}, category=SCRM)
    assert result.score == 0 and result.tier == RiskTier.CRITICAL
    assert risk_tier(0, red_flags=1) == RiskTier.CRITICAL
    assert risk_tier(HIGH_RISK_SCORE) == RiskTier.HIGH


# Language


def test_flag_messages_follow_the_active_language(questions):
    overrides = {"C1": no(), "C4": AnswerState("gt72h")}
    with translation.override("en"):
        result = score(questions, overrides)
        assert result.red_flags[0].message.startswith("Commercial messages are sent without")
        assert "PIPL Art. 15" in result.flags_for("C4")[0].message
    with translation.override("zh-hans"):
        result = score(questions, overrides)
        assert "《广告法》第四十三条" in result.red_flags[0].message
        assert "第十五条" in result.flags_for("C4")[0].message


# From the database


@pytest.fixture
def review(template):
    vendor = Vendor.objects.create(
        name_zh="深圳测试营销有限公司", uscc="914403001922038216", category=VendorCategory.SCRM_SAAS
    )
    requester = get_user_model().objects.create_user("requester")
    return Review.objects.create(
        number="T-1",
        vendor=vendor,
        requester=requester,
        template=template,
        purpose="会员营销 / member marketing",
        expected_volume="lt100k",
    )


def _evidence(review, stage, question, *, round, withdrawn=False):
    return Evidence.objects.create(
        review=review,
        stage=stage,
        question=question,
        kind=question.evidence_kind,
        round=round,
        version=1,
        file=f"evidence/{question.code}-{round}.pdf",
        original_name=f"{question.code}.pdf",
        size=100,
        content_type="application/pdf",
        sha256="0" * 64,
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def test_evaluate_review_counts_files_of_earlier_rounds_but_not_withdrawn_ones(
    review, questions, django_assert_max_num_queries
):
    """A return keeps what was given (reviews.reopening): a round-1 file still answers its question."""
    by_code = {q.code: q for q in questions}
    for code, state in MODEL_ANSWERS.items():
        Answer.objects.create(review=review, question=by_code[code], value=state.value, detail=state.detail)
    Answer.objects.filter(review=review, question__code="B1").update(value="identifiable")
    Answer.objects.create(review=review, question=by_code["B5"], value="yes")
    stage = Stage.objects.create(review=review, kind=StageKind.QUESTIONNAIRE, order=1, round=2)
    for code in MODEL_ANSWERS:
        if by_code[code].has_file and code not in ("B3", "C2"):
            _evidence(review, stage, by_code[code], round=2)
    _evidence(review, stage, by_code["B5"], round=2)
    _evidence(review, stage, by_code["B3"], round=1)  # an earlier round: still counts
    _evidence(review, stage, by_code["C2"], round=2, withdrawn=True)

    review = Review.objects.select_related("vendor").get(pk=review.pk)
    with django_assert_max_num_queries(3):
        result = evaluate_review(review)

    assert codes(result.red_flags) == set()  # B3's file of round 1 counts
    assert codes(result.risks) == {"B1", "B5", "C2"}  # C2's only file was withdrawn
    assert result.tier == RiskTier.HIGH  # sensitive data (B5): the floor of PIPL Art. 28
    assert result.missing == []
    assert "B5" in visible_codes(result)
