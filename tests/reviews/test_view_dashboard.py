import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import workflow
from reviews.models import StageKind
from tests.builders import pass_stage, stage_of, start_review, submit_stage

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")
QUERIES = 12


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_owner_sees_own_request_with_stage_turn_and_action(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.get(URL)
    body = response.content.decode()
    assert review.number in body
    assert "Needs your action" in body
    assert "Stage 1 of 4" in body and "Your turn" in body


def test_other_requester_does_not_see_foreign_requests(client, requester, other_requester):
    review = start_review(requester)
    client.force_login(other_requester)
    body = client.get(URL).content.decode()
    assert review.number not in body
    assert "You have no vendor requests yet" in body


def test_returned_stage_comes_first_with_the_reviewers_comment(client, requester, legal):
    start_review(requester)
    returned = start_review(requester)
    submit_stage(returned, StageKind.QUESTIONNAIRE, requester)
    workflow.stage_return(stage=stage_of(returned, StageKind.QUESTIONNAIRE), actor=legal,
                          comment="D3: upload the MLPS filing certificate")
    client.force_login(requester)
    response = client.get(URL)
    action = response.context["action_stages"]
    assert action[0].review == returned and action[0].latest_decision.comment.startswith("D3")
    assert "D3: upload the MLPS filing certificate" in response.content.decode()


def test_submitted_stage_shows_whose_turn_it_is(client, requester, legal, security):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    submit_stage(review, StageKind.DATA_SOURCE, requester)
    client.force_login(requester)
    body = client.get(URL).content.decode()
    assert "Stage 2 of 4" in body and "Waiting for Legal" in body


def test_reviewer_sees_open_reviews_and_the_desk_link(client, requester, legal):
    review = start_review(requester)
    client.force_login(legal)
    body = client.get(URL).content.decode()
    assert review.number in body
    assert reverse("admin:index") in body
    assert "My requests" not in body


def test_query_count_is_the_same_for_10_and_200_requests(client, requester, legal,
                                                         django_assert_max_num_queries):
    for i in range(200):
        review = start_review(requester)
        if i == 0:
            submit_stage(review, StageKind.QUESTIONNAIRE, requester)
            workflow.stage_return(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="fix it")
        if i == 9:
            client.force_login(requester)
            with CaptureQueriesContext(connection) as at_10, django_assert_max_num_queries(QUERIES):
                assert len(client.get(URL).context["action_stages"]) == 10
    # session, user, groups, count, reviews, stages, decisions; action stages and their decisions; approvals ending;
    # catch-up reviews owned; platforms to stop using
    with CaptureQueriesContext(connection) as at_200, django_assert_max_num_queries(QUERIES):
        response = client.get(URL)
    assert len(response.context["action_stages"]) == 200
    assert len(at_10) == len(at_200)
