"""Everything on a review's file, read in a fixed number of queries, for the review page and the sign-off
summary (issue 4, points 2 and 4)."""

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.audit_sentences import audit_sentence
from reviews.models import (
    AnswerType,
    AuditEvent,
    ContactLink,
    Decision,
    Dossier,
    Evidence,
    EvidenceKind,
    Review,
    SignOff,
    Stage,
    StageCertification,
    StageKind,
    StageState,
)
from reviews.questionnaire.scoring import RED_FLAG, Flag, RiskResult, questionnaire_reading
from reviews.questionnaire.tiering import tier_context
from reviews.selectors import ContactContributions, contact_contributions
from reviews.submission import LEGAL_BASIS, data_source_needs
from vendors import cert_rules
from vendors.links import object_url
from vendors.models import Certification, Vendor


@dataclass(frozen=True)
class AnswerRow:
    question: object
    value: str
    detail: str
    flags: list[Flag] = field(default_factory=list)
    via_contact: object = None  # the vendor contact's link, when the contact gave this answer last

    # Read several times a row by the templates: worked out once (a frozen dataclass's cached_property writes
    # to the instance's __dict__, which freezing leaves alone).
    @cached_property
    def red_flags(self) -> list[Flag]:
        return [f for f in self.flags if f.effect == RED_FLAG]

    @cached_property
    def risks(self) -> list[Flag]:
        return [f for f in self.flags if f.effect != RED_FLAG]

    @cached_property
    def legal_basis(self) -> str:
        bases = [f.legal_basis for f in self.flags if f.legal_basis]
        return "; ".join(dict.fromkeys(bases)) or self.question.legal_basis

    @property
    def severity(self) -> int:
        return 0 if self.red_flags else 1 if self.risks else 2


@dataclass(frozen=True)
class CertificateRow:
    certification: Certification
    expiry: str  # "expired", "expiring", "valid" or "open-ended"
    days_left: int | None
    set_aside_in: int | None = None  # the round from which a submitted certificate no longer counts
    lapse: cert_rules.Lapse | None = None  # when and why it stops counting

    @property
    def lapses_on(self):
        return self.lapse.date if self.lapse else None

    @property
    def lapse_is_printed(self) -> bool:
        return self.lapse is not None and self.lapse.date == self.certification.expires_on


