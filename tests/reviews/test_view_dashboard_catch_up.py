"""The dashboard tells a business owner of the catch-up reviews they own and their deadline, and the owner
and Legal of the platforms to stop using."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reviews import workflow
from tests.builders import today
from tests.factories import VendorFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")


def test_the_owner_sees_the_catch_up_review_and_its_deadline(client, requester, legal):
    vendor = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester, name_zh="云触达短信")
    review = workflow.review_open_catch_up(
        vendor=vendor, requester=requester, due=today() + timedelta(days=90), actor=legal
    )
    client.force_login(requester)

    response = client.get(URL)

    assert response.context["catch_up_reviews"].items == [review]
    html = response.content.decode()
    assert 'id="catch-up-reviews"' in html and (today() + timedelta(days=90)).isoformat() in html


def test_another_requester_does_not_see_it(client, requester, other_requester, legal):
    vendor = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester)
    workflow.review_open_catch_up(
        vendor=vendor, requester=requester, due=today() + timedelta(days=9), actor=legal
    )
    client.force_login(other_requester)

    assert client.get(URL).context["catch_up_reviews"].items == []


def test_owner_and_legal_see_the_platforms_to_stop_using(client, requester, other_requester, legal):
    mine = VendorFactory(status=VendorStatus.REJECTED, stop_using=True, business_owner=requester)
    theirs = VendorFactory(status=VendorStatus.REJECTED, stop_using=True, business_owner=other_requester)

    client.force_login(requester)
    assert client.get(URL).context["stop_using"].items == [mine]
    client.force_login(legal)
    response = client.get(URL)
    assert set(response.context["stop_using"]) == {mine, theirs}
    assert 'id="stop-using"' in response.content.decode()
