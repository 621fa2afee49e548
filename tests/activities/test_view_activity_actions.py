"""The owner's actions on an activity: change it (pre-checked again), acknowledge its conditions, withdraw it.
Each answers a GET with 405 (but the edit form), says an error as a message, and changes nothing for anyone else."""

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityStatus, Outcome
from activities.services import activity_acknowledge
from reviews.models import AuditEvent
from tests.factories import make_user

from .web import abm_outside_scope, edm_in_scope, form_data


def _post(client, name, activity, data=None, **kwargs):
    return client.post(reverse(f"activities:{name}", args=[activity.pk]), data or {}, follow=True, **kwargs)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- acknowledge -----------------------------------------------------------------------------------------------


def test_the_owner_acknowledges_the_conditions_and_the_activity_is_cleared(client, cmo, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = _post(client, "acknowledge", activity, {"confirm": "1"})
    activity.refresh_from_db()
    assert (activity.status, activity.acknowledged_by) == (ActivityStatus.CLEARED, cmo)
    assert _messages(response) == [f"Conditions acknowledged: {activity.reference} is cleared to start."]
    assert response.redirect_chain[-1][0] == reverse("activities:detail", args=[activity.pk])


def test_acknowledging_needs_the_box_ticked(client, cmo, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = _post(client, "acknowledge", activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_ACK
    assert _messages(response) == ["Tick “I have read and will meet these conditions” to acknowledge them."]


def test_acknowledging_twice_is_told_there_is_nothing_left(client, cmo, edm_vendor):
    activity = activity_acknowledge(activity=edm_in_scope(cmo, edm_vendor), actor=cmo)
    client.force_login(cmo)
    response = _post(client, "acknowledge", activity, {"confirm": "1"})
    assert _messages(response) == ["There are no conditions waiting to be acknowledged."]


def test_a_reader_cannot_acknowledge_for_the_owner(client, cmo, legal, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(legal)
    response = _post(client, "acknowledge", activity, {"confirm": "1"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_ACK
    assert _messages(response) == ["Only the activity's owner can do this."]


@pytest.mark.parametrize("name", ["acknowledge", "withdraw"])
def test_the_actions_take_post_only_and_are_404_to_strangers(client, cmo, edm_vendor, name):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    assert client.get(reverse(f"activities:{name}", args=[activity.pk])).status_code == 405
    client.force_login(make_user("cmo2", "Requester"))
    assert client.post(reverse(f"activities:{name}", args=[activity.pk]), {"confirm": "1"}).status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_ACK


# --- withdraw --------------------------------------------------------------------------------------------------


def test_the_owner_withdraws_an_activity(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = _post(client, "withdraw", activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.WITHDRAWN
    assert _messages(response) == [f"Activity {activity.reference} withdrawn."]
    assert "The activity was withdrawn; it may not run." in response.content.decode()
    response = _post(client, "withdraw", activity)
    assert _messages(response) == ["The activity is Withdrawn and cannot be withdrawn."]


# --- edit ------------------------------------------------------------------------------------------------------


def test_the_edit_form_holds_the_plan(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = client.get(reverse("activities:edit", args=[activity.pk]))
    form = response.context["form"]
    assert form["name"].value() == "重点客户ABM精准营销" and form["purpose"].value() == "abm"
    assert form["vendors"].value() == edm_vendor.uscc and form["channels"].value() == ["edm"]
    assert f"Change {activity.reference}" in response.content.decode()


def test_a_changed_plan_is_pre_checked_again(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = client.post(
        reverse("activities:edit", args=[activity.pk]),
        form_data(edm_vendor, name="会员ABM改为会员营销"),
        follow=True,
    )
    activity.refresh_from_db()
    assert (activity.name, activity.outcome, activity.status) == (
        "会员ABM改为会员营销",
        Outcome.CONDITIONS,
        ActivityStatus.AWAITING_ACK,
    )
    assert _messages(response) == [f"Activity {activity.reference} changed and pre-checked again."]
    assert AuditEvent.objects.filter(action="activity.revised", object_id=str(activity.pk)).exists()
    assert Activity.objects.count() == 1


def test_bad_input_on_the_edit_form_keeps_what_was_typed(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = client.post(
        reverse("activities:edit", args=[activity.pk]), form_data(vendors="not-a-code", name="改过的名字")
    )
    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "改过的名字"
    assert "“not-a-code”" in response.context["form"].errors["vendors"][0]
    activity.refresh_from_db()
    assert activity.name == "重点客户ABM精准营销"


def test_a_cleared_activity_can_no_longer_be_changed(client, cmo, edm_vendor):
    activity = activity_acknowledge(activity=edm_in_scope(cmo, edm_vendor), actor=cmo)
    client.force_login(cmo)
    response = client.get(reverse("activities:edit", args=[activity.pk]), follow=True)
    assert _messages(response) == ["The activity is Cleared to start and can no longer be changed."]
    assert response.redirect_chain[-1][0] == reverse("activities:detail", args=[activity.pk])


def test_only_the_owner_changes_an_activity(client, cmo, legal, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(legal)
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    assert (
        client.post(reverse("activities:edit", args=[activity.pk]), form_data(edm_vendor)).status_code == 403
    )
    client.force_login(make_user("cmo2", "Requester"))
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.BLOCKED


def test_a_message_reads_in_chinese(client, cmo, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = _post(client, "acknowledge", activity, {"confirm": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert _messages(response) == [f"条件已确认：{activity.reference} 可以开始。"]
