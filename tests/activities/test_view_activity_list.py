"""/activities/: the signed-in user's activities (a reader of all reviews sees everyone's), newest first, 25 a
page, filtered by status; each row says its status in words and whether it is flagged."""

import pytest
from django.urls import reverse

from activities.models import ActivityStatus
from activities.services import activities_flag_for_vendor
from tests.factories import make_user

from .web import abm_outside_scope, copies, edm_in_scope

URL = reverse("activities:list")


def test_the_owner_sees_their_activities_newest_first_and_not_others(client, cmo, edm_vendor):
    blocked = abm_outside_scope(cmo, edm_vendor)
    waiting = edm_in_scope(cmo, edm_vendor)
    others = edm_in_scope(make_user("cmo2", "Requester"), edm_vendor)
    client.force_login(cmo)

    response = client.get(URL)

    assert [row.reference for row in response.context["page"]] == [waiting.reference, blocked.reference]
    body = response.content.decode()
    assert others.reference not in body
    assert "Conditions to acknowledge" in body and "No-go" in body and "Pre-check: Go with conditions" in body
    assert reverse("activities:detail", args=[waiting.pk]) in body
    assert reverse("activities:new") in body


def test_it_filters_by_status(client, cmo, edm_vendor):
    blocked = abm_outside_scope(cmo, edm_vendor)
    waiting = edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)

    page = client.get(URL, {"status": ActivityStatus.BLOCKED}).context["page"]
    assert [row.reference for row in page] == [blocked.reference]
    assert [row.reference for row in client.get(URL, {"status": "nonsense"}).context["page"]] == [
        waiting.reference,
        blocked.reference,
    ]
    body = client.get(URL, {"status": ActivityStatus.CLEARED}).content.decode()
    assert "No activity has this status." in body


@pytest.mark.parametrize("persona", ["legal", "security", "auditor"])
def test_a_reader_of_all_reviews_sees_every_owners_activities(client, request, cmo, edm_vendor, persona):
    activity = edm_in_scope(cmo, edm_vendor)
    reader = (
        make_user("auditor", "Auditor", is_staff=True)
        if persona == "auditor"
        else request.getfixturevalue(persona)
    )
    client.force_login(reader)
    body = client.get(URL).content.decode()
    assert activity.reference in body and "Owner" in body
    assert reverse("activities:new") not in body  # readers do not register activities


def test_a_flagged_activity_says_so_in_words(client, cmo, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    activities_flag_for_vendor(vendor=edm_vendor, reason="供应商已被暂停")
    client.force_login(cmo)
    row = client.get(URL).context["rows"][0]
    assert (row.reference, row.flagged) == (activity.reference, True)
    assert "Flagged: a vendor may no longer be used" in client.get(URL).content.decode()


def test_it_pages_25_at_a_time(client, cmo, edm_vendor):
    copies(edm_in_scope(cmo, edm_vendor), 29)
    client.force_login(cmo)
    first, last = client.get(URL).context["page"], client.get(URL, {"page": 2}).context["page"]
    assert (len(first), len(last), first.paginator.count) == (25, 5, 30)
    assert first[0].reference.endswith("-029")


# session, user, groups; the count and the page of rows (their owners joined)
QUERIES = 5


@pytest.mark.parametrize("persona", ["cmo", "legal"])
def test_the_queries_are_the_same_for_3_and_60_activities(
    client, request, cmo, edm_vendor, persona, django_assert_num_queries
):
    first = edm_in_scope(cmo, edm_vendor)
    copies(first, 2)
    client.force_login(request.getfixturevalue(persona))
    with django_assert_num_queries(QUERIES):
        assert len(client.get(URL).context["page"]) == 3
    copies(first, 57, start=3)
    with django_assert_num_queries(QUERIES):
        assert len(client.get(URL, {"status": ActivityStatus.AWAITING_ACK}).context["page"]) == 25


def test_the_anonymous_are_sent_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_it_reads_in_chinese(client, cmo, edm_vendor):
    edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "营销活动" in body and "待确认条件" in body and "前置检查：有条件开展" in body
