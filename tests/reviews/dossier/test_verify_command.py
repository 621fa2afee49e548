"""`manage.py verify_dossier FILE.pdf`: what matches, what does not, and an exit code that says so."""

import pytest
from django.core.management import CommandError, call_command

from reviews.dossier.services import dossier_generate_now
from reviews.models import Dossier, Evidence
from tests.builders import approved_review
from vendors.models import private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier_file(requester, legal, security, signing, tmp_path):
    review = approved_review(requester, legal=legal, security=security)
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    target = tmp_path / "dossier.pdf"
    with private_storage().open(dossier.file.name, "rb") as handle:
        target.write_bytes(handle.read())
    return target, dossier


def test_a_signed_dossier_verifies_against_its_signature_manifest_and_stored_records(dossier_file, capsys):
    path, dossier = dossier_file

    call_command("verify_dossier", str(path))

    out = capsys.readouterr().out
    assert "VERIFIED: all" in out and "FAIL" not in out
    assert f"this file is dossier #{dossier.pk} as stored" in out
    assert "matches the stored evidence" in out and "matches the stored certificate" in out
    assert "events of the embedded audit trail has the hash its columns give, and is in the stored log" in out


def test_one_changed_byte_makes_the_command_fail_with_a_non_zero_exit(dossier_file, capsys):
    path, _dossier = dossier_file
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))

    with pytest.raises(CommandError) as failed:
        call_command("verify_dossier", str(path))

    assert failed.value.returncode == 1 and "NOT VERIFIED" in str(failed.value)
    assert "FAIL" in capsys.readouterr().out


def test_without_the_organisations_certificate_the_signer_is_reported_untrusted(
    dossier_file, signing, capsys
):
    path, _dossier = dossier_file

    with pytest.raises(CommandError):
        call_command("verify_dossier", str(path), "--no-configured-cert")
    assert "NOT TRUSTED" in capsys.readouterr().out

    call_command("verify_dossier", str(path), "--no-configured-cert", "--trust", str(signing))
    assert "VERIFIED" in capsys.readouterr().out


def test_a_stored_evidence_hash_that_differs_from_the_dossier_is_reported(dossier_file, capsys):
    path, dossier = dossier_file
    evidence = Evidence.objects.filter(review=dossier.review).first()
    Evidence.objects.filter(pk=evidence.pk).update(sha256="0" * 64)

    with pytest.raises(CommandError):
        call_command("verify_dossier", str(path))

    out = capsys.readouterr().out
    assert f"DOES NOT MATCH: the stored evidence #{evidence.pk} has SHA-256 {'0' * 64}" in out
