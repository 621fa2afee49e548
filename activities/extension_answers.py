"""The answers a scope extension gives again, held to the questionnaire's own rules (docs/domain.md "Use").

An extension reopens only the questions its additions need (activities.extension_rules). What is answered
again must fit the question as the questionnaire's form would have it (yes or no, one of the offered choices,
the details where the question asks for them), and a red-flag answer refuses the request as it blocks a
questionnaire (docs/architecture.md, I3): a scope must not grow on an answer that would have kept the vendor
off the list.

The answers are read against the approved review's own (reviews.questionnaire.scoring.evaluate), so that a
rule depending on another answer (B2 on B1, D9 on A5) reads what the vendor said then. A question the
extension asks counts even where the approved review's answers hid it: the addition is what makes it
relevant (a vendor-supplied audience asks B4 of a vendor vetted as a processor, an SMS channel asks A3 of a
CDP), and an answer given on purpose is never "left over"."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reviews.models import AnswerType, Question, QuestionnaireTemplate, Review
from reviews.questionnaire.scoring import AnswerState, Flag, RiskResult, evaluate, review_answer_states
from vendors.citations import citation
from vendors.text import clean_text

from .services import ActivityError

# As the questionnaire's form (reviews.questionnaire.forms.SectionForm).
DETAIL_MAX_LENGTH = 5000


def approved_review(reference: str) -> Review | None:
    """The review whose sign-off is the approval `reference` names (None for an unknown reference)."""
    if not reference:
        return None
    return Review.objects.select_related("vendor", "template").filter(sign_off__number=reference).first()


def template_questions(review: Review | None) -> list[Question]:
    """The questions of the approved review's template, in questionnaire order: an extension's answers are
    given to the questions the vendor was vetted on (the active template when no review is found)."""
    template_id: int | None
    if review is not None:
        template_id = review.template_id
    else:
        template_id = (
            QuestionnaireTemplate.objects.filter(subject="vendor", is_active=True)
            .order_by("-version")
            .values_list("pk", flat=True)
            .first()
        )
    return list(Question.objects.filter(section__template_id=template_id).order_by("section__order", "order"))


def _choices(question: Question) -> set[str]:
    if question.answer_type == AnswerType.YES_NO:
        return {"yes", "no"}
    return {choice["value"] for choice in question.choices}


def _one(question: Question, given) -> tuple[dict, str | None]:
    """The answer in the form it is kept ({"value", "detail"}) and what is wrong with it, if anything."""
    code = question.code
    if isinstance(given, (tuple, list)) and len(given) == 2:
        given = {"value": given[0], "detail": given[1]}
    if not isinstance(given, Mapping):
        return {}, _("%(code)s: the answer could not be read.") % {"code": code}
    value, detail = given.get("value"), given.get("detail") or ""
    if not isinstance(detail, str):
        return {}, _("%(code)s: the details could not be read.") % {"code": code}
    detail = clean_text(detail, error=ActivityError, multiline=True)
    if len(detail) > DETAIL_MAX_LENGTH:
        return {}, (
            _("%(code)s: the details are longer than %(max)s characters.")
            % {"code": code, "max": DETAIL_MAX_LENGTH}
        )
    kind = question.answer_type
    if value in (None, "", []):
        value = None
    elif kind in (AnswerType.TEXT, AnswerType.FILE):
        # The answer to a text question is its details; a value here is not an answer the form can give.
        return {}, _("%(code)s: this question is answered in the details.") % {"code": code}
    elif kind == AnswerType.MULTI:
        values = list(value) if isinstance(value, (list, tuple)) else None
        if values is None or not all(isinstance(v, str) and v in _choices(question) for v in values):
            return {}, _("%(code)s: choose among the offered answers.") % {"code": code}
        value = [v for v in question_order(question) if v in values]
    elif not isinstance(value, str) or value not in _choices(question):
        if kind == AnswerType.YES_NO:
            return {}, _("%(code)s: answer yes or no.") % {"code": code}
        return {}, _("%(code)s: choose one of the offered answers.") % {"code": code}
    return {"value": value, "detail": detail}, None


def question_order(question: Question) -> list[str]:
    return [choice["value"] for choice in question.choices]


def _answered(question: Question, answer: dict) -> bool:
    if question.answer_type in (AnswerType.TEXT, AnswerType.FILE):
        answered = bool(answer.get("detail"))
    else:
        answered = answer.get("value") is not None
    return answered and (bool(answer.get("detail")) or not question.detail_required)


def answers_checked(
    *, questions: Mapping[str, Question], needed: tuple[str, ...], answers: Mapping | None
) -> dict[str, dict]:
    """The answers to the `needed` questions, each checked against its question ({code: {"value",
    "detail"}}); ActivityError (field "answers") names every question answered wrongly or not at all.
    Answers to questions the extension does not need are left out."""
    answers = answers or {}
    kept, wrong, missing = {}, [], []
    for code in needed:
        question = questions.get(code)
        if question is None:
            # The table names a question the vetting did not ask (an older template): nothing to answer again.
            continue
        if code not in answers:
            missing.append(code)
            continue
        answer, problem = _one(question, answers[code])
        if problem:
            wrong.append(problem)
        elif not _answered(question, answer):
            missing.append(code)
        else:
            kept[code] = answer
    if wrong:
        raise ActivityError(" ".join(wrong), field="answers")
    if missing:
        raise ActivityError(
            _("Answer the questions this extension needs (with the details each asks for): %(codes)s.")
            % {"codes": ", ".join(missing)},
            field="answers",
        )
    return kept


@dataclass(frozen=True)
class AskedAgain:
    """A question the extension asks, as scoring reads it, shown whatever the approved answers hide."""

    code: str
    answer_type: str
    rules: list
    required: bool
    detail_required: bool
    file_required: bool
    legal_basis: str
    show_if: tuple = ()

    @classmethod
    def of(cls, question: Question) -> "AskedAgain":
        return cls(
            code=question.code,
            answer_type=question.answer_type,
            rules=question.rules or [],
            required=question.required,
            detail_required=question.detail_required,
            file_required=question.file_required,
            legal_basis=question.legal_basis,
        )


@dataclass(frozen=True)
class AnswersReading:
    before: dict[str, AnswerState]  # the approved review's answers
    after: dict[str, AnswerState]  # with the extension's answers in their place
    result: RiskResult  # `after`, evaluated
    red_flags: list[Flag]  # what refuses the extension: a red flag of a question asked again, or a new one


def answers_reading(
    *,
    review: Review | None,
    questions: list[Question],
    answers: Mapping[str, dict],
    file_kinds,
    category: str,
    before: dict[str, AnswerState] | None = None,
) -> AnswersReading:
    """The extension's `answers` read with the approved review's. A question asked again has a file when the
    extension gives a document of its evidence kind (`file_kinds`) or the approved review had one for it."""
    if before is None:
        before = review_answer_states(review) if review is not None else {}
    asked = set(answers)
    shown = [AskedAgain.of(q) if q.code in asked else q for q in questions]
    kinds = {q.code: q.evidence_kind for q in questions}
    after = dict(before)
    for code, answer in answers.items():
        earlier = before.get(code)
        after[code] = AnswerState(
            value=answer.get("value"),
            detail=answer.get("detail") or "",
            has_file=(bool(kinds.get(code)) and kinds.get(code) in file_kinds)
            or bool(earlier and earlier.has_file),
        )
    result = evaluate(shown, after, category=category)
    known = {(flag.code, flag.message) for flag in evaluate(shown, before, category=category).red_flags}
    red_flags = [
        flag for flag in result.red_flags if flag.code in asked or (flag.code, flag.message) not in known
    ]
    return AnswersReading(before=before, after=after, result=result, red_flags=red_flags)


def red_flag_message(flags: list[Flag]) -> str:
    """The refusal, naming each question and its article."""
    items = " ".join(
        _("%(code)s (%(article)s): %(message)s")
        % {"code": f.code, "article": citation(f.legal_basis), "message": f.message}
        for f in flags
    )
    return _("A red-flag answer blocks this extension, as it blocks a questionnaire: %(flags)s") % {
        "flags": items
    }
