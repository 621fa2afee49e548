"""I8 for marketing activities: two members of Legal deciding the same activity at once. Exactly one decision
is recorded; the other is told who decided and that theirs was not recorded. The race needs PostgreSQL's row
locks, so it runs there only, with real transactions in two threads (the same decision one after the other,
on any database: tests/activities/test_services.py)."""

import pytest

from activities.models import Activity, ActivityStatus
from activities.services import ActivityError, activity_decide, activity_register
from reviews.models import AuditEvent
from tests.reviews.test_invariants_i8_concurrent_decisions import race

from .conftest import plan


@pytest.mark.parametrize("second", ["approve", "refuse"])
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_lawyers_deciding_an_activity_at_once_record_one_decision(cmo, legal, other_legal, second):
    activity = activity_register(owner=cmo, plan=plan(minors=True))
    assert activity.status == ActivityStatus.AWAITING_LEGAL

    def decide(user, approve):
        return lambda: activity_decide(
            activity=Activity.objects.get(pk=activity.pk),
            actor=user,
            approve=approve,
            reason=f"{user.username} 的决定",
        )

    results = race(decide(legal, True), decide(other_legal, second == "approve"))

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    error = errors[0]
    assert isinstance(error, ActivityError), repr(error)
    assert error.code == "already_decided"
    activity.refresh_from_db()
    winner = activity.decided_by
    assert winner in (legal, other_legal)
    assert error.message.startswith(f"{winner.username} already decided this activity")
    assert "was not recorded" in error.message
    assert activity.decision_reason == f"{winner.username} 的决定"
    decisions = AuditEvent.objects.filter(
        object_type="activity",
        object_id=str(activity.pk),
        action__in=["activity.approved", "activity.refused"],
    )
    assert decisions.count() == 1 and decisions.get().actor == winner
