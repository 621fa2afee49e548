"""What each stage needs before it can be submitted (I2), and how long a sign-off may run."""

import datetime
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from vendors import cert_rules
from vendors.cert_rules import add_months
from vendors.models import SOFTWARE_KINDS, CertificationKind, RiskTier

from .errors import Detail
from .models import Evidence, EvidenceKind, Review, Stage, StageKind
from .questionnaire.scoring import RiskResult, evaluate_review, questionnaire_reading
from .questionnaire.tiering import approval_months

VOLUME_1M = {"1m_10m", "gt10m"}


@dataclass(frozen=True)
class DataSourceNeeds:
    """What the data-source stage asks for, from one reading of the questionnaire."""

    required: list[str]  # evidence kinds, in the order the page shows them
    # Files given with visible questionnaire answers, in any round, not withdrawn (a return keeps what was
    # given: reviews.reopening). A required document the requester already attached to an answer (the PIPIA
    # at B6, the consent log at C3) counts for the data-source stage too: Legal sees it on the review, and
    # nobody uploads it twice.
    given_with_answers: list[Evidence]


def data_source_needs(
    review: Review, *, reading: tuple[dict, RiskResult] | None = None, evidence: list[Evidence] | None = None
) -> DataSourceNeeds:
    """`evidence`: all of the review's files, with their stages and questions, when the caller has read them
    already (no query then)."""
    answers, result = reading or questionnaire_reading(review)
    visible = {q.code for q in result.visible}
    if evidence is None:
        given = list(
            Evidence.objects.filter(
                review=review,
                stage__kind=StageKind.QUESTIONNAIRE,
                question__code__in=visible,
                withdrawn_at__isnull=True,
            )
            .select_related("question")
            .order_by("pk")
        )
    else:
        given = sorted(
            (
                e
                for e in evidence
                if e.stage.kind == StageKind.QUESTIONNAIRE
                and e.question is not None
                and e.question.code in visible
                and e.withdrawn_at is None
            ),
            key=lambda e: e.pk,
        )
    return DataSourceNeeds(_required_kinds(review, answers, visible, tier=result.tier), given)


def required_evidence_kinds(review: Review) -> list[str]:
    return data_source_needs(review).required


# Why each data-source document is asked for (docs/domain.md "Evidence"), shown to Legal beside the files.
LEGAL_BASIS = {
    EvidenceKind.PIPIA: "PIPL Art. 55-56",  # onboarding a vendor that receives personal data triggers a PIPIA
    EvidenceKind.PRIVACY_POLICY: "PIPL Art. 17",
    EvidenceKind.PROCESSING_AGREEMENT: "PIPL Art. 21",
    EvidenceKind.PROVISION_AGREEMENT: "PIPL Art. 23",
    EvidenceKind.SEPARATE_CONSENT: "PIPL Art. 23",
    EvidenceKind.JOINT_AGREEMENT: "PIPL Art. 20",
    EvidenceKind.CONSENT_TEXT: "PIPL Art. 14; GB/T 35273-2020 5.4",
    EvidenceKind.CONSENT_LOG: "PIPL Art. 14; GB/T 35273-2020 5.4",
    EvidenceKind.UPSTREAM_AGREEMENT: "DSL Art. 33; GB/T 35273-2020 5.4",
    EvidenceKind.CROSS_BORDER: "PIPL Art. 38-39",
    EvidenceKind.PIPO_FILING: "PIPL Art. 52",
    EvidenceKind.COMPLIANCE_AUDIT: "PIPL Art. 54",
    EvidenceKind.SDK_LIST: "PIPL Art. 17, 23",
    EvidenceKind.ACCOUNT_SECURITY: "PIPL Art. 51",
}


