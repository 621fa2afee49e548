"""Saving questionnaire answers, drafts included."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..access import account_of, can_write_stage, link_of
from ..audit import audit_record
from ..errors import WorkflowError
from ..models import REQUEST_FILLED_QUESTION, Answer, Question, Review, StageKind
from ..reopening import refuse_unless_reopened
from .scoring import RiskResult, evaluate_review


def review_rescore(review: Review, *, actor=None, cause: str = "") -> RiskResult:
    """Score the review again and store its score, tier and red flags. With `cause` (the action that may
    have changed them: a submission, a return, a file), a change is recorded as its own audit event,
    review.rescored, so that the trail tells every tier the review went through (the dossier prints both)."""
    before = (
        Review.objects.filter(pk=review.pk).values_list("risk_score", "risk_tier", "red_flag_count").first()
    )
    result = evaluate_review(review)
    Review.objects.filter(pk=review.pk).update(
        risk_score=result.score, risk_tier=result.tier, red_flag_count=len(result.red_flags)
    )
    after = (result.score, result.tier, len(result.red_flags))
    if cause and before is not None and tuple(before) != after:
        audit_record(
            action="review.rescored",
            actor=actor,
            review=review,
            obj=review,
            data={
                "cause": cause,
                "risk_score": result.score,
                "tier": result.tier,
                "red_flags": [f.code for f in result.red_flags],
                "previous": {"risk_score": before[0], "tier": before[1], "red_flag_count": before[2]},
            },
        )
    review.risk_score, review.risk_tier, review.red_flag_count = (
        result.score,
        result.tier,
        len(result.red_flags),
    )
    return result


def _guard_editable(stage, actor) -> None:
    if not can_write_stage(actor, stage):
        raise WorkflowError(
            _("Only the requester can answer the questionnaire of an open review."), code="forbidden"
        )
    if not stage.is_editable:
        raise WorkflowError(
            _("The questionnaire is %(state)s and cannot be changed.") % {"state": stage.get_state_display()},
            code="frozen",
        )


def answers_save(*, review: Review, actor, answers: dict) -> RiskResult:
    """Upsert answers: {question_code: (value, detail)}. Unknown codes are refused. `actor` is the requester
    or a vendor contact's link (reviews.access.can_write_stage)."""
    _guard_editable(review.stages.get(kind=StageKind.QUESTIONNAIRE), actor)
    questions = {q.code: q for q in Question.objects.filter(section__template=review.template)}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise WorkflowError(_("Unknown questions: %(codes)s") % {"codes": ", ".join(unknown)}, code="unknown")
    # One fact, entered once: A1 is the credit code of the request (reviews.workflow.review_create), read-only
    # here; whatever is sent for it is ignored.
    answers = {code: answer for code, answer in answers.items() if code != REQUEST_FILLED_QUESTION}
    existing = {a.question.code: a for a in Answer.objects.filter(review=review).select_related("question")}
    changes = [
        code
        for code, (value, detail) in answers.items()
        if (existing.get(code) is None and (value not in (None, "", []) or (detail or "").strip()))
        or (
            existing.get(code) is not None
            and (existing[code].value, existing[code].detail) != (value, (detail or "").strip())
        )
    ]
    changed = []
    with transaction.atomic():
        # Lock the review, then the questionnaire (the order of reviews.workflow) and look again: answers
        # saved while the stage is being submitted must not change it afterwards (I6).
        # The guard runs again on the locked rows: a link revoked meanwhile no longer writes either.
        locked = Review.objects.select_for_update().get(pk=review.pk)
        stage = locked.stages.select_for_update().get(kind=StageKind.QUESTIONNAIRE)
        _guard_editable(stage, actor)
        # After a return only the answers Legal reopened change; the rest stays as submitted (reviews.reopening).
        refuse_unless_reopened(stage, changes)
        for code, (value, detail) in answers.items():
            detail = (detail or "").strip()
            current = existing.get(code)
            if current is not None and current.value == value and current.detail == detail:
                continue
            if current is None:
                Answer.objects.create(
                    review=review,
                    question=questions[code],
                    value=value,
                    detail=detail,
                    updated_by=account_of(actor),
                    contact_link=link_of(actor),
                )
            else:
                current.value, current.detail = value, detail
                current.updated_by, current.contact_link = account_of(actor), link_of(actor)
                current.save(update_fields=["value", "detail", "updated_by", "contact_link", "updated_at"])
            changed.append(code)
        result = review_rescore(review)
        if changed:
            audit_record(
                action="answers.saved",
                actor=actor,
                review=review,
                obj=review,
                data={
                    "questions": changed,
                    "risk_score": result.score,
                    "tier": result.tier,
                    "red_flags": [f.code for f in result.red_flags],
                },
            )
    return result
