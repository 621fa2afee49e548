"""manage.py dossier: the same renderer, synchronously, to a file."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from reviews.dossier.services import dossier_generate_now
from reviews.models import AuditEvent, Dossier
from tests.builders import approved_review, review_ready_for_sign_off

pytestmark = pytest.mark.django_db


def test_it_writes_an_unsigned_copy_marked_as_such_outside_the_record(
    requester, legal, security, signing, tmp_path, capsys
):
    review = approved_review(requester, legal=legal, security=security)
    signed = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    events, rows = AuditEvent.objects.count(), Dossier.objects.count()
    target = tmp_path / "out.pdf"

    call_command("dossier", str(review.pk), "-o", str(target))

    data = target.read_bytes()
    cover = " ".join(PdfReader(target).pages[0].extract_text().split())
    assert review.sign_off.number in cover
    assert "UNSIGNED COPY — not the signed dossier" in cover and "未签名副本" in cover
    assert f"dossier #{signed.pk}" in cover  # names the signed one kept in the application
    assert not PdfReader(target).trailer["/Root"].get("/AcroForm")  # no signature at all
    out = capsys.readouterr().out
    assert hashlib.sha256(data).hexdigest() in out and "UNSIGNED COPY" in out
    assert (AuditEvent.objects.count(), Dossier.objects.count()) == (events, rows)


def test_a_reissue_is_signed_recorded_and_audited_like_the_sign_offs_dossier(
    requester, legal, security, signing, tmp_path, capsys
):
    review = approved_review(requester, legal=legal, security=security)
    target = tmp_path / "reissued.pdf"

    call_command(
        "dossier",
        review.number,
        "-o",
        str(target),
        "--reissue",
        "--by",
        legal.username,
        "--reason",
        "The regulator asked for a fresh copy",
    )

    dossier = Dossier.objects.filter(review=review, reissued=True).get()
    assert dossier.status == "ready" and dossier.signed
    assert hashlib.sha256(target.read_bytes()).hexdigest() == dossier.sha256
    actions = list(
        AuditEvent.objects.filter(object_id=str(dossier.pk), action__startswith="dossier.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["dossier.requested", "dossier.generated", "dossier.reissued"]
    reissued = AuditEvent.objects.get(action="dossier.reissued")
    assert reissued.actor == legal and reissued.data["reason"] == "The regulator asked for a fresh copy"
    assert reissued.data["signer_fingerprint"] == dossier.signer_fingerprint
    assert f"re-issued as dossier #{dossier.pk}" in capsys.readouterr().out


def test_a_reissue_needs_legal_and_a_reason(requester, legal, security, signing, tmp_path):
    review = approved_review(requester, legal=legal, security=security)
    rows = Dossier.objects.count()

    with pytest.raises(CommandError, match="--reason"):
        call_command(
            "dossier", review.number, "-o", str(tmp_path / "x.pdf"), "--reissue", "--by", legal.username
        )
    with pytest.raises(CommandError, match="Only Legal"):
        call_command(
            "dossier",
            review.number,
            "-o",
            str(tmp_path / "x.pdf"),
            "--reissue",
            "--by",
            requester.username,
            "--reason",
            "why not",
        )
    assert Dossier.objects.count() == rows and not (tmp_path / "x.pdf").exists()


def test_it_accepts_the_review_number(requester, legal, security, tmp_path, monkeypatch):
    from reviews.management.commands import dossier as command

    review = approved_review(requester, legal=legal, security=security)
    monkeypatch.setattr(
        command, "dossier_render", lambda r, **kwargs: ("x.pdf", b"%PDF-1.7 " + r.number.encode())
    )

    call_command("dossier", review.number, "-o", str(tmp_path / "out.pdf"))

    assert (tmp_path / "out.pdf").read_bytes().endswith(review.number.encode())


def test_an_unknown_review_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No review '999'"):
        call_command("dossier", "999", "-o", str(tmp_path / "out.pdf"))
    assert not (tmp_path / "out.pdf").exists()


def test_an_unapproved_review_is_a_clear_error(requester, legal, security, tmp_path):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(CommandError, match="not approved"):
        call_command("dossier", str(review.pk), "-o", str(tmp_path / "out.pdf"))
    assert not (tmp_path / "out.pdf").exists()
