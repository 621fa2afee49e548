"""No copy of a page or an API answer is kept by a browser or a proxy (config/cache_control.py): Cache-Control:
no-store on every page a signed-in user gets, the admin and downloads included, on every answer of the API,
refusals included, and on the vendor contact's pages opened by a link."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reviews.api_keys import api_key_create
from tests.builders import invite_contact, start_review
from tests.factories import HUAWEI_USCC

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "persona, url",
    [
        ("requester", reverse("dashboard")),
        ("requester", reverse("vendors:approved")),
        ("requester", reverse("vendors:approved_csv")),
        ("legal", reverse("admin:index")),
        ("legal", reverse("admin:vendors_vendor_changelist")),
        ("auditor", reverse("admin:reviews_auditevent_changelist")),
    ],
)
def test_signed_in_pages_are_not_stored(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url)

    assert response.status_code == 200
    assert no_store(response)


def test_an_api_answer_is_not_stored_and_neither_is_a_refusal(legal):
    _key, token = api_key_create(actor=legal, name="CDP")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    answer = client.get(reverse("api:vendor", args=[HUAWEI_USCC]))
    refusal = APIClient().get(reverse("api:vendors"))

    assert answer.status_code in (200, 404) and refusal.status_code == 401
    assert no_store(answer) and no_store(refusal)


def test_the_vendor_contacts_page_opened_by_a_link_is_not_stored(client, requester):
    _link, token = invite_contact(start_review(requester), requester)

    response = client.get(reverse("contact_home", args=[token]))

    assert response.status_code == 200
    assert no_store(response)
