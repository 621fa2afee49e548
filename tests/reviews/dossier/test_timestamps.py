"""Trusted timestamps and long-term validation against a real PKI on loopback (tests/pki.py): a CA that issued
the signing certificate and the TSA's, an RFC 3161 TSA, OCSP and CRLs over HTTP. Nothing is replaced."""

import io
import socket

import pytest
from django.core.management import call_command

from reviews.dossier.archive import dossier_timestamp_add
from reviews.dossier.services import dossier_generate_now
from reviews.dossier.verify import dossier_verify
from reviews.models import AuditEvent, Dossier
from tests.builders import approved_review
from vendors.models import private_storage

pytestmark = pytest.mark.django_db


def _read(dossier: Dossier) -> bytes:
    with private_storage().open(dossier.file.name, "rb") as handle:
        return handle.read()


def _generated(requester, legal, security) -> tuple[Dossier, bytes]:
    review = approved_review(requester, legal=legal, security=security)
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    return dossier, _read(dossier)


def _roots(pki):
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(str(pki.root_pem))]


def _dss(pdf: bytes) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    dss = PdfFileReader(io.BytesIO(pdf), strict=False).root.get("/DSS")
    dss = dss.get_object() if dss is not None else None
    if dss is None:
        return {}
    return {key: len(dss[key]) for key in ("/Certs", "/CRLs", "/OCSPs") if key in dss}


def _dead_url() -> str:
    """An address on loopback where nothing listens: the connection is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


def test_a_dossier_signed_with_a_tsa_is_pades_b_lt_with_the_revocation_data_embedded(
    requester, legal, security, pki_signing
):
    dossier, pdf = _generated(requester, legal, security)

    assert dossier.signed and dossier.timestamped and not dossier.timestamp_pending
    assert dossier.pades_level == "B-LT"
    dss = _dss(pdf)
    assert dss.get("/Certs", 0) >= 3  # the signer's, the TSA's, the root's
    assert dss.get("/CRLs", 0) + dss.get("/OCSPs", 0) >= 1
    report = dossier_verify(pdf, trust_roots=_roots(pki_signing))
    assert report.ok, [f for f in report.findings if not f.ok]
    event = AuditEvent.objects.get(action="dossier.generated", object_id=str(dossier.pk))
    assert event.data["pades_level"] == "B-LT" and event.data["tsa"] == pki_signing.tsa_url


def test_when_the_first_tsa_does_not_answer_the_next_one_timestamps_the_dossier(
    requester, legal, security, pki_signing, settings
):
    settings.VETTED_TSA_URL = f"{_dead_url()}, {pki_signing.tsa_url}"

    dossier, _pdf = _generated(requester, legal, security)

    assert dossier.timestamped and dossier.pades_level == "B-LT"
    event = AuditEvent.objects.get(action="dossier.generated", object_id=str(dossier.pk))
    assert event.data["tsa"] == pki_signing.tsa_url


def test_when_no_tsa_answers_the_dossier_is_signed_marked_and_timestamped_when_one_answers(
    requester, legal, security, pki_signing, settings
):
    settings.VETTED_TSA_URL = _dead_url()

    dossier, pdf = _generated(requester, legal, security)

    assert dossier.status == "ready" and dossier.signed
    assert dossier.timestamp_pending and not dossier.timestamped and dossier.pades_level == "B-B"
    generated = AuditEvent.objects.get(action="dossier.generated", object_id=str(dossier.pk))
    assert generated.data["timestamp_pending"] is True

    settings.VETTED_TSA_URL = pki_signing.tsa_url  # the TSA answers again: the hourly run or the retry
    call_command("dossier_archive", "--pending")

    dossier.refresh_from_db()
    assert not dossier.timestamp_pending and dossier.timestamped and dossier.pades_level == "B-LTA"
    extended = _read(dossier)
    assert extended.startswith(pdf) and len(extended) > len(pdf)  # an incremental update: nothing lost
    event = AuditEvent.objects.get(action="dossier.timestamped", object_id=str(dossier.pk))
    assert event.data["reason"] == "pending" and event.data["previous_sha256"] == generated.data["sha256"]
    assert private_storage().exists(event.data["previous_file"])
    report = dossier_verify(extended, trust_roots=_roots(pki_signing))
    assert report.ok, [f for f in report.findings if not f.ok]


def test_dossier_archive_adds_a_document_timestamp_and_audits_it(
    requester, legal, security, pki_signing, capsys
):
    dossier, pdf = _generated(requester, legal, security)

    call_command("dossier_archive")

    dossier.refresh_from_db()
    assert dossier.pades_level == "B-LTA" and dossier.archived_at is not None
    extended = _read(dossier)
    assert extended.startswith(pdf)
    assert "1 dossier" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="dossier.timestamped", object_id=str(dossier.pk))
    assert event.data["reason"] == "archive" and event.data["sha256"] == dossier.sha256
    report = dossier_verify(extended, trust_roots=_roots(pki_signing))
    assert report.ok, [f for f in report.findings if not f.ok]

    call_command("dossier_archive")  # not due again before VETTED_DOSSIER_ARCHIVE_DAYS
    assert AuditEvent.objects.filter(action="dossier.timestamped").count() == 1


def test_a_timestamp_for_a_dossier_that_is_not_owed_one_is_not_added(requester, legal, security, pki_signing):
    dossier, _pdf = _generated(requester, legal, security)

    assert dossier_timestamp_add(dossier_id=dossier.pk, reason="pending") == dossier
    assert not AuditEvent.objects.filter(action="dossier.timestamped").exists()
