"""Reads for the scope-extension pages, as view models: the approval an extension widens, the questions its
additions need again with the answers the vetting gave, and an extension as its page shows it."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import Answer, AnswerType, EvidenceKind, Question, Review, SignOff
from vendors.models import Vendor, VendorStatus
from vendors.people import person_name
from vendors.scope import Scope, ScopeLabels

from .extension_rules import ExtensionNeeds, extension_needs
from .models import ExtensionStatus, ScopeExtension


def approved_review(vendor: Vendor, *, reference: str = "") -> Review | None:
    """The review whose sign-off is the approval `reference` of the vendor (by default the approval in force),
    if any."""
    reference = reference or vendor.approval_reference
    if not reference:
        return None
    sign_off = (
        SignOff.objects.filter(review__vendor=vendor, number=reference).select_related("review").first()
    )
    return sign_off.review if sign_off else None


def extendable(vendor: Vendor, *, today: date | None = None) -> bool:
    """Only an approval in force can grow (activities.extensions.extension_request says the same)."""
    return (
        vendor.status == VendorStatus.APPROVED
        and bool(vendor.approval_reference)
        and vendor.is_approved_on(today or timezone.localdate())
    )


def _display(question: Question | None, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if question is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(question.choice_label(v) for v in value)
    if question.answer_type == AnswerType.YES_NO:
        return str(_("Yes")) if value == "yes" else str(_("No")) if value == "no" else str(value)
    if question.answer_type == AnswerType.TEXT:
        return str(value)
    return question.choice_label(value)


@dataclass(frozen=True)
class QuestionView:
    """A question of the vetting asked again, in both languages, with the answer the approval rests on."""

    code: str
    text: str
    text_zh: str
    text_en: str
    answer_type: str
    choices: list[tuple[str, str]]
    has_detail: bool
    detail_required: bool
    current: str
    current_detail: str

    def label(self, value) -> str:
        """The label of an answer to it (a stored extension's answers)."""
        if value is None or value == "" or value == []:
            return ""
        labels = dict(self.choices)
        if isinstance(value, (list, tuple)):
            return ", ".join(labels.get(v, str(v)) for v in value)
        return labels.get(value, str(value))


def questions_again(vendor: Vendor, codes, *, reference: str = "") -> list[QuestionView]:
    """The questions `codes` of the questionnaire the vendor's approval (`reference`, by default the one in
    force) was vetted with, in the order given, with the answers of that review. A code that questionnaire
    lacks is asked as plain text under its code, so that it can still be answered."""
    codes = list(codes)
    if not codes:
        return []
    review = approved_review(vendor, reference=reference)
    questions, answers = {}, {}
    if review is not None:
        questions = {
            q.code: q
            for q in Question.objects.filter(section__template_id=review.template_id, code__in=codes)
        }
        answers = {
            a.question.code: a
            for a in Answer.objects.filter(review=review, question__in=questions.values()).select_related(
                "question"
            )
        }
    rows = []
    for code in codes:
        question, answer = questions.get(code), answers.get(code)
        if question is None:
            text = _("Question %(code)s") % {"code": code}
            rows.append(
                QuestionView(
                    code=code,
                    text=text,
                    text_zh=text,
                    text_en=text,
                    answer_type=AnswerType.TEXT,
                    choices=[],
                    has_detail=False,
                    detail_required=False,
                    current="",
                    current_detail="",
                )
            )
            continue
        rows.append(
            QuestionView(
                code=code,
                text=question.text,
                text_zh=question.text_zh,
                text_en=question.text_en,
                answer_type=question.answer_type,
                choices=question.localized_choices(),
                has_detail=question.has_detail,
                detail_required=question.detail_required,
                current=_display(question, answer.value) if answer else "",
                current_detail=answer.detail if answer else "",
            )
        )
    return rows


def document_labels(kinds) -> list[str]:
    return [str(EvidenceKind(kind).label) for kind in kinds if kind in EvidenceKind.values]


@dataclass(frozen=True)
class AnswerGiven:
    question: QuestionView
    value: str
    detail: str


@dataclass(frozen=True)
class ExtensionPage:
    extension: ScopeExtension
    vendor: Vendor
    adds: ScopeLabels
    scope_now: ScopeLabels
    needs: ExtensionNeeds
    documents: list[str]
    answers: list[AnswerGiven]
    files: list[tuple]  # (ExtensionFile, the label of its kind)
    requester: str
    security_decided_by: str
    decided_by: str
    is_requester: bool
    can_withdraw: bool
    has_addendum: bool


def extension_page(extension: ScopeExtension, *, user) -> ExtensionPage:
    additions = Scope.from_json(extension.additions)
    needs = extension_needs(additions)
    # The questions as the approval it extends asked them, even if the vendor has been renewed since.
    questions = {
        q.code: q
        for q in questions_again(
            extension.vendor, list(extension.answers), reference=extension.approval_reference
        )
    }
    answers = [
        AnswerGiven(
            question=questions[code],
            value=questions[code].label(given.get("value")),
            detail=given.get("detail", ""),
        )
        for code, given in extension.answers.items()
        if code in questions
    ]
    files = [
        (file, str(EvidenceKind(file.kind).label) if file.kind in EvidenceKind.values else file.kind)
        for file in extension.files.all()
    ]
    is_requester = extension.requester_id == user.pk
    return ExtensionPage(
        extension=extension,
        vendor=extension.vendor,
        adds=additions.labels(),
        scope_now=extension.vendor.scope.labels(),
        needs=needs,
        documents=document_labels(needs.documents),
        answers=answers,
        files=files,
        requester=person_name(extension.requester),
        security_decided_by=person_name(extension.security_decided_by),
        decided_by=person_name(extension.decided_by),
        is_requester=is_requester,
        can_withdraw=is_requester and extension.is_open,
        has_addendum=extension.status == ExtensionStatus.APPROVED,
    )
