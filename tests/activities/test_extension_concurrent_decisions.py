"""I8 for scope extensions: two Legal members deciding the same extension at once record one decision, and
the other is told who decided. The race needs PostgreSQL's row locks, so it runs there only, with real
transactions in two threads (as tests/reviews/test_invariants_i8_concurrent_decisions.py); the message of a
late decision is checked one after the other in test_extensions.py."""

import pytest

from activities.extensions import extension_legal_decide, extension_security_decide
from activities.models import ExtensionStatus, ScopeExtension
from activities.services import ActivityError
from reviews.models import AuditEvent
from tests.reviews.test_invariants_i8_concurrent_decisions import race
from vendors.models import Vendor
from vendors.scope import Channel, DataCategory, Purpose, Scope

from .extension_helpers import ask

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def decide(extension_pk, user, *, approve):
    return lambda: extension_legal_decide(
        extension=ScopeExtension.objects.get(pk=extension_pk),
        actor=user,
        approve=approve,
        comment="同意 / granted" if approve else "不予扩展",
    )


@pytest.mark.parametrize("second", ["approve", "refuse"])
def test_two_lawyers_deciding_at_once_record_one_decision(
    transactional_db, cmo, edm_vendor, legal, other_legal, second
):
    asked = Scope.build(purposes=[Purpose.ANALYTICS], channels=[Channel.SMS])
    extension = ask(edm_vendor, cmo, asked)
    before = Vendor.objects.get(pk=edm_vendor.pk).scope

    results = race(
        decide(extension.pk, legal, approve=True),
        decide(extension.pk, other_legal, approve=second == "approve"),
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ActivityError), repr(errors[0])
    assert errors[0].code == "already_decided"
    assert "was not recorded" in errors[0].message
    decided = ScopeExtension.objects.select_related("decided_by").get(pk=extension.pk)
    assert decided.decided_by.get_username() in errors[0].message
    assert (
        AuditEvent.objects.filter(
            action__in=["extension.approved", "extension.refused"], object_id=str(extension.pk)
        ).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action="extension.decision_refused", data__code="already_decided").count()
        == 1
    )
    vendor = Vendor.objects.get(pk=edm_vendor.pk)
    if decided.status == ExtensionStatus.APPROVED:
        # Widened once, by what was asked.
        assert vendor.scope == before.widened_by(asked)
    else:
        assert vendor.scope == before


def test_two_security_reviewers_at_once_pass_once(transactional_db, cmo, edm_vendor, security, legal):
    from tests.factories import make_user

    other_security = make_user("security2", "Security", is_staff=True)
    extension = ask(edm_vendor, cmo, Scope.build(data_categories=[DataCategory.LOCATION]))

    def passes(user):
        return lambda: extension_security_decide(
            extension=ScopeExtension.objects.get(pk=extension.pk), actor=user, approve=True, comment=""
        )

    results = race(passes(security), passes(other_security))

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "already_decided", results
    assert AuditEvent.objects.filter(action="extension.security_passed").count() == 1
    assert ScopeExtension.objects.get(pk=extension.pk).status == ExtensionStatus.AWAITING_LEGAL
