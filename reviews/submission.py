"""What each stage needs before it can be submitted (I2), and how long a sign-off may run."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _

from vendors.models import CertificationKind

from .models import Evidence, EvidenceKind, Review, Stage, StageKind
from .questionnaire.scoring import RiskResult, evaluate_review, questionnaire_reading

VOLUME_1M = {"1m_10m", "gt10m"}


@dataclass(frozen=True)
class DataSourceNeeds:
    """What the data-source stage asks for, from one reading of the questionnaire."""

    required: list[str]  # evidence kinds, in the order the page shows them
    # Files given with visible questionnaire answers in the questionnaire's current round, not withdrawn. A
    # required document the requester already attached to an answer (the PIPIA at B6, the consent log at C3)
    # counts for the data-source stage too: Legal sees it on the review, and nobody uploads it twice.
    given_with_answers: list[Evidence]


def data_source_needs(review: Review, *, reading: tuple[dict, RiskResult] | None = None) -> DataSourceNeeds:
    answers, result = reading or questionnaire_reading(review)
    visible = {q.code for q in result.visible}
    given = list(Evidence.objects.filter(review=review, stage__kind=StageKind.QUESTIONNAIRE,
                                         round=F("stage__round"), question__code__in=visible,
                                         withdrawn_at__isnull=True).select_related("question").order_by("pk"))
    return DataSourceNeeds(_required_kinds(review, answers, visible), given)


def required_evidence_kinds(review: Review) -> list[str]:
    return data_source_needs(review).required


# Why each data-source document is asked for (DOMAIN.md section 4), shown to Legal beside the files.
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
}


def _required_kinds(review: Review, answers, visible: set[str]) -> list[str]:
    """Evidence the data-source stage needs, from the vendor's role (D1) and answers (DOMAIN.md section 4);
    LEGAL_BASIS says why each is needed."""

    def value(code):
        state = answers.get(code)
        return state.value if state and code in visible else None

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
    if volume == "gt10m":
        kinds.append(EvidenceKind.COMPLIANCE_AUDIT)
    return list(dict.fromkeys(kinds))


def current_evidence(stage: Stage):
    return Evidence.objects.filter(stage=stage, round=stage.round, withdrawn_at__isnull=True)



def certificate_problems(cert, *, today: date) -> list[str]:
    """The security rules of DOMAIN.md section 4 that block a submission."""
    problems = []
    label = f"{cert.get_kind_display()} {cert.number}"
    if cert.expires_on is None and cert.kind != CertificationKind.MLPS_FILING:
        problems.append(_("%(cert)s: give the expiry date.") % {"cert": label})
    if cert.expires_on is not None and cert.expires_on < today:
        problems.append(_("%(cert)s expired on %(date)s.") % {"cert": label, "date": cert.expires_on})
    if cert.kind == CertificationKind.ISO27001 and cert.issued_on < date(2022, 10, 25):
        # ISO/IEC 27001:2022 was published 2022-10-25; 2013-edition certificates are void after 2025-10-31.
        problems.append(_("%(cert)s predates the 2022 edition; certificates to ISO/IEC 27001:2013 are invalid "
                          "after 2025-10-31.") % {"cert": label})
    return problems


def missing_content(stage: Stage) -> list[str]:
    """Human-readable list of what the stage still lacks; empty when it can be submitted."""
    review = stage.review
    if stage.kind == StageKind.QUESTIONNAIRE:
        result = evaluate_review(review)
        return [_("%(code)s is not answered: %(text)s") % {"code": q.code, "text": q.text} for q in result.missing]
    if stage.kind == StageKind.DATA_SOURCE:
        needs = data_source_needs(review)
        present = set(current_evidence(stage).values_list("kind", flat=True))
        present |= {item.kind for item in needs.given_with_answers}
        return [_("Upload: %(kind)s") % {"kind": EvidenceKind(kind).label}
                for kind in needs.required if kind not in present]
    if stage.kind == StageKind.SECURITY:
        from django.utils import timezone

        certs = list(stage.current_certifications())
        if not certs:
            return [_("Add at least one security certificate with its file.")]
        today = timezone.localdate()
        return [problem for cert in certs for problem in certificate_problems(cert, today=today)]
    return []


@dataclass(frozen=True)
class ValidityCap:
    date: date
    reason: str


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def sign_off_validity_cap(review: Review, *, today: date) -> ValidityCap:
    """Default 12 months, never past the earliest certificate expiry (DESIGN.md stage 4)."""
    months = settings.VETTED_SIGN_OFF_DEFAULT_MONTHS
    default = ValidityCap(_add_months(today, months),
                          _("the default validity of %(n)d months") % {"n": months})
    security = Stage.objects.get(review=review, kind=StageKind.SECURITY)
    expiring = security.current_certifications().filter(expires_on__isnull=False)
    earliest = expiring.order_by("expires_on").first()
    if earliest is not None and earliest.expires_on < default.date:
        return ValidityCap(earliest.expires_on, _("%(cert)s expires on %(date)s") % {
            "cert": f"{earliest.get_kind_display()} {earliest.number}", "date": earliest.expires_on})
    return default
