"""reviews.questionnaire.tiering: inherent risk first, then residual. One test per floor rule, named after it
(test_<rule code>), each citing its article; then the tier is the higher of floor and score."""

import sys

import pytest

from reviews.models import DataTrait, Question, QuestionnaireTemplate
from reviews.questionnaire import tiering
from reviews.questionnaire.scoring import AnswerState, evaluate
from vendors.models import RiskTier, VendorCategory

from .test_scoring import MODEL_ANSWERS

SCRM = VendorCategory.SCRM_SAAS


@pytest.fixture
def questions(db):
    template = QuestionnaireTemplate.objects.get(subject="vendor", version=1)
    return list(
        Question.objects.filter(section__template=template)
        .select_related("section")
        .order_by("section__order", "order")
    )


def assess(questions, overrides=None, *, traits=(), volume="100k_1m"):
    request = tiering.Facts(traits=frozenset(traits), volume=volume)
    return evaluate(questions, {**MODEL_ANSWERS, **(overrides or {})}, category=SCRM, request=request)


def reason(result, code):
    return next((r for r in result.reasons if r.code == code), None)


def test_model_answers_alone_are_low(questions):
    result = assess(questions)

    assert (result.tier, result.floor, result.reasons) == (RiskTier.LOW, RiskTier.LOW, [])


def test_cross_border_transfer(questions):
    """PIPL Art. 38-40: a filed standard contract does not make a transfer Low."""
    by_answer = assess(
        questions,
        {
            "F1": AnswerState("yes"),
            "F2": AnswerState("standard_contract", has_file=True),
            "F3": AnswerState("yes"),
        },
    )
    by_request = assess(questions, traits=[DataTrait.CROSS_BORDER])
    by_storage = assess(questions, {"D5": AnswerState("overseas", "AWS Singapore")})

    for result in (by_answer, by_request, by_storage):
        assert result.tier == RiskTier.HIGH
        assert reason(result, "cross_border_transfer").article == "PIPL Art. 38-40"
    assert by_answer.score < 15  # the score alone would say Low


def test_sensitive_personal_information(questions):
    result = assess(questions, {"B1": AnswerState("identifiable"), "B5": AnswerState("yes", has_file=True)})

    assert result.tier == RiskTier.HIGH
    assert reason(result, "sensitive_personal_information").article == "PIPL Art. 28"
    assert assess(questions, traits=[DataTrait.SENSITIVE]).tier == RiskTier.HIGH


def test_minors_under_14(questions):
    result = assess(questions, traits=[DataTrait.MINORS])

    assert result.tier == RiskTier.HIGH
    assert reason(result, "minors_under_14").article == "PIPL Art. 31"


def test_one_million_individuals(questions):
    by_answer = assess(
        questions, {"A5": AnswerState("1m_10m"), "A6": AnswerState(detail="张伟", has_file=True)}
    )
    by_request = assess(questions, volume="gt10m")

    for result in (by_answer, by_request):
        assert result.tier == RiskTier.HIGH
        assert reason(result, "one_million_individuals").article == "PIPL Art. 52"


def test_independent_recipient(questions):
    result = assess(questions, {"D1": AnswerState("recipient"), "B4": AnswerState("yes", has_file=True)})

    assert result.tier == RiskTier.HIGH
    assert reason(result, "independent_recipient").article == "PIPL Art. 23"


def test_profiling_or_automated_decisions(questions):
    result = assess(questions, {"E1": AnswerState("yes"), "E2": AnswerState("yes", has_file=True)})

    assert result.floor == RiskTier.MEDIUM
    assert result.tier in (RiskTier.MEDIUM, RiskTier.HIGH)  # at least Medium; the score may lift it further
    assert reason(result, "profiling_or_automated_decisions").article == "PIPL Art. 24"


def test_any_red_flag_is_critical_whatever_the_floor(questions):
    result = assess(questions, {"C1": AnswerState("no")}, traits=[DataTrait.PROFILING])

    assert result.tier == RiskTier.CRITICAL
    red = reason(result, "C1")
    assert red.effect == RiskTier.CRITICAL and "Art. 43" in red.article


def test_the_tier_is_the_higher_of_floor_and_score(questions):
    risky = {
        "D6": AnswerState(["none"]),
        "C4": AnswerState("gt72h"),
        "H1": AnswerState("no"),
        "D5": AnswerState("cn_cloud", ""),
        "E1": AnswerState("yes"),
        "E2": AnswerState("yes", has_file=True),
    }
    result = assess(questions, risky)

    assert result.floor == RiskTier.MEDIUM
    assert result.tier == tiering.higher(
        result.floor,
        RiskTier.HIGH if result.score >= 40 else RiskTier.MEDIUM if result.score >= 15 else RiskTier.LOW,
    )
    assert any(r.effect.startswith("+") for r in result.reasons)  # the points are explained too


def test_a_draft_with_no_answers_is_not_assessed(questions):
    result = evaluate(
        questions,
        {"A1": AnswerState(detail="914403001922038216")},
        category=SCRM,
        request=tiering.Facts(traits=frozenset(), volume="100k_1m"),
    )

    assert result.assessed is False
    assert assess(questions).assessed is True


def test_every_floor_rule_has_a_test_named_after_it_and_cites_an_article():
    tests = {name for name in dir(sys.modules[__name__]) if name.startswith("test_")}

    assert {f"test_{rule.code}" for rule in tiering.FLOOR_RULES} <= tests
    assert all(rule.article.startswith("PIPL Art.") for rule in tiering.FLOOR_RULES)


# The own channel's floors read its own answers (reviews/questionnaire/template_channel_v1.py); the
# questionnaire's end-to-end tests are in tests/channels/test_questionnaire.py.
def _channel_floor(values):
    return {r.code: r for r in tiering.floor_reasons(tiering.Facts(values=values))}


def test_channel_cross_border():
    """PIPL Art. 38-40: a channel whose data leaves China is High, whatever the score."""
    assert _channel_floor({"X3": "yes"})["channel_cross_border"].effect == RiskTier.HIGH
    assert "channel_cross_border" not in _channel_floor({"X3": "no"})


def test_channel_sensitive_personal_information():
    """PIPL Art. 28."""
    assert _channel_floor({"K4": "yes"})["channel_sensitive_personal_information"].effect == RiskTier.HIGH


def test_channel_children_under_14():
    """PIPL Art. 31."""
    assert _channel_floor({"Y1": "yes"})["channel_children_under_14"].article == "PIPL Art. 31"


def test_channel_shares_with_other_handlers():
    """PIPL Art. 23: providing to another handler lifts the floor to Medium."""
    assert _channel_floor({"K2": "yes"})["channel_shares_with_other_handlers"].effect == RiskTier.MEDIUM
    assert _channel_floor({"K2": "no"}) == {}
