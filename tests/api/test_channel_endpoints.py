"""The API answers for own channels by their reference; the vendor endpoints keep to vendors."""

import pytest
from django.urls import reverse

from tests import builders
from tests.builders import own_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(requester, legal, security):
    site = own_channel("website")
    builders.approved_review(requester, legal=legal, security=security, vendor=site)
    app = own_channel("app")
    return site, app


def test_a_channel_by_its_reference(api, channels):
    site, app = channels
    site.refresh_from_db()
    body = api.get(reverse("api:channel", args=[site.channel.reference])).json()
    assert body["reference"] == f"CH-{site.pk:05d}" and "uscc" not in body
    assert body["kind"] == "website" and body["icp_filing"] == "沪ICP备12345678号-1"
    assert body["usable"] is True and body["approval_reference"] == site.approval_reference
    assert body["scope"] is not None
    other = api.get(reverse("api:channel", args=[app.channel.reference])).json()
    assert other["usable"] is False and other["scope"] is None
    assert other["app_store_ids"] == ["id1234567890", "com.example.brand"]


@pytest.mark.parametrize("reference", ["CH-99999", "CH-1", "ch-00001", "ACT-2026-00001"])
def test_an_unknown_or_malformed_reference_is_404(api, channels, reference):
    response = api.get(reverse("api:channel", args=[reference]))
    assert response.status_code == 404 and response.json()["error"] == "channel_unknown"


def test_a_vendor_is_not_a_channel(api, requester):
    vendor = builders.start_review(requester).vendor
    assert api.get(reverse("api:channel", args=[f"CH-{vendor.pk:05d}"])).status_code == 404


def test_the_lists_keep_vendors_and_channels_apart(api, channels, requester, django_assert_num_queries):
    builders.start_review(requester)
    with django_assert_num_queries(4):
        listed = api.get(reverse("api:channels")).json()
    assert [row["reference"] for row in listed["results"]] == [c.channel.reference for c in channels]
    vendors = api.get(reverse("api:vendors")).json()["results"]
    assert len(vendors) == 1 and vendors[0]["uscc"]


def test_channels_need_a_key(client, channels):
    assert client.get(reverse("api:channels")).status_code == 401
