"""Keeping a signed dossier provable for the ten years and more it is kept: document timestamps (PAdES B-LTA).

A signature's proof lasts as long as the certificates and algorithms it rests on: the signer's certificate
expires, the TSA's certificate expires, SHA-256 or RSA-2048 may one day be weakened. Before that happens a
document timestamp from a TSA is added over the whole file, with the validation data of the timestamps
before it (DSS): it proves that the file, signature and validation data included, existed unchanged at that
time, when all of them were still sound. Repeated before each new timestamp weakens, the chain carries the
proof forward indefinitely (ETSI EN 319 142-1, "B-LTA").

The same step gives a dossier whose TSA failed at signing (Dossier.timestamp_pending) the timestamp it is
owed: it then proves the signature existed at that time.

Each timestamp is an incremental update appended to the file: the signed bytes stay as they were, a reader
still shows the certification signature intact, and the previous file is kept in storage (the new one is
stored beside it, the row points to it, the audit event records both hashes). Rows are never deleted (I7).
"""

import datetime as dt
import hashlib
import io
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vendors.models import private_storage

from ..audit import audit_record
from ..models import Dossier, DossierStatus
from . import signing

logger = logging.getLogger(__name__)

# How often a dossier gets a fresh document timestamp, at most (VETTED_DOSSIER_ARCHIVE_DAYS): once a year is
# well within the life of a TSA's certificate (typically 5 to 10 years) and of today's algorithms.
DEFAULT_ARCHIVE_DAYS = 365


def archive_interval() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "VETTED_DOSSIER_ARCHIVE_DAYS", DEFAULT_ARCHIVE_DAYS)))


def pdf_document_timestamp(pdf: bytes, *, config: signing.SigningConfig, creds) -> tuple[bytes, str]:
    """`pdf` with the validation data of its last timestamp and a new document timestamp appended, from the
    first configured TSA that answers: (bytes, the TSA's URL). Raises TimestampUnavailable when none does."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
    from pyhanko.sign.timestamps import TimestampRequestError

    if not config.tsa_urls:
        raise signing.TimestampUnavailable("No time-stamping authority is configured (VETTED_TSA_URL).")
    context = signing.validation_context(creds, config)
    for url in config.tsa_urls:
        stamper = PdfTimeStamper(signing._timestamper(config, url), field_name=_field_name())
        output = io.BytesIO()
        try:
            stamper.update_archival_timestamp_chain(
                PdfFileReader(io.BytesIO(pdf), strict=False), context, in_place=False, output=output
            )
        except (TimestampRequestError, OSError) as exc:
            logger.warning("the time-stamping authority %s did not answer: %s", url, type(exc).__name__)
            continue
        return output.getvalue(), url
    raise signing.TimestampUnavailable(
        f"None of the {len(config.tsa_urls)} configured time-stamping authorities answered."
    )


def _field_name() -> str:
    return f"VettedArchiveTimestamp{timezone.now():%Y%m%d%H%M%S}"


def dossier_timestamp_add(*, dossier_id: int, reason: str) -> Dossier | None:
    """Append a document timestamp to a ready, signed dossier and record it. `reason`: "pending" (the
    timestamp owed since signing) or "archive" (the periodic B-LTA extension). Raises TimestampUnavailable
    when no TSA answers; the dossier stays as it was."""
    from .services import _publish

    dossier = Dossier.objects.select_related("review").filter(pk=dossier_id).first()
    if (
        dossier is None
        or dossier.status != DossierStatus.READY
        or not dossier.signed
        or not dossier.file.name
    ):
        return None
    if reason == "pending" and not dossier.timestamp_pending:
        return dossier  # done by an earlier attempt
    creds = signing.credentials()
    if creds is None:
        raise signing.SigningKeyError("No signing key is configured: its chain validates the timestamps.")
    name: str = dossier.file.name
    with private_storage().open(name, "rb") as handle:
        before = handle.read()
    previous = hashlib.sha256(before).hexdigest()
    extended, tsa = pdf_document_timestamp(before, config=signing.signing_config(), creds=creds)
    digest = hashlib.sha256(extended).hexdigest()
    now = timezone.now()
    stored = _publish(name, extended)
    with transaction.atomic():
        current = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if current.sha256 != previous:
            private_storage().delete(stored)  # another run extended it meanwhile: keep that one
            return current
        previous_file = current.file.name
        current.file.name = stored
        current.sha256, current.size = digest, len(extended)
        current.timestamped, current.timestamp_pending = True, False
        current.pades_level = signing.Level.LTA
        current.archived_at = now
        current.save(
            update_fields=[
                "file",
                "sha256",
                "size",
                "timestamped",
                "timestamp_pending",
                "pades_level",
                "archived_at",
            ]
        )
        audit_record(
            action="dossier.timestamped",
            actor=None,
            review=current.review,
            obj=current,
            data={
                "reason": reason,
                "tsa": tsa,
                "sha256": digest,
                "size": len(extended),
                "file": stored,
                "previous_sha256": previous,
                "previous_file": previous_file,
                "pades_level": signing.Level.LTA,
            },
        )
    return current


def dossiers_due(*, now=None, pending_only: bool = False):
    """Ready, signed dossiers owed a timestamp, never archived, or whose newest document timestamp is older
    than the interval (VETTED_DOSSIER_ARCHIVE_DAYS)."""
    from django.db.models import Q

    cutoff = (now or timezone.now()) - archive_interval()
    due = Q(timestamp_pending=True)
    if not pending_only:
        due |= Q(archived_at__isnull=True) | Q(archived_at__lte=cutoff)
    return Dossier.objects.filter(due, status=DossierStatus.READY, signed=True).order_by("pk")


def dossiers_archive(
    *, now=None, limit: int | None = None, pending_only: bool = False
) -> tuple[list[Dossier], list[tuple[int, str]]]:
    """Extend every dossier due (dossiers_due): (extended, [(dossier id, why it failed)]). A TSA that does
    not answer fails that dossier's turn, not the run; the next run tries again."""
    done, failed = [], []
    due = list(dossiers_due(now=now, pending_only=pending_only).values_list("pk", "timestamp_pending"))
    for pk, pending in due[:limit] if limit else due:
        try:
            extended = dossier_timestamp_add(dossier_id=pk, reason="pending" if pending else "archive")
        except (signing.TimestampUnavailable, OSError, signing.SigningKeyError) as exc:
            failed.append((pk, f"{type(exc).__name__}: {exc}"))
            continue
        if extended is not None:
            done.append(extended)
    return done, failed
