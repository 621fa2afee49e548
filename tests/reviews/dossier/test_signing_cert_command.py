"""`manage.py dossier_signing_cert`: a self-signed key and certificate for demo and development."""

import stat

import pytest
from django.core.management import CommandError, call_command

from reviews.dossier.signing import credentials_load, signing_config
from tests.conftest import SIGNING_PASSPHRASE


def test_it_writes_a_protected_pkcs12_that_the_signer_can_open_and_its_certificate(
    tmp_path, settings, capsys
):
    settings.VETTED_SIGNING_PASSPHRASE = SIGNING_PASSPHRASE
    target = tmp_path / "signing" / "demo.p12"

    call_command("dossier_signing_cert", "--out", str(target), "--organisation", "ACME 市场部")

    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.with_suffix(".crt").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    settings.VETTED_SIGNING_PKCS12 = str(target)
    creds = credentials_load(signing_config())
    assert "ACME 市场部" in creds.subject
    assert SIGNING_PASSPHRASE not in capsys.readouterr().out


def test_it_never_replaces_an_existing_key_unless_told(tmp_path, settings):
    settings.VETTED_SIGNING_PASSPHRASE = SIGNING_PASSPHRASE
    target = tmp_path / "demo.p12"
    target.write_bytes(b"an existing key")

    call_command("dossier_signing_cert", "--out", str(target), "--if-missing")
    assert target.read_bytes() == b"an existing key"
    with pytest.raises(CommandError, match="exists; use --force"):
        call_command("dossier_signing_cert", "--out", str(target))

    call_command("dossier_signing_cert", "--out", str(target), "--force")
    assert target.read_bytes() != b"an existing key"
