"""Verifying a dossier file on its own: its signature, and every embedded file against the manifest inside it.

`dossier_verify(data, trust_roots=...)` needs no database: an auditor's copy of the application, years later,
checks what the file itself says. The `verify_dossier` command adds the comparison with the stored records
when the database is at hand. Every check yields a Finding that says plainly what matched and what did not.
"""

import hashlib
import io
import json
from dataclasses import dataclass, field

from .attachments import MANIFEST_FORMAT, MANIFEST_NAME
from .signing import certificate_name


@dataclass(frozen=True)
class Finding:
    ok: bool
    subject: str
    detail: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    manifest: dict | None = None
    signer: str = ""
    signed_at: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.findings) and all(f.ok for f in self.findings)

    def add(self, ok: bool, subject: str, detail: str) -> None:
        self.findings.append(Finding(ok, subject, detail))


def embedded_files(reader) -> dict[str, bytes]:
    """Name -> bytes of every embedded file of a pyHanko PdfFileReader (the EmbeddedFiles name tree)."""
    found: dict[str, bytes] = {}
    names = reader.root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None

    def walk(node):
        node = node.get_object()
        for kid in node.get("/Kids", []):
            walk(kid)
        pairs = list(node.get("/Names", []))
        for key, spec in zip(pairs[::2], pairs[1::2], strict=True):
            spec = spec.get_object()
            name = str(spec.get("/UF", spec.get("/F", key)))
            found[name] = spec["/EF"]["/F"].get_object().data

    if tree is not None:
        walk(tree)
    return found


def _check_signature(reader, report: Report, trust_roots: list) -> None:
    from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    signatures = reader.embedded_signatures
    if not signatures:
        report.add(
            False,
            "signature",
            "UNSIGNED: the file carries no digital signature, so nothing shows whether it was changed.",
        )
        return
    for embedded in signatures:
        label = f"signature {embedded.field_name}"
        try:
            context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
            status = validate_pdf_signature(embedded, context)
        except Exception as exc:  # noqa: BLE001  (a damaged signature can fail in many ways: each is a failed check)
            report.add(False, label, f"cannot be validated: {type(exc).__name__}: {exc}")
            continue
        subject = certificate_name(status.signing_cert)
        report.signer = subject
        report.signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
        if status.intact and status.valid:
            report.add(
                True,
                label,
                f"intact: the signed bytes are unchanged; signed by {subject} "
                f"at {report.signed_at or 'an unreported time'}",
            )
        else:
            report.add(
                False,
                label,
                "BROKEN: the file was changed after it was signed (the signed digest does not match)"
                if not status.intact
                else "BROKEN: the signature is not valid",
            )
        if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
            report.add(True, f"{label} coverage", "the signature covers the whole file")
        elif (
            status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
            and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        ):
            report.add(True, f"{label} coverage", "later additions are validation data only")
        else:
            report.add(
                False,
                f"{label} coverage",
                "CHANGED: content was added or altered after signing "
                f"({status.modification_level.name.lower()})",
            )
        if not (status.intact and status.valid):
            # pyHanko does not judge the certificate of a broken signature; "untrusted" would mislead.
            report.add(False, f"{label} signer", f"not judged: the signature is broken (it names {subject})")
        elif status.trusted:
            report.add(True, f"{label} signer", f"trusted: {subject} chains to a trusted certificate")
        else:
            self_signed = status.signing_cert.self_signed in ("yes", "maybe")
            report.add(
                False,
                f"{label} signer",
                (
                    f"NOT TRUSTED: {subject} is a self-signed certificate that is not among the trusted ones"
                    if self_signed
                    else f"NOT TRUSTED: {subject} does not chain to a trusted certificate"
                )
                + "; pass the organisation's certificate with --trust CERT.pem",
            )
        if status.timestamp_validity is not None:
            ts = status.timestamp_validity
            report.add(
                bool(ts.intact and ts.valid),
                f"{label} timestamp",
                f"RFC 3161 timestamp of {ts.timestamp.isoformat()} "
                f"{'is valid' if ts.intact and ts.valid else 'is NOT valid'}"
                f"{'' if ts.trusted else ' (the authority is not trusted here)'}",
            )


def _check_files(files: dict[str, bytes], report: Report) -> None:
    raw = files.get(MANIFEST_NAME)
    if raw is None:
        report.add(
            False, "manifest", f"MISSING: no {MANIFEST_NAME} is embedded, so the files cannot be checked"
        )
        return
    try:
        manifest = json.loads(raw)
    except ValueError:
        report.add(False, "manifest", f"UNREADABLE: {MANIFEST_NAME} is not JSON")
        return
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        report.add(False, "manifest", f"UNKNOWN FORMAT: expected {MANIFEST_FORMAT}")
        return
    report.manifest = manifest
    listed = set()
    for entry in manifest.get("files", []):
        name = entry["name"]
        listed.add(name)
        if not entry.get("embedded"):
            report.add(
                True,
                name,
                f"listed, not embedded ({entry.get('note') or 'no reason given'}); "
                f"recorded SHA-256 {entry['sha256']}",
            )
            continue
        data = files.get(name)
        if data is None:
            report.add(False, name, "MISSING: listed as embedded but not found in the file")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest == entry["sha256"] and len(data) == entry["size"]:
            report.add(True, name, f"SHA-256 matches ({digest}, {len(data)} bytes)")
        else:
            report.add(
                False,
                name,
                f"DOES NOT MATCH: SHA-256 {digest} ({len(data)} bytes), the manifest says "
                f"{entry['sha256']} ({entry['size']} bytes)",
            )
    for name in sorted(set(files) - listed - {MANIFEST_NAME}):
        report.add(False, name, "UNLISTED: embedded but not in the manifest")


def dossier_verify(data: bytes, *, trust_roots: list) -> Report:
    """Check a dossier's bytes: its signature (against `trust_roots`, asn1crypto certificates) and its
    embedded files against the embedded manifest."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    report = Report()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        files = embedded_files(reader)
    except Exception as exc:  # noqa: BLE001  (a damaged file: say so rather than crash)
        report.add(False, "file", f"cannot be read as a PDF: {type(exc).__name__}: {exc}")
        return report
    _check_signature(reader, report, trust_roots)
    _check_files(files, report)
    return report
