"""Verifying a dossier file on its own, as an auditor would years later: its signature at the time its
timestamps prove, the chain of archive timestamps that carries that proof forward, the signing certificate
named by its fingerprint, and every embedded file of the signed revision against the manifest inside it.

`dossier_verify(data, trust_roots=..., at=...)` needs no database and no network: only what the file holds
(its signatures, timestamps and DSS) and the roots the auditor trusts. The `verify_dossier` command adds the
comparison with the stored records when the database is at hand. Every check yields a Finding: a sentence in
Chinese and English that says plainly what matched and what did not.

How time is judged (ETSI EN 319 102-1, simplified): the newest document timestamp is checked at the
validation time (now, or `at`); each timestamp it covers is checked at the time the next one proves; the
signature's own timestamp proves when it was signed, and the signing certificate is judged at that time,
with the revocation data embedded in the DSS. Without a valid timestamp, the signature is judged at the
validation time: a certificate that has expired since (a self-signed demo key) fails.
"""

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from ..bilingual import Bi, bi
from . import trail
from .attachments import MANIFEST_FORMAT, MANIFEST_NAME
from .signing import certificate_name

SUBJECTS = {
    "file": gettext_noop("File"),
    "signature": gettext_noop("Signature"),
    "coverage": gettext_noop("Coverage"),
    "certificate": gettext_noop("Signing certificate"),
    "signer": gettext_noop("Signer"),
    "validity": gettext_noop("Certificate validity"),
    "timestamp": gettext_noop("Signature timestamp"),
    "archive": gettext_noop("Archive timestamp"),
    "dss": gettext_noop("Validation data (DSS)"),
    "manifest": gettext_noop("Manifest"),
    "attachment": gettext_noop("Embedded file"),
    "audit_trail": gettext_noop("Embedded audit trail"),
    "database": gettext_noop("Stored record"),
}


@dataclass(frozen=True)
class Finding:
    ok: bool
    subject: str  # the English label, and the file's name for a file
    detail: str  # the sentence in English
    zh: str = ""  # the sentence in Chinese
    check: str = ""  # what was checked, a key of SUBJECTS
    subject_zh: str = ""

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "check": self.check,
            "subject": {"en": self.subject, "zh": self.subject_zh},
            "sentence": {"en": self.detail, "zh": self.zh},
        }


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    manifest: dict | None = None
    audit_trail: list | None = None  # the events of the embedded audit trail, once it matched the manifest
    signer: str = ""
    signed_at: str = ""  # as the signer's clock reported it
    fingerprint: str = ""  # SHA-256 of the signing certificate
    subject: str = ""  # the signing certificate's full subject
    proven_at: str = ""  # the time a valid timestamp proves the signature existed, or ""
    validated_at: str = ""
    timestamps: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.findings) and all(f.ok for f in self.findings)

    def add(self, ok: bool, check: str, message: str, *, about: str = "", **params) -> None:
        """Record a finding: `message` a gettext_noop sentence, rendered in both languages with `params`."""
        sentence = bi(message, **params)
        label = bi(SUBJECTS[check])
        subject = Bi(f"{label.zh} {about}".strip(), f"{label.en} {about}".strip())
        self.findings.append(Finding(ok, subject.en, sentence.en, sentence.zh, check, subject.zh))

    def as_json(self) -> dict:
        return {
            "verified": self.ok,
            "signer": self.signer,
            "certificate": {"subject": self.subject, "sha256": self.fingerprint},
            "signed_at": self.signed_at,
            "proven_at": self.proven_at,
            "validated_at": self.validated_at,
            "timestamps": self.timestamps,
            "findings": [f.as_json() for f in self.findings],
        }


def embedded_files(reader, revision: int | None = None) -> dict[str, bytes]:
    """Name -> bytes of every embedded file of a pyHanko PdfFileReader (the EmbeddedFiles name tree), as
    the given revision holds them (the signed one), or the latest."""
    found: dict[str, bytes] = {}
    root = reader.root if revision is None else reader.get_historical_root(revision)
    names = root.get("/Names")
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


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


