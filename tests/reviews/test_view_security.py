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
    data = {
        "kind": "iso27001",
        "edition": "iso27001_2022",
        "number": "ISMS-1",
        "issuer": "CQC",
        "scope": "SCRM SaaS",
        "issued_on": (today - timedelta(days=100)).isoformat(),
        "expires_on": (today + timedelta(days=400)).isoformat(),
        "file": pdf_upload("iso.pdf"),
    }
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


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            {"issued_on": "2024-03-01", "expires_on": "2024-02-01"},
            "The expiry date must be after the issue date.",
        ),
        ({"issued_on": "2023-01-01", "expires_on": "2024-01-01"}, "lapsed on 2024-01-01"),
        ({"expires_on": ""}, "Give the expiry date printed on the certificate."),
        ({"edition": ""}, "Give the edition or level"),
        # The issue date does not tell the edition (transition audits certified to 2013 until 2024-04-30).
        (
            {"edition": "iso27001_2013", "issued_on": "2024-04-30", "expires_on": "2027-04-29"},
            "lapsed on 2025-10-31: certificates to ISO/IEC 27001:2013 are void after 2025-10-31",
        ),
    ],
)
def test_certificate_rules_refuse_at_upload_and_keep_the_input(client, review, requester, dates, message):
    client.force_login(requester)
    response = client.post(_url(review), _cert(**dates))
    assert message in response.content.decode()
    assert response.context["form"]["number"].value() == "ISMS-1"
    assert not Certification.objects.exists()


def test_mlps_filing_needs_no_expiry(client, review, requester):
    client.force_login(requester)
    client.post(_url(review), _cert(kind="mlps_filing", edition="mlps_l3", expires_on=""))
    assert Certification.objects.get().expires_on is None


def test_expiry_within_the_warning_window_is_warned(client, review, requester, settings):
    soon = timezone.localdate() + timedelta(days=settings.VETTED_CERT_EXPIRY_WARNING_DAYS - 5)
    client.force_login(requester)
    response = client.post(_url(review), _cert(expires_on=soon.isoformat()), follow=True)
    assert f"lapses on {soon.isoformat()}" in response.content.decode()
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


def test_a_certificate_given_with_d4_becomes_a_record_to_complete_not_a_second_upload(
    client, review, requester, settings
):
    from reviews.models import Evidence

    given = Evidence.objects.get(review=review, question__code="D4")
    client.force_login(requester)
    page = client.get(_url(review))
    forms = {e.pk: form for e, form in page.context["given"]}
    before = sorted(settings.PRIVATE_MEDIA_ROOT.rglob("*"))
    today = timezone.localdate()
    data = {"from_evidence": given.pk}
    data.update(
        {
            f"d4-{given.pk}-{name}": value
            for name, value in {
                "kind": "iso27001",
                "edition": "iso27001_2022",
                "number": "ISMS-D4",
                "issuer": "CQC",
                "scope": "SaaS",
                "issued_on": (today - timedelta(days=100)).isoformat(),
                "expires_on": (today + timedelta(days=400)).isoformat(),
            }.items()
        }
    )

    response = client.post(_url(review), data, follow=True)

    assert f"Given with answer D4: {given.original_name}" in page.content.decode()
    assert "file" not in forms[given.pk].fields
    cert = Certification.objects.get()
    assert (cert.number, cert.sha256, cert.file.name) == ("ISMS-D4", given.sha256, given.file.name)
    assert sorted(settings.PRIVATE_MEDIA_ROOT.rglob("*")) == before  # nothing stored twice
    # The file is now a certificate record; what remains offered is D3's MLPS paper.
    assert [e.question.code for e, _form in response.context["given"]] == ["D3"]


def test_the_mlps_paper_given_with_d3_is_offered_with_its_kind_and_level_and_d4_with_its_edition(
    client, review, requester
):
    from reviews.models import Answer

    Answer.objects.filter(review=review, question__code="D3").update(value="l3_filed")
    Answer.objects.filter(review=review, question__code="D4").update(value=["iso27001"])
    client.force_login(requester)

    page = client.get(_url(review))

    given = {e.question.code: form for e, form in page.context["given"]}
    assert set(given) == {"D3", "D4"}
    assert (given["D3"]["kind"].value(), given["D3"]["edition"].value()) == ("mlps_report", "mlps_l3")
    assert (given["D4"]["kind"].value(), given["D4"]["edition"].value()) == ("iso27001", "iso27001_2022")
    assert "Given with answer D3: " in page.content.decode()
