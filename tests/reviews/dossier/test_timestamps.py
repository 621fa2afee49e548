"""Trusted timestamps and long-term validation against a real PKI on loopback (tests/pki.py): a CA that issued
the signing certificate and the TSA's, an RFC 3161 TSA, OCSP and CRLs over HTTP. Nothing is replaced."""

import datetime as dt
import io
import json
import socket

import pytest
from django.core.management import CommandError, call_command

from reviews.dossier.archive import dossier_timestamp_add
from reviews.dossier.services import dossier_generate_now
from reviews.dossier.tasks import dossier_timestamp_retry
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

    settings.VETTED_TSA_URL = pki_signing.tsa_url  # the TSA answers again: the task's retry gets it
    dossier_timestamp_retry.apply(args=[dossier.pk])

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


# --- verify_dossier judges as an auditor would, years later ----------------------------------------------------


def _file(dossier: Dossier, tmp_path) -> str:
    target = tmp_path / "dossier.pdf"
    target.write_bytes(_read(dossier))
    return str(target)


def test_a_timestamped_dossier_still_verifies_after_the_signing_certificate_expired(
    requester, legal, security, pki_signing, tmp_path, capsys
):
    dossier, _pdf = _generated(requester, legal, security)
    years_later = (pki_signing.signer_not_after + dt.timedelta(days=3 * 365)).date().isoformat()

    call_command(
        "verify_dossier",
        _file(dossier, tmp_path),
        "--no-configured-cert",
        "--trust",
        str(pki_signing.root_pem),
        "--at",
        years_later,
    )

    out = capsys.readouterr().out
    assert "VERIFIED: all" in out and "FAIL" not in out
    assert "when the timestamp proves the dossier was signed" in out
    assert f"judged as of: {years_later} 00:00:00 UTC" in out


def test_an_archived_dossier_verifies_years_later_with_its_timestamp_chain(
    requester, legal, security, pki_signing, tmp_path, capsys
):
    dossier, _pdf = _generated(requester, legal, security)
    call_command("dossier_archive")
    dossier.refresh_from_db()
    capsys.readouterr()
    years_later = (pki_signing.signer_not_after + dt.timedelta(days=5 * 365)).date().isoformat()

    call_command(
        "verify_dossier",
        _file(dossier, tmp_path),
        "--trust",
        str(pki_signing.root_pem),
        "--at",
        years_later,
        "--json",
    )

    report = json.loads(capsys.readouterr().out)
    assert report["verified"] is True
    assert [t["kind"] for t in report["timestamps"]] == ["archive", "signature"]
    assert all(t["valid"] for t in report["timestamps"])
    checks = {f["check"] for f in report["findings"]}
    assert {
        "archive",
        "timestamp",
        "dss",
        "certificate",
        "validity",
        "signer",
        "attachment",
        "database",
    } <= checks


def test_an_untimestamped_dossier_signed_with_a_key_that_has_expired_does_not_verify(
    requester, legal, security, signing, settings, tmp_path, capsys
):
    settings.VETTED_TSA_URL = ""
    dossier, _pdf = _generated(requester, legal, security)

    with pytest.raises(CommandError) as refused:
        call_command("verify_dossier", _file(dossier, tmp_path), "--at", "2030-06-01")

    out = capsys.readouterr().out
    assert refused.value.returncode == 1 and "NOT VERIFIED" in str(refused.value)
    assert "EXPIRED: the certificate was valid until" in out
    assert "VERIFIED: all" not in out


def test_the_report_names_the_signers_certificate_by_fingerprint_and_says_each_finding_in_both_languages(
    requester, legal, security, pki_signing, tmp_path, capsys
):
    from reviews.dossier.signing import credentials_load, signing_config

    dossier, _pdf = _generated(requester, legal, security)
    fingerprint = credentials_load(signing_config()).fingerprint

    call_command("verify_dossier", _file(dossier, tmp_path), "--json")

    report = json.loads(capsys.readouterr().out)
    assert report["certificate"]["sha256"] == fingerprint == dossier.signer_fingerprint
    assert "Vetted test signing" in report["certificate"]["subject"]
    for finding in report["findings"]:
        assert finding["sentence"]["en"] and finding["sentence"]["zh"]
        assert finding["sentence"]["zh"] != finding["sentence"]["en"], finding
        assert "(other)" not in finding["sentence"]["en"]
    assert any(
        f["check"] == "certificate" and f["ok"] and "configured signing certificate" in f["sentence"]["en"]
        for f in report["findings"]
    )


