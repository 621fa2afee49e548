"""GET /api/v1/activities/<reference>/: a marketing activity by its reference, with a key holding
activities:read. One test per thing it answers: status and conditions, acknowledgement, Legal's decision,
refusals, the flag; malformed and unknown references; the keys; the queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from activities.services import (
    activity_acknowledge,
    activity_decide,
    activity_plan,
    activity_register,
    activity_revise,
)
from reviews.api_keys import api_key_create, api_key_revoke
from tests.factories import HUAWEI_USCC, VendorFactory
from tests.vendors.helpers import CleanAdmission
from vendors.models import VendorCategory
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
from vendors.services import vendor_admit, vendor_suspend

pytestmark = pytest.mark.django_db

SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT, DataCategory.SENSITIVE],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY],
)


def url(reference):
    return reverse("api:activity", args=[reference])


@pytest.fixture
def reader(legal):
    """A campaign tool's key that may read activities."""
    _key, token = api_key_create(actor=legal, name="Campaign tool", scopes=["activities:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def vendor(legal):
    vendor = VendorFactory(uscc=HUAWEI_USCC, name_zh="云信科技有限公司", category=VendorCategory.SMS_EDM)
    return vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=timezone.localdate() + timedelta(days=365),
        reference="VD-TEST-00001",
        risk_tier="low",
        actor=legal,
        scope=SCOPE,
    )


def plan(vendor, **overrides):
    today = timezone.localdate()
    fields = {
        "name": "会员春季EDM",
        "starts_on": today,
        "ends_on": today + timedelta(days=30),
        "purpose": Purpose.MEMBER_MARKETING,
        "channels": [Channel.EDM],
        "vendors": [vendor],
        "audience_source": AudienceSource.OWN_CONSENTED,
        "data_categories": [DataCategory.CONTACT],
        "volume": Ceiling.LT_100K,
    }
    return activity_plan(**{**fields, **overrides})


def test_it_answers_status_dates_vendors_and_the_conditions_with_their_articles(reader, requester, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor))
    response = reader.get(url(activity.reference))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == activity.reference and body["name"] == "会员春季EDM"
    assert body["status"] == "awaiting_ack" and body["outcome"] == "conditions" and body["may_run"] is False
    assert (
        body["starts_on"] == activity.starts_on.isoformat()
        and body["ends_on"] == activity.ends_on.isoformat()
    )
    assert body["vendors"] == [{"uscc": HUAWEI_USCC, "name": vendor.display_name}]
    assert body["purpose"] == "member_marketing" and body["channels"] == ["edm"]
    conditions = {c["code"]: c for c in body["conditions"]}
    assert {"commercial_messages", "email_subject_marked", "scope_conditions"} <= set(conditions)
    assert conditions["email_subject_marked"]["article"] == "MIIT Internet E-mail Measures 2006"
    assert all(c["text"] and c["outcome"] == "conditions" for c in body["conditions"])
    assert body["conditions_acknowledged"] is False and body["acknowledged_at"] is None
    assert body["legal_decision"] is None and body["refusals"] == [] and body["needs_legal"] == []
    assert body["flagged"] is False and body["flag_reason"] == ""


def test_acknowledged_conditions_clear_it_to_run(reader, requester, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor))
    activity_acknowledge(activity=activity, actor=requester)
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "cleared" and body["may_run"] is True
    assert body["conditions_acknowledged"] is True and body["acknowledged_at"]


def test_legals_approval_and_reason_are_given(reader, requester, legal, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor, data_categories=[DataCategory.SENSITIVE]))
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "awaiting_legal" and [r["code"] for r in body["needs_legal"]] == [
        "sensitive_data"
    ]
    assert body["needs_legal"][0]["article"] == "PIPL Art. 28-30" and body["legal_decision"] is None

    activity_decide(activity=activity, actor=legal, approve=True, reason="单独同意文本已审阅")
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "awaiting_ack"
    assert body["legal_decision"]["decision"] == "approved"
    assert body["legal_decision"]["reason"] == "单独同意文本已审阅" and body["legal_decision"]["decided_at"]


def test_legals_refusal_and_reason_are_given(reader, requester, legal, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor, data_categories=[DataCategory.SENSITIVE]))
    activity_decide(activity=activity, actor=legal, approve=False, reason="不具备必要性")
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "refused" and body["may_run"] is False
    assert body["legal_decision"] == {
        "decision": "refused",
        "reason": "不具备必要性",
        "decided_at": body["legal_decision"]["decided_at"],
    }


