"""The embedded default (`make run`, no broker) renders the dossier behind the sign-off, in a background
thread of the web process (reviews/queue.py, VETTED_TASKS_IN_THREADS): the sign-off answers at once, its
message says where the dossier stands, and the pages show the dossier's progress until it is ready."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reviews.admin.sign_off import dossier_sentence
from reviews.dossier import render as dossier_render
from reviews.models import Dossier, DossierStatus, ReviewState
from reviews.queue import background_tasks_wait
from reviews.scope_proposal import scope_proposed
from reviews.submission import sign_off_validity_cap
from tests.builders import review_ready_for_sign_off, scope_form_data
from tests.factories import PASSWORD


def sign(client, review):
    return client.post(
        reverse("admin:reviews_review_sign_off", args=[review.pk]),
        {
            "statement": "经审查，准予入库。/ Admitted after review.",
            "conditions": "",
            "valid_until": sign_off_validity_cap(review, today=timezone.localdate()).date.isoformat(),
            "password": PASSWORD,
            **scope_form_data(scope_proposed(review)),
        },
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db(transaction=True)
def test_the_sign_off_answers_before_the_dossier_is_rendered_and_the_page_follows_it(
    client, requester, legal, security, settings, monkeypatch
):
    settings.VETTED_TASKS_IN_THREADS = True
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    started, release = threading.Event(), threading.Event()
    render = dossier_render.dossier_render

    def held_render(*args, **kwargs):
        started.set()
        assert release.wait(120), "the test never released the render"
        return render(*args, **kwargs)

    monkeypatch.setattr(dossier_render, "dossier_render", held_render)
    client.force_login(legal)

    response = sign(client, review)

    # The sign-off is done and answered while the dossier is still being rendered behind it.
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.APPROVED
    assert started.wait(60), "the dossier was never started in the background"
    dossier = Dossier.objects.get(review=review)
    assert dossier.status == DossierStatus.RUNNING
    [message] = messages_of(response)
    assert "being generated; the review page shows its progress" in message
    admin_page = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert 'id="dossier-generations" data-live-status' in admin_page and "live-status.js" in admin_page
    client.force_login(requester)
    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert "data-live-status" in page and "being generated now" in page

    release.set()
    assert background_tasks_wait(timeout=120)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert "data-live-status" not in page and "live-status.js" not in page
    assert reverse("dossier_download", args=[review.pk, dossier.pk]) in page


@pytest.mark.django_db(transaction=True)  # committed as in a real request: the render runs at the commit
def test_rendered_inline_the_message_says_the_dossier_is_ready(client, requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    client.force_login(legal)

    [message] = messages_of(sign(client, review))

    assert Dossier.objects.get(review=review).status == DossierStatus.READY
    assert "The approval dossier is ready to download." in message
    assert "being generated" not in message


@pytest.mark.django_db
def test_a_failed_render_is_said_so(requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    Dossier.objects.create(review=review, status=DossierStatus.FAILED, error="OSError: disk full")

    assert dossier_sentence(review) == (
        "Generating the approval dossier failed; the review page gives the reason."
    )
