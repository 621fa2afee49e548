"""activities.services: the transitions of a marketing activity, as one matrix (from each status, each
transition, allowed and audited or refused with its code and nothing changed), then each transition's own
rules: who may take it (I4), what it records, what a revision re-checks."""

import pytest
from django.conf import settings

from activities.models import Activity, ActivityStatus, Outcome
from activities.services import (
    ActivityError,
    activity_acknowledge,
    activity_decide,
    activity_register,
    activity_revise,
    activity_withdraw,
)
from reviews.models import AuditEvent
from tests.factories import make_user
from vendors.scope import AudienceSource, Channel, DataCategory

from .conftest import plan

pytestmark = pytest.mark.django_db

# Plans whose pre-check lands in each status the pre-check can give.
GO = {"channels": [Channel.WECHAT], "audience_source": AudienceSource.PUBLIC_AGGREGATED}
CONDITIONS = {}  # EDM to own members who consented: commercial messages, the subject marked, consent on record
NEEDS_LEGAL = {"minors": True}  # and the conditions of the EDM
BLOCKED = {"channels": [Channel.SMS], "audience_source": AudienceSource.PURCHASED}


def events(activity) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="activity", object_id=str(activity.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def activity_in(status: str, *, owner, legal) -> Activity:
    """An activity brought to `status` the way users bring it there."""
    if status == ActivityStatus.CLEARED:
        return activity_register(owner=owner, plan=plan(**GO))
    if status == ActivityStatus.AWAITING_ACK:
        return activity_register(owner=owner, plan=plan(**CONDITIONS))
    if status == ActivityStatus.AWAITING_LEGAL:
        return activity_register(owner=owner, plan=plan(**NEEDS_LEGAL))
    if status == ActivityStatus.BLOCKED:
        return activity_register(owner=owner, plan=plan(**BLOCKED))
    if status == ActivityStatus.REFUSED:
        activity = activity_register(owner=owner, plan=plan(**NEEDS_LEGAL))
        return activity_decide(activity=activity, actor=legal, approve=False, reason="监护人同意流程缺失")
    assert status == ActivityStatus.WITHDRAWN
    return activity_withdraw(activity=activity_register(owner=owner, plan=plan(**CONDITIONS)), actor=owner)


TRANSITIONS = {
    "revise": (
        lambda a, owner, legal: activity_revise(activity=a, actor=owner, plan=plan(**GO)),
        "activity.revised",
    ),
    "acknowledge": (
        lambda a, owner, legal: activity_acknowledge(activity=a, actor=owner),
        "activity.acknowledged",
    ),
    "approve": (
        lambda a, owner, legal: activity_decide(activity=a, actor=legal, approve=True, reason="同意"),
        "activity.approved",
    ),
    "refuse": (
        lambda a, owner, legal: activity_decide(activity=a, actor=legal, approve=False, reason="不同意"),
        "activity.refused",
    ),
    "withdraw": (lambda a, owner, legal: activity_withdraw(activity=a, actor=owner), "activity.withdrawn"),
}
S = ActivityStatus
# (from, transition): the status it leads to, or the code of the ActivityError refusing it.
MATRIX = {
    (S.AWAITING_ACK, "revise"): S.CLEARED,
    (S.AWAITING_ACK, "acknowledge"): S.CLEARED,
    (S.AWAITING_ACK, "approve"): "state",
    (S.AWAITING_ACK, "refuse"): "state",
    (S.AWAITING_ACK, "withdraw"): S.WITHDRAWN,
    (S.AWAITING_LEGAL, "revise"): S.CLEARED,
    (S.AWAITING_LEGAL, "acknowledge"): "state",
    # Approved with the pre-check's conditions: the owner acknowledges them before it is cleared.
    (S.AWAITING_LEGAL, "approve"): S.AWAITING_ACK,
    (S.AWAITING_LEGAL, "refuse"): S.REFUSED,
    (S.AWAITING_LEGAL, "withdraw"): S.WITHDRAWN,
    (S.CLEARED, "revise"): "state",
    (S.CLEARED, "acknowledge"): "state",
    (S.CLEARED, "approve"): "state",
    (S.CLEARED, "refuse"): "state",
    (S.CLEARED, "withdraw"): S.WITHDRAWN,
    (S.BLOCKED, "revise"): S.CLEARED,
    (S.BLOCKED, "acknowledge"): "state",
    (S.BLOCKED, "approve"): "state",
    (S.BLOCKED, "refuse"): "state",
    (S.BLOCKED, "withdraw"): S.WITHDRAWN,
    # Refused by Legal: closed; a second decision is told it came too late.
    (S.REFUSED, "revise"): "state",
    (S.REFUSED, "acknowledge"): "state",
    (S.REFUSED, "approve"): "already_decided",
    (S.REFUSED, "refuse"): "already_decided",
    (S.REFUSED, "withdraw"): "state",
    (S.WITHDRAWN, "revise"): "state",
    (S.WITHDRAWN, "acknowledge"): "state",
    (S.WITHDRAWN, "approve"): "state",
    (S.WITHDRAWN, "refuse"): "state",
    (S.WITHDRAWN, "withdraw"): "state",
}


def test_the_matrix_covers_every_status_and_transition():
    assert set(MATRIX) == {(status, name) for status in ActivityStatus for name in TRANSITIONS}


@pytest.mark.parametrize(("status", "transition"), list(MATRIX), ids=[f"{s}-{t}" for s, t in MATRIX])
def test_each_transition_from_each_status(cmo, legal, status, transition):
    activity = activity_in(status, owner=cmo, legal=legal)
    assert activity.status == status
    before = events(activity)
    take, action = TRANSITIONS[transition]
    expected = MATRIX[(status, transition)]

    if expected in ActivityStatus.values:
        result = take(activity, cmo, legal)

        activity.refresh_from_db()
        assert result.status == activity.status == expected
        # Every transition is in the audit log, once, by who took it.
        assert events(activity) == [*before, action]
        event = AuditEvent.objects.filter(object_type="activity", object_id=str(activity.pk)).latest("pk")
        assert event.actor == (legal if transition in ("approve", "refuse") else cmo)
        assert event.data["reference"] == activity.reference
    else:
        with pytest.raises(ActivityError) as refused:
            take(activity, cmo, legal)

        assert refused.value.code == expected
        activity.refresh_from_db()
        assert activity.status == status
        assert events(activity) == before


# -- register and revise ----------------------------------------------------------------------------------


def test_only_a_requester_registers_an_activity(legal):
    with pytest.raises(ActivityError) as refused:
        activity_register(owner=legal, plan=plan())

    assert refused.value.code == "forbidden"
    assert not Activity.objects.exists()


def test_registering_records_the_pre_check_in_the_audit_log(cmo, edm_vendor):
    activity = activity_register(owner=cmo, plan=plan(vendors=[edm_vendor], **NEEDS_LEGAL))

    event = AuditEvent.objects.get(object_type="activity", object_id=str(activity.pk))
    assert (event.action, event.actor) == ("activity.registered", cmo)
    assert event.data["outcome"] == Outcome.NEEDS_LEGAL
    assert event.data["vendors"] == [edm_vendor.uscc]
    assert {f["rule"] for f in event.data["findings"]} == {f["rule"] for f in activity.findings}


def test_a_revision_is_checked_again_and_replaces_the_plan_and_its_vendors(cmo, edm_vendor):
    activity = activity_register(owner=cmo, plan=plan(vendors=[edm_vendor], **BLOCKED))
    assert "purchased_list" in {f["rule"] for f in activity.findings}

    revised = activity_revise(
        activity=activity, actor=cmo, plan=plan(name="会员春季EDM（修订）", vendors=[], minors=True)
    )

    revised.refresh_from_db()
    assert (revised.name, revised.outcome, revised.status) == (
        "会员春季EDM（修订）",
        Outcome.NEEDS_LEGAL,
        ActivityStatus.AWAITING_LEGAL,
    )
    rules = {f["rule"] for f in revised.findings}
    assert "minors" in rules and "purchased_list" not in rules
    assert list(revised.vendors.all()) == []
    event = AuditEvent.objects.filter(object_id=str(activity.pk), action="activity.revised").get()
    assert event.data["outcome"] == Outcome.NEEDS_LEGAL and event.data["vendors"] == []


def test_a_revision_asks_for_the_conditions_to_be_acknowledged_again(cmo):
    activity = activity_register(owner=cmo, plan=plan(**CONDITIONS))
    activity_register(owner=cmo, plan=plan(**GO))  # another activity of the owner, untouched

    activity = activity_revise(activity=activity, actor=cmo, plan=plan(channels=[Channel.SMS]))

    assert activity.status == ActivityStatus.AWAITING_ACK
    assert (activity.acknowledged_by, activity.acknowledged_at) == (None, None)


@pytest.mark.parametrize("transition", ["revise", "acknowledge", "withdraw"])
def test_only_the_owner_revises_acknowledges_or_withdraws(cmo, other_requester, legal, transition):
    activity = activity_register(owner=cmo, plan=plan(**CONDITIONS))
    take = {
        "revise": lambda: activity_revise(activity=activity, actor=other_requester, plan=plan(**GO)),
        "acknowledge": lambda: activity_acknowledge(activity=activity, actor=other_requester),
        "withdraw": lambda: activity_withdraw(activity=activity, actor=legal),
    }[transition]

    with pytest.raises(ActivityError) as refused:
        take()

    assert refused.value.code == "forbidden"
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_ACK and events(activity) == ["activity.registered"]


# -- acknowledge --------------------------------------------------------------------------------------------


def test_acknowledging_clears_the_activity_and_records_who_and_which_conditions(cmo):
    activity = activity_register(owner=cmo, plan=plan(**CONDITIONS))

    activity = activity_acknowledge(activity=activity, actor=cmo)

    assert activity.status == ActivityStatus.CLEARED
    assert activity.acknowledged_by == cmo and activity.acknowledged_at is not None
    event = AuditEvent.objects.get(object_id=str(activity.pk), action="activity.acknowledged")
    assert set(event.data["conditions"]) == {
        "commercial_messages",
        "email_subject_marked",
        "own_members_consent",
    }


# -- decide ----------------------------------------------------------------------------------------------


def test_legal_approving_an_activity_without_conditions_clears_it(cmo, legal):
    activity = activity_register(owner=cmo, plan=plan(**GO, minors=True))
    assert activity.status == ActivityStatus.AWAITING_LEGAL

    activity = activity_decide(activity=activity, actor=legal, approve=True, reason="监护人同意流程已备妥")

    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CLEARED
    assert (activity.decided_by, activity.decision_reason) == (legal, "监护人同意流程已备妥")
    event = AuditEvent.objects.get(object_id=str(activity.pk), action="activity.approved")
    assert (event.actor, event.data["reason"]) == (legal, "监护人同意流程已备妥")


def test_legal_refusing_an_activity_closes_it_with_the_reason(cmo, legal):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))

    activity = activity_decide(activity=activity, actor=legal, approve=False, reason="缺少监护人同意")

    activity.refresh_from_db()
    assert (activity.status, activity.decision_reason) == (ActivityStatus.REFUSED, "缺少监护人同意")
    assert not activity.is_open


