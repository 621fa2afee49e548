import pytest
from django.urls import reverse

from tests.factories import HUAWEI_USCC, VendorFactory
from tests.vendors.helpers import approved_vendor

pytestmark = pytest.mark.django_db
URL = reverse("vendors:approved_api")


def test_anonymous_gets_401_not_a_redirect(client):
    response = client.get(URL, {"uscc": HUAWEI_USCC})
    assert response.status_code == 401 and "error" in response.json()


def test_approved_vendor_is_usable(client, requester, legal):
    vendor = approved_vendor(actor=legal, uscc=HUAWEI_USCC)
    client.force_login(requester)
    answer = client.get(URL, {"uscc": HUAWEI_USCC.lower()}).json()
    assert answer["usable"] is True and answer["status"] == "approved"
    assert answer["approved_until"] == vendor.approved_until.isoformat()
    assert answer["reference"] == vendor.approval_reference


def test_candidate_is_known_but_not_usable(client, requester):
    VendorFactory(uscc=HUAWEI_USCC)
    client.force_login(requester)
    answer = client.get(URL, {"uscc": HUAWEI_USCC}).json()
    assert answer["known"] is True and answer["usable"] is False and answer["status"] == "candidate"
    assert answer["approved_until"] is None and answer["reference"] is None


def test_unknown_vendor_is_not_usable(client, requester):
    client.force_login(requester)
    answer = client.get(URL, {"uscc": HUAWEI_USCC}).json()
    assert answer == {
        "uscc": HUAWEI_USCC,
        "known": False,
        "usable": False,
        "status": None,
        "approved_until": None,
        "reference": None,
        "name": None,
        "checksum_ok": True,
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 18-character Unified Social Credit Code."),
        ("91440300192203821", "has 18 characters; this one has 17"),
        ("9144030019220382I6", "never occur"),
    ],
)
def test_malformed_code_gets_400_with_the_reason(client, requester, code, message):
    client.force_login(requester)
    response = client.get(URL, {"uscc": code})
    assert response.status_code == 400 and message in response.json()["error"]
