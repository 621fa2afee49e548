import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..answers import answers_save
from ..errors import WorkflowError
from ..evidence import evidence_add
from ..forms_questionnaire import DETAIL, FILES, VALUE, SectionForm
from ..models import AnswerType, EvidenceKind, Question, Section, StageKind
from ..scoring import evaluate_review, review_answer_states
from ..selectors import stage_evidence
from .common import load_review, stage_in, upload_messages, warn_if_duplicate
from .review import pop_submit_error


def _sections(review):
    return list(Section.objects.filter(template_id=review.template_id).order_by("order"))


def _questions(review):
    return list(Question.objects.filter(section__template_id=review.template_id).select_related("section")
                .order_by("section__order", "order"))


def _progress(sections, questions, result):
    """Per section: visible questions, answered ones, and whether anything required is missing."""
    visible = {q.code for q in result.visible}
    missing = {q.code for q in result.missing}
    flagged = {f.code for f in result.red_flags}
    out = []
    for section in sections:
        codes = [q.code for q in questions if q.section_id == section.pk and q.code in visible]
        out.append({
            "section": section,
            "total": len(codes),
            "answered": sum(code in result.answered_codes for code in codes),
            "missing": sum(code in missing for code in codes),
            "red_flags": sum(code in flagged for code in codes),
        })
    return out


@login_required
def questionnaire(request, pk):
    """The questionnaire's overview: progress per section, red flags, and the submit button."""
    review, access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.QUESTIONNAIRE)
    sections, questions = _sections(review), _questions(review)
    result = evaluate_review(review)
    return render(request, "reviews/questionnaire.html", {
        "review": review, "access": access, "stage": stage, "result": result,
        "progress": _progress(sections, questions, result),
        "editable": access.can_edit and stage.is_editable,
        "submit_error": pop_submit_error(request, StageKind.QUESTIONNAIRE),
    })


def _rows(form, section_questions, result, states, evidence_by_question, stage):
    visible = {q.code for q in result.visible}
    rows = []
    for q in section_questions:
        rows.append({
            "question": q,
            "other_text": q.text_zh if (get_language() or "").startswith("en") else q.text_en,
            "value": form[VALUE + q.code] if VALUE + q.code in form.fields else None,
            "detail": form[DETAIL + q.code] if DETAIL + q.code in form.fields else None,
            "files": form[FILES + q.code] if FILES + q.code in form.fields else None,
            "is_multi": q.answer_type == AnswerType.MULTI,
            "visible": q.code in visible,
            "answered": q.code in result.answered_codes,
            "flags": result.flags_for(q.code),
            "evidence": evidence_by_question.get(q.pk, []),
            "show_if": json.dumps(q.show_if or []),
        })
    return rows


@login_required
def questionnaire_section(request, pk, section):
    """One section of the questionnaire as a step. Saving stores the answers as a draft (answers_save) and
    any files as evidence of their question; the page then shows the server's visibility, progress and
    flags. Nothing the user typed is lost when a file is refused."""
    review, access, stages = load_review(request, pk)
    stage = stage_in(stages, StageKind.QUESTIONNAIRE)
    sections, questions = _sections(review), _questions(review)
    current = next((s for s in sections if s.code == section), None)
    if current is None:
        raise Http404("No such section.")
    section_questions = [q for q in questions if q.section_id == current.pk]
    editable = access.can_edit and stage.is_editable
    states = review_answer_states(review)
    upload_errors = False

    if request.method == "POST":
        if not editable:
            messages.error(request, _("The questionnaire is %(state)s and cannot be changed.")
                           % {"state": stage.get_state_display()})
            return redirect("questionnaire_section", pk=review.pk, section=current.code)
        form = SectionForm(request.POST, request.FILES, questions=section_questions, states=states)
        if form.is_valid():
            try:
                answers_save(review=review, actor=request.user, answers=form.answers(states))
                for question, files in form.uploads():
                    for upload in files:
                        try:
                            evidence, duplicate = evidence_add(
                                stage=stage, actor=request.user, question=question, upload=upload,
                                kind=question.evidence_kind or EvidenceKind.OTHER)
                        except ValidationError as error:
                            upload_errors = True
                            for message in upload_messages(error):
                                form.add_error(FILES + question.code, f"{upload.name}: {message}")
                            continue
                        warn_if_duplicate(request, evidence, duplicate)
            except WorkflowError as error:
                messages.error(request, error.message)
                return redirect("questionnaire_section", pk=review.pk, section=current.code)
            if not upload_errors:
                messages.success(request, _("Saved."))
                index = sections.index(current)
                if "next" in request.POST:
                    if index + 1 < len(sections):
                        following = sections[index + 1].code
                        return redirect("questionnaire_section", pk=review.pk, section=following)
                    return redirect("questionnaire", pk=review.pk)
                if "previous" in request.POST and index > 0:
                    return redirect("questionnaire_section", pk=review.pk, section=sections[index - 1].code)
                return redirect("questionnaire_section", pk=review.pk, section=current.code)
            # A refused file: show the page again with the errors; the answers were saved.
            states = review_answer_states(review)
    else:
        form = SectionForm(questions=section_questions, states=states)

    result = evaluate_review(review)
    evidence_by_question = {}
    for evidence in stage_evidence(stage):
        if evidence.question_id:
            evidence_by_question.setdefault(evidence.question_id, []).append(evidence)
    index = sections.index(current)
    return render(request, "reviews/questionnaire_section.html", {
        "review": review, "access": access, "stage": stage, "section": current, "form": form,
        "rows": _rows(form, section_questions, result, states, evidence_by_question, stage),
        "progress": _progress(sections, questions, result), "result": result, "editable": editable,
        "previous_section": sections[index - 1] if index > 0 else None,
        "next_section": sections[index + 1] if index + 1 < len(sections) else None,
        "client": {
            "category": review.vendor.category,
            "answers": {code: s.value for code, s in states.items() if s.value not in (None, "")},
            "details": {code: bool((s.detail or "").strip()) for code, s in states.items()},
            "files": {code: s.has_file for code, s in states.items()},
            "show_if": {q.code: q.show_if for q in questions if q.show_if},
            "order": [q.code for q in questions],
        },
    })
