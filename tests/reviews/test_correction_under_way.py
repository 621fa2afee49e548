"""An identity correction reopens what it invalidates (reviews/correction.py): a correction of the credit code
or a legal name under a review in progress returns every decided stage to the requester, refuses a sign-off
about to be given, and names the review in the audit log. Against a sign-off at the same moment the outcome
is the same whichever wins: the corrected company is never approved on decisions about the old one (the
races on PostgreSQL)."""

import threading
import time

import pytest
from django.core import mail
from django.db import connections

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Answer, AuditEvent, Review, ReviewState, SignOff, Stage, StageKind, StageState
from tests import builders
from tests.factories import PASSWORD, uscc_with_check
from vendors import services
from vendors.models import Vendor, VendorStatus

Q, DS, SEC, SO = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY, StageKind.SIGN_OFF
NEW_USCC = uscc_with_check("91310000MA1K00000")
REASON = "营业执照显示另一名称 / the licence shows another name"


def states(review):
    return {s.kind: (s.state, s.round) for s in Stage.objects.filter(review=review)}


def correct(vendor, legal, **fields):
    return services.vendor_correct_identity(
        vendor=Vendor.objects.get(pk=vendor.pk), actor=legal, reason=REASON, **(fields or {"uscc": NEW_USCC})
    )


@pytest.mark.django_db
def test_a_corrected_credit_code_returns_every_decided_stage_to_the_requester(
    requester, legal, security, django_capture_on_commit_callbacks
):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    builders.pass_stage(review, DS, requester, legal=legal, security=security)
    builders.submit_stage(review, SEC, requester)

    with django_capture_on_commit_callbacks(execute=True):
        correct(review.vendor, legal)

    assert states(review) == {
        Q: (StageState.RETURNED, 2),
        DS: (StageState.LOCKED, 2),
        SEC: (StageState.LOCKED, 2),
        SO: (StageState.LOCKED, 1),
    }
    event = AuditEvent.objects.get(action="review.returned_after_correction")
    assert (event.review, event.actor, event.data["stages"]) == (review, legal, [Q, DS, SEC])
    assert event.data["changes"]["uscc"][1] == NEW_USCC and event.data["reason"] == REASON
    assert Answer.objects.get(review=review, question__code="A1").detail == NEW_USCC
    # The requester answers again; the lawyer whose decisions were set aside hears of it (he corrected it).
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert "Returned after an identity correction" in mail.outbox[0].subject
    review.refresh_from_db()
    assert review.state == ReviewState.IN_PROGRESS and review.current_stage_kind == Q


@pytest.mark.django_db
def test_after_the_return_the_review_goes_through_its_stages_again_in_order(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    correct(review.vendor, legal, name_zh="更正后的名称有限公司")

    with pytest.raises(WorkflowError):
        workflow.stage_submit(
            stage=builders.stage_of(review, DS), actor=requester
        )  # not before the questionnaire
    for kind in (Q, DS, SEC):
        stage = builders.stage_of(review, kind)
        workflow.stage_submit(stage=stage, actor=requester)  # what was given still counts (I6)
        workflow.stage_pass(stage=stage, actor=legal if kind != SEC else security)
    workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="ok")

    vendor = Vendor.objects.get(pk=review.vendor_id)
    assert vendor.status == VendorStatus.APPROVED and vendor.name_zh == "更正后的名称有限公司"


@pytest.mark.django_db
def test_a_sign_off_about_to_be_given_is_refused_after_a_correction(requester, legal, other_legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    correct(review.vendor, other_legal)

    with pytest.raises(WorkflowError, match="The vendor's identity was corrected") as refused:
        workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="ok")

    assert refused.value.code == "identity_corrected"
    assert REASON in refused.value.message
    assert not SignOff.objects.exists()
    assert Vendor.objects.get(pk=review.vendor_id).status != VendorStatus.APPROVED
    assert AuditEvent.objects.latest("pk").action == "signoff.refused"


@pytest.mark.django_db
def test_nothing_decided_yet_goes_on_with_the_corrected_identity_and_says_so(requester, legal, security):
    review = builders.start_review(requester)
    builders.submit_stage(review, Q, requester)
    before = states(review)

    correct(review.vendor, legal)

    assert states(review) == before
    event = AuditEvent.objects.get(action="review.returned_after_correction")
    assert event.review == review and event.data["stages"] == []


