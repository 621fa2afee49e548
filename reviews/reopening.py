"""What a returned stage reopens (issue 11, point 4).

A return does not undo what was given: answers and files of earlier rounds stay counted (I6 keeps them
frozen; they are not "missing" again). Legal names in the return what must change, question codes for the
questionnaire or evidence kinds for the data-source stage, and only those reopen, with the questions a named
question's answer shows or hides: the requester changes those answers or adds files there, and the rest stays
as submitted. A return that names nothing reopens the whole stage, still keeping everything given."""

from django.utils.translation import gettext as _

from .errors import WorkflowError
from .models import DecisionOutcome, EvidenceKind, Question, Stage, StageKind

REOPENABLE_KINDS = (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE)


def reopenable(stage: Stage, reopen) -> list[str]:
    """`reopen` checked against the stage: known question codes or evidence kinds, in a stable order."""
    wanted = list(dict.fromkeys(str(item) for item in reopen or () if item))
    if not wanted:
        return []
    shown_by: dict[str, list] = {}
    if stage.kind == StageKind.QUESTIONNAIRE:
        questions = list(
            Question.objects.filter(section__template_id=stage.review.template_id)
            .order_by("section__order", "order")
            .values_list("code", "show_if")
        )
        known = [code for code, _show_if in questions]
        shown_by = dict(questions)
    elif stage.kind == StageKind.DATA_SOURCE:
        known = list(EvidenceKind.values)
    else:
        known = []
    unknown = [item for item in wanted if item not in known]
    if unknown:
        raise WorkflowError(
            _("These cannot be reopened in this stage: %(items)s.") % {"items": ", ".join(unknown)},
            code="reopen",
        )
    reopen = _with_the_questions_they_show(set(wanted), shown_by)
    return [item for item in known if item in reopen]


def _with_the_questions_they_show(codes: set, shown_by: dict) -> set:
    """`codes` and every question whose showing depends on one of them, however indirectly (its show_if
    tests one of their answers): a new answer may show a question never answered, and the requester must
    be able to answer it, or the stage could never be submitted again."""
    codes = set(codes)
    while True:
        more = {
            code
            for code, show_if in shown_by.items()
            if code not in codes and any(clause.get("q") in codes for clause in show_if or ())
        }
        if not more:
            return codes
        codes |= more


def reopened(stage: Stage) -> frozenset | None:
    """What the current round may change: the items the last return named, or None when everything may
    (round 1, or a return that named nothing)."""
    if stage.round <= 1 or stage.kind not in REOPENABLE_KINDS:
        return None
    decision = stage.decisions.filter(round=stage.round - 1, outcome=DecisionOutcome.RETURNED).first()
    if decision is None or not decision.reopened:
        return None
    return frozenset(decision.reopened)


def may_change(stage: Stage, item: str, *, opened=...) -> bool:
    """Whether the current round may change `item` (a question code or an evidence kind). Pass `opened`
    (reopened(stage)) when checking many items, to read the return once."""
    opened = reopened(stage) if opened is ... else opened
    return opened is None or item in opened


def refuse_unless_reopened(stage: Stage, items, *, opened=...) -> None:
    opened = reopened(stage) if opened is ... else opened
    locked = [item for item in items if not may_change(stage, item, opened=opened)]
    if locked:
        raise WorkflowError(
            _("Only what Legal reopened can change in this round (%(open)s); %(locked)s stays as submitted.")
            % {"open": ", ".join(sorted(opened or ())), "locked": ", ".join(locked)},
            code="not_reopened",
        )
