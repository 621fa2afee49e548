"""The staff download of evidence and certificate files from the review page."""

import pytest
from django.urls import reverse

from reviews.models import Evidence, StageKind
from tests.builders import review_ready_for_sign_off, stage_of, start_review, submit_stage
from tests.factories import make_user, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(requester):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    return review


def download_url(review, evidence) -> str:
    return reverse("admin:reviews_review_evidence_download", args=[review.pk, evidence.pk])


def test_legal_downloads_evidence_as_an_attachment_that_is_never_sniffed(client, legal, review):
    evidence = Evidence.objects.filter(review=review).first()
    client.force_login(legal)

    response = client.get(download_url(review, evidence))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert evidence.original_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes(f"{review.number} {evidence.question.code}")


def test_an_auditor_downloads_evidence_too(client, auditor, review):
    evidence = Evidence.objects.filter(review=review).first()
    client.force_login(auditor)

    assert client.get(download_url(review, evidence)).status_code == 200


def test_a_staff_member_without_a_role_cannot_download(client, review):
    evidence = Evidence.objects.filter(review=review).first()
    client.force_login(make_user("intern", is_staff=True))

    assert client.get(download_url(review, evidence)).status_code in (403, 404)


def test_evidence_of_another_review_is_not_served_under_this_one(client, requester, legal, review):
    other = start_review(requester)
    submit_stage(other, StageKind.QUESTIONNAIRE, requester)
    foreign = Evidence.objects.filter(review=other).first()
    client.force_login(legal)

    assert client.get(download_url(review, foreign)).status_code == 404


def test_a_non_staff_requester_is_sent_to_the_admin_login(client, requester, review):
    evidence = Evidence.objects.filter(review=review).first()
    client.force_login(requester)

    response = client.get(download_url(review, evidence))

    assert response.status_code == 302 and "/admin/login/" in response.url


def test_legal_downloads_a_certificate_of_the_security_stage(client, requester, legal, security):
    ready = review_ready_for_sign_off(requester, legal=legal, security=security)
    cert = stage_of(ready, StageKind.SECURITY).certifications.get()
    client.force_login(legal)

    response = client.get(reverse("admin:reviews_review_certificate_download", args=[ready.pk, cert.pk]))

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
