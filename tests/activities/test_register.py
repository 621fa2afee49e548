"""activities.services.activity_register: the pre-check's outcome sets the status; the issue's two cases."""

from activities.models import ActivityStatus, Outcome
from activities.services import activity_register
from reviews.models import AuditEvent
from vendors.scope import AudienceSource, Channel, Purpose

from .conftest import plan


def test_sms_to_a_bought_list_through_an_edm_only_vendor_is_no_go(cmo, edm_vendor):
    activity = activity_register(
        owner=cmo,
        plan=plan(
            purpose=Purpose.ABM,
            channels=[Channel.SMS],
            vendors=[edm_vendor],
            audience_source=AudienceSource.PURCHASED,
        ),
    )

    assert activity.outcome == Outcome.NO_GO
    assert activity.status == ActivityStatus.BLOCKED
    rules = {f["rule"] for f in activity.findings}
    assert {"purpose_outside_scope", "channel_outside_scope", "purchased_list"} <= rules
    assert AuditEvent.objects.filter(action="activity.registered", object_id=str(activity.pk)).exists()


def test_edm_to_opted_in_members_within_scope_is_go_with_conditions(cmo, edm_vendor):
    activity = activity_register(owner=cmo, plan=plan(vendors=[edm_vendor]))

    assert activity.outcome == Outcome.CONDITIONS
    assert activity.status == ActivityStatus.AWAITING_ACK
    rules = {f["rule"] for f in activity.findings}
    assert "commercial_messages" in rules and "email_subject_marked" in rules
    assert not rules & {"purpose_outside_scope", "channel_outside_scope"}
    assert activity.reference.startswith("ACT-")
