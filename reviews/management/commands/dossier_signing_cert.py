"""Create a self-signed certificate and key (PKCS#12) for signing dossiers in a demo or in development.

    python manage.py dossier_signing_cert [--out var/signing/dossier-signing.p12] [--force]

Writes the PKCS#12 archive (mode 0600), encrypted with VETTED_SIGNING_PASSPHRASE, and the certificate alone as
PEM beside it (FILE.crt) to hand to whoever verifies dossiers. A self-signed certificate proves that the file
did not change since it was signed, not who signed it: in production use a certificate issued by a CA
(README, "Signing the dossier"). The key and the passphrase are never printed.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.dossier.signing import self_signed_pkcs12

DEFAULT_DAYS = 3 * 365


class Command(BaseCommand):
    help = "Create a self-signed dossier signing certificate (PKCS#12) for demo and development."

    def add_arguments(self, parser):
        default = getattr(settings, "VETTED_SIGNING_PKCS12", "") or str(
            Path(settings.BASE_DIR) / "var" / "signing" / "dossier-signing.p12"
        )
        parser.add_argument("--out", default=default, help=f"the PKCS#12 file to write (default {default})")
        parser.add_argument("--common-name", default="Vetted dossier signing (self-signed)")
        parser.add_argument("--organisation", default="Vetted")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
        parser.add_argument("--force", action="store_true", help="replace an existing file")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when the file exists (for make run)"
        )

    def handle(self, *args, out, common_name, organisation, days, force, if_missing, **options):
        target = Path(out)
        if target.exists() and if_missing:
            self.stdout.write(f"{target} exists; left as it is.")
            return
        if target.exists() and not force:
            raise CommandError(
                f"{target} exists; use --force to replace it (dossiers signed with it stay "
                "verifiable only with its certificate)."
            )
        passphrase = (getattr(settings, "VETTED_SIGNING_PASSPHRASE", "") or "").encode()
        if not passphrase:
            raise CommandError("Set VETTED_SIGNING_PASSPHRASE: the key is stored encrypted with it.")
        archive, cert_pem = self_signed_pkcs12(
            common_name=common_name, organisation=organisation, passphrase=passphrase, days=days
        )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(archive)
            os.chmod(target, 0o600)
            target.with_suffix(".crt").write_bytes(cert_pem)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}") from None
        self.stdout.write(
            f"wrote {target} (key and certificate, encrypted with VETTED_SIGNING_PASSPHRASE) and "
            f"{target.with_suffix('.crt')} (the certificate, for verifiers); valid {days} days, "
            "self-signed: for demo and development only."
        )