def test_a_dossier_re_signed_with_another_certificate_of_the_same_name_is_told_apart_by_its_fingerprint(
    requester, legal, security, pki_signing, settings, tmp_path, capsys
):
    from reviews.dossier.render import dossier_render
    from reviews.dossier.signing import credentials_load, self_signed_pkcs12, signing_config

    dossier, _pdf = _generated(requester, legal, security)
    real = credentials_load(signing_config()).fingerprint
    # A forger renders the same dossier and signs it with a self-signed key of the same name.
    archive, pem = self_signed_pkcs12(
        common_name="Vetted test signing", organisation="Vetted tests", passphrase=b"forger"
    )
    (tmp_path / "fake.p12").write_bytes(archive)
    (tmp_path / "fake.crt").write_bytes(pem)
    settings.VETTED_SIGNING_PKCS12, settings.VETTED_SIGNING_PASSPHRASE = str(tmp_path / "fake.p12"), "forger"
    settings.VETTED_TSA_URL = ""
    _name, forged = dossier_render(dossier.review)
    settings.VETTED_SIGNING_PKCS12 = str(pki_signing.pkcs12)  # verify_dossier compares with the real one
    settings.VETTED_SIGNING_PASSPHRASE = pki_signing.passphrase
    (tmp_path / "forged.pdf").write_bytes(forged)

    with pytest.raises(CommandError):
        call_command(
            "verify_dossier", str(tmp_path / "forged.pdf"), "--trust", str(tmp_path / "fake.crt"), "--no-db"
        )

    out = capsys.readouterr().out
    assert "NOT THE ORGANISATION'S" in out and real in out
    fake_line = next(line for line in out.splitlines() if line.startswith("signer certificate SHA-256:"))
    assert real not in fake_line


def test_beat_retries_owed_timestamps_hourly_and_archives_monthly(settings):
    from config.celery_app import app

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["reviews.dossier.tasks.dossiers_timestamp_pending"] == dt.timedelta(hours=1)
    assert schedule["reviews.dossier.tasks.dossiers_archive_run"] == dt.timedelta(days=30)
    for name in (
        "reviews.dossier.tasks.dossiers_timestamp_pending",
        "reviews.dossier.tasks.dossiers_archive_run",
        "reviews.dossier.tasks.dossier_timestamp_retry",
    ):
        assert name in app.tasks, name


def test_dossier_archive_without_a_tsa_says_what_to_configure(db, settings):
    settings.VETTED_TSA_URL = ""

    with pytest.raises(CommandError, match="VETTED_TSA_URL"):
        call_command("dossier_archive")


def test_a_tsa_whose_root_is_not_configured_still_timestamps_and_vetted_tsa_trust_embeds_its_data(
    signing, test_pki, settings, caplog
):
    from weasyprint import HTML

    from reviews.dossier.signing import credentials, pdf_sign, signing_config

    settings.VETTED_TSA_URL = test_pki.tsa_url  # the organisation's own self-signed key, a TSA of another CA
    settings.VETTED_TSA_TRUST = ""
    pdf = HTML(string="<p>一页 one page</p>").write_pdf()

    _signed, info = pdf_sign(pdf, creds=credentials(), reason="test", config=signing_config())
    assert (info.level, info.timestamped, info.timestamp_pending) == ("B-T", True, False)
    assert "VETTED_TSA_TRUST" in caplog.text

    settings.VETTED_TSA_TRUST = str(test_pki.root_pem)
    signed, info = pdf_sign(pdf, creds=credentials(), reason="test", config=signing_config())
    assert info.level == "B-LT" and _dss(signed).get("/Certs", 0) >= 2
