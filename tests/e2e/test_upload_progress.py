"""A form that sends files says how much is being uploaded until the next page arrives, and a second click
while it is on its way does not upload everything twice (static/js/upload-progress.js)."""

import pytest
from playwright.sync_api import expect

from reviews.models import Evidence, EvidenceKind, StageKind
from tests.builders import pass_stage, start_review
from tests.e2e.conftest import login
from tests.factories import make_user, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBMIT_TWICE = """() => {
    const form = document.querySelector("#kind-processing_agreement form");
    const prevented = [];  // registered after the page's own handler, so it sees what that decided
    document.addEventListener("submit", (event) => prevented.push(event.defaultPrevented));
    form.requestSubmit();
    form.requestSubmit();  // an impatient second click
    const panels = form.querySelectorAll(".upload-progress");
    return {prevented, panels: panels.length, text: panels[0].textContent.trim()};
}"""


def test_an_upload_shows_its_progress_and_is_sent_once(live_server, page, base_data):
    requester = make_user("cmo", "Requester")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    login(page, live_server.url, "cmo")
    page.goto(f"{live_server.url}/reviews/{review.pk}/data-source/")
    page.locator("#kind-processing_agreement input[type=file]").set_input_files(
        [
            {
                "name": "dpa.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes("processing agreement " * 2000),
            }
        ]
    )

    shown = page.evaluate(SUBMIT_TWICE)

    assert shown["text"].startswith("Uploading 1 file(s), 0.") and "keep this page open" in shown["text"]
    assert (shown["prevented"], shown["panels"]) == ([False, True], 1)
    expect(page.locator("#kind-processing_agreement .evidence-item")).to_contain_text("dpa.pdf")
    assert Evidence.objects.filter(review=review, kind=EvidenceKind.PROCESSING_AGREEMENT).count() == 1
    expect(page.locator(".upload-progress")).to_have_count(0)
