"""Scoring of questionnaire answers: which questions show, which are missing, red flags, risk score and tier.

Pure functions over Question rows and answer states; nothing here writes to the database.

The condition language, stored on Question.show_if and Question.rules
---------------------------------------------------------------------
show_if   a list of clauses that must all hold for the question to be shown; empty means always shown.
rule      {"effect": "red_flag" | "risk", "points": int (risk only), "when": [clause, ...],
           "message_zh": str, "message_en": str, "legal_basis": str (optional; defaults to the question's)}
          It fires when every clause of "when" holds. A red flag is an automatic blocker (I3, docs/domain.md "Red flags");
          a risk adds its points to the score. Messages say in one sentence what is wrong and why.
clause    {"q": code | "self" | "@category", "op": op, "value": ...}
          "q" names what is tested: another question's answer by code, the rule's own question ("self", the
          default when "q" is left out), or the vendor's category ("@category", e.g. "sms_edm").

Value operators test the answer value ("yes"/"no", a choice value, or a list for MULTI questions). They are
false while the tested answer is empty, so an unanswered question never raises a flag; it is reported as
missing instead.
  eq, ne          the answer is / is not `value`
  in, not_in      the answer is / is not one of the list `value`
  lacks           a MULTI answer does not contain `value`
  For a MULTI answer, eq and in mean "contains" (eq: contains `value`, in: contains any of `value`);
  ne and not_in are their negations.
State operators take an optional boolean `value` (default true; false negates the test):
  blank           the detail text is blank
  no_file         the question has no current evidence file
  answered        the question has a value or a non-blank detail

A hidden question's answer is ignored everywhere, in other questions' clauses too: an answer left over from
before the answer it depends on changed must not raise a flag.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from vendors.models import RiskTier

from ..models import REQUEST_FILLED_QUESTION, REQUEST_VOLUME_QUESTION, Answer, AnswerType, Evidence, Question
from . import tiering

# Tier thresholds on the risk score; any red flag makes the tier critical regardless of the score.
HIGH_RISK_SCORE = 40
MEDIUM_RISK_SCORE = 15

RED_FLAG = "red_flag"
RISK = "risk"

VALUE_OPS = {"eq", "ne", "in", "not_in", "lacks"}
STATE_OPS = {"blank", "no_file", "answered"}


@dataclass(frozen=True)
class AnswerState:
    value: object = None
    detail: str = ""
    has_file: bool = False


EMPTY = AnswerState()


@dataclass(frozen=True)
class Flag:
    code: str
    effect: str
    points: int
    message: str
    legal_basis: str


@dataclass(frozen=True)
class RiskResult:
    score: int
    tier: (
        str  # the higher of the floor (inherent risk) and the score's tier (residual); Critical on a red flag
    )
    red_flags: list[Flag] = field(default_factory=list)
    risks: list[Flag] = field(default_factory=list)
    missing: list = field(default_factory=list)  # visible, required, unanswered Question objects
    visible: list = field(default_factory=list)  # visible Question objects, in order
    answered_codes: frozenset = frozenset()  # visible questions answered completely
    # Why the tier: each contributing fact with its article and effect (questionnaire.tiering.Reason): red
    # flags, then the floor rules that apply, then the risk points.
    reasons: list[tiering.Reason] = field(default_factory=list)
    floor: str = RiskTier.LOW.value
    # False while nothing is answered yet (a fresh draft): "not assessed yet", never "Low 0".
    assessed: bool = True

    @property
    def answered_count(self) -> int:
        return len(self.answered_codes)

    @property
    def total(self) -> int:
        return len(self.visible)

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def flags(self) -> list[Flag]:
        return [*self.red_flags, *self.risks]

    def flags_for(self, code: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.code == code]


def _has_value(value) -> bool:
    return value is not None and value != "" and value != []


def _has_detail(state: AnswerState) -> bool:
    return bool((state.detail or "").strip())


def clause_holds(clause: dict, *, question, answers: dict[str, AnswerState], category: str) -> bool:
    ref = clause.get("q") or "self"
    op = clause["op"]
    if op in STATE_OPS:
        state = answers.get(question.code if ref == "self" else ref) or EMPTY
        if op == "blank":
            actual = not _has_detail(state)
        elif op == "no_file":
            actual = not state.has_file
        else:
            actual = _has_value(state.value) or _has_detail(state)
        return actual == bool(clause.get("value", True))
    if op not in VALUE_OPS:
        raise ValueError(f"unknown clause operator {op!r} in question {question.code}")
    subject: object
    if ref == "@category":
        subject = category
    else:
        subject = (answers.get(question.code if ref == "self" else ref) or EMPTY).value
    if not _has_value(subject):
        return False
    members = set(subject) if isinstance(subject, (list, tuple)) else {subject}
    expected = clause.get("value")
    hit = bool(members & set(expected or ())) if op in ("in", "not_in") else expected in members
    return hit if op in ("eq", "in") else not hit


def _all_hold(clauses, question, answers: dict[str, AnswerState], category: str) -> bool:
    return all(clause_holds(c, question=question, answers=answers, category=category) for c in clauses or ())


def is_visible(question, answers: dict[str, AnswerState], category: str) -> bool:
    return _all_hold(question.show_if, question, answers, category)


def _settle_visibility(questions: list, answers: dict[str, AnswerState], category: str):
    """The visible questions and the answers that count: those of visible questions only. Hiding a question
    drops its answer, which may hide others in turn, so repeat until nothing changes."""
    effective = dict(answers)
    visible = questions
    for _ in range(len(questions) + 1):
        visible = [q for q in questions if is_visible(q, effective, category)]
        codes = {q.code for q in visible}
        narrowed = {code: state for code, state in answers.items() if code in codes}
        if narrowed == effective:
            break
        effective = narrowed
    return visible, effective


def is_answered(question, state: AnswerState | None) -> bool:
    state = state or EMPTY
    if question.answer_type == AnswerType.TEXT:
        done = _has_detail(state)
    elif question.answer_type == AnswerType.FILE:
        done = state.has_file
    else:
        done = _has_value(state.value)
    if question.detail_required and not _has_detail(state):
        return False
    if question.file_required and not state.has_file:
        return False
    return done


def risk_tier(score: int, *, red_flags: int = 0) -> str:
    if red_flags:
        return RiskTier.CRITICAL.value
    if score >= HIGH_RISK_SCORE:
        return RiskTier.HIGH.value
    if score >= MEDIUM_RISK_SCORE:
        return RiskTier.MEDIUM.value
    return RiskTier.LOW.value


def _message(rule: dict) -> str:
    if (get_language() or "").lower().startswith("en"):
        return rule.get("message_en") or rule.get("message_zh", "")
    return rule.get("message_zh") or rule.get("message_en", "")


def _flag(question, rule: dict) -> Flag:
    effect = rule["effect"]
    if effect not in (RED_FLAG, RISK):
        raise ValueError(f"unknown rule effect {effect!r} in question {question.code}")
    return Flag(
        code=question.code,
        effect=effect,
        points=int(rule.get("points", 0)) if effect == RISK else 0,
        message=_message(rule),
        legal_basis=rule.get("legal_basis") or question.legal_basis,
    )


def evaluate(
    questions, answers: dict[str, AnswerState], *, category: str, request: tiering.Facts | None = None
) -> RiskResult:
    """Score `answers` ({question code: AnswerState}) against `questions` (ordered) for a vendor category,
    with the request's facts (`request`: traits and volume; only .traits and .volume are read) for the tier
    floor."""
    questions = list(questions)
    visible, effective = _settle_visibility(questions, answers, category)
    red_flags: list[Flag] = []
    risks: list[Flag] = []
    for question in visible:
        for rule in question.rules or ():
            if _all_hold(rule["when"], question, effective, category):
                flag = _flag(question, rule)
                (red_flags if flag.effect == RED_FLAG else risks).append(flag)
    answered = frozenset(q.code for q in visible if is_answered(q, effective.get(q.code)))
    missing = [q for q in visible if q.required and q.code not in answered]
    score = sum(flag.points for flag in risks)
    facts = tiering.Facts(
        traits=frozenset(getattr(request, "traits", ()) or ()),
        volume=getattr(request, "volume", "") or "",
        values={code: state.value for code, state in effective.items()},
    )
    reasons = [
        *(
            tiering.Reason(flag.message, flag.legal_basis, RiskTier.CRITICAL.value, flag.code)
            for flag in red_flags
        ),
        *tiering.floor_reasons(facts),
        *(tiering.Reason(flag.message, flag.legal_basis, f"+{flag.points}", flag.code) for flag in risks),
    ]
    floor = tiering.floor_of(reasons)
    # Assessed once the requester answered something the request did not already give: A1 is its credit
    # code, and A5 its expected volume until changed (reviews.workflow.review_create fills both).
    volume = getattr(request, "volume", "") or None

    def from_request(code, state) -> bool:
        return code == REQUEST_FILLED_QUESTION or (
            code == REQUEST_VOLUME_QUESTION
            and state.value == volume
            and not _has_detail(state)
            and not state.has_file
        )

    assessed = any(
        not from_request(code, state) and (_has_value(state.value) or _has_detail(state) or state.has_file)
        for code, state in answers.items()
    )
    return RiskResult(
        score=score,
        tier=tiering.higher(floor, risk_tier(score, red_flags=len(red_flags))),
        red_flags=red_flags,
        risks=risks,
        missing=missing,
        visible=visible,
        answered_codes=answered,
        reasons=reasons,
        floor=floor,
        assessed=assessed,
    )


def review_answer_states(review, *, evidence: list | None = None) -> dict[str, AnswerState]:
    """{question code: AnswerState} of a review: its answers plus whether each question has a file (not
    withdrawn, of any round: a return keeps what was given, reviews.reopening). Two queries; one when the
    caller has already read all of the review's files (`evidence`, with their questions)."""
    if evidence is None:
        with_files = set(
            Evidence.objects.filter(
                review=review, question__isnull=False, withdrawn_at__isnull=True
            ).values_list("question__code", flat=True)
        )
    else:
        with_files = {
            e.question.code for e in evidence if e.question_id is not None and e.withdrawn_at is None
        }
    states = {
        code: AnswerState(value=value, detail=detail or "", has_file=code in with_files)
        for code, value, detail in Answer.objects.filter(review=review).values_list(
            "question__code", "value", "detail"
        )
    }
    for code in with_files - states.keys():
        states[code] = AnswerState(has_file=True)
    return states


def questionnaire_reading(
    review, *, evidence: list | None = None, questions: list | None = None
) -> tuple[dict, RiskResult]:
    """The review's answers and their evaluation, read once for callers that need both. `evidence`: all of
    the review's files, with their questions, when the caller has read them already; `questions`: the
    questions of the review's template in their order (by section, then question), likewise."""
    answers = review_answer_states(review, evidence=evidence)
    if questions is None:
        # Ordered by their sections, whose rows nothing here reads (one fewer model a question).
        questions = list(
            Question.objects.filter(section__template_id=review.template_id).order_by(
                "section__order", "order"
            )
        )
    request = tiering.Facts(traits=frozenset(review.data_traits or ()), volume=review.expected_volume)
    return answers, evaluate(
        questions, answers, category=review.vendor.questionnaire_category, request=request
    )


def evaluate_review(review) -> RiskResult:
    return questionnaire_reading(review)[1]