def test_a_decision_on_an_earlier_plan_is_not_given_for_the_revised_one(reader, requester, legal, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor, data_categories=[DataCategory.SENSITIVE]))
    activity = activity_decide(activity=activity, actor=legal, approve=True, reason="可以")
    activity_revise(
        activity=activity,
        actor=requester,
        plan=plan(vendor, data_categories=[DataCategory.SENSITIVE], name="会员春季EDM（修订）"),
    )
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "awaiting_legal" and body["legal_decision"] is None


def test_a_no_go_gives_each_refusal_with_its_article(reader, requester, vendor):
    activity = activity_register(
        owner=requester,
        plan=plan(
            vendor, purpose=Purpose.ABM, channels=[Channel.SMS], audience_source=AudienceSource.PURCHASED
        ),
    )
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "blocked" and body["outcome"] == "no_go" and body["may_run"] is False
    refusals = {r["code"]: r for r in body["refusals"]}
    assert {"purpose_outside_scope", "channel_outside_scope", "purchased_list"} <= set(refusals)
    assert refusals["purchased_list"]["article"] == "PIPL Art. 10; Criminal Law Art. 253-1"
    assert refusals["channel_outside_scope"]["values"] == ["sms"]


def test_an_activity_whose_vendor_was_suspended_is_flagged_with_why(reader, requester, legal, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor))
    activity_acknowledge(activity=activity, actor=requester)
    vendor_suspend(vendor=vendor, actor=legal, reason="证书过期")
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "cleared" and body["flagged"] is True and body["may_run"] is False
    assert "证书过期" in body["flag_reason"] and body["flagged_at"]


def test_an_activity_past_its_end_may_not_run(reader, requester, vendor):
    from activities.models import Activity

    activity = activity_register(owner=requester, plan=plan(vendor))
    activity_acknowledge(activity=activity, actor=requester)
    Activity.objects.filter(pk=activity.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    body = reader.get(url(activity.reference)).json()
    assert body["status"] == "cleared" and body["may_run"] is False


def test_the_conditions_read_in_chinese(reader, requester, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor))
    body = reader.get(url(activity.reference), HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    article = next(c["article"] for c in body["conditions"] if c["code"] == "commercial_messages")
    assert article.startswith("《广告法》第四十三条")


@pytest.mark.parametrize(
    "reference",
    [
        "ACT-26-00001",
        "act-2026-00001",
        "ACT-2026-0001",
        "ACT-2026-00001x",
        "ACT-2026-" + "1" * 12,
        "VD-2026-00001",
        "ACT-２０２６-00001",
    ],
)
def test_a_malformed_reference_is_404(reader, reference):
    response = reader.get(url(reference))
    assert response.status_code == 404
    assert response.json()["error"] == "reference_invalid" and "ACT-2026-00042" in response.json()["detail"]


def test_an_unknown_reference_is_404(reader, requester, vendor):
    activity_register(owner=requester, plan=plan(vendor))
    response = reader.get(url("ACT-2026-99999"))
    assert response.status_code == 404 and response.json()["error"] == "activity_unknown"


def test_a_key_for_vendors_only_is_403(api, requester, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor))
    response = api.get(url(activity.reference))
    assert response.status_code == 403 and response.json()["error"] == "permission_denied"


def test_a_revoked_key_is_403(legal, requester, vendor):
    key, token = api_key_create(actor=legal, name="Campaign tool", scopes=["activities:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    activity = activity_register(owner=requester, plan=plan(vendor))
    assert client.get(url(activity.reference)).status_code == 200
    api_key_revoke(actor=legal, key=key)
    response = client.get(url(activity.reference))
    assert response.status_code == 403 and response.json()["error"] == "key_revoked"


def test_no_key_is_401(requester, vendor):
    activity = activity_register(owner=requester, plan=plan(vendor))
    response = APIClient().get(url(activity.reference))
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"


def test_it_costs_three_queries_whatever_the_activity_holds(
    reader, requester, legal, vendor, django_assert_num_queries
):
    """The key, the activity, its vendors (the key's last use, written at most once a minute, is left out by
    a first call)."""
    small = activity_register(owner=requester, plan=plan(vendor))
    others = []
    for i in range(5):
        other = VendorFactory()
        others.append(
            vendor_admit(
                vendor=other,
                admission=CleanAdmission(other.pk),
                valid_until=timezone.localdate() + timedelta(days=30),
                reference=f"VD-TEST-1{i}",
                risk_tier="low",
                actor=legal,
                scope=SCOPE,
            )
        )
    large = activity_register(
        owner=requester, plan=plan(vendor, vendors=[vendor, *others], channels=[Channel.SMS])
    )
    reader.get(url(small.reference))
    for activity in (small, large):
        with django_assert_num_queries(3):
            assert reader.get(url(activity.reference)).status_code == 200
    assert len(reader.get(url(large.reference)).json()["vendors"]) == 6
