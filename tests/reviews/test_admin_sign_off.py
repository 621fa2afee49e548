"""The legal sign-off view of the admin: summary, form, and reviews.workflow.review_sign_off behind it."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reviews.models import AuditEvent, Dossier, ReviewState, SignOff, StageKind, StageState
from reviews.scope_proposal import scope_proposed
from reviews.submission import sign_off_validity_cap
from tests.builders import review_ready_for_sign_off, scope_form_data, stage_of
from tests.factories import PASSWORD, make_user
from vendors.models import VendorStatus
from vendors.selectors import approved_vendors

pytestmark = pytest.mark.django_db

STATEMENT = "经审查，准予入库。/ Admitted after review."


@pytest.fixture
def requester_legal(db):
    """A Legal member who also requests vendors: the segregation-of-duties case (I4)."""
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


@pytest.fixture
def ready(requester, legal, security):
    return review_ready_for_sign_off(requester, legal=legal, security=security)


def url_of(review) -> str:
    return reverse("admin:reviews_review_sign_off", args=[review.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def sign(client, review, **overrides):
    data = {
        "statement": STATEMENT,
        "conditions": "quarterly consent-log samples",
        "valid_until": sign_off_validity_cap(review, today=timezone.localdate()).date.isoformat(),
        "password": PASSWORD,
        **scope_form_data(scope_proposed(review)),
    }
    data.update(overrides)
    return client.post(url_of(review), data)


def test_the_sign_off_page_summarises_the_file_and_explains_the_validity_cap(client, legal, ready):
    client.force_login(legal)

    response = client.get(url_of(ready))

    assert response.status_code == 200
    html = response.content.decode()
    cap = sign_off_validity_cap(ready, today=timezone.localdate())
    assert response.context["form"].fields["valid_until"].initial == cap.proposed
    assert f"At most {cap.date.isoformat()}" in html
    assert ready.vendor.uscc in html
    assert "ISMS-2024-0815" in html  # the certificate of the security stage
    assert 'type="password"' in html


def test_the_validity_is_capped_at_the_earliest_certificate_expiry(client, requester, legal, security):
    expiry = timezone.localdate() + timedelta(days=90)
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    stage_of(review, StageKind.SECURITY).certifications.update(expires_on=expiry)
    client.force_login(legal)

    response = client.get(url_of(review))
    too_long = sign(client, review, valid_until=(expiry + timedelta(days=1)).isoformat())

    assert response.context["form"].fields["valid_until"].initial == expiry
    assert f"ISMS-2024-0815 lapses on {expiry.isoformat()}" in response.content.decode()
    assert too_long.status_code == 200 and "at the latest" in too_long.content.decode()
    assert not SignOff.objects.exists()


def test_legal_signs_off_and_the_vendor_is_admitted_with_a_dossier_queued(client, legal, ready):
    client.force_login(legal)

    response = sign(client, ready)

    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.state == ReviewState.APPROVED
    assert stage_of(ready, StageKind.SIGN_OFF).state == StageState.PASSED
    assert ready.vendor in approved_vendors()
    assert ready.vendor.status == VendorStatus.APPROVED
    assert Dossier.objects.filter(review=ready).exists()
    assert SignOff.objects.get(review=ready).conditions == "quarterly consent-log samples"
    assert any("Signed off as" in m for m in messages_of(response))


def test_a_wrong_password_signs_nothing_and_is_audited(client, legal, ready):
    client.force_login(legal)

    response = sign(client, ready, password="not my password")

    assert response.status_code == 200
    # Beside the password field, not at the top of the page.
    assert "password is not correct" in " ".join(response.context["form"].errors["password"])
    assert 'id="id_password_error"' in response.content.decode()
    assert not any("password" in m for m in messages_of(response))
    ready.refresh_from_db()
    assert ready.state == ReviewState.IN_PROGRESS and not SignOff.objects.exists()
    assert ready.vendor not in approved_vendors()
    assert AuditEvent.objects.filter(review=ready, action="signoff.refused", actor=legal).exists()
    assert PASSWORD not in response.content.decode()


def test_a_legal_requester_cannot_sign_off_their_own_request(client, requester_legal, legal, security):
    review = review_ready_for_sign_off(requester_legal, legal=legal, security=security)
    client.force_login(requester_legal)

    page = client.get(url_of(review))
    forced = sign(client, review)

    assert page.status_code == 302 and any("segregation of duties" in m for m in messages_of(page))
    assert forced.status_code == 200 and any("segregation of duties" in m for m in messages_of(forced))
    assert not SignOff.objects.exists()
    assert review.vendor not in approved_vendors()
    assert AuditEvent.objects.filter(review=review, action="signoff.refused", actor=requester_legal).exists()


def test_security_cannot_sign_off(client, security, ready):
    client.force_login(security)

    forced = sign(client, ready)

    assert any("Only Legal decides" in m for m in forced.context["form"].non_field_errors())
    assert not SignOff.objects.exists()


def test_a_missing_statement_is_refused(client, legal, ready):
    client.force_login(legal)

    response = sign(client, ready, statement="")

    assert response.status_code == 200 and response.context["form"].errors["statement"]
    assert not SignOff.objects.exists()


def test_legal_fails_the_sign_off_with_a_reason(client, legal, ready):
    stage = stage_of(ready, StageKind.SIGN_OFF)
    client.force_login(legal)

    response = client.post(
        reverse("admin:reviews_review_decide", args=[ready.pk, stage.pk, "fail"]),
        {"comment": "The PIPIA does not cover the SMS channel."},
    )

    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.state == ReviewState.REJECTED
    assert stage_of(ready, StageKind.SIGN_OFF).state == StageState.FAILED
    assert ready.vendor.status == VendorStatus.REJECTED


def test_failing_the_sign_off_without_a_reason_is_refused(client, legal, ready):
    stage = stage_of(ready, StageKind.SIGN_OFF)
    client.force_login(legal)

    response = client.post(
        reverse("admin:reviews_review_decide", args=[ready.pk, stage.pk, "fail"]), {"comment": ""}
    )

    ready.refresh_from_db()
    assert ready.state == ReviewState.IN_PROGRESS
    assert any("reason" in m for m in messages_of(response))


def test_a_signed_review_cannot_be_signed_again(client, legal, other_legal, ready):
    client.force_login(legal)
    sign(client, ready)
    client.force_login(other_legal)

    page = client.get(url_of(ready))
    forced = sign(client, ready)

    assert page.status_code == 302
    assert SignOff.objects.filter(review=ready).count() == 1
    assert any("already decided" in m for m in forced.context["form"].non_field_errors())
