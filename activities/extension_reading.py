"""A scope extension as its reviewers read it (the admin's extension page): the vendor and the scope in force,
what the extension adds, the rules of activities.extension_rules it falls under and why, the answers given
again beside the approved review's, its documents and its audit trail. Frozen view models, read in a fixed
number of queries; nothing here writes."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, JSONField, Subquery, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.admin.review import PREVIEWABLE
from reviews.admin.review_file import display_value as answer_display
from reviews.audit_sentences import audit_sentence
from reviews.models import Answer, AuditEvent, Evidence, EvidenceKind, Question, Review
from reviews.questionnaire.scoring import AnswerState, Flag
from vendors.links import object_url
from vendors.models import Vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeLabels

from .extension_answers import answers_reading, approved_review, template_questions
from .extension_rules import RULES_BY_CODE, extension_needs
from .extensions import approval_problem
from .models import ScopeExtension

# -- what an extension adds, item by item (the changelist's column, Legal's checkboxes) --------------------

CROSS_BORDER = "cross_border"
DIMENSIONS = (
    ("purposes", Purpose),
    ("channels", Channel),
    ("data_categories", DataCategory),
    ("audience_sources", AudienceSource),
)


def scope_items(scope: Scope) -> list[tuple[str, str]]:
    """(value, label) for each thing `scope` holds: "channels:sms", "cross_border", "ceiling:gt10m" ..."""
    items = [
        (f"{name}:{value}", str(choices(value).label))
        for name, choices in DIMENSIONS
        for value in getattr(scope, name)
    ]
    if scope.cross_border:
        items.append((CROSS_BORDER, _("Data leaving China")))
    if scope.ceiling:
        items.append((f"ceiling:{scope.ceiling}", str(Ceiling(scope.ceiling).label)))
    return items


def scope_from_items(values) -> Scope:
    """The scope the ticked `values` of scope_items name (unknown values are ScopeInvalid)."""
    picked: dict[str, list[str]] = {name: [] for name, _choices in DIMENSIONS}
    ceiling = ""
    for value in values:
        name, _sep, code = str(value).partition(":")
        if name in picked:
            picked[name].append(code)
        elif name == "ceiling":
            ceiling = code
    return Scope.build(**picked, cross_border=CROSS_BORDER in values, ceiling=ceiling)


# Each dimension's codes in their vocabulary's order, as Scope.build orders them.
_ORDER = {name: {value: index for index, value in enumerate(choices.values)} for name, choices in DIMENSIONS}


def additions_summary(extension: ScopeExtension) -> str:
    """What `extension` adds, its labels joined (the changelist's column): read from the stored additions
    as scope_items(Scope.from_json(...)) lists them, without checking the whole scope again for every row of
    the list. Anything that check would not let through (an unknown code, a bought list, an unknown
    ceiling) takes the checked way, so that it fails as it did."""
    data = extension.additions or {}
    labels = []
    try:
        for name, choices in DIMENSIONS:
            order = _ORDER[name]
            codes = {str(value) for value in data.get(name) or ()}
            if name == "audience_sources" and AudienceSource.PURCHASED in codes:
                raise KeyError(name)
            labels += [str(choices(code).label) for code in sorted(codes, key=order.__getitem__)]
        if data.get("cross_border"):
            labels.append(_("Data leaving China"))
        ceiling = data.get("ceiling") or ""
        if ceiling:
            labels.append(str(Ceiling(ceiling).label))
        if data.get("conditions"):
            Scope.build(conditions=data["conditions"])
    except (KeyError, ValueError):
        labels = [label for _value, label in scope_items(Scope.from_json(extension.additions))]
    return " · ".join(labels) or "—"


# -- the page -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    code: str
    title: str
    why: str
    article: str
    questions: tuple[str, ...]
    documents: tuple[str, ...]  # labels
    security: bool


@dataclass(frozen=True)
class AnswerPair:
    code: str
    question: str
    legal_basis: str
    given: str
    given_detail: str
    approved: str  # the approved review's answer ("" when it was not asked then)
    approved_detail: str
    changed: bool
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class FileRow:
    pk: int
    kind_label: str
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_by: object
    uploaded_at: object
    download_url: str
    preview_url: str  # "" when the file is only ever a download
    preview_label: str

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


@dataclass(frozen=True)
class AuditRow:
    pk: int
    at: object
    sentence: str
    action: str
    actor_label: str
    details: str


@dataclass(frozen=True)
class ExtensionPage:
    extension: ScopeExtension
    vendor: Vendor
    current_scope: ScopeLabels
    additions: ScopeLabels
    rules: list[RuleRow]
    answers: list[AnswerPair]
    files: list[FileRow]
    audit: list[AuditRow]
    approved_review_number: str  # the review the approval came from ("" if unknown)
    approval_problem: str | None  # why the approval can no longer be widened, while the extension is open


def _rules(additions: Scope) -> list[RuleRow]:
    rows = []
    for code in extension_needs(additions).rules:
        rule = RULES_BY_CODE[code]
        rows.append(
            RuleRow(
                code=code,
                title=str(rule.title),
                why=str(rule.why),
                article=rule.article,
                questions=rule.questions,
                documents=tuple(str(EvidenceKind(kind).label) for kind in rule.documents),
                security=rule.security,
            )
        )
    return rows


def approved_questions(reference: str) -> tuple[Review | None, list[Question]]:
    """approved_review(reference) and template_questions() of it, in one query while both are found: the
    questions of the approved review's template, each carrying the review's id and number. The review comes
    back as a Review of those fields alone, which is what the page reads of it (its number, and its id for
    its answers). Without a review, or a template without questions, each is read as those functions read
    it."""
    if reference:
        found = Review.objects.filter(sign_off__number=reference).order_by("pk")[:1]
        rows = (
            Question.objects.filter(section__template_id=Subquery(found.values("template_id")))
            .annotate(review_pk=Subquery(found.values("pk")), review_number=Subquery(found.values("number")))
            .order_by("section__order", "order")
        )
        questions: list[Question] = [*rows]
        if questions:
            first = questions[0]
            review = Review(pk=first.review_pk, number=first.review_number)  # type: ignore[attr-defined]
            review._state.adding = False
            return review, questions
    approved = approved_review(reference)
    return approved, template_questions(approved)


def answer_states(review: Review) -> dict[str, AnswerState]:
    """review_answer_states(review) in one query instead of two: the review's answers and the questions it
    has a file for (not withdrawn), read together."""
    no_value = Value(None, output_field=JSONField())
    rows = (
        Answer.objects.filter(review=review)
        .order_by()  # no order in either part: a compound statement orders as a whole, if at all
        .values_list("question__code", "value", "detail", Value(False, output_field=BooleanField()))
        .union(
            Evidence.objects.filter(review=review, question__isnull=False, withdrawn_at__isnull=True)
            .order_by()
            .values_list(
                "question__code",
                no_value,
                Value("", output_field=TextField()),
                Value(True, output_field=BooleanField()),
            ),
            all=True,
        )
    )
    answers, with_files = [], set()
    for code, value, detail, is_file in rows:
        if is_file:
            with_files.add(code)
        else:
            answers.append((code, value, detail))
    states = {
        code: AnswerState(value=value, detail=detail or "", has_file=code in with_files)
        for code, value, detail in answers
    }
    for code in with_files - states.keys():
        states[code] = AnswerState(has_file=True)
    return states


def _answers(
    extension: ScopeExtension, review, files: list, questions: list | None = None
) -> list[AnswerPair]:
    if not extension.answers:
        return []
    if questions is None:
        questions = template_questions(review)
    reading = answers_reading(
        review=review,
        questions=questions,
        answers=extension.answers,
        file_kinds={f.kind for f in files},
        category=extension.vendor.category,
        before=answer_states(review) if review is not None else {},
    )
    rows = []
    for question in questions:
        given = extension.answers.get(question.code)
        if given is None:
            continue
        before = reading.before.get(question.code)
        approved_value = answer_display(question, before.value) if before else ""
        approved_detail = before.detail if before else ""
        value, detail = given.get("value"), given.get("detail") or ""
        # Changed: another answer, or details that say something else (details left out change nothing).
        changed = value != (before.value if before else None) or (bool(detail) and detail != approved_detail)
        rows.append(
            AnswerPair(
                code=question.code,
                question=question.text,
                legal_basis=question.legal_basis,
                given=answer_display(question, value),
                given_detail=detail,
                approved=approved_value,
                approved_detail=approved_detail,
                changed=changed,
                flags=tuple(reading.result.flags_for(question.code)),
            )
        )
    return rows


def _files(extension: ScopeExtension, files: list) -> list[FileRow]:
    rows = []
    for item in files:
        previewable = item.content_type in PREVIEWABLE
        try:
            label = str(EvidenceKind(item.kind).label)
        except ValueError:
            label = item.kind
        rows.append(
            FileRow(
                pk=item.pk,
                kind_label=label,
                name=item.original_name,
                size=item.size,
                content_type=item.content_type,
                sha256=item.sha256,
                uploaded_by=item.uploaded_by,
                uploaded_at=item.uploaded_at,
                download_url=object_url(
                    "admin:activities_scopeextension_file_download", extension.pk, item.pk
                ),
                preview_url=object_url("admin:activities_scopeextension_file_preview", extension.pk, item.pk)
                if previewable
                else "",
                preview_label=_("Preview %(name)s") % {"name": item.original_name},
            )
        )
    return rows


def _tail(text) -> str:
    text = (text or "").strip()
    return _(": “%(text)s”") % {"text": text} if text else ""


def _audit(extension: ScopeExtension) -> list[AuditRow]:
    events = list(
        AuditEvent.objects.filter(object_type=ScopeExtension._meta.model_name, object_id=str(extension.pk))
        .select_related("actor")
        .order_by("pk")
    )
    for event in events:
        # An extension's events name its vendor (activities.extensions._audit), read with the extension: the
        # sentences name it without a query per event.
        if event.vendor_id == extension.vendor_id:
            event.vendor = extension.vendor
    return [
        AuditRow(
            pk=e.pk,
            at=e.at,
            sentence=audit_sentence(e),
            action=e.action,
            actor_label=e.actor_label,
            details=json.dumps(e.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
        )
        for e in events
    ]


def extension_page(extension: ScopeExtension) -> ExtensionPage:
    """`extension` with its vendor and requester (activities.access.extension_for_user)."""
    vendor = extension.vendor
    questions = None
    if extension.answers:
        review, questions = approved_questions(extension.approval_reference)
    else:
        review = approved_review(extension.approval_reference)
    files = list(extension.files.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    additions = Scope.from_json(extension.additions)
    problem = None
    if extension.is_open:
        problem = approval_problem(
            vendor=vendor, reference=extension.approval_reference, today=timezone.localdate()
        )
    return ExtensionPage(
        extension=extension,
        vendor=vendor,
        current_scope=vendor.scope.labels(),
        additions=additions.labels(),
        rules=_rules(additions),
        answers=_answers(extension, review, files, questions),
        files=_files(extension, files),
        audit=_audit(extension),
        approved_review_number=review.number if review else "",
        approval_problem=problem,
    )
