"""Marketing activities name the own channels they use; a channel not approved makes the pre-check a no-go."""

import pytest
from django.urls import reverse

from activities.models import Outcome
from activities.services import ActivityError, activity_register
from tests import builders
from tests.activities.conftest import plan
from tests.builders import own_channel
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


def test_an_activity_names_its_channels_and_their_kinds_count(requester):
    site = own_channel("website")
    planned = plan(channels=[], named_channels=[site])
    assert planned.own_channels == ("website",)
    activity = activity_register(owner=requester, plan=planned)
    assert list(activity.named_channels.all()) == [site]


def test_a_channel_not_approved_is_a_no_go(requester):
    douyin = own_channel("douyin")
    activity = activity_register(owner=requester, plan=plan(named_channels=[douyin]))
    assert activity.outcome == Outcome.NO_GO
    assert {
        "rule": "own_channel_not_approved",
        "outcome": "no_go",
        "vendor": "",
        "values": ["品牌抖音号"],
    } in (activity.findings)


def test_an_approved_channel_raises_nothing(requester, legal, security):
    site = own_channel("website")
    builders.approved_review(requester, legal=legal, security=security, vendor=site)
    activity = activity_register(owner=requester, plan=plan(named_channels=[site]))
    assert not [f for f in activity.findings if f["rule"] == "own_channel_not_approved"]


def test_only_own_channels_are_named():
    with pytest.raises(ActivityError):
        plan(named_channels=[VendorFactory()])


def test_the_activity_page_names_the_channel_and_the_refusal(client, requester):
    douyin = own_channel("douyin")
    activity = activity_register(owner=requester, plan=plan(named_channels=[douyin]))
    client.force_login(requester)
    html = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert 'id="named-channels"' in html and "品牌抖音号" in html
    assert "Own channel not approved: 品牌抖音号." in html


def test_the_form_offers_the_registered_channels(client, requester):
    own_channel("website")
    client.force_login(requester)
    form = client.get(reverse("activities:new")).context["form"]
    assert [entry.name_zh for entry in form.fields["named_channels"].queryset] == ["品牌官网"]
