"""Uploading evidence and certificates to a review (I6: frozen once submitted, versions on return)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors import services as vendor_services
from vendors.files import StoredFile, store_upload
from vendors.models import Certification
from vendors.storage import private_storage

from .access import account_of, can_edit_review, can_write_stage, link_of
from .audit import audit_record
from .errors import WorkflowError
from .models import Evidence, Question, Review, Stage, StageCertification, StageKind
from .questionnaire.answers import review_rescore
from .reopening import refuse_unless_reopened


def _lock_stage(stage: Stage) -> Stage:
    """Lock the review, then the stage: the order of reviews.workflow, so that an upload racing a submission
    neither deadlocks with it nor slips in after it (I6)."""
    Review.objects.select_for_update().filter(pk=stage.review_id).first()
    return Stage.objects.select_for_update().select_related("review", "review__vendor").get(pk=stage.pk)


def _guard_editable(stage: Stage, actor, *, contact_may: bool = False) -> None:
    """`contact_may`: a vendor contact's link may do this too (adding files; withdrawing them and handling
    certificates stay with the requester)."""
    allowed = can_write_stage(actor, stage) if contact_may else can_edit_review(actor, stage.review)
    if not allowed:
        raise WorkflowError(_("Only the requester can add documents to an open review."), code="forbidden")
    if not stage.is_editable:
        raise WorkflowError(
            _("The stage “%(stage)s” is %(state)s: its documents are frozen.")
            % {"stage": stage.get_kind_display(), "state": stage.get_state_display()},
            code="frozen",
        )


def evidence_add(
    *, stage: Stage, actor, kind: str, upload, question: Question | None = None, note: str = ""
) -> tuple[Evidence, Evidence | None]:
    """Store one uploaded file as evidence. Returns it with an earlier identical file on the same review,
    if there is one, so the user can be told. Raises ValidationError for a refused file (nothing stored).
    `actor` is the requester or a vendor contact's link."""
    _guard_editable(stage, actor, contact_may=True)
    stored = store_upload(upload, folder="evidence")
    try:
        evidence, duplicate = _evidence_record(
            stage=stage, actor=actor, kind=kind, stored=stored, question=question, note=note
        )
    except BaseException:
        # Refused under the lock (the stage was submitted meanwhile) or the transaction failed: the row was
        # never written, so the stored file would be an orphan nobody can reach.
        private_storage().delete(stored.name)
        raise
    return evidence, duplicate


def _evidence_record(*, stage: Stage, actor, kind: str, stored, question, note: str):
    with transaction.atomic():
        stage = _lock_stage(stage)
        _guard_editable(stage, actor, contact_may=True)
        # After a return only what Legal reopened takes new files (reviews.reopening).
        refuse_unless_reopened(stage, [question.code if question is not None else kind])
        duplicate = (
            Evidence.objects.filter(review=stage.review, sha256=stored.sha256, withdrawn_at__isnull=True)
            .order_by("pk")
            .first()
        )
        last = Evidence.objects.filter(stage=stage, kind=kind).aggregate(m=Max("version"))["m"] or 0
        evidence = Evidence.objects.create(
            review=stage.review,
            stage=stage,
            question=question,
            kind=kind,
            round=stage.round,
            version=last + 1,
            file=stored.name,
            original_name=stored.original_name,
            size=stored.size,
            content_type=stored.content_type,
            sha256=stored.sha256,
            note=note.strip()[:300],
            uploaded_by=account_of(actor),
            contact_link=link_of(actor),
        )
        audit_record(
            action="evidence.added",
            actor=actor,
            review=stage.review,
            obj=evidence,
            data={
                "stage": stage.kind,
                "kind": kind,
                "version": evidence.version,
                "name": evidence.original_name,
                "size": evidence.size,
                "sha256": evidence.sha256,
                "question": question.code if question else None,
            },
        )
        if question is not None:
            # File-dependent rules (e.g. B3, B5) change the score; a change is audited.
            review_rescore(stage.review, actor=actor, cause="evidence.added")
    return evidence, duplicate


