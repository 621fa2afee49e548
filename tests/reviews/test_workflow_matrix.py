"""The transition matrix: every (stage, stage state, transition, actor) cell, allowed or refused.

Each starting state is reached through the real services (tests.builders), never by writing state fields.
Two states are unreachable and left out: the questionnaire is never locked (it opens with the review), and the
sign-off stage is never open or returned (it goes straight to Legal's desk and cannot be returned)."""

import pytest
from django.db import transaction

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, Decision, Review, Stage, StageKind, StageState
from tests import builders
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

Q, DS, SEC, SIGN = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY, StageKind.SIGN_OFF
ACTORS = ["requester", "other_requester", "legal", "security", "auditor", "legal_requester"]
OWNERS = {"requester", "legal_requester"}
DECIDERS = {Q: "legal", DS: "legal", SEC: "security", SIGN: "legal"}
REACHABLE = {
    Q: [StageState.OPEN, StageState.SUBMITTED, StageState.PASSED, StageState.RETURNED, StageState.FAILED],
    DS: list(StageState),
    SEC: list(StageState),
    SIGN: [StageState.LOCKED, StageState.SUBMITTED, StageState.PASSED, StageState.FAILED],
}
TRANSITIONS = {kind: ["submit", "pass", "return", "fail"] for kind in (Q, DS, SEC)}
TRANSITIONS[SIGN] = ["submit", "pass", "return", "fail", "sign_off"]
AFTER = {
    "submit": StageState.SUBMITTED,
    "pass": StageState.PASSED,
    "return": StageState.RETURNED,
    "fail": StageState.FAILED,
    "sign_off": StageState.PASSED,
}


def expected_allowed(kind, state, transition, actor) -> bool:
    if transition == "submit":
        return actor in OWNERS and kind != SIGN and state in (StageState.OPEN, StageState.RETURNED)
    if actor != DECIDERS[kind] or state != StageState.SUBMITTED:
        return False
    if kind == SIGN:
        # The last stage passes only through review_sign_off and can be failed, never returned.
        return transition in ("fail", "sign_off")
    return transition in ("pass", "return", "fail")


CELLS = [
    pytest.param(
        kind,
        state,
        transition,
        actor,
        expected_allowed(kind, state, transition, actor),
        id=f"{kind}-{state}-{transition}-{actor}",
    )
    for kind in (Q, DS, SEC, SIGN)
    for state in REACHABLE[kind]
    for transition in TRANSITIONS[kind]
    for actor in ACTORS
]


@pytest.fixture
def legal_requester(db):
    """A Legal member who also requests vendors: may submit their own request, never decide it (I4)."""
    return make_user("legal_cmo", "Requester", "Legal", is_staff=True)


@pytest.fixture(scope="module")
def starting_points(django_db_setup, django_db_blocker):
    """Every starting review, built once for the module inside a transaction that is rolled back at the
    end (the pattern of Django's TestCase.setUpTestData). Each cell runs in its own savepoint within it,
    so what one cell does is undone before the next: 42 builds instead of one per cell."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            owners = {
                "requester": make_user("cmo", "Requester"),
                "legal_requester": make_user("legal_cmo", "Requester", "Legal", is_staff=True),
            }
            legal = make_user("legal", "Legal", is_staff=True)
            security = make_user("security", "Security", is_staff=True)
            yield {
                (kind, state, owner_name): reach(kind, state, owner=owner, legal=legal, security=security).pk
                for kind in (Q, DS, SEC, SIGN)
                for state in REACHABLE[kind]
                for owner_name, owner in owners.items()
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def reach(kind, state, *, owner, legal, security) -> Review:
    """A review whose `kind` stage is in `state`, with content ready so that a submit could succeed."""
    review = builders.start_review(owner)
    if state == StageState.LOCKED:
        return review
    order = [Q, DS, SEC, SIGN]
    for earlier in order[: order.index(kind)]:
        builders.pass_stage(review, earlier, owner, legal=legal, security=security)
    decider = security if DECIDERS[kind] == "security" else legal
    stage = builders.stage_of(review, kind)
    if kind != SIGN:
        if state == StageState.OPEN:
            builders.FILLERS[kind](review, owner)
            return review
        builders.submit_stage(review, kind, owner)
    if state == StageState.PASSED:
        if kind == SIGN:
            workflow.review_sign_off(
                review=review, actor=legal, password=PASSWORD, statement="准予入库 / admitted"
            )
        else:
            workflow.stage_pass(stage=stage, actor=decider)
    elif state == StageState.RETURNED:
        workflow.stage_return(stage=stage, actor=decider, comment="请补充材料 / please complete the file")
        builders.FILLERS[kind](review, owner)  # the new round's content, so a resubmission could succeed
    elif state == StageState.FAILED:
        workflow.stage_fail(stage=stage, actor=decider, reason="不符合要求 / does not qualify")
    return review


def attempt(transition, *, review, stage, actor):
    if transition == "submit":
        return workflow.stage_submit(stage=stage, actor=actor)
    if transition == "pass":
        return workflow.stage_pass(stage=stage, actor=actor, comment="符合要求 / meets requirements")
    if transition == "return":
        return workflow.stage_return(
            stage=stage, actor=actor, comment="请补充 / please add the missing pages"
        )
    if transition == "fail":
        return workflow.stage_fail(stage=stage, actor=actor, reason="不符合要求 / does not qualify")
    return workflow.review_sign_off(
        review=review, actor=actor, password=PASSWORD, statement="经审查准予入库 / admitted after review"
    )


@pytest.mark.parametrize(("kind", "state", "transition", "actor_name", "allowed"), CELLS)
def test_transition_matrix(request, starting_points, kind, state, transition, actor_name, allowed):
    actor = request.getfixturevalue(actor_name)
    owner_name = "legal_requester" if actor_name == "legal_requester" else "requester"
    review = Review.objects.get(pk=starting_points[(kind, state, owner_name)])
    stage = builders.stage_of(review, kind)
    assert stage.state == state  # the builder reached the cell's starting state
    stages_before = dict(Stage.objects.filter(review=review).values_list("kind", "state"))
    review_state_before = Review.objects.get(pk=review.pk).state
    decisions_before = Decision.objects.count()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    if allowed:
        attempt(transition, review=review, stage=stage, actor=actor)
        stage.refresh_from_db()
        assert stage.state == AFTER[transition]
        assert AuditEvent.objects.filter(pk__gt=last_event).exists()
        assert Decision.objects.count() == decisions_before + (transition != "submit")
        return

    with pytest.raises(WorkflowError) as refused:
        attempt(transition, review=review, stage=stage, actor=actor)
    assert refused.value.message
    assert dict(Stage.objects.filter(review=review).values_list("kind", "state")) == stages_before
    assert stages_before[kind] == state
    assert Review.objects.get(pk=review.pk).state == review_state_before
    assert Decision.objects.count() == decisions_before
    new_events = list(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True))
    if transition == "submit":
        assert new_events == []
    else:
        # Every refused decision attempt is kept, whatever the reason (wrong role, own request, wrong state).
        assert new_events == ["signoff.refused" if transition == "sign_off" else "stage.decision_refused"]
        assert AuditEvent.objects.latest("pk").data["code"] == refused.value.code
