"""The signed dossier: signed with the organisation's key, verified by anyone, and unsigned only in development,
where it says so on its cover."""

import io
import json
import logging
import socket

import pytest
from pypdf import PdfReader

from reviews.dossier.services import dossier_generate_now
from reviews.dossier.signing import SigningKeyError, credentials_load, signing_config
from reviews.dossier.verify import dossier_verify
from reviews.models import AuditEvent, Dossier
from tests.builders import approved_review
from tests.conftest import SIGNING_PASSPHRASE
from vendors.models import private_storage

pytestmark = pytest.mark.django_db


def _generated(requester, legal, security) -> tuple[Dossier, bytes]:
    review = approved_review(requester, legal=legal, security=security)
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    with private_storage().open(dossier.file.name, "rb") as handle:
        return dossier, handle.read()


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _trust():
    return credentials_load(signing_config()).trust_roots


def test_the_dossier_is_signed_with_the_organisations_certificate_and_verifies(
    requester, legal, security, signing
):
    dossier, pdf = _generated(requester, legal, security)

    assert dossier.signed is True
    assert "Vetted test signing" in dossier.signer
    assert dossier.signed_at is not None and dossier.timestamped is False
    assert dossier.embedded_files > 0
    report = dossier_verify(pdf, trust_roots=_trust())
    assert report.ok, [f for f in report.findings if not f.ok]
    assert "Vetted test signing" in report.signer
    assert "UNSIGNED" not in _text(pdf)


def test_one_changed_byte_in_the_signed_pdf_fails_verification(requester, legal, security, signing):
    _dossier, pdf = _generated(requester, legal, security)
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01  # inside the signed byte range: the cover and first pages

    report = dossier_verify(bytes(tampered), trust_roots=_trust())

    assert not report.ok
    assert any(not f.ok and f.check in ("signature", "file") for f in report.findings)


def test_a_dossier_signed_by_another_key_is_reported_untrusted(requester, legal, security, signing):
    _dossier, pdf = _generated(requester, legal, security)

    report = dossier_verify(pdf, trust_roots=[])

    assert not report.ok
    untrusted = [f for f in report.findings if not f.ok]
    assert (
        len(untrusted) == 1 and "NOT TRUSTED" in untrusted[0].detail and "self-signed" in untrusted[0].detail
    )


def test_without_a_key_in_development_the_dossier_is_unsigned_and_says_so_on_its_cover(
    requester, legal, security, settings
):
    settings.VETTED_SIGNING_PKCS12 = ""
    dossier, pdf = _generated(requester, legal, security)

    assert dossier.signed is False and dossier.signer == "" and dossier.signed_at is None
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "UNSIGNED — development copy" in cover
    assert "未签名——开发副本" in cover
    report = dossier_verify(pdf, trust_roots=[])
    assert not report.ok and any("UNSIGNED" in f.detail for f in report.findings)


def test_a_required_key_that_cannot_be_read_fails_the_dossier_with_a_clear_reason(
    requester, legal, security, signing, settings
):
    settings.VETTED_SIGNING_REQUIRED = True
    settings.VETTED_SIGNING_PASSPHRASE = "wrong-passphrase-for-test"
    review = approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)

    with pytest.raises(SigningKeyError):
        dossier_generate_now(dossier_id=dossier.pk)

    dossier.refresh_from_db()
    assert dossier.status == "failed"
    assert "passphrase (VETTED_SIGNING_PASSPHRASE) is wrong" in dossier.error
    assert "wrong-passphrase-for-test" not in dossier.error


def test_the_passphrase_never_appears_in_logs_errors_or_the_audit_trail(
    requester, legal, security, signing, settings, caplog
):
    caplog.set_level(logging.DEBUG)
    _dossier, pdf = _generated(requester, legal, security)
    settings.VETTED_SIGNING_PASSPHRASE = "another-wrong-one-9931"
    with pytest.raises(SigningKeyError) as refused:
        credentials_load(signing_config())

    audit = json.dumps(list(AuditEvent.objects.values("action", "data")), ensure_ascii=False, default=str)
    assert "dossier.generated" in audit
    for secret in (SIGNING_PASSPHRASE, "another-wrong-one-9931"):
        assert secret not in caplog.text
        assert secret not in str(refused.value) and secret not in repr(signing_config())
        assert secret not in audit
        assert secret.encode() not in pdf


def test_no_network_is_touched_when_no_timestamp_authority_is_configured(
    requester, legal, security, signing, settings, monkeypatch
):
    settings.VETTED_TSA_URL = ""
    review = approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)

    def no_network(*args, **kwargs):
        raise AssertionError("the network was touched while signing a dossier")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    dossier = dossier_generate_now(dossier_id=dossier.pk)

    assert dossier.signed is True and dossier.timestamped is False
