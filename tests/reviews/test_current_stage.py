"""The current stage each review keeps (reviews.current_stage): right after every service that creates a
review or moves a stage, equal to a fresh computation from the stages, and filled in by the migration."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

from reviews import workflow
from reviews.current_stage import review_refresh_current_stage, stale_current_stages
from reviews.errors import WorkflowError
from reviews.models import Review, ReviewState, StageKind, StageState
from tests.builders import (
    approved_review,
    pass_stage,
    review_ready_for_sign_off,
    stage_of,
    start_review,
    submit_stage,
    today,
)
from tests.factories import VendorFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db


def kept(review: Review) -> tuple:
    review.refresh_from_db()
    return review.current_stage_kind, review.current_stage_state, review.current_stage_waiting_since


def assert_kept_right(review: Review, kind, state, since_field: str | None) -> None:
    """The review keeps `kind` and `state`, waiting since the current stage's `since_field`, and no review
    anywhere differs from a fresh computation."""
    assert stale_current_stages() == []
    stage = stage_of(review, kind) if kind else None
    since = getattr(stage, since_field) if since_field else None
    assert kept(review) == (kind, state, since)
    assert since_field is None or since is not None


def test_a_new_request_waits_at_the_open_questionnaire(requester):
    review = start_review(requester)

    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.OPEN, "opened_at")


def test_submit_pass_and_the_next_stage_opening(requester, legal, security):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.SUBMITTED, "submitted_at")

    workflow.stage_pass(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal)
    assert_kept_right(review, StageKind.DATA_SOURCE, StageState.OPEN, "opened_at")

    pass_stage(review, StageKind.DATA_SOURCE, requester, legal=legal, security=security)
    pass_stage(review, StageKind.SECURITY, requester, legal=legal, security=security)
    # The sign-off goes straight to Legal's desk, submitted when it opens.
    assert_kept_right(review, StageKind.SIGN_OFF, StageState.SUBMITTED, "submitted_at")


def test_a_return_that_reopens_some_answers_and_the_resubmission(requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    workflow.stage_return(
        stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="fix A2", reopen=["A2"]
    )
    # As the queue always showed it: waiting since the stage opened.
    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.RETURNED, "opened_at")

    workflow.stage_submit(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=requester)
    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.SUBMITTED, "submitted_at")


def test_a_failed_stage_rejects_the_review_and_stays_current(requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    workflow.stage_fail(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, reason="forged licence")

    assert Review.objects.get(pk=review.pk).state == ReviewState.REJECTED
    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.FAILED, "opened_at")


def test_the_sign_off_leaves_no_current_stage(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)

    assert review.state == ReviewState.APPROVED
    assert_kept_right(review, None, None, None)


def test_the_sign_off_returning_security_makes_security_current_again(requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)

    workflow.sign_off_return_security(review=review, actor=legal, comment="renewed certificate, please")

    assert_kept_right(review, StageKind.SECURITY, StageState.RETURNED, "opened_at")
    assert stage_of(review, StageKind.SIGN_OFF).state == StageState.LOCKED


def test_a_withdrawn_request_keeps_the_stage_it_stopped_at(requester):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    workflow.review_withdraw(review=review, actor=requester, reason="no longer needed")

    assert Review.objects.get(pk=review.pk).state == ReviewState.WITHDRAWN
    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.SUBMITTED, "submitted_at")


def test_a_catch_up_review_waits_at_its_open_questionnaire(requester, legal):
    platform = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester)

    review = workflow.review_open_catch_up(
        vendor=platform, requester=requester, due=today() + timedelta(days=30), actor=legal
    )

    assert review.catch_up
    assert_kept_right(review, StageKind.QUESTIONNAIRE, StageState.OPEN, "opened_at")


def test_a_refused_transition_changes_nothing(requester, legal):
    review = start_review(requester)
    before = kept(review)

    with pytest.raises(WorkflowError):  # the stage is open, not submitted: nothing to decide
        workflow.stage_pass(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal)

    assert kept(review) == before and stale_current_stages() == []


def test_refreshing_leaves_the_time_of_change_alone(requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    changed = Review.objects.get(pk=review.pk).updated_at

    review_refresh_current_stage(review)

    assert Review.objects.get(pk=review.pk).updated_at == changed


def test_the_migration_fills_in_reviews_it_finds_empty(requester, legal, security, monkeypatch):
    waiting = start_review(requester)
    submit_stage(waiting, StageKind.QUESTIONNAIRE, requester)
    fresh = start_review(requester)
    approved = approved_review(requester, legal=legal, security=security)
    expected = {review.pk: kept(review) for review in (waiting, fresh, approved)}
    Review.objects.update(current_stage_kind=None, current_stage_state=None, current_stage_waiting_since=None)
    assert len(stale_current_stages()) == 2  # the approved one has no current stage either way

    [backfill] = [
        op
        for op in MigrationLoader(connection).get_migration("reviews", "0017_review_current_stage").operations
        if isinstance(op, RunPython)
    ]
    monkeypatch.setitem(backfill.code.__globals__, "BATCH_SIZE", 2)  # more than one batch
    backfill.code(apps, None)

    assert stale_current_stages() == []
    assert {review.pk: kept(review) for review in (waiting, fresh, approved)} == expected
    assert expected[waiting.pk][:2] == (StageKind.QUESTIONNAIRE, StageState.SUBMITTED)
