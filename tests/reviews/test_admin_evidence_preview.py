"""Evidence previewed inline on the review page: PDF, PNG and JPEG only, sandboxed and never sniffed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.evidence import evidence_add
from reviews.models import Evidence, EvidenceKind, StageKind
from tests.builders import stage_of, start_review
from tests.factories import docx_bytes, make_user, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(requester):
    return start_review(requester)


def preview_url(evidence) -> str:
    return reverse("admin:reviews_review_evidence_preview", args=[evidence.review_id, evidence.pk])


def test_a_pdf_is_served_inline_sandboxed_and_never_sniffed(client, legal, requester, review):
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    evidence, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("pipia.pdf")
    )
    client.force_login(legal)

    response = client.get(preview_url(evidence))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_a_docx_has_no_preview_only_a_download(client, legal, requester, review):
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    evidence, _ = evidence_add(
        stage=stage,
        actor=requester,
        kind=EvidenceKind.OTHER,
        upload=SimpleUploadedFile("policy.docx", docx_bytes()),
    )
    client.force_login(legal)

    assert client.get(preview_url(evidence)).status_code == 404
    page = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert preview_url(evidence) not in page
    assert reverse("admin:reviews_review_evidence_download", args=[review.pk, evidence.pk]) in page


def test_the_review_page_frames_a_pdf_preview(client, legal, requester, review):
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    evidence, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("pipia.pdf")
    )
    client.force_login(legal)

    page = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()

    assert f'<iframe src="{preview_url(evidence)}"' in page


def test_a_reader_without_a_role_gets_no_preview(client, requester, review):
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    evidence, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("pipia.pdf")
    )
    client.force_login(make_user("intern", is_staff=True))

    assert client.get(preview_url(evidence)).status_code in (403, 404)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
