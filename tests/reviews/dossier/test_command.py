"""manage.py dossier: the same renderer, synchronously, to a file."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.builders import approved_review, review_ready_for_sign_off

pytestmark = pytest.mark.django_db


def test_it_writes_the_dossier_of_an_approved_review(requester, legal, security, tmp_path, capsys):
    review = approved_review(requester, legal=legal, security=security)
    target = tmp_path / "out.pdf"

    call_command("dossier", str(review.pk), "-o", str(target))

    data = target.read_bytes()
    assert review.sign_off.number in PdfReader(target).pages[0].extract_text()
    assert hashlib.sha256(data).hexdigest() in capsys.readouterr().out


def test_it_accepts_the_review_number(requester, legal, security, tmp_path, monkeypatch):
    from reviews.management.commands import dossier as command

    review = approved_review(requester, legal=legal, security=security)
    monkeypatch.setattr(command, "dossier_render", lambda r: ("x.pdf", b"%PDF-1.7 " + r.number.encode()))

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
