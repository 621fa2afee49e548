"""Verify an approval dossier file: its signature, every embedded file against the manifest inside it, and,
with --db (the default when the database answers), the stored records it was made from. The PDF records of
activities and scope extensions (activities/records/) carry the same manifest: their signature and embedded
files are checked alike; they are generated on request, not stored, so there is no stored copy to compare.

    python manage.py verify_dossier FILE.pdf [--trust ROOT.pem ...] [--no-db] [--at 2036-01-01] [--json]

Trusted by default: the configured signing certificate and its chain. An auditor with a copy of the
organisation's certificate or its CA's root passes it with --trust. The signature is judged at the time its
timestamps prove (reviews/dossier/verify.py); --at judges as of another time. Every finding is a sentence
in English and Chinese; --json prints them for machines. Exit code 0 only when every check passed.
"""

import argparse
import datetime as dt
import hashlib
import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext_noop

from reviews.dossier.signing import SigningKeyError, credentials_load, signing_config
from reviews.dossier.verify import Report, dossier_verify


def _trust_roots(files: list[str], *, use_configured: bool) -> tuple[list, str, list[str]]:
    """(the roots to trust, what they are, the configured certificate's fingerprints)."""
    from pyhanko.keys import load_certs_from_pemder

    roots, source, fingerprints = [], [], []
    if use_configured:
        config = signing_config()
        if config.configured:
            try:
                creds = credentials_load(config)
            except SigningKeyError as exc:
                source.append(f"the configured signing certificate could not be read ({exc})")
            else:
                roots += creds.trust_roots
                fingerprints.append(creds.fingerprint)
                source.append(
                    f"the configured signing certificate ({creds.subject}, SHA-256 {creds.fingerprint})"
                )
    for name in files:
        try:
            roots += list(load_certs_from_pemder([name]))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the certificate {name}: {exc}") from None
        source.append(name)
    return roots, "; ".join(source) or "nothing (no signing certificate configured, no --trust)", fingerprints


def _check_records(data: bytes, report: Report) -> None:
    """Compare the file and its manifest with what the database holds (the file may come from elsewhere)."""
    from reviews.models import AuditEvent, Dossier, Evidence
    from vendors.models import Certification

    manifest = report.manifest or {}
    digest = hashlib.sha256(data).hexdigest()
    dossier_pk = manifest.get("dossier")
    dossier = Dossier.objects.filter(pk=dossier_pk).first() if dossier_pk else None
    if dossier is None:
        dossier = Dossier.objects.filter(sha256=digest).first()
    earlier = (
        AuditEvent.objects.filter(
            action="dossier.timestamped", object_id=str(dossier.pk), data__previous_sha256=digest
        ).first()
        if dossier is not None
        else None
    )
    if dossier is None:
        report.add(False, "database", gettext_noop("NOT FOUND: no stored dossier has this file's SHA-256."))
    elif dossier.sha256 == digest:
        report.add(
            True,
            "database",
            gettext_noop("this file is dossier #%(pk)s as stored (SHA-256 %(sha256)s)."),
            pk=dossier.pk,
            sha256=digest,
        )
    elif earlier is not None:
        report.add(
            True,
            "database",
            gettext_noop(
                "this file is dossier #%(pk)s as stored before the timestamp added on %(date)s; the stored "
                "copy has it appended."
            ),
            pk=dossier.pk,
            date=f"{earlier.at:%Y-%m-%d}",
        )
    else:
        report.add(
            False,
            "database",
            gettext_noop(
                "DOES NOT MATCH: dossier #%(pk)s was stored with SHA-256 %(stored)s; this file has %(sha256)s."
            ),
            pk=dossier.pk,
            stored=dossier.sha256 or "—",
            sha256=digest,
        )
    models: dict[str, type[Evidence] | type[Certification]] = {
        "evidence": Evidence,
        "certificate": Certification,
    }
    kinds = {"evidence": gettext_noop("evidence"), "certificate": gettext_noop("certificate")}
    for entry in manifest.get("files", []):
        role = entry.get("role")
        model = models.get(role)
        record = model.objects.filter(pk=entry.get("record_id")).first() if model else None
        what = {"name": entry["name"], "kind": kinds.get(role, role), "pk": entry.get("record_id")}
        if record is None:
            report.add(False, "database", gettext_noop("NOT FOUND: no stored %(kind)s #%(pk)s."), **what)
        elif record.sha256 == entry["sha256"]:
            report.add(
                True, "database", gettext_noop("%(name)s matches the stored %(kind)s #%(pk)s."), **what
            )
        else:
            report.add(
                False,
                "database",
                gettext_noop(
                    "DOES NOT MATCH: the stored %(kind)s #%(pk)s has SHA-256 %(stored)s; the dossier lists "
                    "%(listed)s for %(name)s."
                ),
                stored=record.sha256,
                listed=entry["sha256"],
                **what,
            )
    if report.audit_trail is not None:
        _check_trail_records(report)


