import pytest
from django.urls import reverse

from reviews.evidence import certificate_add, evidence_add
from reviews.models import StageKind
from tests.builders import pass_stage, stage_of, start_review
from tests.factories import cert_fields, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(requester):
    review = start_review(requester)
    evidence, _ = evidence_add(
        stage=stage_of(review, StageKind.QUESTIONNAIRE),
        actor=requester,
        kind="other",
        upload=pdf_upload("报告 report.pdf", "secret"),
    )
    return evidence


def _url(evidence):
    return reverse("evidence_download", args=[evidence.review_id, evidence.pk])


def test_anonymous_is_sent_to_login(client, evidence):
    assert client.get(_url(evidence)).status_code == 302


def test_owner_gets_the_file_as_an_attachment_with_nosniff(client, evidence, requester):
    client.force_login(requester)
    response = client.get(_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("secret")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_reviewer_and_auditor_may_read(client, evidence, legal, auditor):
    for reader in (legal, auditor):
        client.force_login(reader)
        assert client.get(_url(evidence)).status_code == 200


def test_other_requester_gets_404(client, evidence, other_requester):
    client.force_login(other_requester)
    assert client.get(_url(evidence)).status_code == 404


def test_evidence_of_another_review_is_not_served_through_mine(client, evidence, other_requester):
    mine = start_review(other_requester)
    client.force_login(other_requester)
    assert client.get(reverse("evidence_download", args=[mine.pk, evidence.pk])).status_code == 404


def test_certificate_is_served_only_to_readers_of_its_review(
    client, requester, other_requester, legal, security
):
    review = start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        pass_stage(review, kind, requester, legal=legal, security=security)
    cert = certificate_add(
        stage=stage_of(review, StageKind.SECURITY),
        actor=requester,
        upload=pdf_upload("iso.pdf", "cert"),
        **cert_fields(),
    )
    url = reverse("certificate_download", args=[review.pk, cert.pk])
    client.force_login(requester)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_requester)
    assert client.get(url).status_code == 404
