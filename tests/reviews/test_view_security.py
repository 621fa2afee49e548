from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import StageKind
from tests.builders import pass_stage, start_review
from tests.factories import pdf_upload
from vendors.models import Certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(requester, legal, security):
    review = start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        pass_stage(review, kind, requester, legal=legal, security=security)
    return review


def _url(review):
    return reverse("security", args=[review.pk])


def _cert(**overrides):
    today = timezone.localdate()
    data = {"kind": "iso27001", "number": "ISMS-1", "issuer": "CQC", "scope": "SCRM SaaS",
            "issued_on": "2024-03-01", "expires_on": (today + timedelta(days=400)).isoformat(),
            "file": pdf_upload("iso.pdf")}
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client, review):
    assert client.get(_url(review)).status_code == 302


def test_other_requester_gets_404(client, review, other_requester):
    client.force_login(other_requester)
    assert client.post(_url(review), _cert()).status_code == 404
    assert not Certification.objects.exists()


def test_owner_adds_a_certificate(client, review, requester):
    client.force_login(requester)
    response = client.post(_url(review), _cert(), follow=True)
    assert "Certificate ISO/IEC 27001:2022 ISMS-1 added." in response.content.decode()
    assert Certification.objects.get().stages.get().review == review


@pytest.mark.parametrize(("dates", "message"), [
    ({"expires_on": "2024-02-01"}, "The expiry date must be after the issue date."),
    ({"issued_on": "2023-01-01", "expires_on": "2024-01-01"}, "This certificate expired on 2024-01-01"),
    ({"expires_on": ""}, "Give the expiry date; only an MLPS filing certificate has none."),
    ({"issued_on": "2021-06-01"}, "Issued before ISO/IEC 27001:2022 was published"),
])
def test_date_checks_refuse_and_keep_the_input(client, review, requester, dates, message):
    client.force_login(requester)
    response = client.post(_url(review), _cert(**dates))
    assert message in response.content.decode()
    assert response.context["form"]["number"].value() == "ISMS-1"
    assert not Certification.objects.exists()


def test_mlps_filing_needs_no_expiry(client, review, requester):
    client.force_login(requester)
    client.post(_url(review), _cert(kind="mlps_filing", expires_on=""))
    assert Certification.objects.get().expires_on is None


def test_expiry_within_the_warning_window_is_warned(client, review, requester, settings):
    soon = timezone.localdate() + timedelta(days=settings.VETTED_CERT_EXPIRY_WARNING_DAYS - 5)
    client.force_login(requester)
    response = client.post(_url(review), _cert(expires_on=soon.isoformat()), follow=True)
    assert f"expires in {settings.VETTED_CERT_EXPIRY_WARNING_DAYS - 5} days" in response.content.decode()
    assert Certification.objects.exists()


def test_reviewer_cannot_add(client, review, security):
    client.force_login(security)
    response = client.post(_url(review), _cert(), follow=True)
    assert "Only the requester can add documents" in response.content.decode()
    assert not Certification.objects.exists()


def test_owner_withdraws_a_certificate(client, review, requester):
    client.force_login(requester)
    client.post(_url(review), _cert())
    cert = Certification.objects.get()
    client.post(reverse("certificate_withdraw", args=[review.pk, cert.pk]))
    cert.refresh_from_db()
    assert cert.withdrawn_at is not None


def test_refused_certificate_file_keeps_the_input_and_stores_nothing(client, review, requester, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = sorted(settings.PRIVATE_MEDIA_ROOT.rglob("*"))
    client.force_login(requester)
    response = client.post(_url(review), _cert(file=SimpleUploadedFile("iso.pdf", b"MZ\x90\x00 program")))
    assert "Programs and scripts are not accepted." in response.content.decode()
    assert response.context["form"]["issuer"].value() == "CQC"
    # The browser cannot keep the chosen file across the reload: the page says to choose it again.
    assert 'id="file-again"' in response.content.decode()
    assert not Certification.objects.exists()
    assert sorted(settings.PRIVATE_MEDIA_ROOT.rglob("*")) == before
