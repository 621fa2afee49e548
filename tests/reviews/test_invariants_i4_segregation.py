"""I4: nobody decides a stage of a review they requested; only Legal signs off; each stage has its
deciders."""

import pytest

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, Decision, SignOff, StageKind, StageState
from tests import builders
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

Q, DS, SEC = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY


@pytest.fixture
def legal_requester(db):
    return make_user("legal_cmo", "Requester", "Legal", is_staff=True)


def test_requester_cannot_decide_own_review_and_the_attempt_is_audited(requester):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_pass(stage=stage, actor=requester)

    assert refused.value.code == "forbidden"
    assert "segregation of duties" in refused.value.message
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.review) == ("stage.decision_refused", requester, review)
    assert event.data["attempted"] == "passed"
    assert not Decision.objects.exists()


def test_legal_member_cannot_decide_a_review_they_requested(legal_requester):
    review = builders.start_review(legal_requester)
    stage = builders.submit_stage(review, Q, legal_requester)

    for decide in (
        lambda: workflow.stage_pass(stage=stage, actor=legal_requester),
        lambda: workflow.stage_return(stage=stage, actor=legal_requester, comment="fix"),
        lambda: workflow.stage_fail(stage=stage, actor=legal_requester, reason="no"),
    ):
        with pytest.raises(WorkflowError, match="segregation of duties"):
            decide()

    assert AuditEvent.objects.filter(action="stage.decision_refused", actor=legal_requester).count() == 3
    stage.refresh_from_db()
    assert stage.state == StageState.SUBMITTED


def test_legal_member_cannot_sign_off_a_review_they_requested(legal_requester, legal, security):
    review = builders.review_ready_for_sign_off(legal_requester, legal=legal, security=security)

    with pytest.raises(WorkflowError, match="segregation of duties"):
        workflow.review_sign_off(review=review, actor=legal_requester, password=PASSWORD, statement="ok")

    assert not SignOff.objects.exists()
    assert AuditEvent.objects.latest("pk").action == "signoff.refused"


@pytest.mark.parametrize("persona", ["security", "auditor", "other_requester", "outsider"])
def test_only_legal_signs_off(request, persona, requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    actor = request.getfixturevalue(persona)

    with pytest.raises(WorkflowError) as refused:
        workflow.review_sign_off(review=review, actor=actor, password=PASSWORD, statement="ok")

    assert refused.value.code == "forbidden"
    assert not SignOff.objects.exists()


def test_sign_off_with_a_wrong_password_is_refused_and_audited(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(WorkflowError, match="password"):
        workflow.review_sign_off(review=review, actor=legal, password="wrong", statement="ok")

    assert not SignOff.objects.exists()
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor) == ("signoff.refused", legal)
    assert "wrong" not in str(event.data)


@pytest.mark.parametrize("kind", [Q, DS])
def test_security_cannot_decide_a_legal_stage(kind, requester, legal, security):
    review = builders.start_review(requester)
    if kind == DS:
        builders.pass_stage(review, Q, requester, legal=legal, security=security)
    stage = builders.submit_stage(review, kind, requester)

    with pytest.raises(WorkflowError, match="Only Legal decides"):
        workflow.stage_pass(stage=stage, actor=security)
    assert not Decision.objects.filter(stage=stage).exists()


def test_legal_cannot_decide_the_security_stage(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    builders.pass_stage(review, DS, requester, legal=legal, security=security)
    stage = builders.submit_stage(review, SEC, requester)

    with pytest.raises(WorkflowError, match="Only Security decides"):
        workflow.stage_pass(stage=stage, actor=legal)

    workflow.stage_pass(stage=stage, actor=security)
    stage.refresh_from_db()
    assert stage.state == StageState.PASSED


def test_auditor_changes_nothing(requester, auditor):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, Q, requester)

    with pytest.raises(WorkflowError):
        workflow.stage_pass(stage=stage, actor=auditor)
    with pytest.raises(WorkflowError):
        workflow.review_withdraw(review=review, actor=auditor)
    stage.refresh_from_db()
    assert stage.state == StageState.SUBMITTED
