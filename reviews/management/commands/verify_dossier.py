"""Verify an approval dossier file: its signature, every embedded file against the manifest inside it, and,
with --db (the default when the database answers), the stored records it was made from. The PDF records of
activities and scope extensions (activities/records/) carry the same manifest: their signature and embedded
files are checked alike; they are generated on request, not stored, so there is no stored copy to compare.

    python manage.py verify_dossier FILE.pdf [--trust CERT.pem ...] [--no-db]

Trusted by default: the configured signing certificate and its chain. An auditor with a copy of the
organisation's certificate passes it with --trust. Exit code 0 only when every check passed.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from reviews.dossier.signing import SigningKeyError, credentials_load, signing_config
from reviews.dossier.verify import Report, dossier_verify


def _trust_roots(files: list[str], *, use_configured: bool) -> tuple[list, str]:
    from pyhanko.keys import load_certs_from_pemder

    roots, source = [], []
    if use_configured:
        config = signing_config()
        if config.configured:
            try:
                creds = credentials_load(config)
            except SigningKeyError as exc:
                source.append(f"the configured signing certificate could not be read ({exc})")
            else:
                roots += creds.trust_roots
                source.append(f"the configured signing certificate ({creds.subject})")
    for name in files:
        try:
            roots += list(load_certs_from_pemder([name]))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the certificate {name}: {exc}") from None
        source.append(name)
    return roots, "; ".join(source) or "nothing (no signing certificate configured, no --trust)"


def _check_records(data: bytes, report: Report) -> None:
    """Compare the file and its manifest with what the database holds (the file may come from elsewhere)."""
    from reviews.models import Dossier, Evidence
    from vendors.models import Certification

    manifest = report.manifest or {}
    digest = hashlib.sha256(data).hexdigest()
    dossier = Dossier.objects.filter(pk=manifest.get("dossier")).first() if manifest.get("dossier") else None
    if dossier is None:
        known = Dossier.objects.filter(sha256=digest).first()
        report.add(
            known is not None,
            "database: dossier",
            f"this file is dossier #{known.pk} as stored"
            if known
            else "NOT FOUND: no stored dossier has this file's SHA-256",
        )
    else:
        report.add(
            dossier.sha256 == digest,
            "database: dossier",
            f"this file is dossier #{dossier.pk} as stored (SHA-256 {digest})"
            if dossier.sha256 == digest
            else f"DOES NOT MATCH: dossier #{dossier.pk} was stored with SHA-256 {dossier.sha256 or '—'}, "
            f"this file has {digest}",
        )
    models = {"evidence": Evidence, "certificate": Certification}
    for entry in manifest.get("files", []):
        model = models.get(entry.get("role"))
        record = model.objects.filter(pk=entry.get("record_id")).first() if model else None
        subject = f"database: {entry['name']}"
        if record is None:
            report.add(
                False, subject, f"NOT FOUND: no {entry.get('role')} #{entry.get('record_id')} is stored"
            )
        elif record.sha256 == entry["sha256"]:
            report.add(True, subject, f"matches the stored {entry['role']} #{record.pk}")
        else:
            report.add(
                False,
                subject,
                f"DOES NOT MATCH: the stored {entry['role']} #{record.pk} has SHA-256 "
                f"{record.sha256}, the dossier lists {entry['sha256']}",
            )


def _what(manifest: dict) -> str:
    return ", ".join(
        f"{key} {manifest[key]}" for key in ("activity", "extension", "sign_off") if manifest.get(key)
    )


class Command(BaseCommand):
    help = "Verify an approval dossier PDF: signature, embedded files and, when at hand, the stored records."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the dossier PDF")
        parser.add_argument(
            "--trust",
            action="append",
            default=[],
            metavar="CERT.pem",
            help="a certificate to trust (PEM or DER); may be given more than once",
        )
        parser.add_argument(
            "--no-configured-cert",
            action="store_true",
            help="do not trust the configured signing certificate, only --trust",
        )
        parser.add_argument("--no-db", action="store_true", help="do not compare with the database")

    def handle(self, *args, file, trust, no_configured_cert, no_db, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        roots, source = _trust_roots(trust, use_configured=not no_configured_cert)
        self.stdout.write(f"{file}: {len(data)} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
        self.stdout.write(f"trusted: {source}")
        report = dossier_verify(data, trust_roots=roots)
        if report.manifest is not None and "review" not in report.manifest:
            self.stdout.write(
                "database not compared: this file is not an approval dossier but a record "
                f"generated on request ({_what(report.manifest)}), which is not stored"
            )
        elif not no_db:
            try:
                _check_records(data, report)
            except DatabaseError as exc:
                self.stdout.write(f"database not compared: {type(exc).__name__}")
        for finding in report.findings:
            mark = self.style.SUCCESS("ok  ") if finding.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {finding.subject}: {finding.detail}")
        passed = sum(f.ok for f in report.findings)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"VERIFIED: all {passed} checks passed."))
            return
        failed = len(report.findings) - passed
        raise CommandError(f"NOT VERIFIED: {failed} of {len(report.findings)} checks failed.", returncode=1)