def _required_kinds(review: Review, answers, visible: set[str], *, tier: str = "") -> list[str]:
    """Evidence the data-source stage needs, from the vendor's role (D1) and answers (docs/domain.md "Evidence");
    LEGAL_BASIS says why each is needed."""

    def value(code):
        state = answers.get(code)
        return state.value if state and code in visible else None

    if review.vendor.is_own_channel:
        return _channel_required_kinds(review, value, tier=tier)
    kinds = [EvidenceKind.PIPIA, EvidenceKind.PRIVACY_POLICY]
    role = value("D1")
    if role == "processor":
        kinds.append(EvidenceKind.PROCESSING_AGREEMENT)
    elif role == "recipient":
        kinds += [EvidenceKind.PROVISION_AGREEMENT, EvidenceKind.SEPARATE_CONSENT]
    elif role == "joint":
        kinds.append(EvidenceKind.JOINT_AGREEMENT)
    if value("B1") == "identifiable":
        kinds += [EvidenceKind.CONSENT_TEXT, EvidenceKind.CONSENT_LOG]
    if value("B2") in ("partner", "other"):
        kinds.append(EvidenceKind.UPSTREAM_AGREEMENT)
    if value("F1") == "yes":
        kinds.append(EvidenceKind.CROSS_BORDER)
    volume = value("A5") or review.expected_volume
    if volume in VOLUME_1M:
        kinds.append(EvidenceKind.PIPO_FILING)
    if volume == "gt10m" or tier in (RiskTier.HIGH, RiskTier.CRITICAL):
        # A High-tier vendor shows a compliance audit within the last 2 years (PIPL Art. 54; the PIPIA of
        # Art. 55-56 is asked of every vendor above).
        kinds.append(EvidenceKind.COMPLIANCE_AUDIT)
    return list(dict.fromkeys(kinds))


def _channel_required_kinds(review: Review, value, *, tier: str) -> list[str]:
    """An own channel's data-source evidence (docs/domain.md "Own channels"): its privacy policy and consent
    texts always, the SDK list of a channel that embeds SDKs, and what its answers call for."""
    kinds = [EvidenceKind.PRIVACY_POLICY, EvidenceKind.CONSENT_TEXT]
    if value("S1") == "listed":
        kinds.append(EvidenceKind.SDK_LIST)
    if value("K2") == "yes":
        kinds.append(EvidenceKind.SEPARATE_CONSENT)
    if value("X3") == "yes":
        kinds.append(EvidenceKind.CROSS_BORDER)
    # PIPL Art. 55: sensitive information (a child's is sensitive, Art. 28), provision to another handler,
    # transfer abroad each call for an impact assessment first.
    if "yes" in (value("K4"), value("K2"), value("X3"), value("Y1")):
        kinds.append(EvidenceKind.PIPIA)
    if review.expected_volume in VOLUME_1M:
        kinds.append(EvidenceKind.PIPO_FILING)
    if review.expected_volume == "gt10m" or tier in (RiskTier.HIGH, RiskTier.CRITICAL):
        kinds.append(EvidenceKind.COMPLIANCE_AUDIT)
    return list(dict.fromkeys(kinds))


def channel_security_missing(stage: Stage) -> list[Detail]:
    """What an own channel's security stage lacks: the MLPS filing of the systems behind a website, mini
    program or app (CSL Art. 21, Art. 23 since 2026-01-01), and for every channel the account-security
    evidence (administrators, two-factor login; PIPL Art. 51), which the questionnaire's U2 may already
    hold."""
    from django.utils import timezone

    review = stage.review
    missing: list[Detail] = []
    certs = list(stage.current_certifications())
    if review.vendor.channel.kind in SOFTWARE_KINDS and not any(
        cert.kind == CertificationKind.MLPS_FILING for cert in certs
    ):
        missing.append(
            Detail(_("Add the MLPS filing certificate of the systems behind the channel, with its file."))
        )
    if not Evidence.objects.filter(
        review=review, kind=EvidenceKind.ACCOUNT_SECURITY, withdrawn_at__isnull=True
    ).exists():
        missing.append(
            Detail(
                _(
                    "Upload the account-security evidence: the administrators and the two-factor login setting."
                ),
                evidence_kind=EvidenceKind.ACCOUNT_SECURITY,
            )
        )
    today = timezone.localdate()
    return [
        *missing,
        *(Detail(problem) for cert in certs for problem in certificate_problems(cert, today=today)),
    ]