def test_a_decision_needs_a_reason(cmo, legal):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))

    with pytest.raises(ActivityError) as refused:
        activity_decide(activity=activity, actor=legal, approve=True, reason="  \n ")

    assert refused.value.field == "reason"
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_LEGAL and activity.decided_by is None


def test_legal_cannot_decide_an_activity_they_registered(legal):
    lawyer_marketer = make_user("cmo_legal", "Requester", "Legal", is_staff=True)
    activity = activity_register(owner=lawyer_marketer, plan=plan(**NEEDS_LEGAL))

    with pytest.raises(ActivityError) as refused:
        activity_decide(activity=activity, actor=lawyer_marketer, approve=True, reason="自己批准")

    assert refused.value.code == "forbidden" and "segregation of duties" in refused.value.message
    # Another member of Legal may.
    assert activity_decide(activity=activity, actor=legal, approve=True, reason="同意").decided_by == legal


@pytest.mark.parametrize("role", ["Security", "Auditor", "Requester"])
def test_only_legal_decides(cmo, role):
    someone = make_user("someone", role, is_staff=True)
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))

    with pytest.raises(ActivityError) as refused:
        activity_decide(activity=activity, actor=someone, approve=True, reason="同意")

    assert refused.value.code == "forbidden"
    assert refused.value.message == "Only Legal decides marketing activities."


