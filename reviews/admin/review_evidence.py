"""What a review's file shows of its documents: every file, the data-source stage's required documents and the
security stage's certificates, read for the review page and the sign-off page (reviews.admin.review_file)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import F

from reviews.models import Evidence, EvidenceKind, Review, Stage, StageCertification, StageState
from reviews.questionnaire.scoring import RiskResult
from reviews.review_view import EvidenceItem
from reviews.submission import LEGAL_BASIS, data_source_needs
from vendors import cert_rules
from vendors.models import Certification


@dataclass(frozen=True)
class CertificateRow:
    certification: Certification
    expiry: str  # "expired", "expiring", "valid" or "open-ended"
    days_left: int | None
    set_aside_in: int | None = None  # the round from which a submitted certificate no longer counts
    lapse: cert_rules.Lapse | None = None  # when and why it stops counting

    @property
    def lapses_on(self) -> date | None:
        return self.lapse.date if self.lapse else None

    @property
    def lapse_is_printed(self) -> bool:
        return self.lapse is not None and self.lapse.date == self.certification.expires_on


def certificate_rows(links: list[StageCertification], *, today: date) -> list[CertificateRow]:
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


@dataclass(frozen=True)
class Requirement:
    """One document the data-source stage asks for, with why and what answers it."""

    kind: str
    label: str
    legal_basis: str
    files: tuple[EvidenceItem, ...]  # uploaded to the data-source stage, any round, not withdrawn
    given_with_answers: tuple[EvidenceItem, ...]  # attached to questionnaire answers; they count too

    @property
    def met(self) -> bool:
        return bool(self.files or self.given_with_answers)


def data_source_requirements(
    review: Review,
    items: list[EvidenceItem],
    stage: Stage | None,
    *,
    reading: tuple[dict, RiskResult] | None = None,
) -> list[Requirement]:
    """`items`: all of the review's files (review_evidence), as the page lists them."""
    if stage is None or stage.state == StageState.LOCKED:
        return []
    by_pk = {item.evidence.pk: item for item in items}
    needs = data_source_needs(review, reading=reading, evidence=[item.evidence for item in items])
    # Every round's files count: a return keeps what was given (reviews.reopening).
    current = [i for i in items if i.evidence.stage_id == stage.pk and i.evidence.withdrawn_at is None]
    return [
        Requirement(
            kind,
            str(EvidenceKind(kind).label),
            LEGAL_BASIS.get(EvidenceKind(kind), ""),
            tuple(i for i in current if i.evidence.kind == kind),
            tuple(by_pk[e.pk] for e in needs.given_with_answers if e.kind == kind),
        )
        for kind in needs.required
    ]


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
