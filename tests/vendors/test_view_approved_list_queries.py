"""/vendors/ reads a page, never the whole register: the same number of queries at 10 and at 200 vendors, for
each tab, the search, the filters, each sort and the last page, and for the JSON answer of the API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db
URL = reverse("vendors:approved")
API = reverse("vendors:approved_api")
LAST = "999"  # past the end: the paginator serves the last page

# (parameters, queries): session, user, groups, the count and the page of the tab shown, and on the approved
# tab the count of the other one; the in-use page joins the business owner.
PAGES = [
    ({}, 6),
    ({"page": LAST}, 6),
    ({"q": "数智"}, 6),
    ({"q": "数智", "page": LAST}, 6),
    ({"q": "91310000"}, 6),
    ({"category": "scrm_saas"}, 6),
    ({"tier": "high"}, 6),
    ({"sort": "approved_until"}, 6),
    ({"sort": "-approved_until", "page": LAST}, 6),
    ({"sort": "cert_expiry"}, 6),
    ({"sort": "cert_expiry", "page": LAST}, 6),
    ({"category": "scrm_saas", "tier": "low", "sort": "-approved_until", "page": LAST}, 6),
    ({"list": "in_use"}, 5),
    ({"list": "in_use", "page": LAST}, 5),
    ({"list": "in_use", "q": "数智", "page": LAST}, 5),
    ({"list": "in_use", "category": "scrm_saas"}, 5),
]


def _add(count, owner, legal, start):
    today = timezone.localdate()
    for n in range(start, start + count):
        approved_vendor(actor=legal, tier=("low", "high")[n % 2], days=30 + n)
        VendorFactory(
            status=VendorStatus.IN_USE,
            business_owner=owner,
            catch_up_due=today + timedelta(days=n % 40 - 20) if n % 3 else None,
        )
    for vendor in VendorFactory.create_batch(count // 10, status=VendorStatus.REJECTED, stop_using=True):
        assert vendor.stop_using


def _queries(client):
    counted = {}
    for params, _expected in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params)
        assert response.status_code == 200
        counted[str(params)] = (len(queries), len(response.context["page"].object_list))
    code = (
        Vendor.objects.filter(status=VendorStatus.APPROVED).order_by("pk").values_list("uscc", flat=True)[0]
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, {"uscc": code}).json()["usable"] is True
    counted["api"] = (len(queries), None)
    return counted


def test_every_view_of_the_list_costs_the_same_queries_at_10_and_200_vendors(client, requester, legal):
    client.force_login(requester)
    _add(10, requester, legal, 0)
    at_10 = _queries(client)
    _add(190, requester, legal, 10)
    at_200 = _queries(client)

    for params, expected in PAGES:
        assert at_10[str(params)][0] == at_200[str(params)][0] == expected, params
        assert at_200[str(params)][1] > 0, params  # a page with rows, not an empty answer
    assert at_10["api"][0] == at_200["api"][0] == 3  # session, user, the vendor
    assert at_200[str({"page": LAST})][1] == 200 - 7 * 25  # the last page of 200
