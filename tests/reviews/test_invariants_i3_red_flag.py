"""I3: a red-flag answer blocks the questionnaire stage."""

import pytest

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Decision, ReviewState, StageKind, StageState
from tests import builders
from vendors.models import RiskTier

pytestmark = pytest.mark.django_db

BOUGHT_IDENTIFIABLE = {
    "B1": ("identifiable", ""),
    "B2": ("bought", "从数据公司采购手机号名单 / mobile-number lists bought from a data broker"),
}


@pytest.fixture
def red_flag_review(requester):
    review = builders.start_review(requester)
    builders.fill_questionnaire(review, requester, overrides=BOUGHT_IDENTIFIABLE)
    workflow.stage_submit(stage=builders.stage_of(review, StageKind.QUESTIONNAIRE), actor=requester)
    return review


def test_bought_identifiable_data_is_a_red_flag_that_makes_the_review_critical(red_flag_review):
    red_flag_review.refresh_from_db()

    assert red_flag_review.red_flag_count == 1
    assert red_flag_review.risk_tier == RiskTier.CRITICAL


def test_legal_cannot_pass_a_questionnaire_with_a_red_flag(red_flag_review, legal):
    stage = builders.stage_of(red_flag_review, StageKind.QUESTIONNAIRE)

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_pass(stage=stage, actor=legal, comment="looks fine")

    assert refused.value.code == "red_flag"
    assert "B2" in refused.value.message
    assert any("PIPL Art. 10" in detail.message for detail in refused.value.details)
    stage.refresh_from_db()
    assert stage.state == StageState.SUBMITTED
    assert not Decision.objects.filter(stage=stage).exists()
    assert builders.stage_of(red_flag_review, StageKind.DATA_SOURCE).state == StageState.LOCKED


def test_legal_can_return_a_red_flagged_questionnaire_for_correction(red_flag_review, legal):
    stage = builders.stage_of(red_flag_review, StageKind.QUESTIONNAIRE)

    workflow.stage_return(stage=stage, actor=legal, comment="请说明B2数据来源 / explain the source in B2")

    stage.refresh_from_db()
    assert stage.state == StageState.RETURNED


def test_legal_can_fail_a_red_flagged_questionnaire(red_flag_review, legal):
    stage = builders.stage_of(red_flag_review, StageKind.QUESTIONNAIRE)

    workflow.stage_fail(stage=stage, actor=legal, reason="非法购买个人信息 / personal data bought")

    red_flag_review.refresh_from_db()
    assert red_flag_review.state == ReviewState.REJECTED


def test_the_same_source_without_identifiable_data_is_no_red_flag(requester, legal):
    review = builders.start_review(requester)
    builders.fill_questionnaire(
        review, requester, overrides={"B1": ("anonymous", ""), "B2": ("bought", "统计报表")}
    )
    stage = builders.stage_of(review, StageKind.QUESTIONNAIRE)
    workflow.stage_submit(stage=stage, actor=requester)

    workflow.stage_pass(stage=stage, actor=legal)

    stage.refresh_from_db()
    assert stage.state == StageState.PASSED
