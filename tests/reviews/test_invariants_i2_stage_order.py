"""I2: stages open strictly in order; a stage cannot be submitted without its required content."""

from datetime import timedelta

import pytest

from reviews import workflow
from reviews.errors import Detail, WorkflowError
from reviews.evidence import certificate_add, evidence_add, evidence_withdraw
from reviews.models import Evidence, EvidenceKind, SignOff, StageKind, StageState
from reviews.questionnaire.answers import answers_save
from reviews.submission import data_source_needs, required_evidence_kinds
from tests import builders
from tests.factories import cert_fields, pdf_upload
from vendors.models import Certification

pytestmark = pytest.mark.django_db

Q, DS, SEC, SIGN = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY, StageKind.SIGN_OFF


def states(review):
    return [s.state for s in review.stages.order_by("order")]


def test_only_the_questionnaire_is_open_on_a_new_review(requester):
    review = builders.start_review(requester)

    assert states(review) == [StageState.OPEN, StageState.LOCKED, StageState.LOCKED, StageState.LOCKED]


def test_a_locked_stage_cannot_be_submitted(requester):
    review = builders.start_review(requester)

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=builders.stage_of(review, DS), actor=requester)
    assert refused.value.code == "state"
    assert builders.stage_of(review, DS).state == StageState.LOCKED


def test_no_document_can_be_added_to_a_locked_stage(requester):
    review = builders.start_review(requester)

    with pytest.raises(WorkflowError) as refused:
        evidence_add(
            stage=builders.stage_of(review, DS), actor=requester, kind=EvidenceKind.PIPIA, upload=pdf_upload()
        )
    assert refused.value.code == "frozen"
    assert not review.evidence.exists()


def test_passing_a_stage_opens_the_next_one_only(requester, legal, security):
    review = builders.start_review(requester)

    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    assert states(review) == [StageState.PASSED, StageState.OPEN, StageState.LOCKED, StageState.LOCKED]
    builders.pass_stage(review, DS, requester, legal=legal, security=security)
    assert states(review) == [StageState.PASSED, StageState.PASSED, StageState.OPEN, StageState.LOCKED]
    builders.pass_stage(review, SEC, requester, legal=legal, security=security)
    # The sign-off has nothing for the requester to fill in: it goes straight to Legal.
    assert states(review) == [StageState.PASSED, StageState.PASSED, StageState.PASSED, StageState.SUBMITTED]


def test_a_returned_stage_keeps_the_next_one_locked(requester, legal):
    review = builders.start_review(requester)
    builders.submit_stage(review, Q, requester)

    workflow.stage_return(stage=builders.stage_of(review, Q), actor=legal, comment="补充B2说明 / explain B2")

    assert states(review) == [StageState.RETURNED, StageState.LOCKED, StageState.LOCKED, StageState.LOCKED]


def test_questionnaire_with_missing_answers_is_refused_naming_the_questions(requester):
    review = builders.start_review(requester)
    answers_save(review=review, actor=requester, answers={"A1": (None, "914403001922038216")})

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=builders.stage_of(review, Q), actor=requester)

    assert refused.value.code == "incomplete"
    listed = " ".join(detail.message for detail in refused.value.details)
    questions = {detail.question for detail in refused.value.details}
    for code in ("A2", "A4", "B1", "D1", "H2"):  # A5 is answered by the request (its volume)
        assert f"{code} is not answered" in listed and code in questions  # the code, not only the sentence
    assert "A1 is not answered" not in listed and "A1" not in questions
    assert builders.stage_of(review, Q).state == StageState.OPEN


def test_data_source_stage_lists_every_missing_evidence_kind(requester, legal, security):
    review = builders.start_review(requester)
    stage = builders.stage_of(review, Q)
    builders.fill_questionnaire(review, requester)
    # The PIPIA given with answer B6 is withdrawn before the questionnaire goes to Legal: the data-source
    # stage must ask for it. The privacy policy given with C6 counts there.
    pipia = Evidence.objects.get(stage=stage, question__code="B6")
    evidence_withdraw(evidence=pipia, actor=requester)
    workflow.stage_submit(stage=stage, actor=requester)
    workflow.stage_pass(stage=builders.stage_of(review, Q), actor=legal)
    required = required_evidence_kinds(review)
    assert required[:3] == [
        EvidenceKind.PIPIA,
        EvidenceKind.PRIVACY_POLICY,
        EvidenceKind.PROCESSING_AGREEMENT,
    ]

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=builders.stage_of(review, DS), actor=requester)
    assert refused.value.code == "incomplete"
    missing = [kind for kind in required if kind != EvidenceKind.PRIVACY_POLICY]
    assert refused.value.details == [
        Detail(f"Upload: {EvidenceKind(kind).label}", evidence_kind=kind) for kind in missing
    ]

    data_source = builders.stage_of(review, DS)
    for kind in missing[1:]:
        evidence_add(
            stage=data_source, actor=requester, kind=kind, upload=pdf_upload(f"{kind}.pdf", text=kind)
        )
    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=data_source, actor=requester)
    assert refused.value.details == [
        Detail(f"Upload: {EvidenceKind(missing[0]).label}", evidence_kind=missing[0])
    ]


