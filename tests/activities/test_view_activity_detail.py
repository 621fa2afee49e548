"""/activities/<pk>/: the outcome in one sentence, the findings (refusals first, each with its article and what
to do), the way forward on a no-go, the conditions to acknowledge, Legal's decision; buttons for the owner
only, the page read-only for readers, 404 for anyone else."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from activities.services import (
    activities_flag_for_vendor,
    activity_acknowledge,
    activity_decide,
    activity_register,
)
from tests.factories import make_user
from vendors.scope import AudienceSource, Purpose

from .conftest import plan
from .web import abm_outside_scope, edm_in_scope, sms_extension


def _url(activity):
    return reverse("activities:detail", args=[activity.pk])


def test_a_no_go_says_why_with_articles_and_the_way_forward(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)
    response = client.get(_url(activity))
    body = response.content.decode()

    assert "The activity may not run as planned" in body
    assert "云信科技有限公司 is not approved for the purpose Account-based marketing (ABM)." in body
    assert "PIPL Art. 6, 21" in body
    assert "Request a scope extension for this purpose, or choose a vendor approved for it." in body
    # Refusals come before the conditions.
    assert body.index('id="refusals"') < body.index('id="way-forward"') < body.index('id="conditions"')
    link = response.context["page"].extension_links[0]
    url = urlsplit(link.url)
    assert url.path == reverse("activities:extension_new", args=[edm_vendor.pk])
    assert parse_qs(url.query) == {"purpose": [Purpose.ABM]}
    assert link.url.replace("&", "&amp;") in body
    assert "scenario marketing on anonymous behaviour" in body and "PIPL Art. 73(4)" in body
    assert reverse("activities:edit", args=[activity.pk]) in body
    assert reverse("activities:withdraw", args=[activity.pk]) in body
    assert reverse("activities:record", args=[activity.pk]) in body  # decided: the pre-check said no


def test_the_way_forward_reads_in_chinese(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(_url(activity), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "不得开展" in body and "申请扩展适用范围" in body
    assert "云信科技有限公司 未获批用于“目标客户营销（ABM）”目的。" in body
    assert "《个人信息保护法》第六条、第二十一条" in body
    assert "基于匿名行为的场景营销" in body and "第七十三条第四项" in body


def test_each_missing_dimension_goes_into_the_extension_link(client, cmo, edm_vendor):
    activity = activity_register(
        owner=cmo,
        plan=plan(
            purpose=Purpose.ABM,
            channels=["edm", "programmatic"],
            data_categories=["contact", "device"],
            audience_source=AudienceSource.LOOKALIKE,
            volume="1m_10m",
            cross_border=True,
            vendors=[edm_vendor],
        ),
    )
    client.force_login(cmo)
    link = client.get(_url(activity)).context["page"].extension_links[0]
    assert parse_qs(urlsplit(link.url).query) == {
        "purpose": ["abm"],
        "channels": ["programmatic"],
        "data_categories": ["device"],
        "audience_source": ["lookalike"],
        "volume": ["1m_10m"],
        "cross_border": ["1"],
    }


def test_an_extension_under_way_is_shown_instead_of_a_second_request(client, cmo, edm_vendor):
    activity = abm_outside_scope(cmo, edm_vendor)
    extension = sms_extension(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(_url(activity)).content.decode()
    assert extension.number in body and reverse("activities:extension", args=[extension.pk]) in body
    assert "A scope extension of 云信科技有限公司 is under way (Waiting for Legal)." in body
    assert reverse("activities:extension_new", args=[edm_vendor.pk]) not in body


def test_conditions_wait_for_the_owners_acknowledgement(client, cmo, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(_url(activity)).content.decode()
    assert "Go with conditions" in body
    assert "The activity may start once you acknowledge the conditions below." in body
    assert "I have read and will meet these conditions" in body
    assert reverse("activities:acknowledge", args=[activity.pk]) in body
    assert "Advertising Law Art. 43" in body
    assert reverse("activities:record", args=[activity.pk]) not in body  # not decided yet
    assert 'id="refusals"' not in body and 'id="way-forward"' not in body


def test_once_acknowledged_it_is_go_and_says_who_acknowledged(client, cmo, edm_vendor):
    activity = activity_acknowledge(activity=edm_in_scope(cmo, edm_vendor), actor=cmo)
    client.force_login(cmo)
    body = client.get(_url(activity)).content.decode()
    assert "Cleared to start: cmo acknowledged the conditions below" in body
    assert "acknowledge-form" not in body
    assert reverse("activities:edit", args=[activity.pk]) not in body
    assert reverse("activities:record", args=[activity.pk]) in body


def test_an_activity_no_rule_touches_is_go(client, cmo):
    activity = activity_register(
        owner=cmo,
        plan=plan(
            channels=[],
            own_channels=["website"],
            data_categories=[],
            audience_source=AudienceSource.PUBLIC_AGGREGATED,
        ),
    )
    client.force_login(cmo)
    body = client.get(_url(activity)).content.decode()
    assert "The pre-check found no rule against this activity: it may start as planned." in body
    assert "No rule applies: the activity may go ahead as planned." in body
    assert "No vendor: the activity runs on the brand's own channels only." in body


def test_legals_decision_and_reason_are_shown(client, cmo, legal, edm_vendor):
    activity = activity_register(
        owner=cmo,
        plan=plan(
            vendors=[edm_vendor], personalised_pricing=True, pricing_justification="新会员首单统一九折"
        ),
    )
    client.force_login(cmo)
    assert "Legal decides before the activity may start" in client.get(_url(activity)).content.decode()

    activity_decide(activity=activity, actor=legal, approve=False, reason="差异化定价缺乏客观依据")
    body = client.get(_url(activity)).content.decode()
    assert "Legal refused the activity" in body and "差异化定价缺乏客观依据" in body
    assert reverse("activities:record", args=[activity.pk]) in body
    assert reverse("activities:withdraw", args=[activity.pk]) not in body


def test_a_flagged_activity_says_so_before_its_outcome(client, cmo, edm_vendor):
    waiting = edm_in_scope(cmo, edm_vendor)
    cleared = activity_acknowledge(activity=edm_in_scope(cmo, edm_vendor), actor=cmo)
    activities_flag_for_vendor(vendor=edm_vendor, reason="供应商已被暂停")
    client.force_login(cmo)
    body = client.get(_url(waiting)).content.decode()
    assert body.index('id="flagged"') < body.index('id="outcome"') and "供应商已被暂停" in body
    assert "choose another approved vendor and change the activity, or withdraw it." in body
    # A cleared activity can no longer be changed: it is withdrawn and registered again.
    body = client.get(_url(cleared)).content.decode()
    assert "withdraw it, and register it again with an approved vendor." in body


@pytest.mark.parametrize("persona", ["legal", "security", "auditor"])
def test_a_reader_sees_the_page_without_any_button(client, request, cmo, edm_vendor, persona):
    activity = abm_outside_scope(cmo, edm_vendor)
    reader = (
        make_user("auditor", "Auditor", is_staff=True)
        if persona == "auditor"
        else request.getfixturevalue(persona)
    )
    client.force_login(reader)
    response = client.get(_url(activity))
    body = response.content.decode()
    assert response.status_code == 200 and activity.name in body
    assert "<form" not in body.split("<main")[1].split("</main>")[0]
    for name in ("edit", "withdraw", "acknowledge"):
        assert reverse(f"activities:{name}", args=[activity.pk]) not in body
    assert "extensions/new" not in body
    assert reverse("activities:record", args=[activity.pk]) in body  # a reader may read the record


def test_another_requester_gets_404_and_the_anonymous_sign_in(client, cmo, edm_vendor):
    activity = edm_in_scope(cmo, edm_vendor)
    client.force_login(make_user("cmo2", "Requester"))
    assert client.get(_url(activity)).status_code == 404
    client.logout()
    assert client.get(_url(activity))["Location"].startswith(reverse("login"))
