import pytest
from django.urls import reverse
from django.utils import translation

from reviews import workflow
from reviews.models import StageKind, StageState
from reviews.selectors import DASHBOARD_ROWS
from reviews.views.dashboard import LISTS, REQUESTS_ON_DASHBOARD
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
    # Each step of the bar names its stage and state, for the tooltip and for a screen reader.
    questionnaire = reverse("questionnaire", args=[review.pk])
    assert (
        f'<a class="step open" role="listitem" href="{questionnaire}" title="1. Due-diligence questionnaire: '
        f'Open"><span class="visually-hidden">1. Due-diligence questionnaire: Open</span></a>'
    ) in body
    assert 'title="4. Legal sign-off: Locked"' in body
    with translation.override("zh-hans"):
        chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'title="1. Due-diligence questionnaire' not in chinese and 'title="1. ' in chinese


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
    workflow.stage_return(
        stage=stage_of(returned, StageKind.QUESTIONNAIRE),
        actor=legal,
        comment="D3: upload the MLPS filing certificate",
    )
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


def test_queries_and_rows_are_the_same_for_10_and_200_requests(
    client, requester, legal, django_assert_num_queries
):
    for i in range(200):
        review = start_review(requester)
        if i == 0:
            submit_stage(review, StageKind.QUESTIONNAIRE, requester)
            workflow.stage_return(
                stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="fix it"
            )
        if i == 9:
            client.force_login(requester)
            with django_assert_num_queries(QUERIES):
                at_10 = client.get(URL)
    # session, user, groups; requests: the page with their count (a scalar subquery), their stages (no
    # decision: the bar shows none); action:
    # the reviews with their count (a window), their stages, decisions;
    # approvals ending, catch-up reviews owned, platforms to stop using: each its rows with their count;
    # the marketing activities' panel (activities/dashboard.py): its rows with their counts (windows)
    with django_assert_num_queries(QUERIES):
        at_200 = client.get(URL)
    for response, total in ((at_10, 10), (at_200, 200)):
        action = response.context["action_stages"]
        assert (len(action), action.total) == (DASHBOARD_ROWS, total)
        assert action[0].state == StageState.RETURNED
        assert response.content.decode().count('class="list-group-item action-item"') == DASHBOARD_ROWS
        # The first page of the requests, and "see all" for what needs action past the first rows.
        assert len(response.context["requests_page"]) == REQUESTS_ON_DASHBOARD
        assert reverse("dashboard_list", args=["action"]) in response.content.decode()
    assert at_10.context["requests_page"].paginator.num_pages == 1
    assert at_200.context["requests_page"].paginator.num_pages == 200 // REQUESTS_ON_DASHBOARD


def test_a_requester_with_fewer_requests_than_the_first_rows_gets_no_see_all(client, requester):
    for _ in range(DASHBOARD_ROWS - 1):
        start_review(requester)
    client.force_login(requester)
    response = client.get(URL)
    assert (
        len(response.context["action_stages"])
        == response.context["action_stages"].total
        == DASHBOARD_ROWS - 1
    )
    assert reverse("dashboard_list", args=["action"]) not in response.content.decode()


# session, user, groups; the first open reviews, their COUNT (everyone's reviews: a COUNT reads an index where
# a window would join every row), their stages; for Legal the platforms to stop using with their count
READER_QUERIES = {"legal": 7, "security": 6, "auditor": 6}


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("persona", list(READER_QUERIES))
def test_a_reader_gets_the_same_queries_and_rows_for_10_and_200_open_reviews(
    client, request, requester, persona, count, django_assert_num_queries
):
    for _ in range(count):
        start_review(requester)
    client.force_login(request.getfixturevalue(persona))

    with django_assert_num_queries(READER_QUERIES[persona]):
        response = client.get(URL)

    readable = response.context["readable_reviews"]
    assert (len(readable), readable.total) == (min(count, LISTS["open"].first), count)
    assert response.content.decode().count("<tr>") - 1 == min(
        count, LISTS["open"].first
    )  # and the header row
    assert (reverse("dashboard_list", args=["open"]) in response.content.decode()) == (count > 20)


def test_the_requests_page_goes_where_the_paginator_would(client, requester):
    """The page of requests is read with its count in one query (reviews.views.dashboard._requests_page); any
    page number lands where Paginator.get_page sends it: a number past the end or below 1 to the last page,
    anything else that is not a number to the first."""
    reviews = [start_review(requester) for _ in range(2 * REQUESTS_ON_DASHBOARD + 3)]
    newest_first = [review.pk for review in reversed(reviews)]
    client.force_login(requester)
    for page, number, first in (
        ("", 1, 0),
        ("2", 2, REQUESTS_ON_DASHBOARD),
        ("3", 3, 2 * REQUESTS_ON_DASHBOARD),
        ("4", 3, 2 * REQUESTS_ON_DASHBOARD),
        ("0", 3, 2 * REQUESTS_ON_DASHBOARD),
        ("-1", 3, 2 * REQUESTS_ON_DASHBOARD),
        ("two", 1, 0),
        ("2.5", 1, 0),
    ):
        requests_page = client.get(URL, {"page": page}).context["requests_page"]
        assert requests_page.number == number
        assert requests_page.paginator.count == len(reviews)
        assert [row.review.pk for row in requests_page] == newest_first[first : first + REQUESTS_ON_DASHBOARD]


def test_a_requester_without_requests_gets_the_empty_table(client, requester):
    client.force_login(requester)
    requests_page = client.get(URL).context["requests_page"]
    assert (requests_page.number, requests_page.paginator.count, list(requests_page)) == (1, 0, [])
