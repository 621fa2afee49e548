"""A key is not a session: no call with a key, whatever its endpoint, header or answer, stores a session
row or sets a session cookie (api/authentication.py). A marketing system calling every few seconds would
otherwise fill the session table."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import HUAWEI_USCC, VendorFactory

pytestmark = pytest.mark.django_db


def calls():
    return [
        (reverse("api:vendors"), {}),
        (reverse("api:vendor", args=[HUAWEI_USCC]), {}),
        (reverse("api:vendor", args=["91310000000000000X"]), {}),  # not known: 404
        (reverse("api:activity", args=["MA-2026-99999"]), {}),  # another scope: 403
        (reverse("api:use_check"), {"uscc": HUAWEI_USCC, "purpose": "sms_marketing"}),
    ]


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_API_KEY"])
def test_no_call_with_a_key_stores_a_session(token, header):
    VendorFactory(uscc=HUAWEI_USCC)
    client = APIClient()
    client.credentials(**{header: f"Bearer {token}" if header == "HTTP_AUTHORIZATION" else token})

    for url, query in calls() * 2:
        response = client.get(url, query)
        assert response.status_code < 500 and "sessionid" not in response.cookies, (url, response.status_code)

    assert Session.objects.count() == 0


def test_a_refused_key_stores_no_session_either():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-key")

    for url, query in calls():
        response = client.get(url, query)
        assert response.status_code in (401, 403) and "sessionid" not in response.cookies

    assert Session.objects.count() == 0
