"""I6: evidence is frozen once its stage is submitted; a returned stage gets new versions, old ones stay."""

import pytest

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.evidence import certificate_add, certificate_withdraw, evidence_add, evidence_withdraw
from reviews.models import Answer, Evidence, EvidenceKind, StageKind
from reviews.questionnaire.answers import answers_save
from tests import builders
from tests.factories import cert_fields, pdf_upload
from vendors.models import Certification
from vendors.services import VendorError, certification_withdraw

pytestmark = pytest.mark.django_db

Q, DS, SEC = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY


@pytest.fixture
def submitted_data_source(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    return builders.submit_stage(review, DS, requester)


def test_submitting_freezes_the_stage_evidence(submitted_data_source):
    evidence = Evidence.objects.filter(stage=submitted_data_source)

    assert evidence.exists()
    assert all(e.frozen for e in evidence)


def test_no_evidence_can_be_added_to_a_submitted_stage(submitted_data_source, requester):
    count = Evidence.objects.count()

    with pytest.raises(WorkflowError) as refused:
        evidence_add(
            stage=submitted_data_source,
            actor=requester,
            kind=EvidenceKind.PIPIA,
            upload=pdf_upload("pipia-v2.pdf", text="late"),
        )

    assert refused.value.code == "frozen"
    assert Evidence.objects.count() == count


def test_submitted_evidence_cannot_be_withdrawn(submitted_data_source, requester):
    evidence = Evidence.objects.filter(stage=submitted_data_source).first()

    with pytest.raises(WorkflowError) as refused:
        evidence_withdraw(evidence=evidence, actor=requester)

    assert refused.value.code == "frozen"
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is None


def test_a_returned_stage_takes_new_versions_and_keeps_the_old_ones(submitted_data_source, requester, legal):
    stage = submitted_data_source
    old = {e.pk: (e.kind, e.version, e.sha256) for e in Evidence.objects.filter(stage=stage)}
    workflow.stage_return(stage=stage, actor=legal, comment="PIPIA未签字 / the PIPIA is unsigned")
    stage.refresh_from_db()
    assert stage.round == 2

    new, _ = evidence_add(
        stage=stage,
        actor=requester,
        kind=EvidenceKind.PIPIA,
        upload=pdf_upload("pipia-signed.pdf", text="signed PIPIA"),
    )

    assert (new.round, new.version, new.frozen) == (2, 2, False)
    assert new.is_current
    kept = Evidence.objects.filter(pk__in=old)
    assert {e.pk: (e.kind, e.version, e.sha256) for e in kept} == old
    assert all(e.frozen and not e.is_current for e in kept)


def test_old_round_evidence_cannot_be_withdrawn_after_a_return(submitted_data_source, requester, legal):
    old = Evidence.objects.filter(stage=submitted_data_source).first()
    workflow.stage_return(stage=submitted_data_source, actor=legal, comment="补充 / complete it")

    with pytest.raises(WorkflowError, match="can no longer be removed"):
        evidence_withdraw(evidence=old, actor=requester)


def test_a_resubmission_keeps_the_files_of_earlier_rounds(submitted_data_source, requester, legal):
    """A return does not undo what was given (reviews.reopening): the round-1 files still count."""
    stage = submitted_data_source
    workflow.stage_return(stage=stage, actor=legal, comment="补充 / complete it")

    workflow.stage_submit(stage=stage, actor=requester)

    stage.refresh_from_db()
    assert (stage.state, stage.round) == ("submitted", 2)
    assert not Evidence.objects.filter(stage=stage, round=2).exists()


def test_unsubmitted_evidence_can_be_withdrawn_and_is_kept(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    stage = builders.stage_of(review, DS)
    evidence, _ = evidence_add(stage=stage, actor=requester, kind=EvidenceKind.PIPIA, upload=pdf_upload())

    evidence_withdraw(evidence=evidence, actor=requester)

    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None
    assert not evidence.is_current


def test_submitted_certificates_are_frozen(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    builders.pass_stage(review, DS, requester, legal=legal, security=security)
    stage = builders.submit_stage(review, SEC, requester)
    cert = stage.certifications.get()

    assert cert.frozen
    with pytest.raises(VendorError):
        certification_withdraw(certification=cert, actor=requester)
    with pytest.raises(WorkflowError, match="frozen"):
        certificate_withdraw(stage=stage, certification=cert, actor=requester)
    with pytest.raises(WorkflowError, match="frozen"):
        certificate_add(stage=stage, actor=requester, upload=pdf_upload("late.pdf"), **cert_fields())
    assert Certification.objects.get(pk=cert.pk).withdrawn_at is None


def test_answers_of_a_submitted_questionnaire_cannot_change(requester):
    review = builders.start_review(requester)
    builders.submit_stage(review, Q, requester)
    before = Answer.objects.get(review=review, question__code="B2").value

    with pytest.raises(WorkflowError) as refused:
        answers_save(review=review, actor=requester, answers={"B2": ("bought", "changed after submission")})

    assert refused.value.code == "frozen"
    assert Answer.objects.get(review=review, question__code="B2").value == before
