"""The files inside the dossier: the evidence and certificate files the approval rests on, embedded in the
PDF (PDF/A-3 associated files) beside a machine-readable manifest.

Why: an auditor may receive the dossier years later, without access to Vetted (PIPL Art. 56 keeps the records
three years). With the files inside, the dossier is one self-contained file; the manifest (an embedded JSON
file, covered by the signature) lets `verify_dossier` recompute every file's SHA-256 without reading the
visible text. A file larger than VETTED_DOSSIER_ATTACHMENT_MAX_MB, or one that would push the total past
VETTED_DOSSIER_ATTACHMENTS_TOTAL_MAX_MB, is listed with the hash recorded at upload and a note instead.

Only the files of the approved round are embedded: the current version of each document (not withdrawn, not
superseded by a later round) and the certificates the security stage rests on. Earlier versions stay listed
in the evidence manifest of the dossier, as before.
"""

import datetime as dt
import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils.translation import gettext_noop

from vendors.models import private_storage

from ..bilingual import Bi, bi
from . import trail

logger = logging.getLogger(__name__)

MANIFEST_NAME = "vetted-dossier-manifest.json"
MANIFEST_FORMAT = "vetted-dossier-manifest/1"

LABELS = {
    "attachments": gettext_noop("Files inside this dossier"),
    "attachments_note": gettext_noop(
        "The current files of the approved round are embedded in this PDF (open the attachments panel of your "
        "PDF reader), each marked Embedded on its row in sections 4 and 5. Each one's SHA-256 is listed there "
        "and in the embedded file %(manifest)s; the application's verify_dossier command recomputes them."
    ),
    "no_attachments": gettext_noop("No file is embedded."),
    "embedded": gettext_noop("Embedded"),
    "not_embedded": gettext_noop("Why it is not embedded"),
    "files_summary": gettext_noop("%(embedded)s of %(total)s files embedded."),
    "unsigned_banner": gettext_noop("UNSIGNED — development copy"),
    "unsigned_note": gettext_noop(
        "No signing key was configured when this copy was generated: nothing in this file shows whether it was "
        "changed. Do not rely on it."
    ),
    "signed_note": gettext_noop(
        "This file is digitally signed by %(signer)s. Your PDF reader shows whether it changed since signing."
    ),
    "copy_banner": gettext_noop("UNSIGNED COPY — not the signed dossier"),
    "copy_note": gettext_noop(
        "This copy was written for reading on %(time)s. It carries no signature: nothing in it shows whether "
        "it was changed. The signed dossier of this approval is kept in Vetted%(latest)s; verify that one."
    ),
    "copy_latest": gettext_noop(" (dossier #%(pk)s, SHA-256 %(sha256)s)"),
    "seal_title": gettext_noop("Digital seal"),
    "seal_signer": gettext_noop("Signed by"),
    "seal_time": gettext_noop("Signed at"),
    "seal_fingerprint": gettext_noop("Certificate SHA-256"),
    "seal_timestamp": gettext_noop("Trusted timestamp"),
    "seal_timestamped": gettext_noop(
        "requested at signing from %(tsa)s; it proves when the file was signed (verify_dossier shows it)"
    ),
    "seal_no_timestamp": gettext_noop("none: the time above is the signer's own clock"),
    "seal_verify": gettext_noop(
        "To verify: run verify_dossier FILE.pdf --trust ROOT.pem with the organisation's CA root, and "
        "compare the SHA-256 above with the one the organisation publishes: a PDF reader's “valid” alone "
        "does not say whose key signed."
    ),
}

NOTES = {
    "too_large": gettext_noop(
        "Not embedded: larger than %(limit)s MB. The hash is the one recorded at upload."
    ),
    "total_exceeded": gettext_noop(
        "Not embedded: the dossier's total of %(limit)s MB of files was reached. "
        "The hash is the one recorded at upload."
    ),
    "missing": gettext_noop(
        "Not embedded: the file is missing from storage. The hash is the one recorded at upload."
    ),
    "hash_mismatch": gettext_noop(
        "Embedded, but its SHA-256 differs from the one recorded at upload (%(stored)s)."
    ),
}


@dataclass
class DossierFile:
    name: str  # its name inside the PDF, unique
    original_name: str
    role: str  # evidence | certificate
    record_id: int
    kind: str
    size: int
    sha256: str
    embedded: bool
    note: str = ""  # a key of NOTES, or ""
    stored_sha256: str = ""
    uploaded_at: str = ""  # when it was uploaded, ISO 8601 in UTC; its embedded copy carries the same time
    status: str = "current"  # current, or not_asked: for a question no longer asked by the answers
    kind_label: Bi | None = field(default=None, repr=False, compare=False)
    note_text: Bi | None = field(default=None, repr=False, compare=False)
    data: bytes | None = field(default=None, repr=False, compare=False)

    def manifest_entry(self) -> dict:
        entry = asdict(self)
        for private in ("kind_label", "note_text", "data"):
            entry.pop(private)
        return entry


def _safe(name: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name).strip() or "file"


def _limits() -> tuple[int, int]:
    return (
        settings.VETTED_DOSSIER_ATTACHMENT_MAX_MB * 1024 * 1024,
        settings.VETTED_DOSSIER_ATTACHMENTS_TOTAL_MAX_MB * 1024 * 1024,
    )


