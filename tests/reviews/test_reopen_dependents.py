"""A return that reopens a question reopens the questions its answer shows or hides (reviews.reopening): a new
answer may show a question never answered, which the requester must then be able to answer."""

import pytest

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Answer, StageKind, StageState
from reviews.questionnaire.answers import answers_save
from tests.builders import answers_for, fill_questionnaire, stage_of, start_review

pytestmark = pytest.mark.django_db
Q = StageKind.QUESTIONNAIRE


@pytest.fixture
def no_personal_data(requester):
    """A questionnaire submitted saying the vendor handles no personal information (B1 "none"): the
    questions on its sources and consent (B2, B3, B5) were hidden and never answered."""
    review = start_review(requester)
    fill_questionnaire(review, requester)
    blank = {
        code: ([] if isinstance(value, list) else "", "")
        for code, (value, _detail) in answers_for(review).items()
        if code in ("B2", "B3", "B5")
    }
    answers_save(review=review, actor=requester, answers={"B1": ("none", ""), **blank})
    assert not Answer.objects.filter(review=review, question__code="B2").exclude(value__in=["", []]).exists()
    workflow.stage_submit(stage=stage_of(review, Q), actor=requester)
    return review


def test_reopening_a_question_reopens_the_questions_it_shows(no_personal_data, legal):
    stage = workflow.stage_return(
        stage=stage_of(no_personal_data, Q),
        actor=legal,
        comment="The vendor does process identifiable data: answer B1 again.",
        reopen=["B1"],
    )

    assert stage.decisions.latest("pk").reopened == ["B1", "B2", "B3", "B5"]


def test_the_requester_answers_what_the_new_answer_shows_and_resubmits(no_personal_data, requester, legal):
    workflow.stage_return(stage=stage_of(no_personal_data, Q), actor=legal, comment="B1 again", reopen=["B1"])
    review = no_personal_data
    given = {code: answer for code, answer in answers_for(review).items() if code in ("B2", "B3", "B5")}

    answers_save(review=review, actor=requester, answers={"B1": ("identifiable", ""), **given})
    # What the return neither reopened nor shows stays as submitted.
    with pytest.raises(WorkflowError, match="Only what Legal reopened"):
        answers_save(review=review, actor=requester, answers={"A2": ("something else", "")})
    stage = workflow.stage_submit(stage=stage_of(review, Q), actor=requester)

    assert stage.state == StageState.SUBMITTED
    assert Answer.objects.get(review=review, question__code="B2").value == given["B2"][0]


def test_a_question_shown_by_another_category_or_an_unrelated_answer_is_not_reopened(no_personal_data, legal):
    stage = workflow.stage_return(
        stage=stage_of(no_personal_data, Q), actor=legal, comment="A5 again", reopen=["A5"]
    )

    assert stage.decisions.latest("pk").reopened == ["A5", "A6"]
