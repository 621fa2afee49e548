"""Serving the dossier: only to those who may read the review, as an attachment; Legal regenerates."""

import hashlib

import pytest
from django.urls import reverse

from reviews.dossier import render as renderer
from reviews.dossier.tasks import dossier_generate
from reviews.models import Dossier, DossierStatus
from tests.builders import approved_review
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% stand-in dossier\n%%EOF\n"


@pytest.fixture
def ready(requester, legal, security, monkeypatch):
    """An approved review with a ready dossier (the renderer stubbed: these tests are about serving it)."""
    review = approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)
    monkeypatch.setattr(
        renderer,
        "dossier_render",
        lambda review, **kw: (f"{review.number}-dossier-{kw['dossier'].pk}.pdf", FAKE_PDF),
    )
    dossier_generate.delay(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
    return review, dossier


def _download_url(review, dossier):
    return reverse("dossier_download", args=[review.pk, dossier.pk])


def _login(client, user):
    # Through the sign-in page: sign-in throttling (django-axes) needs the request a real sign-in has.
    assert (
        client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize("persona", ["requester", "legal", "security", "auditor"])
def test_those_who_may_read_the_review_download_it_as_an_attachment(client, ready, persona, request):
    review, dossier = ready
    _login(client, request.getfixturevalue(persona))

    response = client.get(_download_url(review, dossier))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == dossier.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{review.number}-dossier-{dossier.pk}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", ["other_requester", "outsider"])
def test_others_get_404(client, ready, persona, request):
    review, dossier = ready
    _login(client, request.getfixturevalue(persona))

    assert client.get(_download_url(review, dossier)).status_code == 404
    assert client.get(reverse("dossier_list", args=[review.pk])).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, ready):
    review, dossier = ready

    response = client.get(_download_url(review, dossier))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_dossier_not_ready_cannot_be_downloaded(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    queued = Dossier.objects.get(review=review)
    _login(client, legal)

    assert client.get(_download_url(review, queued)).status_code == 404


def test_a_dossier_is_served_only_under_its_own_review(client, ready, requester, legal, security):
    _review, dossier = ready
    other = approved_review(requester, legal=legal, security=security)
    _login(client, legal)

    assert client.get(reverse("dossier_download", args=[other.pk, dossier.pk])).status_code == 404


def test_the_panel_shows_hash_size_and_download_and_legal_gets_the_regenerate_button(client, ready, legal):
    review, dossier = ready
    _login(client, legal)

    page = client.get(reverse("dossier_list", args=[review.pk])).content.decode()

    assert dossier.sha256 in page
    assert str(dossier.size) in page
    assert _download_url(review, dossier) in page
    assert reverse("dossier_regenerate", args=[review.pk]) in page


@pytest.mark.parametrize("persona", ["requester", "auditor", "security"])
def test_the_panel_offers_no_regenerate_button_to_others(client, ready, persona, request):
    review, dossier = ready
    _login(client, request.getfixturevalue(persona))

    page = client.get(reverse("dossier_list", args=[review.pk])).content.decode()

    assert dossier.sha256 in page
    assert reverse("dossier_regenerate", args=[review.pk]) not in page


def test_the_panel_shows_a_failed_generation_with_its_reason(client, requester, legal, security, monkeypatch):
    review = approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)

    def broken(*args, **kwargs):
        raise ValueError("font cache unreadable")

    monkeypatch.setattr(renderer, "dossier_render", broken)
    with pytest.raises(ValueError):
        dossier_generate.delay(dossier.pk)
    _login(client, legal)

    page = client.get(reverse("dossier_list", args=[review.pk])).content.decode()

    assert 'data-dossier-status="failed"' in page
    assert "ValueError: font cache unreadable" in page


def test_legal_regenerates_from_the_panel(client, ready, legal, django_capture_on_commit_callbacks):
    review, dossier = ready
    _login(client, legal)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dossier_regenerate", args=[review.pk]), {"next": f"/reviews/{review.pk}/dossier/"}
        )

    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.pk}/dossier/"
    latest = Dossier.objects.filter(review=review).first()
    assert latest.pk != dossier.pk and latest.status == DossierStatus.READY


def test_regenerate_by_a_requester_is_refused_with_a_message(client, ready, requester):
    review, _ = ready
    _login(client, requester)

    response = client.post(reverse("dossier_regenerate", args=[review.pk]), follow=True)

    assert Dossier.objects.filter(review=review).count() == 1
    assert "Only Legal can regenerate" in response.content.decode()


def test_regenerate_ignores_a_foreign_next_url(client, ready, legal):
    review, _ = ready
    _login(client, legal)

    response = client.post(reverse("dossier_regenerate", args=[review.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("dossier_list", args=[review.pk])


def test_regenerate_needs_post_and_read_access(client, ready, outsider):
    review, _ = ready
    _login(client, outsider)

    assert client.post(reverse("dossier_regenerate", args=[review.pk])).status_code == 404
    assert client.get(reverse("dossier_regenerate", args=[review.pk])).status_code == 405


def test_the_dossier_list_runs_a_fixed_number_of_queries(
    client, ready, legal, django_assert_max_num_queries, monkeypatch
):
    review, _ = ready
    monkeypatch.setattr(
        renderer, "dossier_render", lambda review, **kw: (f"{review.number}-{kw['dossier'].pk}.pdf", FAKE_PDF)
    )
    for _ in range(3):
        dossier = Dossier.objects.create(review=review, requested_by=legal)
        dossier_generate.delay(dossier.pk)
    _login(client, legal)

    with django_assert_max_num_queries(12):
        assert client.get(reverse("dossier_list", args=[review.pk])).status_code == 200