def current_evidence(stage: Stage):
    """The files that count for a stage: every round's, not withdrawn. A return keeps what was given
    (reviews.reopening); earlier rounds' files stay frozen (I6) and still count."""
    return Evidence.objects.filter(stage=stage, withdrawn_at__isnull=True)


def certificate_problems(cert, *, today: date) -> list[str]:
    """The rules of docs/domain.md "Certificates" (vendors.cert_rules) that block a submission: an incomplete record,
    a void certificate, and one lapsing within the warning window (an approval could not outlive it)."""
    assessment = cert_rules.assess(cert, today=today)
    return [*assessment.problems, *([assessment.expiring] if assessment.expiring else [])]


def missing_content(stage: Stage) -> list[Detail]:
    """What the stage still lacks, each with what it is about; empty when it can be submitted."""
    review = stage.review
    if stage.kind == StageKind.QUESTIONNAIRE:
        result = evaluate_review(review)
        return [
            Detail(
                _("%(code)s is not answered: %(text)s") % {"code": q.code, "text": q.text}, question=q.code
            )
            for q in result.missing
        ]
    if stage.kind == StageKind.DATA_SOURCE:
        needs = data_source_needs(review)
        present = set(current_evidence(stage).values_list("kind", flat=True))
        present |= {item.kind for item in needs.given_with_answers}
        return [
            Detail(_("Upload: %(kind)s") % {"kind": EvidenceKind(kind).label}, evidence_kind=kind)
            for kind in needs.required
            if kind not in present
        ]
    if stage.kind == StageKind.SECURITY and review.vendor.is_own_channel:
        return channel_security_missing(stage)
    if stage.kind == StageKind.SECURITY:
        from django.utils import timezone

        certs = list(stage.current_certifications())
        if not certs:
            return [Detail(_("Add at least one security certificate with its file."))]
        today = timezone.localdate()
        return [Detail(problem) for cert in certs for problem in certificate_problems(cert, today=today)]
    return []


@dataclass(frozen=True)
class ValidityCap:
    date: datetime.date
    reason: str
    proposed: datetime.date  # what the sign-off form offers: the default validity, within the cap

    def impossible_on(self, today: datetime.date) -> bool:
        """No approval can be signed: the cap is today or earlier (a certificate lapses, say)."""
        return self.date <= today


def sign_off_validity_cap(review: Review, *, today: date) -> ValidityCap:
    """The latest date an approval may run to: the risk tier's maximum (reviews.risk), never past the
    earliest date a current certificate lapses under the rules of docs/domain.md "Certificates" (vendors.cert_rules).
    The form proposes the default validity (VETTED_SIGN_OFF_DEFAULT_MONTHS) when it is shorter."""
    months = approval_months(review.risk_tier)
    latest = add_months(today, months)
    reason = _("the longest approval for a %(tier)s-risk vendor, %(n)d months") % {
        "tier": review.get_risk_tier_display(),
        "n": months,
    }
    security = Stage.objects.get(review=review, kind=StageKind.SECURITY)
    lapses = [
        (found, cert)
        for cert in security.current_certifications()
        for found in [cert_rules.lapse(cert)]
        if found is not None
    ]
    if lapses:
        found, cert = min(lapses, key=lambda pair: pair[0].date)
        if found.date < latest:
            latest = found.date
            reason = _("%(cert)s lapses on %(date)s: %(why)s") % {
                "cert": f"{cert.title} {cert.number}",
                "date": found.date,
                "why": found.why,
            }
    proposed = min(latest, add_months(today, settings.VETTED_SIGN_OFF_DEFAULT_MONTHS))
    return ValidityCap(latest, reason, proposed)