def test_a_new_member_of_legal_decides_only_after_the_waiting_period(cmo):
    newcomer = make_user("legal_new", "Legal", is_staff=True, granted_days_ago=0)
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))

    with pytest.raises(ActivityError) as refused:
        activity_decide(activity=activity, actor=newcomer, approve=True, reason="同意")

    assert refused.value.code == "forbidden"
    assert f"only after {settings.VETTED_ROLE_GRANT_WAIT_HOURS} hours" in refused.value.message
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_LEGAL


def test_a_late_decision_is_told_who_decided_first(cmo, legal, other_legal):
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))
    late = Activity.objects.get(pk=activity.pk)
    activity_decide(activity=activity, actor=legal, approve=False, reason="不同意")

    with pytest.raises(ActivityError) as refused:
        activity_decide(activity=late, actor=other_legal, approve=True, reason="同意")

    assert refused.value.code == "already_decided"
    assert refused.value.message.startswith("legal already decided this activity at ")
    assert refused.value.message.endswith("your decision was not recorded.")
    assert events(activity).count("activity.refused") == 1 and "activity.approved" not in events(activity)


def test_the_late_decision_message_names_people_as_every_page_does(cmo, other_legal):
    named = make_user("legal_wang", "Legal", is_staff=True, first_name="晓雯", last_name="王")
    activity = activity_register(owner=cmo, plan=plan(**NEEDS_LEGAL))
    late = Activity.objects.get(pk=activity.pk)
    activity_decide(activity=activity, actor=named, approve=True, reason="同意")

    with pytest.raises(ActivityError) as refused:
        activity_decide(activity=late, actor=other_legal, approve=True, reason="同意")

    assert refused.value.message.startswith("王晓雯 already decided")


# -- withdraw ----------------------------------------------------------------------------------------------


def test_withdrawing_keeps_the_activity_and_its_record(cmo):
    activity = activity_register(owner=cmo, plan=plan(**BLOCKED))

    activity_withdraw(activity=activity, actor=cmo)

    activity.refresh_from_db()
    assert activity.status == ActivityStatus.WITHDRAWN and activity.findings
    assert events(activity) == ["activity.registered", "activity.withdrawn"]


def test_a_sensitive_category_alone_sends_the_activity_to_legal(cmo):
    activity = activity_register(owner=cmo, plan=plan(**GO, data_categories=[DataCategory.SENSITIVE]))

    assert activity.status == ActivityStatus.AWAITING_LEGAL
    assert {f["rule"] for f in activity.findings} == {"sensitive_data"}
