"""GET /api/v1/use-check/: may this vendor be used for this purpose, channel, data and audience? One test per
answer: in scope, out of scope on each dimension, lapsed, suspended, in use, rejected, candidate, unknown,
malformed, a bought list, an unconfirmed scope, the keys, and the queries it costs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reviews import workflow
from reviews.api_keys import api_key_create, api_key_revoke
from tests import builders
from tests.factories import HUAWEI_USCC, VendorFactory
from tests.vendors.helpers import CleanAdmission
from vendors.models import Vendor, VendorCategory, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
from vendors.services import vendor_admit, vendor_reject, vendor_suspend, vendors_lapse_expired

pytestmark = pytest.mark.django_db
URL = reverse("api:use_check")

# An SMS/EDM sender approved for messages to its brand's opted-in members, up to a million of them.
SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.SMS, Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE],
)
IN_SCOPE = {
    "uscc": HUAWEI_USCC,
    "purpose": "member_marketing",
    "channel": "sms",
    "data": "contact",
    "audience": "own_consented",
}


def approved(legal, *, scope=SCOPE, confirmed=True, uscc=HUAWEI_USCC, days=365):
    vendor = VendorFactory(uscc=uscc, name_zh="云信科技有限公司", category=VendorCategory.SMS_EDM)
    return vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=timezone.localdate() + timedelta(days=days),
        reference=f"VD-TEST-{vendor.pk:05d}",
        risk_tier="low",
        actor=legal,
        scope=scope,
        scope_confirmed=confirmed,
    )


def ask(api, **changes):
    params = {**IN_SCOPE, **changes}
    return api.get(URL, {k: v for k, v in params.items() if v is not None})


def refused(body) -> dict:
    """{rule code: refusal} of an answer that says no."""
    assert body["allowed"] is False and body["refusals"]
    return {refusal["code"]: refusal for refusal in body["refusals"]}


def test_it_allows_a_use_within_the_scope_with_its_conditions_and_articles(api, legal):
    vendor = approved(legal)
    response = ask(api, volume="lt100k")
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is True and body["outcome"] == "conditions" and body["refusals"] == []
    assert body["status"] == "approved" and body["approval_reference"] == vendor.approval_reference
    assert body["approved_until"] == vendor.approved_until.isoformat() and body["scope_confirmed"] is True
    conditions = {condition["code"]: condition for condition in body["conditions"]}
    assert {"scope_conditions", "commercial_messages", "own_members_consent"} == set(conditions)
    assert conditions["scope_conditions"]["values"] == ["opted_in_only", "unsubscribe"]
    assert conditions["scope_conditions"]["article"] == "PIPL Art. 21"
    assert "Advertising Law Art. 43" in conditions["commercial_messages"]["article"]
    assert all(condition["text"] and condition["remedy"] for condition in body["conditions"])


def test_it_gives_the_scope_as_codes_and_labels(api, legal):
    approved(legal)
    scope = ask(api).json()["scope"]
    assert scope["purposes"] == [{"code": "member_marketing", "label": "Member marketing"}]
    assert [c["code"] for c in scope["channels"]] == ["sms", "edm"]
    assert scope["ceiling"] == {"code": "100k_1m", "label": "Up to 1 million individuals"}
    assert scope["cross_border"] is False and scope["audience_sources"][0]["code"] == "own_consented"
    assert [c["code"] for c in scope["conditions"]] == ["opted_in_only", "unsubscribe"]


def test_it_echoes_the_use_it_answered(api, legal):
    approved(legal)
    body = ask(
        api, channel=["edm", "sms", "sms"], data=["contact"], cross_border="false", volume="lt100k"
    ).json()
    assert body["asked"] == {
        "purpose": "member_marketing",
        "channels": ["sms", "edm"],
        "data": ["contact"],
        "audience": "own_consented",
        "cross_border": False,
        "volume": "lt100k",
    }
    assert body["checked_on"] == builders.today().isoformat()


@pytest.mark.parametrize(
    ("changes", "rule", "article", "values"),
    [
        ({"purpose": "abm"}, "purpose_outside_scope", "PIPL Art. 6, 21", ["abm"]),
        ({"channel": ["sms", "wechat"]}, "channel_outside_scope", "PIPL Art. 6, 14", ["wechat"]),
        ({"data": ["contact", "location"]}, "data_outside_scope", "PIPL Art. 6, 14", ["location"]),
        ({"audience": "lookalike"}, "audience_outside_scope", "PIPL Art. 23; DSL Art. 33", ["lookalike"]),
        ({"cross_border": "true"}, "cross_border_outside_scope", "PIPL Art. 38-39", []),
        ({"volume": "1m_10m"}, "volume_over_ceiling", "PIPL Art. 6", ["1m_10m"]),
    ],
)
def test_it_refuses_a_use_outside_the_scope_with_the_article(api, legal, changes, rule, article, values):
    approved(legal)
    body = ask(api, **changes).json()
    assert body["outcome"] == "no_go"
    refusal = refused(body)[rule]
    assert refusal["article"] == article and refusal["values"] == values and refusal["outcome"] == "no_go"
    assert refusal["text"] and refusal["remedy"]
    # The approval is in force: the scope is shown, so that the caller sees what it does cover.
    assert body["status"] == "approved" and body["scope"]["purposes"][0]["code"] == "member_marketing"


def test_a_transfer_outside_the_scope_is_refused_once_not_also_sent_to_legal(api, legal):
    approved(legal)
    body = ask(api, cross_border="true").json()
    assert body["outcome"] == "no_go" and set(refused(body)) == {"cross_border_outside_scope"}


def test_a_transfer_within_the_scope_is_allowed_with_separate_consent(api, legal):
    approved(
        legal,
        scope=Scope.build(
            purposes=[Purpose.MEMBER_MARKETING],
            channels=[Channel.SMS],
            data_categories=[DataCategory.CONTACT],
            audience_sources=[AudienceSource.OWN_CONSENTED],
            cross_border=True,
        ),
    )
    body = ask(api, cross_border="true").json()
    assert body["allowed"] is True and body["scope"]["cross_border"] is True
    consent = next(c for c in body["conditions"] if c["code"] == "cross_border_consent")
    assert consent["article"] == "PIPL Art. 39"


def test_the_issues_question_abm_by_sms_to_a_bought_list_is_refused_on_each_ground(api, legal):
    approved(legal)
    rules = refused(ask(api, purpose="abm", channel="sms", audience="purchased").json())
    assert {"purpose_outside_scope", "purchased_list"} <= set(rules)
    assert "PIPL Art. 10" in rules["purchased_list"]["article"]


def test_a_bought_list_is_refused_with_pipl_article_10_even_within_the_scope(api, legal):
    approved(legal)
    body = ask(api, audience="purchased").json()
    assert body["outcome"] == "no_go"
    rules = refused(body)
    assert set(rules) == {"purchased_list"}
    assert rules["purchased_list"]["article"] == "PIPL Art. 10; Criminal Law Art. 253-1"


def test_the_refusal_reads_in_chinese_with_the_chinese_article(api, legal):
    approved(legal)
    body = api.get(URL, {**IN_SCOPE, "audience": "purchased"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    refusal = refused(body)["purchased_list"]
    assert refusal["article"].startswith("《个人信息保护法》第十条")
    assert body["status_label"] == "已批准"


def test_sensitive_data_within_the_scope_needs_legal_and_is_not_allowed(api, legal):
    approved(
        legal,
        scope=Scope.build(
            purposes=[Purpose.MEMBER_MARKETING],
            channels=[Channel.SMS],
            data_categories=[DataCategory.CONTACT, DataCategory.SENSITIVE],
            audience_sources=[AudienceSource.OWN_CONSENTED],
        ),
    )
    body = ask(api, data=["contact", "sensitive"]).json()
    assert body["outcome"] == "needs_legal" and body["allowed"] is False
    assert refused(body)["sensitive_data"]["article"] == "PIPL Art. 28-30"


def test_an_unconfirmed_scope_is_allowed_with_the_scope_unconfirmed_condition(api, legal):
    approved(legal, confirmed=False)
    body = ask(api).json()
    assert body["allowed"] is True and body["outcome"] == "conditions" and body["scope_confirmed"] is False
    condition = next(c for c in body["conditions"] if c["code"] == "scope_unconfirmed")
    assert condition["article"] == "PIPL Art. 6" and "not confirmed" in condition["text"]


def test_a_lapsed_approval_is_refused_before_the_hourly_sweep(api, legal):
    vendor = approved(legal)
    Vendor.objects.filter(pk=vendor.pk).update(approved_until=builders.today() - timedelta(days=1))
    body = ask(api).json()
    assert body["status"] == "lapsed" and body["outcome"] == "no_go"
    rules = refused(body)
    assert set(rules) == {"vendor_lapsed"} and rules["vendor_lapsed"]["article"] == "PIPL Art. 21"
    assert (builders.today() - timedelta(days=1)).isoformat() in rules["vendor_lapsed"]["text"]
    assert body["scope"] is None and body["approved_until"] is None and body["approval_reference"] is None


def test_a_lapsed_approval_is_still_called_lapsed_after_the_sweep_suspended_it(api, legal):
    vendor = approved(legal)
    Vendor.objects.filter(pk=vendor.pk).update(approved_until=builders.today() - timedelta(days=1))
    vendors_lapse_expired()
    assert Vendor.objects.get(pk=vendor.pk).status == VendorStatus.SUSPENDED
    body = ask(api).json()
    assert body["status"] == "lapsed" and set(refused(body)) == {"vendor_lapsed"}


def test_the_last_day_of_an_approval_is_still_allowed(api, legal):
    vendor = approved(legal)
    Vendor.objects.filter(pk=vendor.pk).update(approved_until=builders.today())
    assert ask(api).json()["allowed"] is True


def test_a_suspended_vendor_is_refused_with_the_reason(api, legal):
    vendor = approved(legal)
    vendor_suspend(vendor=vendor, actor=legal, reason="证书过期 / certificate expired")
    body = ask(api).json()
    assert body["status"] == "suspended" and body["scope"] is None
    assert "certificate expired" in refused(body)["vendor_suspended"]["text"]


@pytest.mark.parametrize("status", [VendorStatus.IN_USE, VendorStatus.REJECTED, VendorStatus.CANDIDATE])
def test_a_vendor_not_approved_is_refused(api, status):
    VendorFactory(uscc=HUAWEI_USCC, status=status)
    body = ask(api).json()
    assert body["status"] == status and body["outcome"] == "no_go" and body["scope"] is None
    assert "vendor_not_approved" in refused(body)


def test_a_vendor_to_stop_using_is_refused_as_such(api, legal):
    vendor = VendorFactory(uscc=HUAWEI_USCC, status=VendorStatus.IN_USE)
    vendor_reject(vendor=vendor, actor=legal, reason="补齐审核未通过")
    body = ask(api).json()
    assert body["status"] == "rejected" and "vendor_stop_using" in refused(body)


def test_an_unknown_vendor_is_404(api):
    response = ask(api)
    assert response.status_code == 404 and response.json()["error"] == "vendor_unknown"


def test_a_credit_code_in_lower_case_with_blanks_is_read_as_the_code(api, legal):
    approved(legal)
    spaced = " ".join([HUAWEI_USCC[:6], HUAWEI_USCC[6:12], HUAWEI_USCC[12:]]).lower()
    body = ask(api, uscc=spaced).json()
    assert body["uscc"] == HUAWEI_USCC and body["allowed"] is True


@pytest.mark.parametrize(
    ("changes", "error", "parameter", "says"),
    [
        ({"uscc": "91440300192203821"}, "uscc_invalid", "uscc", "18 characters"),
        ({"uscc": None}, "parameter_missing", "uscc", "uscc"),
        ({"purpose": None}, "parameter_missing", "purpose", "member_marketing, acquisition, abm"),
        ({"purpose": "marketing"}, "parameter_invalid", "purpose", "member_marketing, acquisition, abm"),
        ({"purpose": ["abm", "analytics"]}, "parameter_repeated", "purpose", "2 times"),
        ({"channel": "sms,edm"}, "parameter_invalid", "channel", "channel=sms&channel=edm"),
        ({"channel": None}, "parameter_missing", "channel", "sms, edm, calls"),
        ({"data": "phone"}, "parameter_invalid", "data", "contact, device"),
        ({"audience": "bought"}, "parameter_invalid", "audience", "purchased"),
        ({"audience": None}, "parameter_missing", "audience", "own_consented"),
        ({"cross_border": "yes"}, "parameter_invalid", "cross_border", "true, false"),
        ({"volume": "500k"}, "parameter_invalid", "volume", "lt100k, 100k_1m"),
        ({"data_source": "purchased"}, "parameter_unknown", "data_source", "audience"),
    ],
)
def test_a_malformed_question_is_400_naming_the_parameter_and_the_accepted_values(
    api, legal, changes, error, parameter, says
):
    approved(legal)
    response = ask(api, **changes)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error and body["parameter"] == parameter
    assert says in body["detail"]


def test_a_malformed_question_is_refused_before_the_vendor_is_looked_up(api):
    response = ask(api, purpose="marketing")
    assert response.status_code == 400 and response.json()["error"] == "parameter_invalid"


def test_every_parameter_in_error_is_named_in_the_detail(api):
    body = ask(api, purpose="x", channel="y", extra="z").json()
    assert body["parameter"] == "purpose"
    assert all(name in body["detail"] for name in ("purpose", "channel", "extra"))


def test_an_approval_signed_with_a_scope_answers_from_that_scope(api, requester, legal, security):
    """End to end: Legal's sign-off records the scope and the use check compares with it."""
    vendor = VendorFactory(uscc=HUAWEI_USCC, category=VendorCategory.SMS_EDM)
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security, vendor=vendor)
    workflow.review_sign_off(
        review=review, actor=legal, password=builders.PASSWORD, statement="准予入库", scope=SCOPE
    )
    assert ask(api).json()["allowed"] is True
    assert refused(ask(api, channel="calls").json())["channel_outside_scope"]["values"] == ["calls"]


