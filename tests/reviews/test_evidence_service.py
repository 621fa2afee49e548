"""reviews.evidence: uploading and withdrawing evidence and certificates (the rules besides I6)."""

import pytest
from django.core.exceptions import ValidationError

from reviews.errors import WorkflowError
from reviews.evidence import certificate_add, evidence_add, evidence_withdraw
from reviews.models import AuditEvent, Evidence, EvidenceKind, Question, StageKind
from tests import builders
from tests.factories import cert_fields, pdf_upload

pytestmark = pytest.mark.django_db

Q, DS, SEC = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY


@pytest.fixture
def open_review(requester):
    return builders.start_review(requester)


def test_evidence_is_stored_with_its_hash_and_audited(open_review, requester):
    stage = builders.stage_of(open_review, Q)

    evidence, duplicate = evidence_add(
        stage=stage,
        actor=requester,
        kind=EvidenceKind.BUSINESS_LICENCE,
        upload=pdf_upload("营业执照.pdf", text="licence"),
        note=" 2026年版 ",
    )

    assert duplicate is None
    assert (evidence.round, evidence.version, evidence.original_name, evidence.note) == (
        1,
        1,
        "营业执照.pdf",
        "2026年版",
    )
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.data["sha256"], event.data["name"]) == (
        "evidence.added",
        evidence.sha256,
        "营业执照.pdf",
    )


def test_a_second_upload_of_a_kind_is_a_new_version(open_review, requester):
    stage = builders.stage_of(open_review, Q)
    first, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload(text="one")
    )

    second, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload(text="two")
    )

    assert (first.version, second.version) == (1, 2)


def test_the_same_file_twice_is_reported_as_a_duplicate(open_review, requester):
    stage = builders.stage_of(open_review, Q)
    first, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload(text="same")
    )

    again, duplicate = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("copy.pdf", text="same")
    )

    assert duplicate == first
    assert again.pk != first.pk


def test_a_refused_file_leaves_no_evidence(open_review, requester):
    stage = builders.stage_of(open_review, Q)

    with pytest.raises(ValidationError):
        evidence_add(stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("x.html"))

    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.added").exists()


@pytest.mark.parametrize("persona", ["other_requester", "legal", "security", "auditor", "outsider"])
def test_only_the_requester_adds_evidence(request, persona, open_review):
    stage = builders.stage_of(open_review, Q)

    with pytest.raises(WorkflowError) as refused:
        evidence_add(
            stage=stage, actor=request.getfixturevalue(persona), kind=EvidenceKind.OTHER, upload=pdf_upload()
        )

    assert refused.value.code == "forbidden"
    assert not Evidence.objects.exists()


def test_a_file_answering_a_question_rescores_the_review(open_review, requester):
    builders.fill_questionnaire(open_review, requester)
    stage = builders.stage_of(open_review, Q)
    b3 = Question.objects.get(section__template=open_review.template, code="B3")
    b3_file = Evidence.objects.get(stage=stage, question=b3)

    evidence_withdraw(evidence=b3_file, actor=requester)  # "yes, we can provide it" without a file: red flag
    open_review.refresh_from_db()
    assert open_review.red_flag_count == 1

    evidence_add(
        stage=stage,
        actor=requester,
        kind=EvidenceKind.UPSTREAM_AGREEMENT,
        question=b3,
        upload=pdf_upload("chain.pdf", text="authorisation chain"),
    )
    open_review.refresh_from_db()
    assert open_review.red_flag_count == 0


def test_certificates_belong_to_the_security_stage(open_review, requester):
    with pytest.raises(WorkflowError) as refused:
        certificate_add(
            stage=builders.stage_of(open_review, Q), actor=requester, upload=pdf_upload(), **cert_fields()
        )
    assert refused.value.code == "stage"


def test_a_certificate_cannot_be_added_before_its_stage_opens(open_review, requester):
    with pytest.raises(WorkflowError) as refused:
        certificate_add(
            stage=builders.stage_of(open_review, SEC), actor=requester, upload=pdf_upload(), **cert_fields()
        )
    assert refused.value.code == "frozen"
    assert not open_review.vendor.certifications.exists()


def test_a_certificate_is_attached_to_the_stage_and_audited(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    builders.pass_stage(review, DS, requester, legal=legal, security=security)
    stage = builders.stage_of(review, SEC)

    cert = certificate_add(stage=stage, actor=requester, upload=pdf_upload("iso.pdf"), **cert_fields())

    assert list(stage.certifications.all()) == [cert]
    assert AuditEvent.objects.filter(
        review=review, action="stage.certificate_attached", object_id=str(cert.pk)
    ).exists()


def test_a_stage_submitted_during_an_upload_leaves_no_orphan_file(
    open_review, requester, settings, monkeypatch
):
    # The stage is still open at the first check; under the lock it has been submitted by someone else.
    stage = builders.stage_of(open_review, Q)
    checks = iter([None, WorkflowError("frozen under the lock", code="frozen")])

    def guard(stage, actor, **kwargs):
        outcome = next(checks)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr("reviews.evidence._guard_editable", guard)

    with pytest.raises(WorkflowError, match="frozen under the lock"):
        evidence_add(stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload(text="late"))

    assert not Evidence.objects.filter(review=open_review).exists()
    stored = [p for p in (settings.PRIVATE_MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    assert stored == []
