"""The addendum of an approved scope extension to its approval's dossier, as a frozen view model: what the
extension adds as granted, the rules and articles that applied, the answers given again, the documents (embedded
in the PDF like the dossier's files), Security's and Legal's decisions, and the scope in force after it
(activities.records.render prints it)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from reviews.bilingual import Bi, bi
from reviews.dossier.attachments import DossierFile, files_to_embed
from reviews.dossier.render import answer_labels
from reviews.models import EvidenceKind, Question, QuestionnaireTemplate, SignOff
from vendors.scope import Scope

from ..extension_rules import EXTENSION_RULE_LABELS, EXTENSION_RULES, extension_needs
from ..models import ExtensionStatus, ScopeExtension
from .base import (
    Recorded,
    RecordNotAvailable,
    Row,
    Step,
    as_typed,
    label,
    local_time,
    person,
    recorded,
    scope_rows,
    username,
    utc_iso,
)

ADDENDUM_FORMAT = "vetted-extension-addendum/1"


@dataclass(frozen=True)
class RuleRow:
    label: Bi
    article: str
    security: bool


@dataclass(frozen=True)
class AnswerRow:
    code: str
    question: Bi
    answer: tuple[Bi, ...]
    detail: str


@dataclass(frozen=True)
class DocumentRow:
    name: str
    kind: Bi
    size: int
    sha256: str
    by: str
    at: str
    file: DossierFile


@dataclass(frozen=True)
class Addendum:
    number: str
    dossier: str
    vendor_zh: str
    vendor_en: str
    uscc: str
    requester: str
    requested_at: str
    reason: str
    adds: tuple[Row, ...]
    rules: tuple[RuleRow, ...]
    answers: tuple[AnswerRow, ...]
    documents: tuple[DocumentRow, ...]
    security: Step | None  # None: Security did not have to look
    legal: Step
    scope_after: tuple[Row, ...]
    files: tuple[DossierFile, ...]  # embedded: the documents, then the recorded facts
    issued_at: str
    recorded: Recorded
    filename: str


def scope_after(extension: ScopeExtension) -> Scope:
    """The scope in force right after `extension`: the approval's signed scope widened by every extension of
    that approval approved up to it (later ones, and another approval's, do not count)."""
    signed = (
        SignOff.objects.filter(number=extension.approval_reference).values_list("scope", flat=True).first()
    )
    scope = Scope.from_json(signed)
    earlier = (
        ScopeExtension.objects.filter(
            approval_reference=extension.approval_reference, status=ExtensionStatus.APPROVED
        )
        .filter(
            Q(decided_at__lt=extension.decided_at) | Q(decided_at=extension.decided_at, pk__lte=extension.pk)
        )
        .order_by("decided_at", "pk")
        .values_list("additions", flat=True)
    )
    for additions in earlier:
        scope = scope.widened_by(Scope.from_json(additions))
    return scope


def _questions(extension: ScopeExtension) -> dict[str, Question]:
    """The questions of the questionnaire the approval was vetted with (the active one if it is gone)."""
    template = (
        SignOff.objects.filter(number=extension.approval_reference)
        .values_list("review__template_id", flat=True)
        .first()
        or QuestionnaireTemplate.objects.filter(subject="vendor", is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    return {
        q.code: q for q in Question.objects.filter(section__template_id=template, code__in=extension.answers)
    }


def _answer_rows(extension: ScopeExtension) -> tuple[AnswerRow, ...]:
    questions = _questions(extension)
    rows = []
    for code, given in extension.answers.items():
        question = questions.get(code)
        value, detail = (given or {}).get("value"), (given or {}).get("detail", "")
        if question is None:  # a question no longer in any template: the stored value, as stored
            rows.append(AnswerRow(code, as_typed(code), (as_typed(str(value)),) if value else (), detail))
        else:
            rows.append(
                AnswerRow(
                    code,
                    Bi(question.text_zh, question.text_en),
                    tuple(answer_labels(question, value)),
                    detail,
                )
            )
    return tuple(rows)


def _extension_facts(extension: ScopeExtension, after: Scope) -> dict:
    return {
        "format": ADDENDUM_FORMAT,
        "number": extension.number,
        "approval_reference": extension.approval_reference,
        "vendor": extension.vendor.uscc,
        "requester": username(extension.requester),
        "requested_at": utc_iso(extension.created_at),
        "reason": extension.reason,
        "additions": extension.additions,
        "answers": extension.answers,
        "needs_security": extension.needs_security,
        "files": [
            {
                "kind": f.kind,
                "name": f.original_name,
                "size": f.size,
                "sha256": f.sha256,
                "uploaded_by": username(f.uploaded_by),
                "uploaded_at": utc_iso(f.uploaded_at),
            }
            for f in extension.files.all()
        ],
        "security_decided_by": username(extension.security_decided_by),
        "security_decided_at": utc_iso(extension.security_decided_at),
        "security_comment": extension.security_comment,
        "decided_by": username(extension.decided_by),
        "decided_at": utc_iso(extension.decided_at),
        "decision_comment": extension.decision_comment,
        "status": extension.status,
        "scope_after": after.as_json(),
    }


def extension_addendum(extension: ScopeExtension, *, issued_at: dt.datetime) -> Addendum:
    """The addendum of an approved extension to its approval's dossier; RecordNotAvailable otherwise."""
    extension = (
        ScopeExtension.objects.select_related("vendor", "requester", "security_decided_by", "decided_by")
        .prefetch_related("files__uploaded_by")
        .get(pk=extension.pk)
    )
    if extension.status != ExtensionStatus.APPROVED:
        raise RecordNotAvailable(
            _("The addendum is issued once Legal approves the extension; it is %(status)s.")
            % {"status": extension.get_status_display()}
        )
    additions = Scope.from_json(extension.additions)
    needs = set(extension_needs(additions).rules)
    uploads = list(extension.files.all())
    kinds = {value: bi(name) for value, name in EvidenceKind.choices}
    files = files_to_embed(
        [("extension_document", f, f"document-{f.pk}-") for f in uploads],
        kind_labels={("extension_document", k): kind for k, kind in kinds.items()},
    )
    after = scope_after(extension)
    facts = recorded(f"{extension.number}-addendum.json", _extension_facts(extension, after))
    vendor = extension.vendor
    security = None
    if extension.needs_security or extension.security_decided_by_id:
        security = Step(
            outcome=label("passed"),
            by=person(extension.security_decided_by),
            at=local_time(extension.security_decided_at),
            text=extension.security_comment,
            code="passed",
        )
    return Addendum(
        number=extension.number,
        dossier=extension.approval_reference,
        vendor_zh=vendor.name_zh,
        vendor_en=vendor.name_en,
        uscc=vendor.uscc,
        requester=person(extension.requester),
        requested_at=local_time(extension.created_at),
        reason=extension.reason,
        adds=scope_rows(additions, all_rows=False),
        rules=tuple(
            RuleRow(bi(EXTENSION_RULE_LABELS[rule.code]), rule.article, rule.security)
            for rule in EXTENSION_RULES
            if rule.code in needs
        ),
        answers=_answer_rows(extension),
        documents=tuple(
            DocumentRow(
                name=f.original_name,
                kind=kinds.get(f.kind, as_typed(f.kind)),
                size=f.size,
                sha256=f.sha256,
                by=person(f.uploaded_by),
                at=local_time(f.uploaded_at),
                file=file,
            )
            for f, file in zip(uploads, files, strict=True)
        ),
        security=security,
        legal=Step(
            outcome=label("approved"),
            by=person(extension.decided_by),
            at=local_time(extension.decided_at),
            text=extension.decision_comment,
            code="approved",
        ),
        scope_after=scope_rows(after),
        files=(*files, facts.as_file(record_id=extension.pk)),
        issued_at=local_time(issued_at),
        recorded=facts,
        filename=f"{extension.number}-addendum.pdf",
    )