def _check_trail_records(report: Report) -> None:
    """Each event of the embedded audit trail (reviews/dossier/trail.py): its hash recomputed from the
    columns the file holds, under the audit key, and compared with the stored event of the same id."""
    from reviews.dossier.trail import event_problems
    from reviews.models import AuditEvent
    from reviews.models.audit import audit_key

    events = report.audit_trail or []
    ids = [entry.get("id") for entry in events]
    stored = dict(
        AuditEvent.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list("pk", "hash")
    )
    recomputed = event_problems(events, audit_key())
    differ = [entry.get("id") for entry in events if stored.get(entry.get("id")) != entry.get("hash")]
    if recomputed:
        report.add(
            False,
            "database",
            gettext_noop(
                "DOES NOT MATCH: the hash of events %(events)s of the embedded audit trail does not follow from "
                "their columns as the trail holds them."
            ),
            events=", ".join(f"#{pk}" for pk in recomputed),
        )
    if differ:
        report.add(
            False,
            "database",
            gettext_noop(
                "DOES NOT MATCH: events %(events)s of the embedded audit trail differ from the stored log, "
                "or are missing from it."
            ),
            events=", ".join(f"#{pk}" for pk in differ),
        )
    if not recomputed and not differ:
        report.add(
            True,
            "database",
            gettext_noop(
                "each of the %(count)s events of the embedded audit trail has the hash its columns give, and is "
                "in the stored log."
            ),
            count=len(events),
        )


def _check_certificate(report: Report, configured: list[str]) -> None:
    """The signer's certificate compared with the organisation's configured one, by SHA-256 fingerprint."""
    if not report.fingerprint:
        return
    if report.fingerprint in configured:
        report.add(
            True,
            "certificate",
            gettext_noop("the signer's certificate is the organisation's configured signing certificate."),
        )
    elif configured:
        report.add(
            False,
            "certificate",
            gettext_noop(
                "NOT THE ORGANISATION'S: the signer's certificate (SHA-256 %(fingerprint)s) is not the "
                "configured signing certificate (SHA-256 %(configured)s), whatever name it bears; if it is "
                "an earlier certificate of the organisation, verify with --no-configured-cert and its CA's "
                "root with --trust."
            ),
            fingerprint=report.fingerprint,
            configured=", ".join(configured),
        )


def _what(manifest: dict) -> str:
    return ", ".join(
        f"{key} {manifest[key]}" for key in ("activity", "extension", "sign_off") if manifest.get(key)
    )


def _when(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date or time (YYYY-MM-DD[THH:MM])") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        "Verify an approval dossier PDF as an auditor would: signature and timestamps, the signing "
        "certificate, the embedded files of the signed revision and, when at hand, the stored records."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the dossier PDF")
        parser.add_argument(
            "--trust",
            action="append",
            default=[],
            metavar="CERT.pem",
            help="a root certificate to trust (PEM or DER): the CA's root, or a self-signed signing certificate",
        )
        parser.add_argument(
            "--no-configured-cert",
            action="store_true",
            help="do not trust the configured signing certificate, only --trust",
        )
        parser.add_argument("--no-db", action="store_true", help="do not compare with the database")
        parser.add_argument(
            "--at",
            type=_when,
            default=None,
            metavar="YYYY-MM-DD",
            help="judge as of this time instead of now (UTC unless an offset is given)",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON, for machines")

    def handle(self, *args, file, trust, no_configured_cert, no_db, at, json, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        roots, source, configured = _trust_roots(trust, use_configured=not no_configured_cert)
        report = dossier_verify(data, trust_roots=roots, at=at)
        _check_certificate(report, configured)
        notes = []
        if report.manifest is not None and "review" not in report.manifest:
            notes.append(
                "database not compared: this file is not an approval dossier but a record "
                f"generated on request ({_what(report.manifest)}), which is not stored"
            )
        elif not no_db:
            try:
                _check_records(data, report)
            except DatabaseError as exc:
                notes.append(f"database not compared: {type(exc).__name__}")
        if json:
            document = {
                "file": file,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "trusted": source,
                "notes": notes,
                **report.as_json(),
            }
            self.stdout.write(json_module.dumps(document, ensure_ascii=False, indent=1))
        else:
            self._print(file, data, source, notes, report)
        if not report.ok:
            failed = sum(not f.ok for f in report.findings)
            raise CommandError(
                f"NOT VERIFIED: {failed} of {len(report.findings)} checks failed. "
                f"未通过验证：{len(report.findings)} 项检查中有 {failed} 项未通过。",
                returncode=1,
            )

    def _print(self, file, data, source, notes, report) -> None:
        self.stdout.write(f"{file}: {len(data)} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
        self.stdout.write(f"trusted: {source}")
        if report.fingerprint:
            self.stdout.write(f"signer: {report.subject}")
            self.stdout.write(f"signer certificate SHA-256: {report.fingerprint}")
        self.stdout.write(f"judged as of: {report.validated_at}")
        for note in notes:
            self.stdout.write(note)
        for finding in report.findings:
            mark = self.style.SUCCESS("ok  ") if finding.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {finding.subject}: {finding.detail}")
            self.stdout.write(f"     {finding.subject_zh}：{finding.zh}")
        if report.ok:
            passed = len(report.findings)
            self.stdout.write(
                self.style.SUCCESS(
                    f"VERIFIED: all {passed} checks passed. 验证通过：全部 {passed} 项检查均通过。"
                )
            )