def _read(name: str) -> bytes | None:
    try:
        with private_storage().open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        logger.error("the stored file %s is missing; the dossier lists it without embedding it", name)
        return None


def dossier_files(*, evidence, certificates, kind_labels: dict) -> list[DossierFile]:
    """The files to embed: `evidence` and `certificates` (vendors.Certification) of the approved round, in the
    order they are listed."""
    sources = [("evidence", item, f"evidence-{item.pk}-v{item.version}-") for item in evidence]
    sources += [("certificate", cert, f"certificate-{cert.pk}-") for cert in certificates]
    return files_to_embed(sources, kind_labels=kind_labels)


def files_to_embed(sources, *, kind_labels: dict) -> list[DossierFile]:
    """The stored files to embed in a PDF, from (role, record, name prefix) triples, in their order. A record
    is any stored upload (reviews.Evidence, vendors.Certification, activities.ExtensionFile): pk, kind,
    file, original_name, size and the sha256 recorded at upload. Reads each file once and hashes what it
    read; the limits of VETTED_DOSSIER_ATTACHMENT_MAX_MB and ..._TOTAL_MAX_MB hold per PDF."""
    per_file, total_cap = _limits()
    files, total = [], 0
    for role, record, prefix in sources:
        uploaded = getattr(record, "uploaded_at", None) or getattr(record, "created_at", None)
        entry = DossierFile(
            name=prefix + _safe(record.original_name),
            uploaded_at=uploaded.astimezone(dt.UTC).isoformat() if uploaded else "",
            original_name=record.original_name,
            role=role,
            record_id=record.pk,
            kind=record.kind,
            size=record.size,
            sha256=record.sha256,
            embedded=False,
            stored_sha256=record.sha256,
            kind_label=kind_labels.get((role, record.kind)) or Bi(record.kind, record.kind),
        )
        if record.size > per_file:
            entry.note = "too_large"
        elif total + record.size > total_cap:
            entry.note = "total_exceeded"
        else:
            data = _read(record.file.name)
            if data is None:
                entry.note = "missing"
            else:
                entry.data, entry.embedded, entry.size = data, True, len(data)
                entry.sha256 = hashlib.sha256(data).hexdigest()
                total += len(data)
                if entry.sha256 != record.sha256:
                    entry.note = "hash_mismatch"
        if entry.note:
            limit = per_file if entry.note == "too_large" else total_cap
            entry.note_text = bi(NOTES[entry.note], limit=limit // (1024 * 1024), stored=record.sha256)
        files.append(entry)
    return files


def dossier_manifest(
    files: list[DossierFile], *, review, sign_off, dossier, generated_at, audit_trail: dict | None = None
) -> bytes:
    """`audit_trail`: how the manifest lists the embedded audit trail (reviews/dossier/trail.py)."""
    about = {
        "review": review.number,
        "sign_off": sign_off.number,
        "dossier": dossier.pk if dossier is not None and dossier.pk else None,
        "vendor_uscc": review.vendor.uscc,
    }
    if audit_trail is not None:
        about["audit_trail"] = audit_trail
    return manifest_bytes(files, generated_at=generated_at, about=about)


def manifest_bytes(files: list[DossierFile], *, generated_at, about: dict) -> bytes:
    """The manifest of the files inside a PDF, in the one format verify_dossier reads; `about` names what
    the PDF documents (the review and sign-off of a dossier, the extension of an addendum)."""
    per_file, total_cap = _limits()
    manifest = {
        "format": MANIFEST_FORMAT,
        **about,
        "generated_at": generated_at.isoformat(),
        "limits": {"per_file_bytes": per_file, "total_bytes": total_cap},
        "files": [f.manifest_entry() for f in files],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()


def _dates(uploaded_at: str) -> dict:
    if not uploaded_at:
        return {}
    moment = dt.datetime.fromisoformat(uploaded_at).astimezone(dt.UTC)
    return {"created": moment, "modified": moment}


def pdf_attachments(
    files: list[DossierFile], manifest: bytes, url_fetcher, *, audit_trail: bytes | None = None
) -> list:
    """WeasyPrint attachments: each embedded file, the audit trail when given (reviews/dossier/trail.py),
    then the manifest."""
    from weasyprint import Attachment

    # The embedded file's dates are its upload time in UTC (WeasyPrint writes them with a "Z"), not the
    # time the dossier was rendered.
    attachments = [
        Attachment(
            string=f.data,
            name=f.name,
            url_fetcher=url_fetcher,
            relationship="Supplement",
            description=f"{f.role} #{f.record_id} ({f.kind}): {f.original_name} sha256:{f.sha256}"
            + (" (for a question no longer asked)" if f.status == "not_asked" else ""),
            **_dates(f.uploaded_at),
        )
        for f in files
        if f.embedded
    ]
    if audit_trail is not None:
        attachments.append(
            Attachment(
                string=audit_trail,
                name=trail.NAME,
                url_fetcher=url_fetcher,
                relationship="Data",
                description=trail.FORMAT,
            )
        )
    attachments.append(
        Attachment(
            string=manifest,
            name=MANIFEST_NAME,
            url_fetcher=url_fetcher,
            relationship="Data",
            description=MANIFEST_FORMAT,
        )
    )
    return attachments
