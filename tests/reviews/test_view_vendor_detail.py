import pytest
from django.urls import reverse

from tests.builders import approved_review, start_review
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


def _url(vendor):
    return reverse("vendor_detail", args=[vendor.pk])


def test_anonymous_is_sent_to_login(client):
    assert client.get(_url(VendorFactory())).status_code == 302


def test_unknown_vendor_is_404(client, requester):
    client.force_login(requester)
    assert client.get(reverse("vendor_detail", args=[999999])).status_code == 404


def test_approved_vendor_shows_validity_and_the_owners_history(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    client.force_login(requester)
    response = client.get(_url(review.vendor))
    body = response.content.decode()
    assert response.context["usable"] is True
    assert review.sign_off.number in body and review.number in body
    assert "dossier-panel" in body


def test_other_requester_sees_the_vendor_but_not_foreign_reviews(client, requester, other_requester):
    review = start_review(requester)
    client.force_login(other_requester)
    response = client.get(_url(review.vendor))
    assert response.status_code == 200
    assert response.context["reviews"] == [] and review.number not in response.content.decode()
    assert "Not on the approved list" in response.content.decode()


def test_reviewer_sees_every_review_of_the_vendor(client, requester, legal):
    review = start_review(requester)
    client.force_login(legal)
    assert client.get(_url(review.vendor)).context["reviews"] == [review]
