"""A list of the dashboard in full (reviews.views.dashboard.dashboard_list): "see all" from the capped
lists of the dashboard, a page of 25 at a time, in the same queries whatever the number of rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import workflow
from reviews.models import Review, ReviewState, SignOff, StageKind
from tests.builders import stage_of, start_review, submit_stage
from tests.factories import VendorFactory
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db


def url(which: str) -> str:
    return reverse("dashboard_list", args=[which])


def listed(response) -> list:
    return list(response.context["page"])


def test_needs_your_action_in_full_returned_first(client, requester, other_requester, legal):
    for _ in range(3):
        start_review(requester)
    returned = start_review(requester)
    submit_stage(returned, StageKind.QUESTIONNAIRE, requester)
    workflow.stage_return(stage=stage_of(returned, StageKind.QUESTIONNAIRE), actor=legal, comment="fix A2")
    start_review(other_requester)
    client.force_login(requester)

    response = client.get(url("action"))

    stages = listed(response)
    assert len(stages) == 4 and stages[0].review == returned
    assert response.context["page"].paginator.count == 4
    body = response.content.decode()
    assert "fix A2" in body and body.count('class="list-group-item action-item"') == 4


def test_it_pages_25_at_a_time(client, requester):
    for _ in range(30):
        start_review(requester)
    client.force_login(requester)

    first, second = client.get(url("action")), client.get(url("action"), {"page": 2})

    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert {s.pk for s in listed(first)}.isdisjoint(s.pk for s in listed(second))


def test_legal_sees_every_platform_to_stop_and_a_requester_their_own(
    client, requester, other_requester, legal
):
    mine = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester, stop_using=True)
    theirs = VendorFactory(status=VendorStatus.IN_USE, business_owner=other_requester, stop_using=True)

    client.force_login(requester)
    assert listed(client.get(url("stop-using"))) == [mine]
    client.force_login(legal)
    assert set(listed(client.get(url("stop-using")))) == {mine, theirs}


def test_open_reviews_are_for_readers_only(client, requester, auditor):
    review = start_review(requester)

    client.force_login(requester)
    assert client.get(url("open")).status_code == 404
    client.force_login(auditor)
    assert listed(client.get(url("open"))) == [review]


def test_an_unknown_list_is_not_found(client, requester):
    client.force_login(requester)

    assert client.get(url("everything")).status_code == 404


def _rows(which: str, requester, legal, count: int) -> None:
    """`count` rows of the list, as test data set straight in the tables (the services are slow and tested
    elsewhere)."""
    if which == "stop-using":
        for _ in range(count):
            VendorFactory(status=VendorStatus.IN_USE, business_owner=requester, stop_using=True)
        return
    reviews = [start_review(requester) for _ in range(count)]
    if which == "catch-up":
        Review.objects.update(catch_up=True)
    if which == "ending":
        # Approved, ending within the renewal window, no renewal under way.
        Review.objects.update(state=ReviewState.APPROVED)
        until = timezone.localdate() + timedelta(days=10)
        for review in reviews:
            number = f"VD-T-{review.pk:05d}"
            SignOff.objects.create(
                review=review, number=number, signed_by=legal, statement="ok", valid_until=until
            )
            Vendor.objects.filter(pk=review.vendor_id).update(
                status=VendorStatus.APPROVED, approved_until=until, approval_reference=number
            )


# session, user, groups; count, the page's rows and what each shows with them (stages; for the
# action list, the stage waiting in each review and its decisions).
QUERIES = {"action": 7, "catch-up": 5, "ending": 5, "stop-using": 5, "open": 6}


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("which", list(QUERIES))
def test_every_list_runs_the_same_queries_for_10_and_200_rows(
    client, requester, legal, which, count, django_assert_num_queries
):
    _rows(which, requester, legal, count)
    client.force_login(legal if which in ("open", "stop-using") else requester)

    with django_assert_num_queries(QUERIES[which]):
        response = client.get(url(which))

    assert len(listed(response)) == min(count, 25) and response.context["page"].paginator.count == count
    assert ("page=2" in response.content.decode()) == (count > 25)
