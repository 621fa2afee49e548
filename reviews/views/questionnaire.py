import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..errors import WorkflowError
from ..models import (
    REQUEST_FILLED_QUESTION,
    REQUEST_VOLUME_QUESTION,
    AnswerType,
    ContactLink,
    Evidence,
    EvidenceKind,
    Question,
    Review,
    Section,
    Stage,
    StageKind,
)
from ..questionnaire.answers import answers_save
from ..questionnaire.forms import DETAIL, FILES, VALUE, SectionForm
from ..questionnaire.scoring import evaluate_review, questionnaire_reading
from ..questionnaire.tiering import tier_context
from ..reopening import may_change, reopened
from ..review_view import Reader, evidence_items, returned_decision
from ..selectors import FILE_ORDER, contact_contributions
from .common import flash_refusal, load_review, stage_in, store_files
from .review import pop_submit_error


def _sections(review):
    return list(Section.objects.filter(template_id=review.template_id).order_by("order"))


def review_evidence(review, questions) -> list[Evidence]:
    """Every file of the review, all stages and rounds, withdrawn ones included, with who uploaded it and
    its question (one of `questions`, the template's, already read), in reviews.selectors.FILE_ORDER: in one
    query, both what a section shows and which questions have a file (scoring.review_answer_states)."""
    evidence = list(
        Evidence.objects.filter(review=review).select_related("uploaded_by").order_by(*FILE_ORDER)
    )
    _attach(evidence, Evidence._meta.get_field("question"), {q.pk: q for q in questions})
    return evidence


def _attach(rows, field, by_pk: dict) -> None:
    """Give each row the object its foreign key `field` names, from `by_pk` (objects read already), as
    select_related would have."""
    for row in rows:
        target = by_pk.get(getattr(row, field.attname))
        if target is not None:
            field.set_cached_value(row, target)


def _questions(review, sections=None):
    """The questions of the review's template, by section then question; each with its section when the
    sections are given (read already)."""
    questions = list(
        Question.objects.filter(section__template_id=review.template_id).order_by("section__order", "order")
    )
    if sections is not None:
        _attach(questions, Question._meta.get_field("section"), {s.pk: s for s in sections})
    return questions


@dataclass(frozen=True)
class StepUrls:
    """Where the questionnaire's pages are: the requester's (by review) or the vendor contact's (by token)."""

    overview: str
    section: Callable[[str], str]

    @classmethod
    def of_review(cls, review) -> "StepUrls":
        return cls(
            overview=reverse("questionnaire", args=[review.pk]),
            section=lambda code: reverse("questionnaire_section", args=[review.pk, code]),
        )


def questionnaire_progress(
    review, result, urls: StepUrls, *, sections=None, questions=None, show_flags: bool = True
):
    """Per section: visible questions, answered ones, whether anything required is missing, and its URL.
    Red flags are counted for the brand's own people only (`show_flags`)."""
    visible = {q.code for q in result.visible}
    missing = {q.code for q in result.missing}
    flagged = {f.code for f in result.red_flags}
    questions = _questions(review) if questions is None else questions
    out = []
    for section in _sections(review) if sections is None else sections:
        codes = [q.code for q in questions if q.section_id == section.pk and q.code in visible]
        out.append(
            {
                "section": section,
                "url": urls.section(section.code),
                "total": len(codes),
                "answered": sum(code in result.answered_codes for code in codes),
                "missing": sum(code in missing for code in codes),
                "red_flags": sum(code in flagged for code in codes) if show_flags else 0,
            }
        )
    return out


@login_required
def questionnaire(request, pk):
    """The questionnaire's overview: progress per section, red flags, and the submit button."""
    review, access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.QUESTIONNAIRE)
    result = evaluate_review(review)
    urls = StepUrls.of_review(review)
    return render(
        request,
        "reviews/questionnaire.html",
        {
            "review": review,
            "access": access,
            "stage": stage,
            "returned": returned_decision(stages, StageKind.QUESTIONNAIRE),
            "result": result,
            "tier": tier_context(result),
            # Counted on the questions evaluated (only the visible ones count), not on a second read of them.
            "progress": questionnaire_progress(review, result, urls, questions=result.visible),
            "overview_url": urls.overview,
            "editable": access.can_edit and stage.is_editable,
            "submit_error": pop_submit_error(request, StageKind.QUESTIONNAIRE),
        },
    )


@dataclass
class SectionStep:
    """One section of a review's questionnaire, as a step of the requester's or the vendor contact's pages."""

    review: Review
    stage: Stage
    sections: list
    questions: list
    current: Section

    @classmethod
    def load(cls, review, stage, code: str) -> "SectionStep":
        sections = _sections(review)
        current = next((s for s in sections if s.code == code), None)
        if current is None:
            raise Http404("No such section.")
        return cls(
            review=review,
            stage=stage,
            sections=sections,
            questions=_questions(review, sections),
            current=current,
        )

    @property
    def section_questions(self):
        return [q for q in self.questions if q.section_id == self.current.pk]

    def neighbour(self, offset: int) -> Section | None:
        index = self.sections.index(self.current) + offset
        return self.sections[index] if 0 <= index < len(self.sections) else None


