"""A vendor that stops being usable (suspended by Legal, or its approval lapsed) flags the open activities that
use it, once, and tells each owner (activities.receivers -> activities.services.activities_flag_for_vendor)."""

from datetime import timedelta

import pytest
from django.core import mail

from activities.models import ActivityStatus
from activities.services import (
    activities_flag_for_vendor,
    activity_acknowledge,
    activity_decide,
    activity_register,
    activity_withdraw,
)
from reviews.models import AuditEvent
from tests.factories import make_user
from vendors.scope import Channel
from vendors.services import vendor_suspend, vendors_lapse_expired

from .conftest import plan

pytestmark = pytest.mark.django_db

FLAG_SUBJECT = "Check your activity"


@pytest.fixture
def other_owner(db):
    return make_user("cmo2", "Requester")


@pytest.fixture
def activities(cmo, other_owner, legal, edm_vendor):
    """An activity of each kind using the EDM sender, and one that does not use it."""

    def register(owner=cmo, **fields):
        return activity_register(owner=owner, plan=plan(**fields))

    refused = register(vendors=[edm_vendor], minors=True)
    activity_decide(activity=refused, actor=legal, approve=False, reason="不同意")
    withdrawn = register(vendors=[edm_vendor])
    activity_withdraw(activity=withdrawn, actor=cmo)
    return {
        "awaiting_ack": register(vendors=[edm_vendor]),
        "awaiting_legal": register(owner=other_owner, vendors=[edm_vendor], minors=True),
        "cleared": activity_acknowledge(activity=register(vendors=[edm_vendor]), actor=cmo),
        "blocked": register(vendors=[edm_vendor], channels=[Channel.SMS]),
        "refused": refused,
        "withdrawn": withdrawn,
        "other_vendor": register(vendors=[]),
    }


def flagged(activities) -> set[str]:
    result = set()
    for name, activity in activities.items():
        activity.refresh_from_db()
        if activity.flagged_at is not None:
            result.add(name)
    return result


def flagged_times(activities) -> dict:
    flagged(activities)  # read again
    return {name: a.flagged_at for name, a in activities.items() if a.flagged_at is not None}


def flag_mails() -> list:
    return [message for message in mail.outbox if FLAG_SUBJECT in message.subject]


def test_suspending_a_vendor_flags_its_open_activities_and_tells_each_owner(
    cmo, other_owner, legal, edm_vendor, activities, django_capture_on_commit_callbacks
):
    assert {a.status for a in activities.values()} >= {
        ActivityStatus.AWAITING_ACK,
        ActivityStatus.AWAITING_LEGAL,
        ActivityStatus.CLEARED,
        ActivityStatus.BLOCKED,
    }
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        vendor_suspend(vendor=edm_vendor, actor=legal, reason="数据泄露事件调查中")

    assert flagged(activities) == {"awaiting_ack", "awaiting_legal", "cleared"}
    activity = activities["cleared"]
    assert activity.flag_reason == "云信科技有限公司 may no longer be used: 数据泄露事件调查中"
    assert sorted(m.to[0] for m in flag_mails()) == sorted([cmo.email, cmo.email, other_owner.email])
    assert any(activity.reference in m.subject for m in flag_mails())
    event = AuditEvent.objects.get(action="activity.flagged", object_id=str(activity.pk))
    assert event.actor is None
    assert (event.data["vendor"], event.data["reason"]) == (edm_vendor.uscc, "数据泄露事件调查中")


def test_a_lapsed_approval_flags_the_open_activities_with_why(
    cmo, edm_vendor, activities, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        lapsed = vendors_lapse_expired(today=edm_vendor.approved_until + timedelta(days=1))

    assert lapsed == 1
    assert flagged(activities) == {"awaiting_ack", "awaiting_legal", "cleared"}
    assert activities["awaiting_ack"].flag_reason.endswith("may no longer be used: The approval lapsed.")
    assert len(flag_mails()) == 3


def test_closed_and_blocked_activities_and_those_using_other_vendors_are_not_flagged(
    legal, edm_vendor, activities
):
    vendor_suspend(vendor=edm_vendor, actor=legal, reason="暂停")

    assert not flagged(activities) & {"refused", "withdrawn", "blocked", "other_vendor"}
    assert AuditEvent.objects.filter(action="activity.flagged").count() == 3


def test_an_activity_is_flagged_once(legal, edm_vendor, activities, django_capture_on_commit_callbacks):
    vendor_suspend(vendor=edm_vendor, actor=legal, reason="暂停")
    first = flagged_times(activities)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = activities_flag_for_vendor(vendor=edm_vendor, reason="再次暂停")

    assert again == 0
    assert flagged_times(activities) == first and len(first) == 3
    assert AuditEvent.objects.filter(action="activity.flagged").count() == 3
    assert flag_mails() == []


def test_revising_a_flagged_activity_checks_the_new_plan_and_drops_the_old_flag(
    cmo, legal, edm_vendor, activities
):
    from activities.services import activity_revise

    vendor_suspend(vendor=edm_vendor, actor=legal, reason="暂停")
    activity = activities["awaiting_ack"]
    activity.refresh_from_db()
    assert activity.flagged_at is not None

    still_using = activity_revise(activity=activity, actor=cmo, plan=plan(vendors=[edm_vendor]))
    assert still_using.flagged_at is None and still_using.flag_reason == ""
    assert still_using.status == ActivityStatus.BLOCKED  # the suspended vendor makes the new plan a no-go
    assert {f["rule"] for f in still_using.findings} >= {"vendor_suspended"}

    without_it = activity_revise(activity=still_using, actor=cmo, plan=plan(vendors=[]))
    assert without_it.flagged_at is None and without_it.status == ActivityStatus.AWAITING_ACK