def display_value(question, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(question.choice_label(v) for v in value)
    if question.answer_type == AnswerType.YES_NO:
        return str(_("Yes")) if value == "yes" else str(_("No")) if value == "no" else str(value)
    return question.choice_label(value)


def answer_rows(
    review: Review,
    contributions: ContactContributions | None = None,
    *,
    reading: tuple[dict, RiskResult] | None = None,
) -> list[AnswerRow]:
    """Every visible question with its answer, flags and legal basis: red flags first, then risks, then the
    rest, each in questionnaire order."""
    states, result = reading or questionnaire_reading(review)
    rows = []
    for question in result.visible:
        state = states.get(question.code)
        rows.append(
            AnswerRow(
                question=question,
                value=display_value(question, state.value if state else None),
                detail=state.detail if state else "",
                flags=result.flags_for(question.code),
                via_contact=contributions.answers.get(question.code) if contributions else None,
            )
        )
    return sorted(rows, key=lambda row: row.severity)  # sorted() is stable: questionnaire order stays


def certificate_rows(links, *, today: date) -> list[CertificateRow]:
    """The security stage's certificates (StageCertification links): the current round's, then those set
    aside in a later round, greyed. Certificates withdrawn before any submission are not listed. The expiry
    shown is the date the certificate lapses under the rules of docs/domain.md "Certificates" (vendors.cert_rules),
    which may come before the printed one (an ISO/IEC 27001:2013 certificate, say)."""
    warning = settings.VETTED_CERT_EXPIRY_WARNING_DAYS
    rows = []
    for link in links:
        cert = link.certification
        found = cert_rules.lapse(cert)
        if found is None:
            rows.append(CertificateRow(cert, "open-ended", None, link.dropped_in_round))
            continue
        days = (found.date - today).days
        expiry = "expired" if days < 0 else "expiring" if days <= warning else "valid"
        rows.append(CertificateRow(cert, expiry, days, link.dropped_in_round, found))
    return rows


@dataclass
class Requirement:
    """One document the data-source stage asks for, with why and what answers it."""

    kind: str
    label: str
    legal_basis: str
    files: list[Evidence]  # uploaded to the data-source stage, any round, not withdrawn
    given_with_answers: list[Evidence]  # attached to questionnaire answers; they count too

    @property
    def met(self) -> bool:
        return bool(self.files or self.given_with_answers)


def data_source_requirements(
    review: Review,
    evidence: list[Evidence],
    stage: Stage | None,
    *,
    reading: tuple[dict, RiskResult] | None = None,
) -> list[Requirement]:
    """`evidence`: all of the review's files (review_evidence)."""
    if stage is None or stage.state == StageState.LOCKED:
        return []
    needs = data_source_needs(review, reading=reading, evidence=evidence)
    # Every round's files count: a return keeps what was given (reviews.reopening).
    current = [e for e in evidence if e.stage_id == stage.pk and e.withdrawn_at is None]
    return [
        Requirement(
            kind,
            EvidenceKind(kind).label,
            LEGAL_BASIS.get(kind, ""),
            [e for e in current if e.kind == kind],
            [e for e in needs.given_with_answers if e.kind == kind],
        )
        for kind in needs.required
    ]


@dataclass
class ReviewFile:
    review: Review
    stages: list[Stage]
    current_stage: Stage | None
    answers: list[AnswerRow]
    evidence: list[Evidence]
    certificates: list[CertificateRow]
    requirements: list[Requirement]
    decisions: list[Decision]
    sign_off: SignOff | None
    dossiers: list[Dossier]
    audit_events: list[AuditEvent]
    result: RiskResult | None = None  # the questionnaire's reading: tier, floor and reasons
    tier: dict | None = None  # questionnaire.tiering.tier_context(result)
    risk: RiskResult | None = None

    @property
    def red_flag_rows(self) -> list[AnswerRow]:
        return [row for row in self.answers if row.red_flags]

    @property
    def flagged_rows(self) -> list[AnswerRow]:
        return [row for row in self.answers if row.flags]


# What the review page and the sign-off page show of each file, its stage, its uploader and its question: the
# question's rules and texts (JSON, decoded row by row) and the accounts' other columns are never read there.
EVIDENCE_COLUMNS = (
    "review_id",
    "stage_id",
    "question_id",
    "kind",
    "round",
    "version",
    "original_name",
    "size",
    "content_type",
    "sha256",
    "uploaded_by_id",
    "uploaded_at",
    "withdrawn_at",
    "stage__kind",
    "stage__order",
    "stage__round",
    "stage__state",
    "uploaded_by__username",
    "uploaded_by__first_name",
    "uploaded_by__last_name",
    "question__code",
)


def review_evidence(review: Review) -> list[Evidence]:
    """Every file of the review, any stage and round, withdrawn ones too; one query."""
    return list(
        Evidence.objects.filter(review=review)
        .select_related("stage", "uploaded_by", "question")
        .only(*EVIDENCE_COLUMNS)
        .order_by("stage__order", "kind", "version", "pk")
    )


def review_queryset():
    # The sign-off comes with the review (a one-to-one: None when not signed), and whether any vendor contact
    # has a link to it (most reviews: none), not in queries of their own. The questionnaire's own row is not
    # read by either page (its questions are read by template_id).
    return (
        Review.objects.select_related("vendor", "requester", "sign_off__signed_by")
        .annotate(
            has_contact_links=Exists(ContactLink.objects.filter(review=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
    )


def security_certificate_links(security: Stage | None) -> list[StageCertification]:
    """The security stage's certificates, not withdrawn, the current round's first. A stage still locked has
    never been open, and only an open one takes certificates (reviews.evidence.certificate_add): no query."""
    if security is None or security.state == StageState.LOCKED:
        return []
    return list(
        security.certificate_links.filter(certification__withdrawn_at__isnull=True)
        .select_related("certification")
        .order_by(F("dropped_in_round").asc(nulls_first=True), "certification__expires_on", "pk")
    )


def review_file(review: Review, *, with_audit: bool = True) -> ReviewFile:
    """`review` must come from review_queryset() so its stages and sign-off come with it."""
    stages = list(review.stages.all())
    security = next((s for s in stages if s.kind == StageKind.SECURITY), None)
    today = timezone.localdate()
    evidence = review_evidence(review)
    for item in evidence:
        # Its links and phrases, made here rather than by a tag in each row of the templates (each tag some
        # 20 µs; a review has dozens of files).
        item.download_url = object_url("admin:reviews_review_evidence_download", review.pk, item.pk)
        item.preview_url = object_url("admin:reviews_review_evidence_preview", review.pk, item.pk)
        item.round_label = gettext("round %(round)s") % {"round": item.round}
        item.preview_label = gettext("Preview %(name)s") % {"name": item.original_name}
    # Each decision's stage is one of those already read: given, not joined.
    by_pk = {stage.pk: stage for stage in stages}
    decisions = list(Decision.objects.filter(stage__in=list(by_pk)).select_related("decided_by"))
    for decision in decisions:
        decision.stage = by_pk[decision.stage_id]
    try:
        sign_off = review.sign_off
    except SignOff.DoesNotExist:
        sign_off = None
    # The dossiers are shown with the sign-off only (they are made from it): none to read before it.
    dossiers = list(Dossier.objects.filter(review=review).select_related("requested_by")) if sign_off else []
    audit_events = []
    if with_audit:
        # Vendor events (approved, suspended) carry no review; show those since this review began.
        audit_events = list(
            AuditEvent.objects.filter(
                Q(review=review)
                | Q(review__isnull=True, vendor_id=review.vendor_id, at__gte=review.created_at)
            )
            .select_related("actor")
            .order_by("pk")
        )
        _attach_review_and_vendor(audit_events, review)
        for event in audit_events:
            event.sentence = audit_sentence(event)
            event.recorded_label = gettext("Recorded data (event #%(n)s)") % {"n": event.pk}
            event.details_text = json.dumps(
                event.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder
            )
    # Without a contact link nobody acted through one.
    contributions = (
        contact_contributions(review)
        if getattr(review, "has_contact_links", True)
        else ContactContributions()
    )
    reading = questionnaire_reading(review, evidence=evidence)
    return ReviewFile(
        review=review,
        stages=stages,
        current_stage=review.current_stage(),
        answers=answer_rows(review, contributions, reading=reading),
        evidence=contributions.mark(evidence),
        requirements=data_source_requirements(
            review,
            evidence,
            next((s for s in stages if s.kind == StageKind.DATA_SOURCE), None),
            reading=reading,
        ),
        certificates=certificate_rows(security_certificate_links(security), today=today),
        decisions=decisions,
        sign_off=sign_off,
        dossiers=dossiers,
        audit_events=audit_events,
        result=reading[1],
        tier=tier_context(reading[1]),
        risk=reading[1],
    )


def _attach_review_and_vendor(events: list[AuditEvent], review: Review) -> None:
    """Give the events their review and vendor (the audit sentences name them) from the review already read,
    rather than joining both wide rows to every event. An event naming another vendor, which the events of a
    review do not, gets its vendor in one more query."""
    others = {e.vendor_id for e in events if e.vendor_id is not None and e.vendor_id != review.vendor_id}
    vendors = {review.vendor_id: review.vendor}
    if others:
        vendors.update(Vendor.objects.in_bulk(others))
    for event in events:
        if event.review_id == review.pk:
            event.review = review
        if event.vendor_id is not None:
            event.vendor = vendors[event.vendor_id]


@dataclass(frozen=True)
class Reason:
    """Why the tier is what it is: one answer's effect on the score, with the article it rests on."""

    text: str
    article: str
    effect: str


def tier_reasons(result: RiskResult | None) -> list:
    """The scoring result's reasons (each with .text, .article, .effect), or, from a result that does not
    give them, its red flags and risks read as reasons."""
    if result is None:
        return []
    reasons = getattr(result, "reasons", None)
    if reasons is not None:
        return list(reasons)
    return [Reason(f.message, f.legal_basis, f.effect) for f in [*result.red_flags, *result.risks]]


@dataclass
class Findings:
    """What the reviewer of `stage` must weigh, shown beside the decision buttons."""

    stage: Stage
    red_flags: list[AnswerRow]
    unanswered: list
    missing: list[Requirement]
    certificate_problems: list[CertificateRow]
    reasons: list


def stage_findings(file: ReviewFile, stage: Stage) -> Findings:
    """Red flags and unanswered questions for the questionnaire, documents still missing for the data-source
    stage, expired or expiring certificates for the security stage; all of them for the sign-off."""
    kind = stage.kind
    every = kind == StageKind.SIGN_OFF
    return Findings(
        stage=stage,
        red_flags=file.red_flag_rows if kind == StageKind.QUESTIONNAIRE or every else [],
        unanswered=list(file.risk.missing) if file.risk and kind == StageKind.QUESTIONNAIRE else [],
        missing=[r for r in file.requirements if not r.met] if kind == StageKind.DATA_SOURCE or every else [],
        certificate_problems=[
            r for r in file.certificates if r.set_aside_in is None and r.expiry in ("expired", "expiring")
        ]
        if kind == StageKind.SECURITY or every
        else [],
        reasons=tier_reasons(file.risk),
    )


REOPEN_LABEL_LENGTH = 90


def _shortened(text: str, length: int = REOPEN_LABEL_LENGTH) -> str:
    """What |truncatechars:90 writes (Django's Truncator), without its walk over every character: a label no
    longer than that comes back whole (NFC-normalised, as it does), a longer ASCII one (English: no combining
    characters, each counts) is cut where the walk would cut it."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    if text.isascii():
        return add_truncation_text(text[: calculate_truncate_chars_length(length, None)])
    return Truncator(text).chars(length)


def reopen_choices(file: "ReviewFile", stage: Stage) -> list[tuple[str, str, bool]]:
    """What Legal may name in a return (reviews.reopening): the questionnaire's visible questions, flagged
    ones pre-ticked, or the data-source stage's documents, missing ones pre-ticked. Each label is shortened
    to 90 characters for the page."""
    if stage.kind == StageKind.QUESTIONNAIRE:
        return [
            (row.question.code, _shortened(f"{row.question.code} {row.question.text}"), bool(row.flags))
            for row in file.answers
        ]
    if stage.kind == StageKind.DATA_SOURCE:
        return [(item.kind, _shortened(str(item.label)), not item.met) for item in file.requirements] + [
            (EvidenceKind.OTHER.value, _shortened(str(EvidenceKind.OTHER.label)), False)
        ]
    return []


class _AppListWhenRead:
    """An admin site whose get_app_list() answers a list built when first read. Both pages about one review
    hide the sidebar, the only reader of each_context's list of tables (available_apps), whose building
    checks a permission and reverses two links for every table: 1.5 ms of the review page."""

    def __init__(self, site):
        self._site = site

    def __getattr__(self, name):
        return getattr(self._site, name)

    def get_app_list(self, request, app_label=None):
        return SimpleLazyObject(lambda: self._site.get_app_list(request, app_label))


def review_page_context(model_admin, request, review, title) -> dict:
    """What every admin page about one review starts from (the review page, the sign-off page)."""
    site = model_admin.admin_site
    return {
        **type(site).each_context(_AppListWhenRead(site), request),
        "opts": model_admin.opts,
        "title": title,
        "subtitle": review.vendor.name_zh,
        "original": review,
        "review": review,
    }