def evidence_withdraw(*, evidence: Evidence, actor) -> Evidence:
    """Take back a file uploaded by mistake. It is kept (I7), only marked withdrawn."""
    with transaction.atomic():
        _lock_stage(evidence.stage)
        evidence = Evidence.objects.select_for_update().select_related("stage__review").get(pk=evidence.pk)
        _guard_editable(evidence.stage, actor)
        if evidence.frozen or evidence.round != evidence.stage.round:
            raise WorkflowError(
                _("This file was submitted for review and can no longer be removed."), code="frozen"
            )
        evidence.withdrawn_at = timezone.now()
        evidence.save(update_fields=["withdrawn_at"])
        audit_record(
            action="evidence.withdrawn",
            actor=actor,
            review=evidence.review,
            obj=evidence,
            data={"kind": evidence.kind, "version": evidence.version, "sha256": evidence.sha256},
        )
        if evidence.question_id is not None:
            review_rescore(evidence.review, actor=actor, cause="evidence.withdrawn")
    return evidence


def certificate_add(
    *, stage: Stage, actor, upload=None, from_evidence: Evidence | None = None, **fields
) -> Certification:
    """Add a certificate record with its file to the review's security stage. `from_evidence`: a certificate
    file given with a questionnaire answer (D4) becomes the record's file; nobody uploads it twice."""
    stored = None
    if from_evidence is not None:
        if from_evidence.review_id != stage.review_id or from_evidence.withdrawn_at is not None:
            raise WorkflowError(_("This file is not a current document of this review."), code="state")
        stored = StoredFile(
            name=from_evidence.file.name or "",
            original_name=from_evidence.original_name,
            size=from_evidence.size,
            content_type=from_evidence.content_type,
            sha256=from_evidence.sha256,
        )
    if stage.kind != StageKind.SECURITY:
        raise WorkflowError(_("Certificates belong to the security-certification stage."), code="stage")
    _guard_editable(stage, actor)
    with transaction.atomic():
        # Re-checked under the lock: a certificate added after the submission would escape the freeze (I6).
        stage = _lock_stage(stage)
        _guard_editable(stage, actor)
        cert = vendor_services.certification_add(
            vendor=stage.review.vendor, upload=upload, actor=actor, stored=stored, **fields
        )
        StageCertification.objects.create(stage=stage, certification=cert, round=stage.round)
        audit_record(
            action="stage.certificate_attached",
            actor=actor,
            review=stage.review,
            obj=cert,
            data={
                "kind": cert.kind,
                "number": cert.number,
                "sha256": cert.sha256,
                "expires_on": cert.expires_on,
                "edition": cert.edition,
                "from_evidence": from_evidence.pk if from_evidence is not None else None,
            },
        )
    return cert


def certificate_withdraw(*, stage: Stage, certification: Certification, actor) -> StageCertification:
    """Take a certificate out of the security stage's current round. One not yet submitted is withdrawn;
    one submitted in an earlier round (the stage was returned) stays frozen and on record, and is only set
    aside, so that an expired or wrong certificate does not block the next submission (I6, I7)."""
    _guard_editable(stage, actor)
    with transaction.atomic():
        stage = _lock_stage(stage)
        _guard_editable(stage, actor)
        link = (
            StageCertification.objects.select_for_update()
            .select_related("certification")
            .filter(stage=stage, certification=certification)
            .first()
        )
        if link is None or not link.is_current:
            raise WorkflowError(_("This certificate is not part of the current round."), code="state")
        link.dropped_in_round = stage.round
        link.save(update_fields=["dropped_in_round"])
        certification = link.certification
        if certification.frozen:
            audit_record(
                action="stage.certificate_set_aside",
                actor=actor,
                review=stage.review,
                obj=certification,
                data={"kind": certification.kind, "number": certification.number, "round": stage.round},
            )
        else:  # the vendor service records the withdrawal
            vendor_services.certification_withdraw(certification=certification, actor=actor)
    return link
