"""The embedded default renders the dossier behind the sign-off (reviews/queue.py): the requester's review page,
open while it renders, shows its progress and turns into the download link by itself when it is ready
(static/js/live-status.js), without a reload. Real Chromium against the live server."""

import threading

import pytest
from playwright.sync_api import expect

from reviews import workflow
from reviews.dossier import render as dossier_render
from reviews.queue import background_tasks_wait
from tests.builders import review_ready_for_sign_off
from tests.e2e.conftest import login, shoot
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_review_page_follows_the_dossier_until_it_is_ready(
    live_server, page, base_data, settings, monkeypatch
):
    settings.VETTED_TASKS_IN_THREADS = True
    requester = make_user("cmo", "Requester")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    started, release = threading.Event(), threading.Event()
    render = dossier_render.dossier_render

    def held_render(*args, **kwargs):
        started.set()
        assert release.wait(120)
        return render(*args, **kwargs)

    monkeypatch.setattr(dossier_render, "dossier_render", held_render)
    workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="准予入库。")
    assert started.wait(60)

    login(page, live_server.url, "cmo")
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    panel = page.locator(".dossier-panel")
    expect(panel).to_contain_text("being generated now")
    expect(panel.locator("progress")).to_be_visible()
    shoot(page, "dossier-progress-01-generating")

    release.set()
    assert background_tasks_wait(timeout=120)
    # No reload: the panel replaces itself once the dossier is ready.
    expect(panel.get_by_role("link", name="Download the dossier")).to_be_visible(timeout=30_000)
    expect(panel.locator("progress")).to_have_count(0)
    shoot(page, "dossier-progress-02-ready")
