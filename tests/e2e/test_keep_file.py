"""A chosen file is kept when the form comes back with an error in another field (static/js/keep-files.js):
the requester corrects the date and sends again without choosing the file a second time."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import StageKind
from tests.builders import pass_stage, start_review
from tests.e2e.conftest import login, shoot
from tests.factories import make_user, pdf_bytes
from vendors.models import Certification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_certificate_file_is_kept_after_a_date_error(live_server, page, base_data):
    requester = make_user("cmo", "Requester")
    legal = make_user("legal", "Legal", is_staff=True)
    security = make_user("security", "Security", is_staff=True)
    review = start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        pass_stage(review, kind, requester, legal=legal, security=security)
    today = timezone.localdate()
    login(page, live_server.url, "cmo")
    page.goto(f"{live_server.url}/reviews/{review.pk}/security/")

    form = page.locator("#certificate-form")
    form.locator("select[name=kind]").select_option("iso27001")
    form.locator("select[name=edition]").select_option("iso27001_2022")
    form.locator("input[name=number]").fill("ISMS-KEPT")
    form.locator("input[name=issuer]").fill("CQC")
    form.locator("textarea[name=scope]").fill("SCRM SaaS")
    form.locator("input[name=issued_on]").fill((today - timedelta(days=100)).isoformat())
    form.locator("input[name=expires_on]").fill((today - timedelta(days=200)).isoformat())  # before issue
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "iso27001-证书.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("iso")}]
    )
    form.locator("[type=submit]").click()

    expect(page.locator("#file-again")).to_contain_text("iso27001-证书.pdf")
    assert page.locator("#certificate-form input[name=file]").evaluate("(el) => el.files.length") == 1
    shoot(page, "keep-file-after-error")
    assert not Certification.objects.exists()

    page.locator("#certificate-form input[name=expires_on]").fill((today + timedelta(days=400)).isoformat())
    page.locator("#certificate-form [type=submit]").click()

    expect(page.locator("#file-again")).to_have_count(0)
    cert = Certification.objects.get()
    assert cert.number == "ISMS-KEPT" and cert.file.size == len(pdf_bytes("iso"))
