"""reviews.approval_scope.demo_mark_scope_derived: the demo's approval left as the scopes migration leaves one
signed before scopes existed (derived from the answers, unconfirmed), and recorded as such."""

import pytest
from django.utils import translation

from reviews import workflow
from reviews.approval_scope import demo_mark_scope_derived
from reviews.audit import audit_verify
from reviews.audit_checkpoints import audit_checkpoint
from reviews.audit_sentences import audit_sentence
from reviews.errors import WorkflowError
from reviews.models import AuditEvent
from reviews.scope_proposal import scope_proposed
from tests.builders import PASSWORD, review_ready_for_sign_off
from tests.factories import make_user
from vendors.scope import Channel, Purpose, Scope

pytestmark = pytest.mark.django_db

NARROW = Scope.build(purposes=[Purpose.MEMBER_MARKETING], channels=[Channel.WECHAT])


@pytest.fixture
def signed():
    cmo, legal, security = (
        make_user("cmo", "Requester"),
        make_user("legal", "Legal"),
        make_user("sec", "Security"),
    )
    review = review_ready_for_sign_off(cmo, legal=legal, security=security)
    return workflow.review_sign_off(
        review=review, actor=legal, password=PASSWORD, statement="准予入库", scope=NARROW
    )


def test_it_puts_the_derived_scope_on_the_sign_off_and_the_vendor_unconfirmed(signed):
    sign_off = demo_mark_scope_derived(sign_off=signed)

    vendor = sign_off.review.vendor
    vendor.refresh_from_db()
    derived = scope_proposed(sign_off.review).as_json()
    assert derived != NARROW.as_json()
    assert (sign_off.scope, sign_off.scope_confirmed) == (derived, False)
    assert (vendor.approved_scope, vendor.scope_confirmed) == (derived, False)


def test_it_is_audited_as_demo_data_by_nobody(signed):
    demo_mark_scope_derived(sign_off=signed)

    event = AuditEvent.objects.get(action="scope.derived")
    assert event.actor is None and event.review == signed.review
    assert event.data == {
        "number": signed.number,
        "scope": scope_proposed(signed.review).as_json(),
        "demo": True,
    }
    with translation.override("en"):
        sentence = audit_sentence(event)
    assert sentence.endswith("(demo data)") and signed.number in sentence
    audit_checkpoint(
        reason="test"
    )  # a decision's own checkpoint is written on commit, which a test never reaches
    assert audit_verify().ok


def test_it_refuses_a_scope_already_unconfirmed(signed):
    demo_mark_scope_derived(sign_off=signed)

    with pytest.raises(WorkflowError) as refused:
        demo_mark_scope_derived(sign_off=signed)
    assert refused.value.code == "state"
    assert AuditEvent.objects.filter(action="scope.derived").count() == 1


def test_it_leaves_a_vendor_whose_approval_is_another_alone(signed):
    vendor = signed.review.vendor
    vendor.approval_reference = "VD-2020-00001"  # as if a later approval had replaced this one
    vendor.save(update_fields=["approval_reference"])

    demo_mark_scope_derived(sign_off=signed)

    vendor.refresh_from_db()
    assert (vendor.approved_scope, vendor.scope_confirmed) == (NARROW.as_json(), True)
