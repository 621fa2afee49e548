"""The approval dossier's life: requested (queued), generated (running -> ready) or failed, and regenerated.

Rendering lives in reviews/dossier/render.py, the Celery task in reviews/dossier/tasks.py. A Dossier row gets its file
only together with status ready, and the file appears in storage under its final name only once it is
complete, so nobody can ever download half a dossier (docs/architecture.md "The dossier"). Rows are never deleted (I7):
each generation is a new row.
"""

import hashlib
import logging
import os
import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors.models import private_storage

from ..audit import audit_record
from ..errors import WorkflowError
from ..models import Dossier, DossierStatus, Review, ReviewState, SignOff
from ..notifications import notify
from ..queue import task_queue
from ..roles import Role, roles_of
from .signing import UNSIGNED

logger = logging.getLogger(__name__)

# Failures worth another try: the disk, the network file system or the database was briefly unavailable.
# Anything else (a template error, a review without sign-off) fails the same way every time.
TRANSIENT_ERRORS = (OSError, OperationalError)

# A dossier still queued or running after this long has lost its worker; Legal may request a new one.
STALLED_AFTER = timedelta(minutes=15)


class DossierGenerationError(Exception):
    """Generation failed and was recorded as failed; raised so that the caller's logs show it."""


def dossier_request(*, review: Review, actor) -> Dossier:
    """Create a queued dossier row and queue its generation once the surrounding transaction commits."""
    with transaction.atomic():
        dossier = Dossier.objects.create(
            review=review, requested_by=actor if getattr(actor, "pk", None) else None
        )
        audit_record(action="dossier.requested", actor=actor, review=review, obj=dossier)
        task_queue("reviews.tasks.dossier_generate", dossier.pk)
    return dossier


def dossier_latest(review: Review) -> Dossier | None:
    return Dossier.objects.filter(review=review).order_by("-created_at", "-pk").first()


def dossier_is_stalled(dossier: Dossier, *, now=None) -> bool:
    if dossier.status not in (DossierStatus.QUEUED, DossierStatus.RUNNING):
        return False
    return (now or timezone.now()) - dossier.created_at > STALLED_AFTER


def dossier_regenerate(*, review: Review, actor) -> Dossier:
    """Legal asks for a fresh dossier (after a failure, or to include later audit events). The earlier rows
    and files stay (I7); the request is audited by dossier_request."""
    if Role.LEGAL not in roles_of(actor):
        raise WorkflowError(_("Only Legal can regenerate the approval dossier."), code="forbidden")
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.state != ReviewState.APPROVED or not SignOff.objects.filter(review=review).exists():
            raise WorkflowError(
                _("Only an approved review with a legal sign-off has a dossier."), code="state"
            )
        latest = dossier_latest(review)
        if (
            latest is not None
            and latest.status in (DossierStatus.QUEUED, DossierStatus.RUNNING)
            and not dossier_is_stalled(latest)
        ):
            raise WorkflowError(
                _("A dossier is already being generated; wait for it to finish."), code="in_progress"
            )
        return dossier_request(review=review, actor=actor)


def dossier_reissue(*, review: Review, actor, reason: str) -> Dossier:
    """A signed dossier issued again outside the approval's own generation (an operator's `manage.py dossier
    --reissue`): a new row, generated and signed at once, audited as requested and generated like any, and
    recorded as a re-issue with who asked and why (dossier.reissued), as the sign-off records its dossier."""
    reason = (reason or "").strip()
    if Role.LEGAL not in roles_of(actor):
        raise WorkflowError(_("Only Legal can re-issue the approval dossier."), code="forbidden")
    if not reason:
        raise WorkflowError(_("Say why the dossier is re-issued."), code="reason")
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.state != ReviewState.APPROVED or not SignOff.objects.filter(review=review).exists():
            raise WorkflowError(
                _("Only an approved review with a legal sign-off has a dossier."), code="state"
            )
        dossier = Dossier.objects.create(
            review=review, requested_by=actor if getattr(actor, "pk", None) else None, reissued=True
        )
        audit_record(
            action="dossier.requested", actor=actor, review=review, obj=dossier, data={"reissue": reason}
        )
    # None only when another delivery of the task took the new row first: read it as that one left it.
    generated = dossier_generate_now(dossier_id=dossier.pk) or Dossier.objects.get(pk=dossier.pk)
    with transaction.atomic():
        audit_record(
            action="dossier.reissued",
            actor=actor,
            review=review,
            obj=generated,
            data={
                "reason": reason,
                "sha256": generated.sha256,
                "size": generated.size,
                "signed": generated.signed,
                "signer": generated.signer,
                "signer_fingerprint": generated.signer_fingerprint,
                "pades_level": generated.pades_level,
            },
        )
    return generated


def _publish(name: str, data: bytes) -> str:
    """Store `data` in private storage under `name` (or a free variant of it) and return the stored name.

    On a local file system the bytes go to a hidden temporary file first, are flushed to disk, and only then
    renamed to the final name (an atomic rename on one file system): a crash or a full disk never leaves a
    partial file under a dossier name. Object stores (django-storages) publish an object only when its upload
    completes, so there the ordinary save already has that property."""
    storage = private_storage()
    try:
        storage.path(name)
    except NotImplementedError:
        return storage.save(name, ContentFile(data))
    final = storage.get_available_name(name)
    final_path = storage.path(final)
    folder = os.path.dirname(final_path)
    os.makedirs(folder, exist_ok=True)
    temp_path = os.path.join(folder, f".{PurePosixPath(final).name}.{secrets.token_hex(4)}.part")
    try:
        _write_temp(temp_path, data)
        if storage.file_permissions_mode is not None:
            os.chmod(temp_path, storage.file_permissions_mode)
        os.replace(temp_path, final_path)
    finally:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
    return final