def _rows(
    step, form, result, evidence_by_question, contributions, *, show_flags: bool, reader: Reader, opened=None
):
    visible = {q.code for q in result.visible}
    rows = []
    for q in step.section_questions:
        rows.append(
            {
                "question": q,
                "other_text": q.text_zh if (get_language() or "").startswith("en") else q.text_en,
                "value": form[VALUE + q.code] if VALUE + q.code in form.fields else None,
                "detail": form[DETAIL + q.code] if DETAIL + q.code in form.fields else None,
                "files": form[FILES + q.code] if FILES + q.code in form.fields else None,
                "is_multi": q.answer_type == AnswerType.MULTI,
                "visible": q.code in visible,
                "answered": q.code in result.answered_codes,
                "flags": result.flags_for(q.code) if show_flags else [],
                "evidence": evidence_items(evidence_by_question.get(q.pk, []), contributions, reader=reader),
                "via_contact": contributions.answers.get(q.code),
                "show_if": json.dumps(q.show_if or []),
                "from_request": q.code == REQUEST_FILLED_QUESTION,
                "volume_from_request": q.code == REQUEST_VOLUME_QUESTION,
                "reopened": opened is not None and q.code in opened,
                "kept": opened is not None and q.code not in opened,
            }
        )
    return rows


def _save(request, step, form, states, *, actor) -> bool:
    """Store the answers as a draft (answers_save), then each file as evidence of its question. A refused
    file becomes an error on its field and the rest is kept. True when every file was accepted."""
    answers_save(review=step.review, actor=actor, answers=form.answers(states))
    accepted = True
    for question, files in form.uploads():
        stored = store_files(
            request,
            form,
            FILES + question.code,
            files,
            stage=step.stage,
            actor=actor,
            question=question,
            kind=question.evidence_kind or EvidenceKind.OTHER,
        )
        accepted = accepted and stored == len(files)
    return accepted


def _after_save(request, step, urls: StepUrls):
    messages.success(request, _("Saved."))
    if "next" in request.POST:
        following = step.neighbour(+1)
        return redirect(urls.section(following.code) if following else urls.overview)
    if "previous" in request.POST and step.neighbour(-1):
        return redirect(urls.section(step.neighbour(-1).code))
    return redirect(urls.section(step.current.code))


def section_page(
    request,
    step: SectionStep,
    *,
    actor,
    editable: bool,
    urls: StepUrls,
    template: str,
    refused=flash_refusal,
    show_flags: bool = True,
    reader: Reader = Reader.REQUESTER,
    context: dict | None = None,
):
    """One section of the questionnaire as a step. Saving stores the answers as a draft and any files as
    evidence of their question; the page then shows the server's visibility, progress and flags. Nothing
    the user typed is lost when a file is refused. `refused(request, error, url)` answers a WorkflowError."""
    here = urls.section(step.current.code)
    evidence = review_evidence(step.review, step.questions)
    states, result = questionnaire_reading(step.review, evidence=evidence, questions=step.questions)
    opened = reopened(step.stage)
    locked = {REQUEST_FILLED_QUESTION} | {
        q.code for q in step.section_questions if not may_change(step.stage, q.code, opened=opened)
    }
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _("The questionnaire is %(state)s and cannot be changed.")
                % {"state": step.stage.get_state_display()},
            )
            return redirect(here)
        form = SectionForm(
            request.POST, request.FILES, questions=step.section_questions, states=states, locked=locked
        )
        if form.is_valid():
            try:
                accepted = _save(request, step, form, states, actor=actor)
            except WorkflowError as error:
                return refused(request, error, here)
            if accepted:
                return _after_save(request, step, urls)
            # A refused file: show the page again with the errors; the answers were saved.
            evidence = review_evidence(step.review, step.questions)
            states, result = questionnaire_reading(step.review, evidence=evidence, questions=step.questions)
    else:
        form = SectionForm(questions=step.section_questions, states=states, locked=locked)

    evidence_by_question: dict[int, list[Evidence]] = {}
    for item in evidence:
        if item.question_id and item.stage_id == step.stage.pk:
            evidence_by_question.setdefault(item.question_id, []).append(item)
    # A vendor contact acts as their link (reviews/contact/views.py): what came through it needs no query.
    contributions = contact_contributions(
        step.review, known=[actor] if isinstance(actor, ContactLink) else []
    )
    previous_section, next_section = step.neighbour(-1), step.neighbour(+1)
    return render(
        request,
        template,
        {
            "review": step.review,
            "stage": step.stage,
            "section": step.current,
            "form": form,
            "rows": _rows(
                step,
                form,
                result,
                evidence_by_question,
                contributions,
                show_flags=show_flags,
                reader=reader,
                opened=opened,
            ),
            "uscc_check_ok": step.review.vendor.uscc_checksum_ok,
            "progress": questionnaire_progress(
                step.review,
                result,
                urls,
                sections=step.sections,
                questions=step.questions,
                show_flags=show_flags,
            ),
            "overview_url": urls.overview,
            "result": result,
            "editable": editable,
            "previous_section": previous_section,
            "next_section": next_section,
            "previous_url": urls.section(previous_section.code) if previous_section else None,
            "next_url": urls.section(next_section.code) if next_section else None,
            "client": {
                "category": step.review.vendor.questionnaire_category,
                "answers": {code: s.value for code, s in states.items() if s.value not in (None, "")},
                "details": {code: bool((s.detail or "").strip()) for code, s in states.items()},
                "files": {code: s.has_file for code, s in states.items()},
                "show_if": {q.code: q.show_if for q in step.questions if q.show_if},
                "order": [q.code for q in step.questions],
            },
            **(context or {}),
        },
    )


@login_required
def questionnaire_section(request, pk, section):
    review, access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.QUESTIONNAIRE)
    return section_page(
        request,
        SectionStep.load(review, stage, section),
        actor=request.user,
        editable=access.can_edit and stage.is_editable,
        urls=StepUrls.of_review(review),
        template="reviews/questionnaire_section.html",
        context={"access": access, "returned": returned_decision(stages, StageKind.QUESTIONNAIRE)},
    )
