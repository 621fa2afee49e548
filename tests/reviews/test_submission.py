"""reviews.submission: the evidence each review needs (docs/domain.md "Evidence") and how long a sign-off may
run."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import EvidenceKind, StageKind
from reviews.submission import required_evidence_kinds, sign_off_validity_cap
from tests import builders
from tests.factories import PASSWORD
from vendors.cert_rules import add_months

pytestmark = pytest.mark.django_db

K = EvidenceKind


def kinds_for(requester, overrides, **review_fields):
    review = builders.start_review(requester, **review_fields)
    builders.fill_questionnaire(review, requester, overrides=overrides)
    return required_evidence_kinds(review)


def test_every_review_needs_a_pipia_and_the_privacy_policy(requester):
    review = builders.start_review(requester)

    assert required_evidence_kinds(review)[:2] == [K.PIPIA, K.PRIVACY_POLICY]


@pytest.mark.parametrize(
    ("role", "needed", "not_needed"),
    [
        (
            "processor",
            {K.PROCESSING_AGREEMENT},
            {K.PROVISION_AGREEMENT, K.SEPARATE_CONSENT, K.JOINT_AGREEMENT},
        ),
        (
            "recipient",
            {K.PROVISION_AGREEMENT, K.SEPARATE_CONSENT},
            {K.PROCESSING_AGREEMENT, K.JOINT_AGREEMENT},
        ),
        ("joint", {K.JOINT_AGREEMENT}, {K.PROCESSING_AGREEMENT, K.PROVISION_AGREEMENT}),
    ],
)
def test_the_vendor_role_decides_the_agreement_required(requester, role, needed, not_needed):
    kinds = set(kinds_for(requester, {"D1": (role, "")}))

    assert needed <= kinds
    assert not (not_needed & kinds)


def test_identifiable_data_from_partners_needs_consent_proof_and_the_upstream_agreement(requester):
    kinds = kinds_for(
        requester, {"B1": ("identifiable", ""), "B2": ("partner", "某品牌会员合作 / brand partner")}
    )

    assert {K.CONSENT_TEXT, K.CONSENT_LOG, K.UPSTREAM_AGREEMENT} <= set(kinds)


def test_cross_border_transfer_needs_its_approval(requester):
    assert K.CROSS_BORDER in kinds_for(requester, {"F1": ("yes", "新加坡备份 / backup in Singapore")})
    assert K.CROSS_BORDER not in kinds_for(requester, {"F1": ("no", "")})


# From 1 million individuals the tier is High (PIPL Art. 52 floor), and a High vendor shows a compliance audit.
@pytest.mark.parametrize(
    ("volume", "pipo", "audit"),
    [
        ("lt100k", False, False),
        ("100k_1m", False, False),
        ("1m_10m", True, True),
        ("gt10m", True, True),
    ],
)
def test_volume_decides_the_pipo_filing_and_the_compliance_audit(requester, volume, pipo, audit):
    kinds = kinds_for(requester, {"A5": (volume, "")})

    assert (K.PIPO_FILING in kinds, K.COMPLIANCE_AUDIT in kinds) == (pipo, audit)


def test_without_an_a5_answer_the_requested_volume_decides(requester):
    review = builders.start_review(requester, expected_volume="gt10m")

    assert {K.PIPO_FILING, K.COMPLIANCE_AUDIT} <= set(required_evidence_kinds(review))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 29), 12, date(2027, 11, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_months_are_added_on_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_the_sign_off_defaults_to_twelve_months(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)

    assert review.sign_off.valid_until == add_months(timezone.localdate(review.sign_off.signed_at), 12)


def test_the_sign_off_never_outlives_the_earliest_certificate(requester, legal, security):
    review = builders.start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    expiry = builders.today() + timedelta(days=90)
    builders.fill_security(review, requester, expires_on=expiry)
    stage = workflow.stage_submit(stage=builders.stage_of(review, StageKind.SECURITY), actor=requester)
    workflow.stage_pass(stage=stage, actor=security)

    cap = sign_off_validity_cap(review, today=builders.today())
    assert cap.date == expiry
    assert "ISMS-2024-0815" in cap.reason

    with pytest.raises(WorkflowError) as refused:
        workflow.review_sign_off(
            review=review,
            actor=legal,
            password=PASSWORD,
            statement="ok",
            valid_until=expiry + timedelta(days=1),
        )
    assert refused.value.code == "validity"
    assert str(expiry) in refused.value.message

    sign_off = workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="ok")
    assert sign_off.valid_until == expiry


def test_a_sign_off_must_end_after_today(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(WorkflowError) as refused:
        workflow.review_sign_off(
            review=review, actor=legal, password=PASSWORD, statement="ok", valid_until=builders.today()
        )
    assert refused.value.code == "validity"


def test_a_sign_off_needs_a_statement(requester, legal, security):
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(WorkflowError) as refused:
        workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="  ")
    assert refused.value.code == "statement"


@pytest.mark.parametrize(("tier", "months"), [("high", 12), ("medium", 24), ("low", 36)])
def test_the_risk_tier_caps_the_approval(requester, legal, security, settings, tier, months):
    """High: 12 months, Medium: 24, Low: 36 (settings VETTED_APPROVAL_MONTHS_*): the riskier the vendor,
    the sooner it is reviewed again."""
    settings.VETTED_SIGN_OFF_DEFAULT_MONTHS = 48  # the default never lifts the cap
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    review.__class__.objects.filter(pk=review.pk).update(risk_tier=tier)
    review.refresh_from_db()
    today = builders.today()
    # A certificate that outlives every cap (a telecom licence: five years).
    builders.stage_of(review, StageKind.SECURITY).certifications.update(
        kind="telecom_licence", edition="", issued_on=today, expires_on=add_months(today, 60)
    )

    cap = sign_off_validity_cap(review, today=today)

    assert (cap.date, cap.proposed) == (add_months(today, months), add_months(today, months))
    with pytest.raises(WorkflowError, match="at the latest"):
        workflow.review_sign_off(
            review=review,
            actor=legal,
            password=PASSWORD,
            statement="ok",
            valid_until=cap.date + timedelta(days=1),
        )


def test_the_validity_cap_is_configurable_per_tier(requester, legal, security, settings):
    settings.VETTED_APPROVAL_MONTHS_HIGH = 6
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    review.__class__.objects.filter(pk=review.pk).update(risk_tier="high")
    review.refresh_from_db()

    assert sign_off_validity_cap(review, today=builders.today()).date == add_months(builders.today(), 6)


def test_a_certificate_lapsing_within_the_warning_days_is_refused_at_submission(
    requester, legal, security, settings
):
    settings.VETTED_CERT_EXPIRY_WARNING_DAYS = 30
    review = builders.start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    soon = builders.today() + timedelta(days=20)
    builders.fill_security(review, requester, expires_on=soon)

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=builders.stage_of(review, StageKind.SECURITY), actor=requester)

    assert refused.value.code == "incomplete"
    detail = " ".join(d.message for d in refused.value.details)
    assert f"lapses on {soon.isoformat()}" in detail and "Upload the renewed certificate" in detail


def test_a_high_tier_vendor_needs_the_pipia_and_a_compliance_audit_pipl_art_54_to_56(requester):
    high = kinds_for(requester, {}, data_traits=["cross_border"])
    low = kinds_for(requester, {})

    assert {K.PIPIA, K.COMPLIANCE_AUDIT} <= set(high)
    assert K.PIPIA in low and K.COMPLIANCE_AUDIT not in low
