"""/activities/new/: a requester registers a planned activity, which is pre-checked at once; bad input is named
on its field and nothing typed is lost."""

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityStatus, Outcome
from tests.factories import make_user

from .web import form_data

URL = reverse("activities:new")


def test_it_shows_the_form_with_the_vendor_lookup(client, cmo):
    client.force_login(cmo)
    body = client.get(URL).content.decode()
    assert 'type="date"' in body and 'name="vendors"' in body
    assert reverse("activities:vendor_lookup") in body
    assert "js/activity-form.js" in body
    # Every audience source is offered, the bought list too: the pre-check is what says no to it.
    assert 'value="purchased"' in body


@pytest.mark.parametrize("role", ["Legal", "Security", "Auditor"])
def test_it_refuses_anyone_but_a_requester(client, db, role):
    client.force_login(make_user(role.lower(), role, is_staff=True))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only members of Marketing (Requester) register marketing activities." in response.content.decode()
    assert client.post(URL, form_data()).status_code == 403
    assert not Activity.objects.exists()


def test_it_sends_the_anonymous_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_abm_through_a_vendor_approved_for_member_marketing_is_registered_as_no_go(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(URL, form_data(edm_vendor, name="重点客户ABM精准营销", purpose="abm"))

    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert (activity.owner, activity.outcome, activity.status) == (cmo, Outcome.NO_GO, ActivityStatus.BLOCKED)
    assert list(activity.vendors.all()) == [edm_vendor]
    page = client.get(response["Location"]).content.decode()
    assert "No-go" in page and "is not approved for the purpose Account-based marketing (ABM)" in page


def test_an_activity_within_the_scope_is_go_with_conditions(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(URL, form_data(edm_vendor), follow=True)
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.AWAITING_ACK
    body = response.content.decode()
    assert f"Activity {activity.reference} registered and pre-checked." in body
    assert "I have read and will meet these conditions" in body


def test_a_malformed_and_an_unknown_code_are_each_named_and_nothing_typed_is_lost(client, cmo, edm_vendor):
    client.force_login(cmo)
    codes = f"{edm_vendor.uscc}\n91310115MA1HB3K7X\n91110000100000000B"
    response = client.post(URL, form_data(vendors=codes, channels=["edm", "kol"], own_channels=["wechat_oa"]))

    assert response.status_code == 200 and not Activity.objects.exists()
    errors = response.context["form"].errors["vendors"]
    assert errors == [
        "“91310115MA1HB3K7X”: A Unified Social Credit Code has 18 characters; this one has 17.",
        (
            "91110000100000000B is not in the vendor register: request a review of the vendor first, or check "
            "the code."
        ),
    ]
    body = response.content.decode()
    assert "会员春季上新EDM" in body and codes in body
    assert response.context["form"]["channels"].value() == ["edm", "kol"]
    assert response.context["form"]["own_channels"].value() == ["wechat_oa"]


def test_a_date_refused_by_the_service_is_told_on_its_field(client, cmo, edm_vendor):
    client.force_login(cmo)
    data = form_data(edm_vendor)
    data["ends_on"], data["starts_on"] = data["starts_on"], data["ends_on"]
    response = client.post(URL, data)
    assert response.context["form"].errors["ends_on"] == ["The activity cannot end before it starts."]
    assert not Activity.objects.exists()


def test_an_activity_without_any_channel_is_told_to_name_one(client, cmo):
    client.force_login(cmo)
    response = client.post(URL, form_data(channels=[]))
    assert response.context["form"].errors["channels"] == ["Name at least one channel or own channel."]


def test_a_price_difference_needs_its_justification(client, cmo):
    client.force_login(cmo)
    response = client.post(URL, form_data(personalised_pricing="on", pricing_justification=" "))
    assert (
        "need an objective justification (PIPL Art. 24)"
        in response.context["form"].errors["pricing_justification"][0]
    )

    response = client.post(
        URL, form_data(personalised_pricing="on", pricing_justification="新注册会员首单统一九折，公开规则")
    )
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.AWAITING_LEGAL
    assert "price_difference_justified" in {f["rule"] for f in activity.findings}


def test_a_link_fills_in_purpose_channels_and_vendors(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.get(
        URL,
        {
            "purpose": "abm",
            "channels": "sms,edm",
            "vendor": [edm_vendor.pk, "XYZ"],
            "audience_source": "nonsense",
        },
    )
    form = response.context["form"]
    assert form["purpose"].value() == "abm"
    assert form["channels"].value() == ["sms", "edm"]
    assert form["vendors"].value() == f"{edm_vendor.uscc}\nXYZ"
    assert form["audience_source"].value() is None


def test_the_form_reads_in_chinese(client, cmo):
    client.force_login(cmo)
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登记营销活动" in body and "登记并前置检查" in body
    assert "购买、租用或交换的名单" in body
