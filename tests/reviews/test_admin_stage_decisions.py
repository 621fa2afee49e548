"""Stage decisions from the review page: POSTs to admin views that call reviews.workflow."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews import workflow
from reviews.models import AuditEvent, Decision, ReviewState, StageKind, StageState
from tests.builders import fill_questionnaire, pass_stage, stage_of, start_review, submit_stage
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester_legal(db):
    """A Legal member who also requests vendors: the segregation-of-duties case (I4)."""
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


def decide(client, review, kind, outcome, comment=""):
    stage = stage_of(review, kind)
    url = reverse("admin:reviews_review_decide", args=[review.pk, stage.pk, outcome])
    return client.post(url, {"comment": comment})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def submitted_questionnaire(requester):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    return review


def test_legal_passes_the_questionnaire_and_the_next_stage_opens(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(legal)

    response = decide(client, review, StageKind.QUESTIONNAIRE, "pass", "looks fine")

    assert response.status_code == 302
    assert response.url == reverse("admin:reviews_review_change", args=[review.pk])
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.PASSED
    assert stage_of(review, StageKind.DATA_SOURCE).state == StageState.OPEN
    assert AuditEvent.objects.filter(review=review, action="stage.passed", actor=legal).exists()
    assert any("passed" in m for m in messages_of(response))


def test_legal_returns_a_stage_with_a_comment(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(legal)

    decide(client, review, StageKind.QUESTIONNAIRE, "return", "Upload the signed licence.")

    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    assert (stage.state, stage.round) == (StageState.RETURNED, 2)
    assert Decision.objects.get(stage=stage).comment == "Upload the signed licence."


def test_returning_without_a_comment_is_refused_and_changes_nothing(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(legal)

    response = decide(client, review, StageKind.QUESTIONNAIRE, "return", "   ")

    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED
    assert not Decision.objects.exists()
    assert any("comment is required" in m for m in messages_of(response))


def test_legal_fails_a_stage_with_a_reason_and_the_review_is_rejected(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(legal)

    decide(client, review, StageKind.QUESTIONNAIRE, "fail", "Buys identifiable data.")

    review.refresh_from_db()
    assert review.state == ReviewState.REJECTED
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.FAILED
    assert AuditEvent.objects.filter(review=review, action="stage.failed").exists()


def test_failing_without_a_reason_is_refused(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(legal)

    response = decide(client, review, StageKind.QUESTIONNAIRE, "fail", "")

    review.refresh_from_db()
    assert review.state == ReviewState.IN_PROGRESS
    assert any("reason" in m for m in messages_of(response))


def test_a_red_flag_blocks_passing_the_questionnaire(client, requester, legal):
    review = start_review(requester)
    fill_questionnaire(review, requester, overrides={"C1": ("no", "")})
    workflow.stage_submit(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=requester)
    client.force_login(legal)

    response = decide(client, review, StageKind.QUESTIONNAIRE, "pass")

    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED
    assert any("red flag" in m for m in messages_of(response))


def test_security_cannot_decide_a_legal_stage(client, security, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(security)

    response = decide(client, review, StageKind.QUESTIONNAIRE, "pass")

    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED
    assert not Decision.objects.exists()
    assert any("Only Legal decides" in m for m in messages_of(response))


def test_security_passes_the_security_stage(client, requester, legal, security):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    pass_stage(review, StageKind.DATA_SOURCE, requester, legal=legal, security=security)
    submit_stage(review, StageKind.SECURITY, requester)
    client.force_login(security)

    decide(client, review, StageKind.SECURITY, "pass")

    assert stage_of(review, StageKind.SECURITY).state == StageState.PASSED
    assert stage_of(review, StageKind.SIGN_OFF).state == StageState.SUBMITTED


def test_a_legal_requester_cannot_decide_their_own_request_and_it_is_audited(client, requester_legal):
    review = start_review(requester_legal)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester_legal)
    client.force_login(requester_legal)

    response = decide(client, review, StageKind.QUESTIONNAIRE, "pass")

    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED
    assert not Decision.objects.exists()
    assert any("segregation of duties" in m for m in messages_of(response))
    refused = AuditEvent.objects.get(review=review, action="stage.decision_refused")
    assert refused.actor == requester_legal and refused.data["attempted"] == "passed"


def test_a_second_decision_on_a_decided_stage_is_refused(client, legal, other_legal, submitted_questionnaire):
    review = submitted_questionnaire
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    client.force_login(legal)
    decide(client, review, StageKind.QUESTIONNAIRE, "pass")
    client.force_login(other_legal)

    response = client.post(
        reverse("admin:reviews_review_decide", args=[review.pk, stage.pk, "fail"]), {"comment": "too late"}
    )

    assert Decision.objects.filter(stage=stage).count() == 1
    assert any("already decided" in m for m in messages_of(response))


def test_a_decision_must_be_posted(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    client.force_login(legal)

    response = client.get(reverse("admin:reviews_review_decide", args=[review.pk, stage.pk, "pass"]))

    assert response.status_code == 405
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED


def test_a_stage_of_another_review_is_not_found(client, requester, legal, submitted_questionnaire):
    other = start_review(requester)
    other_stage = stage_of(other, StageKind.QUESTIONNAIRE)
    client.force_login(legal)

    url = reverse("admin:reviews_review_decide", args=[submitted_questionnaire.pk, other_stage.pk, "pass"])

    assert client.post(url).status_code == 404


def test_the_return_form_offers_the_questions_to_reopen(client, legal, submitted_questionnaire):
    client.force_login(legal)

    html = client.get(
        reverse("admin:reviews_review_change", args=[submitted_questionnaire.pk])
    ).content.decode()

    assert 'id="reopen-choices"' in html and 'name="reopen" value="A1"' in html


def test_legal_returns_the_questionnaire_naming_what_reopens(client, legal, submitted_questionnaire):
    review = submitted_questionnaire
    client.force_login(legal)
    url = reverse(
        "admin:reviews_review_decide",
        args=[review.pk, stage_of(review, StageKind.QUESTIONNAIRE).pk, "return"],
    )

    client.post(url, {"comment": "Name the cloud region.", "reopen": ["D5"]})

    decision = Decision.objects.get(stage=stage_of(review, StageKind.QUESTIONNAIRE))
    assert decision.reopened == ["D5"]
    assert AuditEvent.objects.get(review=review, action="stage.returned").data["reopen"] == ["D5"]