@pytest.mark.django_db
def test_a_corrected_category_alone_returns_nothing(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    before = states(review)

    correct(review.vendor, legal, category="sms_edm")

    assert states(review) == before
    assert not AuditEvent.objects.filter(action="review.returned_after_correction").exists()


@pytest.mark.django_db
def test_a_correction_during_a_renewal_suspends_the_approval_and_returns_the_renewal(
    requester, legal, security, settings
):
    from datetime import timedelta

    from django.utils import timezone

    first = builders.approved_review(
        requester, legal=legal, security=security, valid_until=timezone.localdate() + timedelta(days=30)
    )
    renewal = builders.start_review(requester, vendor=Vendor.objects.get(pk=first.vendor_id))
    builders.pass_stage(renewal, Q, requester, legal=legal, security=security)

    correct(first.vendor, legal)

    assert Vendor.objects.get(pk=first.vendor_id).status == VendorStatus.SUSPENDED
    assert states(renewal)[Q] == (StageState.RETURNED, 2)
    assert AuditEvent.objects.get(action="review.returned_after_correction").review == renewal
    assert Review.objects.filter(vendor_id=first.vendor_id).count() == 2  # no third review


# -- the race with a sign-off, on PostgreSQL ------------------------------------------------------------------


def in_thread(call, results, key):
    def run():
        try:
            results[key] = call()
        except Exception as exc:  # noqa: BLE001  (a refusal is an outcome)
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def held(monkeypatch, target: str, name: str):
    """Make `target.name` wait, inside its transaction and holding its locks, until released."""
    import importlib

    module = importlib.import_module(target)
    original = getattr(module, name)
    reached, release = threading.Event(), threading.Event()

    def waiting(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        assert release.wait(timeout=20)
        return result

    monkeypatch.setattr(module, name, waiting)
    return reached, release


def sign(review, legal):
    return lambda: workflow.review_sign_off(
        review=Review.objects.get(pk=review.pk),
        actor=legal,
        password=PASSWORD,
        statement="准予入库 / approved",
    )


def assert_never_approved_on_the_old_decisions(review):
    """The one outcome, whichever wins: the vendor is not approved, and if a sign-off was given, it was given
    to the identity as it was (it comes before the correction in the log) and is suspended by it."""
    vendor = Vendor.objects.get(pk=review.vendor_id)
    assert vendor.status != VendorStatus.APPROVED
    signed = AuditEvent.objects.filter(action="review.signed_off", review=review).first()
    corrected = AuditEvent.objects.get(action="vendor.identity_corrected", vendor=vendor)
    if signed is not None:
        assert signed.pk < corrected.pk
        assert AuditEvent.objects.filter(
            action="vendor.suspended", vendor=vendor, pk__gt=corrected.pk
        ).exists()
        assert Review.objects.filter(vendor=vendor, state=ReviewState.DRAFT).exists()  # vetted again
    else:
        assert states(review)[Q] == (StageState.RETURNED, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_a_correction_first_makes_the_waiting_sign_off_refuse(
    monkeypatch, requester, legal, other_legal, security
):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    reached, release = held(monkeypatch, "reviews.correction", "review_return_after_correction")
    results = {}

    correcting = in_thread(lambda: correct(review.vendor, other_legal), results, "correction")
    assert reached.wait(timeout=20)
    signing = in_thread(sign(review, legal), results, "sign_off")
    time.sleep(0.5)
    assert signing.is_alive()  # waiting for the review the correction holds
    release.set()
    correcting.join(timeout=30)
    signing.join(timeout=30)

    assert isinstance(results["correction"], Vendor)
    assert isinstance(results["sign_off"], WorkflowError) and results["sign_off"].code == "identity_corrected"
    assert not SignOff.objects.exists()
    assert_never_approved_on_the_old_decisions(review)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_a_sign_off_first_is_suspended_by_the_waiting_correction(
    monkeypatch, requester, legal, other_legal, security
):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    old_name = review.vendor.name_zh
    reached, release = held(monkeypatch, "vendors.services", "vendor_admit")
    results = {}

    signing = in_thread(sign(review, legal), results, "sign_off")
    assert reached.wait(timeout=20)
    correcting = in_thread(
        lambda: correct(review.vendor, other_legal, name_zh="另一家公司有限公司"), results, "correction"
    )
    time.sleep(0.5)
    assert correcting.is_alive()  # waiting for the review the sign-off holds
    release.set()
    signing.join(timeout=30)
    correcting.join(timeout=30)

    sign_off = results["sign_off"]
    assert isinstance(sign_off, SignOff), results
    # The approval names the company as it was when it was signed ...
    signed = AuditEvent.objects.get(action="vendor.approved", vendor_id=review.vendor_id)
    assert signed.pk < AuditEvent.objects.get(action="vendor.identity_corrected").pk
    assert old_name != "另一家公司有限公司"
    assert_never_approved_on_the_old_decisions(review)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_a_correction_and_a_sign_off_at_the_same_moment_never_approve_the_new_company(
    requester, legal, other_legal, security
):
    for attempt in range(3):
        review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
        barrier = threading.Barrier(2)
        results = {}

        def at_once(call, barrier=barrier):
            def run():
                barrier.wait(timeout=10)
                return call()

            return run

        name = f"更正名称{attempt}有限公司"
        threads = [
            in_thread(at_once(sign(review, legal)), results, "sign_off"),
            in_thread(
                at_once(lambda vendor=review.vendor, name=name: correct(vendor, other_legal, name_zh=name)),
                results,
                "correction",
            ),
        ]
        for thread in threads:
            thread.join(timeout=30)

        assert isinstance(results["correction"], Vendor), results  # never a deadlock, never an error page
        assert isinstance(results["sign_off"], SignOff | WorkflowError), results
        assert_never_approved_on_the_old_decisions(review)