def test_a_document_given_with_an_answer_counts_for_the_data_source_stage(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    given = {item.question.code: item.kind for item in data_source_needs(review).given_with_answers}
    assert (given["B6"], given["C6"]) == (EvidenceKind.PIPIA, EvidenceKind.PRIVACY_POLICY)
    data_source = builders.stage_of(review, DS)

    evidence_add(
        stage=data_source,
        actor=requester,
        kind=EvidenceKind.PROCESSING_AGREEMENT,
        upload=pdf_upload("dpa.pdf", text="processing agreement"),
    )
    workflow.stage_submit(stage=data_source, actor=requester)

    assert builders.stage_of(review, DS).state == StageState.SUBMITTED


def test_an_independent_recipient_must_prove_separate_consent(requester, legal, security):
    review = builders.start_review(requester)
    builders.fill_questionnaire(review, requester, overrides={"D1": ("recipient", "")})

    required = required_evidence_kinds(review)

    assert EvidenceKind.SEPARATE_CONSENT in required  # PIPL Art. 23
    assert EvidenceKind.PROCESSING_AGREEMENT not in required


@pytest.fixture
def security_stage(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    builders.pass_stage(review, DS, requester, legal=legal, security=security)
    return builders.stage_of(review, SEC)


def test_security_stage_needs_a_certificate(security_stage, requester):
    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=security_stage, actor=requester)

    assert refused.value.code == "incomplete"
    assert refused.value.details == [Detail("Add at least one security certificate with its file.")]


def _added_then_changed(stage, requester, **changes):
    """A certificate valid when added (a void one is refused at upload), then changed as time or a
    correction would, so that the submission's own check is what refuses it."""
    cert = certificate_add(stage=stage, actor=requester, upload=pdf_upload("cert.pdf"), **cert_fields())
    Certification.objects.filter(pk=cert.pk).update(**changes)


def test_security_stage_refuses_an_expired_certificate(security_stage, requester):
    yesterday = builders.today() - timedelta(days=1)
    _added_then_changed(security_stage, requester, expires_on=yesterday)

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=security_stage, actor=requester)
    assert refused.value.details == [
        Detail(
            f"ISO/IEC 27001:2022 ISMS-2024-0815 lapsed on {yesterday}: the printed expiry date. "
            "Upload the renewed certificate."
        )
    ]
    security_stage.refresh_from_db()
    assert security_stage.state == StageState.OPEN


def test_security_stage_refuses_an_iso27001_certificate_to_the_2013_edition(security_stage, requester):
    _added_then_changed(security_stage, requester, edition="iso27001_2013")

    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=security_stage, actor=requester)
    assert len(refused.value.details) == 1
    assert "lapsed on 2025-10-31" in refused.value.details[0].message


def test_security_stage_needs_the_soc2_report_period(security_stage, requester):
    _added_then_changed(
        security_stage, requester, kind="soc2_type2", edition="", number="SOC2-77", expires_on=None
    )
    with pytest.raises(WorkflowError) as refused:
        workflow.stage_submit(stage=security_stage, actor=requester)
    assert refused.value.details == [
        Detail("SOC 2 Type II report SOC2-77: Give the period the SOC 2 report covers (start and end).")
    ]


def test_security_stage_accepts_an_mlps_filing_without_expiry(security_stage, requester):
    certificate_add(
        stage=security_stage,
        actor=requester,
        upload=pdf_upload("mlps.pdf"),
        **cert_fields(kind="mlps_filing", edition="mlps_l3", number="31010013000-00001", expires_on=None),
    )

    workflow.stage_submit(stage=security_stage, actor=requester)

    security_stage.refresh_from_db()
    assert security_stage.state == StageState.SUBMITTED


def test_the_sign_off_cannot_be_given_before_the_earlier_stages_pass(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)

    with pytest.raises(WorkflowError) as refused:
        workflow.review_sign_off(review=review, actor=legal, password=builders.PASSWORD, statement="ok")
    assert refused.value.code == "state"
    assert not SignOff.objects.filter(review=review).exists()