def test_no_key_is_401():
    response = APIClient().get(URL, IN_SCOPE)
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"


def test_a_key_without_vendors_read_is_403(legal):
    _key, token = api_key_create(actor=legal, name="Campaign tool", scopes=["activities:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get(URL, IN_SCOPE)
    assert response.status_code == 403 and response.json()["error"] == "permission_denied"


def test_a_revoked_key_is_403(api, api_key, legal):
    approved(legal)
    assert ask(api).status_code == 200
    api_key_revoke(actor=legal, key=api_key)
    response = ask(api)
    assert response.status_code == 403 and response.json()["error"] == "key_revoked"


def test_it_does_not_write(api, legal):
    approved(legal)
    for method in (api.post, api.put, api.patch, api.delete):
        assert method(URL).status_code == 405


def test_it_costs_the_same_queries_whatever_the_register_holds(api, legal, django_assert_num_queries):
    """The key, then the vendor: the vendor row holds its status, its approval and the scope in force. The key's
    last use is written at most once a minute, so the first call, which writes it, is left out."""
    approved(legal)
    ask(api)
    with django_assert_num_queries(2):
        assert ask(api, channel=["sms", "wechat"], audience="purchased").status_code == 200
    VendorFactory.create_batch(20)
    with django_assert_num_queries(2):
        assert ask(api).json()["allowed"] is True
    with django_assert_num_queries(1):
        assert ask(api, purpose="x").status_code == 400