def _write_temp(path: str, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _start(dossier_id: int) -> Dossier | None:
    """Mark the dossier running and count the attempt; None when there is nothing to do (ready or failed)."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        if dossier is None:
            logger.warning("dossier %s does not exist; nothing to generate", dossier_id)
            return None
        if dossier.status in (DossierStatus.READY, DossierStatus.FAILED):
            # A duplicate delivery (acks_late) or a late retry: a ready dossier is never regenerated in place,
            # and a failed one is redone only through dossier_regenerate, as a new row.
            logger.info("dossier %s is already %s; skipped", dossier_id, dossier.status)
            return None
        dossier.status = DossierStatus.RUNNING
        dossier.attempts += 1
        dossier.save(update_fields=["status", "attempts"])
    return dossier


def dossier_generate_now(*, dossier_id: int) -> Dossier | None:
    """Render, store and complete one dossier. Idempotent: a ready dossier is left as it is.

    A transient error (OSError, database OperationalError) leaves the dossier running and is raised for the
    task to retry; any other error marks it failed with the reason and is raised too."""
    from .render import dossier_render

    dossier = _start(dossier_id)
    if dossier is None:
        return None
    stored = None
    try:
        generated_at = timezone.now()
        rendered = dossier_render(dossier.review, generated_at=generated_at, dossier=dossier)
        filename, pdf = rendered
        signature = getattr(rendered, "signature", UNSIGNED)
        digest = hashlib.sha256(pdf).hexdigest()
        stored = _publish(f"dossiers/{generated_at:%Y}/{filename}", pdf)
        with transaction.atomic():
            current = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if current.status != DossierStatus.RUNNING:
                # Another delivery of the same task finished first; keep its file, drop ours.
                private_storage().delete(stored)
                return current
            current.file.name = stored
            current.sha256 = digest
            current.size = len(pdf)
            current.generated_at = generated_at
            current.error = ""
            current.status = DossierStatus.READY
            current.signed, current.signer = signature.signed, signature.signer
            current.signer_fingerprint, current.signed_at = signature.fingerprint, signature.signed_at
            current.timestamped = signature.timestamped
            current.pades_level = signature.level
            current.timestamp_pending = signature.timestamp_pending
            current.embedded_files = getattr(rendered, "embedded", 0)
            current.save(
                update_fields=[
                    "file",
                    "sha256",
                    "size",
                    "generated_at",
                    "error",
                    "status",
                    "signed",
                    "signer",
                    "signer_fingerprint",
                    "signed_at",
                    "timestamped",
                    "pades_level",
                    "timestamp_pending",
                    "embedded_files",
                ]
            )
            # Who signed, by the certificate's subject and fingerprint: never anything about the key.
            audit_record(
                action="dossier.generated",
                actor=None,
                review=dossier.review,
                obj=current,
                data={
                    "sha256": digest,
                    "size": len(pdf),
                    "file": stored,
                    "attempt": current.attempts,
                    "signed": signature.signed,
                    "signer": signature.signer,
                    "signer_fingerprint": signature.fingerprint,
                    "timestamped": signature.timestamped,
                    "pades_level": signature.level,
                    "tsa": signature.tsa,
                    "timestamp_pending": signature.timestamp_pending,
                    "embedded_files": current.embedded_files,
                },
            )
            if signature.timestamp_pending:
                # No TSA answered: the dossier stands, signed; the timestamp is added when one answers
                # (reviews.dossier.archive, retried with backoff and hourly by beat).
                task_queue("reviews.dossier.tasks.dossier_timestamp_retry", current.pk, robust=True)
        return current
    except Exception as exc:
        if stored is not None:
            _discard(stored)
        if not isinstance(exc, TRANSIENT_ERRORS):
            dossier_fail(dossier_id=dossier.pk, error=exc)
        raise


def _discard(name: str) -> None:
    """Remove a file whose row could not be completed, so that no unreferenced dossier lingers."""
    try:
        private_storage().delete(name)
    except OSError:
        logger.exception("could not remove the incomplete dossier file %s", name)


def _describe(error) -> str:
    if isinstance(error, BaseException):
        text = str(error) or type(error).__name__
        return f"{type(error).__name__}: {text}"[:2000]
    return str(error)[:2000]


def dossier_fail(*, dossier_id: int, error) -> Dossier | None:
    """Record that generation failed for good, with the reason shown to Legal. Never touches a ready one."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("review").filter(pk=dossier_id).first()
        if dossier is None or dossier.status in (DossierStatus.READY, DossierStatus.FAILED):
            return dossier
        dossier.status = DossierStatus.FAILED
        dossier.error = _describe(error)
        dossier.save(update_fields=["status", "error"])
        audit_record(
            action="dossier.failed",
            actor=None,
            review=dossier.review,
            obj=dossier,
            data={"error": dossier.error, "attempts": dossier.attempts},
        )
        notify.dossier_failed(dossier)
    logger.error("dossier %s failed after %s attempt(s): %s", dossier_id, dossier.attempts, dossier.error)
    return dossier
