"""I8: two people deciding the same stage at once: exactly one decision is recorded, the other is told who
decided. The races need PostgreSQL's row locks, so they run there only, with real transactions in two threads;
what the loser is told is also checked one after the other, on any database."""

import threading

import pytest
from django.db import connections

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.evidence import certificate_add
from reviews.models import Decision, Stage, StageKind, StageState
from tests import builders
from tests.factories import cert_fields, pdf_upload


def race(*calls):
    """Run the calls in threads released at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001  (the refusal is the point)
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def submitted_questionnaire(transactional_db, requester):
    review = builders.start_review(requester)
    return builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)


@pytest.mark.parametrize("second", ["pass", "return"])
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_lawyers_deciding_at_once_record_one_decision(
    submitted_questionnaire, legal, other_legal, second
):
    stage = submitted_questionnaire
    decide_second = {
        "pass": lambda: workflow.stage_pass(stage=Stage.objects.get(pk=stage.pk), actor=other_legal),
        "return": lambda: workflow.stage_return(
            stage=Stage.objects.get(pk=stage.pk), actor=other_legal, comment="请补充 / please complete"
        ),
    }[second]

    results = race(
        lambda: workflow.stage_pass(stage=Stage.objects.get(pk=stage.pk), actor=legal), decide_second
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    error = errors[0]
    assert isinstance(error, WorkflowError), repr(error)
    assert error.code == "already_decided"
    decision = Decision.objects.get(stage=stage)
    assert decision.decided_by.get_username() in error.message
    assert "was not recorded" in error.message
    stage.refresh_from_db()
    assert stage.state == {"passed": StageState.PASSED, "returned": StageState.RETURNED}[decision.outcome]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_lawyers_signing_off_at_once_sign_once(transactional_db, requester, legal, other_legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    def sign(user):
        return lambda: workflow.review_sign_off(
            review=review, actor=user, password=builders.PASSWORD, statement="准予入库 / admitted"
        )

    results = race(sign(legal), sign(other_legal))

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], WorkflowError) and errors[0].code == "already_decided", repr(errors[0])
    assert Decision.objects.filter(stage__review=review, stage__kind=StageKind.SIGN_OFF).count() == 1
    assert review.vendor.reviews.get().sign_off.signed_by.get_username() in errors[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["pass", "return", "fail"])
def test_a_late_decision_is_told_who_decided_first(first, requester, legal, other_legal):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    late = Stage.objects.get(pk=stage.pk)
    {
        "pass": lambda: workflow.stage_pass(stage=stage, actor=legal),
        "return": lambda: workflow.stage_return(stage=stage, actor=legal, comment="补充 / complete it"),
        "fail": lambda: workflow.stage_fail(stage=stage, actor=legal, reason="拒绝 / refused"),
    }[first]()

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_pass(stage=late, actor=other_legal)

    assert refused.value.code == "already_decided"
    assert refused.value.message.startswith("legal already decided this stage")
    assert Decision.objects.filter(stage=stage).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_certificate_racing_the_submission_is_frozen_or_refused(
    transactional_db, requester, legal, security
):
    """I6 under concurrency: a certificate added while the stage is being submitted either makes it in
    before the submission (and is frozen with it) or is refused; it never sits unfrozen on a submitted stage."""
    review = builders.start_review(requester)
    builders.pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    builders.pass_stage(review, StageKind.DATA_SOURCE, requester, legal=legal, security=security)
    builders.fill_security(review, requester)
    stage_pk = builders.stage_of(review, StageKind.SECURITY).pk

    def add():
        return certificate_add(
            stage=Stage.objects.get(pk=stage_pk),
            actor=requester,
            upload=pdf_upload("iso27701.pdf", text="late certificate"),
            **cert_fields(kind="iso27701", edition="iso27701_2025", number="PIMS-2025-0001"),
        )

    results = race(lambda: workflow.stage_submit(stage=Stage.objects.get(pk=stage_pk), actor=requester), add)

    stage = Stage.objects.get(pk=stage_pk)
    assert stage.state == StageState.SUBMITTED, results
    added = stage.certifications.filter(number="PIMS-2025-0001").first()
    if isinstance(results[1], Exception):
        assert isinstance(results[1], WorkflowError) and results[1].code == "frozen", repr(results[1])
        assert added is None
    else:
        assert added is not None and added.frozen
