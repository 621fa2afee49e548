"""The signature status of each dossier, where people look for it: the review's dossier page, the dossier
panel of the review and the reviewers' admin page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.dossier import render as renderer
from reviews.dossier.tasks import dossier_generate
from reviews.models import Dossier, DossierStatus
from tests.builders import approved_review

pytestmark = pytest.mark.django_db

SIGNER = "Organization: ACME 市场部, Common Name: Vendor approvals"


@pytest.fixture
def ready(requester, legal, security, monkeypatch):
    """An approved review with a ready dossier (the renderer stubbed: these tests are about the pages)."""
    review = approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)
    monkeypatch.setattr(
        renderer,
        "dossier_render",
        lambda review, **kw: (f"{review.number}-dossier-{kw['dossier'].pk}.pdf", b"%PDF-1.7\n"),
    )
    dossier_generate.delay(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
    return review, dossier


def _signed(dossier) -> None:
    signed_at = timezone.make_aware(dt.datetime(2026, 11, 30, 9, 15))
    Dossier.objects.filter(pk=dossier.pk).update(signed=True, signer=SIGNER, signed_at=signed_at)


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_requester_sees_who_signed_the_dossier_and_when(client, ready, requester):
    review, dossier = ready
    _signed(dossier)

    for url in (reverse("dossier_list", args=[review.pk]), reverse("review_detail", args=[review.pk])):
        html = _page(client, requester, url)
        assert 'data-dossier-signed="yes"' in html, url
        assert "ACME 市场部" in html and "2026-11-30 09:15" in html, url
        assert 'data-dossier-signed="no"' not in html, url


def test_an_unsigned_dossier_is_shown_as_unsigned(client, ready, requester):
    review, dossier = ready

    html = _page(client, requester, reverse("dossier_list", args=[review.pk]))

    assert Dossier.objects.get(pk=dossier.pk).signed is False
    assert 'data-dossier-signed="no"' in html and "Unsigned" in html
    assert 'data-dossier-signed="yes"' not in html


def test_the_admin_review_page_shows_the_signature(client, ready, legal):
    review, dossier = ready
    _signed(dossier)

    html = _page(client, legal, reverse("admin:reviews_review_change", args=[review.pk]))

    assert 'data-dossier-signed="yes"' in html and "ACME 市场部" in html
