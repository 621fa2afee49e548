"""GET /api/v1/vendors/?uscc=... and /api/v1/vendors/<uscc>/, one test per answer the API can give."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reviews.api_keys import api_key_create, api_key_revoke
from reviews.errors import WorkflowError
from tests import builders
from tests.factories import HUAWEI_USCC, VendorFactory
from tests.vendors.helpers import CleanAdmission, approved_vendor
from vendors.models import Vendor, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
from vendors.services import vendor_admit, vendor_suspend

pytestmark = pytest.mark.django_db
LIST = reverse("api:vendors")


def detail(uscc):
    return reverse("api:vendor", args=[uscc])


def test_approved_vendor_is_usable_with_its_approval(api, requester, legal, security):
    review = builders.approved_review(
        requester, legal=legal, security=security, vendor=VendorFactory(uscc=HUAWEI_USCC)
    )
    response = api.get(detail(HUAWEI_USCC))
    assert response.status_code == 200
    body = response.json()
    assert body["usable"] is True and body["status"] == "approved"
    assert body["approved_until"] == review.sign_off.valid_until.isoformat()
    assert body["approval_reference"] == review.sign_off.number == review.vendor.approval_reference
    assert body["conditions"] == review.sign_off.conditions
    assert body["tier"] == review.vendor.risk_tier


def test_lookup_by_query_gives_the_same_answer_as_the_vendor_url(api, legal):
    approved_vendor(actor=legal, uscc=HUAWEI_USCC)
    listed = api.get(LIST, {"uscc": HUAWEI_USCC.lower()}).json()
    assert listed["count"] == 1
    assert listed["results"] == [api.get(detail(HUAWEI_USCC)).json()]


def test_a_usable_vendor_carries_its_scope_as_codes_and_labels(api, legal):
    scope = Scope.build(
        purposes=[Purpose.MEMBER_MARKETING],
        channels=[Channel.EDM],
        data_categories=[DataCategory.CONTACT],
        audience_sources=[AudienceSource.OWN_CONSENTED],
        ceiling=Ceiling.LT_100K,
        conditions=[ScopeCondition.NO_EXTERNAL_LISTS],
        other_conditions="仅限EDM渠道",
    )
    vendor = VendorFactory(uscc=HUAWEI_USCC)
    vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=builders.today(),
        reference="VD-TEST-1",
        risk_tier="low",
        actor=legal,
        scope=scope,
        scope_confirmed=False,
    )
    body = api.get(detail(HUAWEI_USCC)).json()
    assert body["scope_confirmed"] is False
    assert body["scope"] == {
        "purposes": [{"code": "member_marketing", "label": "Member marketing"}],
        "channels": [{"code": "edm", "label": "E-mail (EDM)"}],
        "data_categories": [{"code": "contact", "label": "Contact details"}],
        "audience_sources": [{"code": "own_consented", "label": "Own customers or members who consented"}],
        "cross_border": False,
        "ceiling": {"code": "lt100k", "label": "Fewer than 100,000 individuals"},
        "conditions": [
            {"code": "no_external_lists", "label": "No bought, rented or swapped lists (PIPL Art. 10)"}
        ],
        "other_conditions": "仅限EDM渠道",
    }
    assert api.get(LIST, {"uscc": HUAWEI_USCC}).json()["results"][0]["scope"] == body["scope"]


def test_a_vendor_not_usable_carries_no_scope(api, legal):
    vendor = approved_vendor(actor=legal, uscc=HUAWEI_USCC)
    Vendor.objects.filter(pk=vendor.pk).update(approved_until=builders.today() - timedelta(days=1))
    body = api.get(detail(HUAWEI_USCC)).json()
    assert body["scope"] is None and body["scope_confirmed"] is None


def test_candidate_is_known_but_not_usable(api):
    VendorFactory(uscc=HUAWEI_USCC)
    body = api.get(detail(HUAWEI_USCC)).json()
    assert body["status"] == "candidate" and body["usable"] is False
    assert (
        body["approved_until"] is None and body["approval_reference"] is None and body["conditions"] is None
    )


def test_platform_in_use_is_said_plainly_and_is_not_usable(api):
    """Issue 14: a platform the business already uses without a passed review is "in use, not vetted"."""
    VendorFactory(uscc=HUAWEI_USCC, status=VendorStatus.IN_USE, catch_up_due=builders.today())
    body = api.get(detail(HUAWEI_USCC)).json()
    assert body["status"] == "in_use" and body["status_label"] == "In use, not vetted"
    assert body["usable"] is False and body["approval_reference"] is None and body["stop_using"] is False
    assert body["catch_up_due"] == builders.today().isoformat()


def test_suspended_vendor_is_not_usable(api, legal):
    vendor = approved_vendor(actor=legal, uscc=HUAWEI_USCC)
    vendor_suspend(vendor=vendor, actor=legal, reason="证书过期 / certificate expired")
    body = api.get(detail(HUAWEI_USCC)).json()
    assert body["status"] == "suspended" and body["usable"] is False and body["approval_reference"] is None


def test_lapsed_approval_is_not_usable_before_the_hourly_task_runs(api, legal):
    """I1: the approved list drops a vendor the day after its approval ends, status or not."""
    vendor = approved_vendor(actor=legal, uscc=HUAWEI_USCC)
    # The approval ended yesterday and the lapse task has not run yet.
    Vendor.objects.filter(pk=vendor.pk).update(approved_until=builders.today() - timedelta(days=1))
    body = api.get(detail(HUAWEI_USCC)).json()
    assert body["status"] == "approved" and body["usable"] is False


def test_unknown_vendor_is_404_in_json(api):
    response = api.get(detail(HUAWEI_USCC))
    assert response.status_code == 404
    assert response.json()["error"] == "vendor_unknown"


def test_unknown_vendor_by_query_is_an_empty_list(api):
    response = api.get(LIST, {"uscc": HUAWEI_USCC})
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("code", ["91440300192203821", "91440300192203821I", "not-a-code"])
def test_malformed_credit_code_is_400(api, code):
    for response in (api.get(detail(code)), api.get(LIST, {"uscc": code})):
        assert response.status_code == 400
        assert response.json()["error"] == "uscc_invalid" and response.json()["detail"]


def test_no_key_is_401():
    response = APIClient().get(detail(HUAWEI_USCC))
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_key_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer vtd_" + "x" * 43)
    response = client.get(detail(HUAWEI_USCC))
    assert response.status_code == 401 and response.json()["error"] == "key_unknown"


def test_key_in_x_api_key_header_is_accepted(token):
    VendorFactory(uscc=HUAWEI_USCC)
    response = APIClient().get(detail(HUAWEI_USCC), HTTP_X_API_KEY=token)
    assert response.status_code == 200


def test_revoked_key_is_403_from_the_next_call(api, api_key, legal):
    VendorFactory(uscc=HUAWEI_USCC)
    assert api.get(detail(HUAWEI_USCC)).status_code == 200
    api_key_revoke(actor=legal, key=api_key)
    response = api.get(detail(HUAWEI_USCC))
    assert response.status_code == 403 and response.json()["error"] == "key_revoked"


def test_key_without_the_scope_is_403(legal):
    _key, token = api_key_create(actor=legal, name="Ad tool", scopes=[])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get(detail(HUAWEI_USCC))
    assert response.status_code == 403 and response.json()["error"] == "permission_denied"


def test_too_many_calls_with_one_key_are_429_and_other_keys_go_on(api, legal, settings):
    settings.VETTED_API_RATE = "2/min"
    VendorFactory(uscc=HUAWEI_USCC)
    assert [api.get(detail(HUAWEI_USCC)).status_code for _ in range(3)] == [200, 200, 429]
    refused = api.get(detail(HUAWEI_USCC))
    assert refused.json()["error"] == "throttled" and int(refused["Retry-After"]) > 0
    _key, other = api_key_create(actor=legal, name="SMS platform")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert client.get(detail(HUAWEI_USCC)).status_code == 200


def test_list_pages_every_vendor_in_a_constant_number_of_queries(api, legal, django_assert_num_queries):
    """The key, the count, the page (with the sign-off conditions as a subquery; the scope is on the vendor's
    row); the key's last use is written at most once a minute, so the first call, which writes it, is left
    out."""
    approved_vendor(actor=legal)
    VendorFactory()
    api.get(LIST)
    with django_assert_num_queries(3):
        assert api.get(LIST).json()["count"] == 2
    for _ in range(10):
        approved_vendor(actor=legal)
    with django_assert_num_queries(3):
        assert api.get(LIST).json()["count"] == 12


def test_a_call_with_a_key_stores_no_session_and_sets_no_cookie(api):
    """A key is not a session: a CDP that keeps no cookies must not leave a session row behind on each call."""
    from django.contrib.sessions.models import Session

    VendorFactory(uscc=HUAWEI_USCC)
    for _ in range(3):
        response = api.get(detail(HUAWEI_USCC))
        assert response.status_code == 200 and "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_the_api_does_not_write(api):
    VendorFactory(uscc=HUAWEI_USCC)
    for method in (api.post, api.put, api.patch, api.delete):
        assert method(detail(HUAWEI_USCC)).status_code == 405


def test_a_key_with_its_own_rate_is_held_to_it_and_the_others_to_the_sites(legal, settings):
    settings.VETTED_API_RATE = "100/min"
    VendorFactory(uscc=HUAWEI_USCC)
    _slow, slow_token = api_key_create(actor=legal, name="Ad tool", rate="2/min")
    _plain, plain_token = api_key_create(actor=legal, name="SMS platform")
    slow, plain = APIClient(), APIClient()
    slow.credentials(HTTP_AUTHORIZATION=f"Bearer {slow_token}")
    plain.credentials(HTTP_AUTHORIZATION=f"Bearer {plain_token}")

    assert [slow.get(detail(HUAWEI_USCC)).status_code for _ in range(3)] == [200, 200, 429]
    assert [plain.get(detail(HUAWEI_USCC)).status_code for _ in range(5)] == [200] * 5


@pytest.mark.parametrize("rate", ["fast", "0/min", "10/week"])
def test_a_key_with_a_rate_the_throttle_cannot_read_is_refused(legal, rate):
    with pytest.raises(WorkflowError, match="such as 600/min"):
        api_key_create(actor=legal, name="Ad tool", rate=rate)
