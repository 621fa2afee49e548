"""No dead end at the sign-off: when no approval can be signed (a certificate lapses today or earlier), the
page says why before Legal types anything and returns the security stage for a current certificate."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import AuditEvent, Decision, SignOff, StageKind, StageState
from tests.builders import review_ready_for_sign_off, stage_of
from vendors.models import Certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def lapsed(requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    # The certificate lapses today, after Security passed the stage.
    stage_of(review, StageKind.SECURITY).certifications.update(expires_on=timezone.localdate())
    return review


def test_the_sign_off_page_says_why_no_approval_can_be_signed(client, legal, lapsed):
    client.force_login(legal)

    html = client.get(reverse("admin:reviews_review_sign_off", args=[lapsed.pk])).content.decode()

    assert 'id="sign-off-impossible"' in html
    assert f"lapses on {timezone.localdate().isoformat()}" in html
    assert 'id="sign-off-form"' not in html  # nothing to type in vain
    assert reverse("admin:reviews_review_sign_off_return_security", args=[lapsed.pk]) in html


def test_legal_returns_the_security_stage_from_the_sign_off(client, legal, requester, lapsed):
    client.force_login(legal)

    response = client.post(
        reverse("admin:reviews_review_sign_off_return_security", args=[lapsed.pk]),
        {"comment": "Upload the renewed ISO/IEC 27001 certificate."},
    )

    assert response.status_code == 302
    security, sign_off = stage_of(lapsed, StageKind.SECURITY), stage_of(lapsed, StageKind.SIGN_OFF)
    assert (security.state, security.round) == (StageState.RETURNED, 2)
    assert (sign_off.state, sign_off.round) == (StageState.LOCKED, 2)
    assert Decision.objects.get(stage=sign_off).comment == "Upload the renewed ISO/IEC 27001 certificate."
    assert AuditEvent.objects.filter(review=lapsed, action="stage.returned", data__from="sign_off").exists()
    assert not SignOff.objects.exists()
    # The requester reads the comment on the security stage that reopened.
    client.force_login(requester)
    page = client.get(reverse("security", args=[lapsed.pk])).content.decode()
    assert "Upload the renewed ISO/IEC 27001 certificate." in page


def test_the_requester_cannot_return_the_security_stage_from_the_sign_off(client, requester, lapsed):
    client.force_login(requester)

    client.post(reverse("admin:reviews_review_sign_off_return_security", args=[lapsed.pk]), {"comment": "x"})

    assert stage_of(lapsed, StageKind.SECURITY).state == StageState.PASSED


def test_a_returned_security_stage_passes_again_and_reaches_the_sign_off(legal, requester, security, lapsed):
    from reviews import workflow
    from reviews.evidence import certificate_add, certificate_withdraw
    from tests.factories import cert_fields, pdf_upload

    workflow.sign_off_return_security(review=lapsed, actor=legal, comment="renewed certificate, please")
    stage = stage_of(lapsed, StageKind.SECURITY)
    certificate_withdraw(stage=stage, certification=Certification.objects.get(), actor=requester)
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("renewed.pdf", "renewed"),
        **cert_fields(number="ISMS-2027"),
    )
    workflow.stage_submit(stage=stage_of(lapsed, StageKind.SECURITY), actor=requester)
    workflow.stage_pass(stage=stage_of(lapsed, StageKind.SECURITY), actor=security)

    assert stage_of(lapsed, StageKind.SIGN_OFF).state == StageState.SUBMITTED
