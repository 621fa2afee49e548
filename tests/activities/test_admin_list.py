"""The list of marketing activities in the reviewers' desk (activities.admin.ActivityAdmin's changelist)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityStatus, Outcome
from activities.services import activity_decide, activity_register
from tests.factories import make_user
from vendors.scope import AudienceSource, Channel

from .conftest import plan

pytestmark = pytest.mark.django_db

LIST = reverse("admin:activities_activity_changelist")
GO = {"channels": [Channel.WECHAT], "audience_source": AudienceSource.PUBLIC_AGGREGATED}


def listed(response) -> list[str]:
    return [activity.reference for activity in response.context["cl"].result_list]


@pytest.fixture
def owner(db):
    return make_user("wxw", "Requester", first_name="晓雯", last_name="王")


@pytest.fixture
def activities(owner, legal):
    """Two waiting for Legal (the older registered later), one refused, one cleared, one blocked."""
    newer = activity_register(owner=owner, plan=plan(name="春季会员EDM", minors=True))
    older = activity_register(owner=owner, plan=plan(name="儿童节活动", minors=True))
    Activity.objects.filter(pk=older.pk).update(checked_at=timezone.now() - timedelta(days=3))
    refused = activity_register(
        owner=owner,
        plan=plan(name="个性化定价", personalised_pricing=True, pricing_justification="新会员优惠"),
    )
    activity_decide(activity=refused, actor=legal, approve=False, reason="理由不充分")
    return {
        "newer": newer,
        "older": older,
        "refused": refused,
        "cleared": activity_register(owner=owner, plan=plan(name="门店场景营销", **GO)),
        "blocked": activity_register(
            owner=owner,
            plan=plan(name="购买名单短信", channels=[Channel.SMS], audience_source=AudienceSource.PURCHASED),
        ),
    }


def test_legal_opens_on_what_waits_for_legal_longest_waiting_first(client, legal, activities):
    client.force_login(legal)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [activities["older"].reference, activities["newer"].reference]
    page = response.content.decode()
    assert "王晓雯" in page  # the owner named as everywhere, family name first
    assert f"{timezone.localdate().isoformat()} – {timezone.localdate().isoformat()}" in page


def test_an_unknown_status_shows_legal_what_waits(client, legal, activities):
    client.force_login(legal)

    response = client.get(LIST, {"status": "nonsense"})

    assert listed(response) == [activities["older"].reference, activities["newer"].reference]


def test_everything_lists_every_activity_newest_first(client, legal, activities):
    client.force_login(legal)

    response = client.get(LIST, {"status": "all"})

    assert listed(response) == [
        activities[name].reference for name in ("blocked", "cleared", "refused", "older", "newer")
    ]


@pytest.mark.parametrize("persona", ["security", "auditor"])
def test_other_readers_open_on_every_activity(client, request, activities, persona):
    client.force_login(request.getfixturevalue(persona))

    assert len(listed(client.get(LIST))) == 5


def test_a_search_looks_beyond_what_waits(client, legal, activities):
    client.force_login(legal)

    by_reference = client.get(LIST, {"q": activities["refused"].reference})
    by_name = client.get(LIST, {"q": "门店"})

    assert listed(by_reference) == [activities["refused"].reference]
    assert listed(by_name) == [activities["cleared"].reference]


def test_the_list_filters_by_status_and_by_outcome(client, legal, activities):
    client.force_login(legal)

    refused = client.get(LIST, {"status": ActivityStatus.REFUSED})
    no_go = client.get(LIST, {"status": "all", "outcome__exact": Outcome.NO_GO})

    assert listed(refused) == [activities["refused"].reference]
    assert listed(no_go) == [activities["blocked"].reference]


def test_the_list_filters_the_flagged_and_still_open(client, legal, activities):
    now = timezone.now()
    for name in ("older", "refused"):
        Activity.objects.filter(pk=activities[name].pk).update(flagged_at=now, flag_reason="供应商已暂停")
    client.force_login(legal)

    still_open = client.get(LIST, {"status": "all", "flagged": "open"})
    ever = client.get(LIST, {"status": "all", "flagged": "yes"})
    never = client.get(LIST, {"status": "all", "flagged": "no"})

    assert listed(still_open) == [activities["older"].reference]
    assert set(listed(ever)) == {activities["older"].reference, activities["refused"].reference}
    assert len(listed(never)) == 3
    # Said in words, not by a colour alone.
    assert "Flagged" in still_open.content.decode()


def test_a_superuser_without_a_reviewers_role_reads_no_activity(client, admin_user, activities):
    client.force_login(admin_user)

    response = client.get(LIST, {"status": "all"})

    assert response.status_code == 200 and listed(response) == []


def test_a_requester_is_sent_to_the_admins_sign_in(client, owner, activities):
    client.force_login(owner)

    response = client.get(LIST)

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("count", [5, 40])
def test_the_list_runs_the_same_queries_whatever_the_number_of_activities(
    client, owner, legal, count, django_assert_num_queries
):
    for number in range(count):
        activity_register(owner=owner, plan=plan(name=f"活动{number}", minors=True))
    client.force_login(legal)

    # session, user, permissions (2), groups (the reader's roles), the count filtered and in all, the page of
    # rows with their owners
    with django_assert_num_queries(8):
        response = client.get(LIST)

    assert len(listed(response)) == min(count, 25)


def test_nobody_adds_an_activity_in_the_admin(client, legal, admin_user):
    for user in (legal, admin_user):
        client.force_login(user)
        assert client.get(reverse("admin:activities_activity_add")).status_code == 403