def _context(reader, trust_roots: list, moment: dt.datetime, *, revocation: bool = True):
    """A validation context at `moment` that trusts `trust_roots` and knows what the file's DSS holds;
    nothing is fetched. Soft-fail: revocation data is used where embedded, and its absence is not by
    itself a failure (the DSS was filled when the CAs were reachable). `revocation=False` for the newest
    timestamp judged today, whose embedded revocation data is older than today by nature."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.policy_decl import NO_REVOCATION, CertRevTrustPolicy

    kwargs: dict[str, Any] = {
        "trust_roots": trust_roots,
        "allow_fetching": False,
        "moment": moment,
        "retroactive_revinfo": True,
    }
    if revocation:
        kwargs["revocation_mode"] = "soft-fail"
    else:
        kwargs["revinfo_policy"] = CertRevTrustPolicy(NO_REVOCATION)
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)


def _tsa_name(status) -> str:
    cert = getattr(status, "signing_cert", None)
    return certificate_name(cert) if cert is not None else "?"


def _check_archive_timestamps(reader, report: Report, trust_roots: list, at: dt.datetime) -> dt.datetime:
    """Validate the document timestamps newest first; return the earliest time up to which the chain
    holds (the time the oldest valid one proves), or `at` when there is none or the newest fails."""
    from pyhanko.sign.validation import validate_pdf_timestamp

    moment = at
    for embedded in reversed(reader.embedded_timestamp_signatures):
        try:
            status = validate_pdf_timestamp(embedded, _context(reader, trust_roots, moment))
            if not status.trusted and moment == at:
                # The newest timestamp, judged today: revocation data newer than the file cannot be in it.
                status = validate_pdf_timestamp(
                    embedded, _context(reader, trust_roots, moment, revocation=False)
                )
        except Exception as exc:  # noqa: BLE001  (a damaged timestamp can fail in many ways: each is a failure)
            report.add(
                False,
                "archive",
                gettext_noop("BROKEN: the archive timestamp cannot be read (%(error)s)."),
                about=embedded.field_name,
                error=type(exc).__name__,
            )
            return moment
        when, tsa = _when(status.timestamp), _tsa_name(status)
        report.timestamps.append(
            {
                "kind": "archive",
                "time": when,
                "tsa": tsa,
                "valid": bool(status.intact and status.valid and status.trusted),
            }
        )
        if not (status.intact and status.valid):
            report.add(
                False,
                "archive",
                gettext_noop("BROKEN: the archive timestamp of %(time)s does not match the file."),
                about=embedded.field_name,
                time=when,
            )
            return moment
        if not status.trusted:
            report.add(
                False,
                "archive",
                gettext_noop(
                    "NOT TRUSTED: the archive timestamp of %(time)s was issued by %(tsa)s, which does not "
                    "chain to a trusted root or was not valid on %(moment)s."
                ),
                about=embedded.field_name,
                time=when,
                tsa=tsa,
                moment=_when(moment),
            )
            return moment
        report.add(
            True,
            "archive",
            gettext_noop(
                "valid: %(tsa)s proves that the file as it was then, signature and validation data "
                "included, existed unchanged on %(time)s (checked as of %(moment)s)."
            ),
            about=embedded.field_name,
            tsa=tsa,
            time=when,
            moment=_when(moment),
        )
        moment = status.timestamp
    return moment


def _token_time(embedded) -> dt.datetime | None:
    """The time in the signature's timestamp token, before it is validated (to judge the signer then)."""
    attributes = embedded.signer_info["unsigned_attrs"]
    for attribute in attributes if attributes.native else ():
        if attribute["type"].native == "signature_time_stamp_token":
            token = attribute["values"][0]["content"]
            return token["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _check_signature(reader, report: Report, trust_roots: list, at: dt.datetime) -> int | None:
    """Judge the signatures; return the revision the (first) signature covers, to read its files."""
    from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signatures = reader.embedded_regular_signatures
    if not signatures:
        report.add(
            False,
            "signature",
            gettext_noop(
                "UNSIGNED: the file carries no digital signature, so nothing shows whether it was changed."
            ),
        )
        return None
    chain_holds_until = _check_archive_timestamps(reader, report, trust_roots, at)
    signed_revision = None
    for embedded in signatures:
        name = embedded.field_name
        claimed = _token_time(embedded)
        try:
            newest = chain_holds_until == at  # no archive timestamp covers this one
            status = validate_pdf_signature(
                embedded,
                _context(reader, trust_roots, claimed or chain_holds_until),
                ts_validation_context=_context(reader, trust_roots, chain_holds_until, revocation=not newest),
            )
            ts = status.timestamp_validity
            proven = ts.timestamp if ts is not None and ts.intact and ts.valid and ts.trusted else None
            if claimed is not None and proven is None:
                # The token does not prove its time: judge the signer at the validation time instead.
                status = validate_pdf_signature(
                    embedded,
                    _context(reader, trust_roots, chain_holds_until),
                    ts_validation_context=_context(
                        reader, trust_roots, chain_holds_until, revocation=not newest
                    ),
                )
        except Exception as exc:  # noqa: BLE001  (a damaged signature can fail in many ways: each is a failed check)
            report.add(
                False,
                "signature",
                gettext_noop("BROKEN: the signature cannot be validated (%(error)s)."),
                about=name,
                error=type(exc).__name__,
            )
            continue
        signed_revision = embedded.signed_revision if signed_revision is None else signed_revision
        cert = status.signing_cert
        subject = certificate_name(cert)
        report.signer, report.subject = subject, cert.subject.human_friendly
        report.fingerprint = cert.sha256.hex()
        report.signed_at = _when(status.signer_reported_dt)
        report.proven_at = _when(proven)
        intact = status.intact and status.valid
        if intact:
            report.add(
                True,
                "signature",
                gettext_noop("intact: the signed bytes are unchanged since %(signer)s signed them."),
                about=name,
                signer=subject,
            )
        elif not status.intact:
            report.add(
                False,
                "signature",
                gettext_noop(
                    "BROKEN: the file was changed after it was signed (the signed digest does not match)."
                ),
                about=name,
            )
        else:
            report.add(False, "signature", gettext_noop("BROKEN: the signature is not valid."), about=name)
        _coverage(report, status, name, ModificationLevel, SignatureCoverageLevel)
        report.add(
            True,
            "certificate",
            gettext_noop("subject %(subject)s; SHA-256 fingerprint %(fingerprint)s."),
            subject=report.subject,
            fingerprint=report.fingerprint,
        )
        _timestamp(report, ts, name, chain_holds_until)
        judged_at = proven or chain_holds_until
        _validity(report, cert, judged_at, proven is not None)
        if not intact:
            # pyHanko does not judge the certificate of a broken signature; "untrusted" would mislead.
            report.add(
                False,
                "signer",
                gettext_noop("not judged: the signature is broken (it names %(signer)s)."),
                signer=subject,
            )
        elif status.trusted:
            report.add(
                True,
                "signer",
                gettext_noop("trusted: %(signer)s chains to a trusted root, judged as of %(moment)s."),
                signer=subject,
                moment=_when(judged_at),
            )
        elif cert.self_signed in ("yes", "maybe"):
            report.add(
                False,
                "signer",
                gettext_noop(
                    "NOT TRUSTED: %(signer)s is a self-signed certificate that is not among the trusted "
                    "ones; pass the organisation's certificate with --trust CERT.pem."
                ),
                signer=subject,
            )
        else:
            report.add(
                False,
                "signer",
                gettext_noop(
                    "NOT TRUSTED: %(signer)s does not chain to a trusted root valid on %(moment)s, or a "
                    "certificate of its chain was revoked; pass the CA's root with --trust ROOT.pem."
                ),
                signer=subject,
                moment=_when(judged_at),
            )
    _dss(reader, report)
    return signed_revision


def _coverage(report, status, name, ModificationLevel, SignatureCoverageLevel) -> None:  # noqa: N803
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        report.add(True, "coverage", gettext_noop("the signature covers the whole file."), about=name)
    elif (
        status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    ):
        report.add(
            True,
            "coverage",
            gettext_noop(
                "the signature covers its revision; what was added after it is validation data and "
                "archive timestamps only, as PAdES allows."
            ),
            about=name,
        )
    else:
        report.add(
            False,
            "coverage",
            gettext_noop(
                "CHANGED: content was added or altered after signing, beyond validation data and "
                "timestamps (the form, the pages or the embedded files)."
            ),
            about=name,
        )


def _timestamp(report: Report, ts, name: str, moment: dt.datetime) -> None:
    if ts is None:
        report.add(
            True,
            "timestamp",
            gettext_noop(
                "none: the signature carries no timestamp, so only the signer's own clock says when it "
                "was signed; it is judged as of %(moment)s."
            ),
            about=name,
            moment=_when(moment),
        )
        return
    when = _when(ts.timestamp)
    report.timestamps.append(
        {"kind": "signature", "time": when, "tsa": _tsa_name(ts), "valid": bool(ts.intact and ts.valid)}
    )
    if not (ts.intact and ts.valid):
        report.add(
            False,
            "timestamp",
            gettext_noop("BROKEN: the timestamp of %(time)s does not match the signature."),
            about=name,
            time=when,
        )
    elif not ts.trusted:
        report.add(
            False,
            "timestamp",
            gettext_noop(
                "NOT TRUSTED: the timestamp of %(time)s was issued by %(tsa)s, which does not chain to a "
                "trusted root or was not valid on %(moment)s; pass its root with --trust."
            ),
            about=name,
            time=when,
            tsa=_tsa_name(ts),
            moment=_when(moment),
        )
    else:
        report.add(
            True,
            "timestamp",
            gettext_noop("valid: %(tsa)s proves that the signature existed on %(time)s."),
            about=name,
            tsa=_tsa_name(ts),
            time=when,
        )


def _validity(report: Report, cert, moment: dt.datetime, proven: bool) -> None:
    """The signing certificate's validity period must hold at the time judged: pyHanko does not check the
    period of a trust anchor, so a self-signed certificate trusted directly is checked here."""
    start, end = cert["tbs_certificate"]["validity"]["not_before"].native, cert.not_valid_after
    period = {"start": _when(start), "end": _when(end), "moment": _when(moment)}
    if start <= moment <= end:
        message = (
            gettext_noop(
                "valid from %(start)s to %(end)s, so valid on %(moment)s, when the timestamp proves the "
                "dossier was signed."
            )
            if proven
            else gettext_noop("valid from %(start)s to %(end)s, so valid on %(moment)s.")
        )
        report.add(True, "validity", message, **period)
    elif moment > end:
        report.add(
            False,
            "validity",
            gettext_noop(
                "EXPIRED: the certificate was valid until %(end)s, and no valid timestamp proves that the "
                "dossier was signed before then (judged as of %(moment)s)."
            ),
            **period,
        )
    else:
        report.add(
            False,
            "validity",
            gettext_noop(
                "NOT YET VALID: the certificate is valid only from %(start)s (judged as of %(moment)s)."
            ),
            **period,
        )


def _dss(reader, report: Report) -> None:
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        report.add(
            True,
            "dss",
            gettext_noop(
                "none embedded: the signature is checked with the certificates it carries (PAdES B-B or B-T)."
            ),
        )
        return
    report.add(
        True,
        "dss",
        gettext_noop(
            "embedded: %(certs)s certificate(s), %(crls)s CRL(s) and %(ocsps)s OCSP response(s), used to "
            "judge the certificates at the time the timestamps prove (PAdES B-LT)."
        ),
        certs=len(dss.certs),
        crls=len(dss.crls),
        ocsps=len(dss.ocsps),
    )


def _check_files(files: dict[str, bytes], report: Report) -> None:
    raw = files.get(MANIFEST_NAME)
    if raw is None:
        report.add(
            False,
            "manifest",
            gettext_noop("MISSING: no %(manifest)s is embedded, so the files cannot be checked."),
            manifest=MANIFEST_NAME,
        )
        return
    try:
        manifest = json.loads(raw)
    except ValueError:
        report.add(
            False, "manifest", gettext_noop("UNREADABLE: %(manifest)s is not JSON."), manifest=MANIFEST_NAME
        )
        return
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        report.add(
            False, "manifest", gettext_noop("UNKNOWN FORMAT: expected %(format)s."), format=MANIFEST_FORMAT
        )
        return
    report.manifest = manifest
    listed = set()
    for entry in manifest.get("files", []):
        name = entry["name"]
        listed.add(name)
        if not entry.get("embedded"):
            report.add(
                True,
                "attachment",
                gettext_noop("listed, not embedded; the SHA-256 recorded at upload is %(sha256)s."),
                about=name,
                sha256=entry["sha256"],
            )
            continue
        data = files.get(name)
        if data is None:
            report.add(
                False,
                "attachment",
                gettext_noop("MISSING: listed as embedded, but the signed revision does not hold it."),
                about=name,
            )
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest == entry["sha256"] and len(data) == entry["size"]:
            report.add(
                True,
                "attachment",
                gettext_noop("as signed: SHA-256 %(sha256)s, %(size)s bytes, as the manifest lists it."),
                about=name,
                sha256=digest,
                size=len(data),
            )
        else:
            _does_not_match(report, "attachment", name, data, entry)
    if isinstance(manifest.get("audit_trail"), dict):
        listed.add(_check_trail(manifest["audit_trail"], files, report))
    for name in sorted(set(files) - listed - {MANIFEST_NAME}):
        report.add(
            False, "attachment", gettext_noop("UNLISTED: embedded, but not in the manifest."), about=name
        )


def _check_trail(listed: dict, files: dict[str, bytes], report: Report) -> str:
    """The embedded audit trail (reviews/dossier/trail.py) against its manifest entry; returns its name. Its
    events are kept on the report, for the comparison with the stored log (the verify_dossier command)."""
    name = str(listed.get("name") or trail.NAME)
    data = files.get(name)
    if data is None:
        report.add(
            False,
            "audit_trail",
            gettext_noop("MISSING: listed as embedded, but the signed revision does not hold it."),
            about=name,
        )
        return name
    digest = hashlib.sha256(data).hexdigest()
    try:
        events = json.loads(data)["events"]
    except (ValueError, KeyError, TypeError):
        events = None
    readable = isinstance(events, list) and all(isinstance(entry, dict) for entry in events)
    if digest == listed.get("sha256") and len(data) == listed.get("size") and readable:
        report.audit_trail = events
        report.add(
            True,
            "audit_trail",
            gettext_noop(
                "as signed: SHA-256 %(sha256)s, %(events)s events, as the manifest and section 9 list it."
            ),
            about=name,
            sha256=digest,
            events=len(events),
        )
    else:
        _does_not_match(report, "audit_trail", name, data, listed)
    return name


def _does_not_match(report: Report, check: str, name: str, data: bytes, listed: dict) -> None:
    """An embedded file whose bytes are not those its manifest entry `listed` describes."""
    report.add(
        False,
        check,
        gettext_noop(
            "DOES NOT MATCH: SHA-256 %(sha256)s (%(size)s bytes); the manifest lists %(listed)s "
            "(%(listed_size)s bytes)."
        ),
        about=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        listed=listed.get("sha256"),
        listed_size=listed.get("size"),
    )


def dossier_verify(data: bytes, *, trust_roots: list, at: dt.datetime | None = None) -> Report:
    """Check a dossier's bytes: its signature and timestamps (against `trust_roots`, asn1crypto
    certificates, as of `at`, default now) and the embedded files of the signed revision against the
    embedded manifest."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    at = at or dt.datetime.now(dt.UTC)
    report = Report(validated_at=_when(at))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signed_revision = _check_signature(reader, report, trust_roots, at)
        # The files as the signature covers them: an update appended later cannot swap one in.
        files = embedded_files(reader, signed_revision)
    except Exception as exc:  # noqa: BLE001  (a damaged file: say so rather than crash)
        report.add(
            False,
            "file",
            gettext_noop("UNREADABLE: the file cannot be read as a PDF (%(error)s)."),
            error=type(exc).__name__,
        )
        return report
    _check_files(files, report)
    return report
