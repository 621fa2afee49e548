"""The requester's dashboard panel "My marketing activities" (activities/dashboard.py): the first 5 open
activities that have not ended, flagged first, then those waiting for the owner; the counts; "see all" and
the button to register one. Readers' dashboards do not carry it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.services import activities_flag_for_vendor, activity_acknowledge
from tests.factories import make_user

from .web import abm_outside_scope, copies, edm_in_scope

URL = reverse("dashboard")


def _panel(response):
    return next(
        p.context["activities"]
        for p in response.context["panels"]
        if p.template == "activities/_dashboard_panel.html"
    )


def test_a_requester_without_activities_is_invited_to_register_one(client, cmo):
    client.force_login(cmo)
    response = client.get(URL)
    body = response.content.decode()
    assert _panel(response).open == 0
    assert "My marketing activities" in body and "No open activity." in body
    assert reverse("activities:new") in body and reverse("activities:list") in body


def test_flagged_first_then_conditions_to_acknowledge_then_the_newest(client, cmo, edm_vendor):
    cleared = activity_acknowledge(activity=edm_in_scope(cmo, edm_vendor), actor=cmo)
    waiting = edm_in_scope(cmo, edm_vendor)
    newest_cleared = activity_acknowledge(activity=edm_in_scope(cmo, edm_vendor), actor=cmo)
    abm_outside_scope(cmo, edm_vendor)  # no-go: not open
    client.force_login(cmo)
    assert [row.reference for row in _panel(client.get(URL)).rows] == [
        waiting.reference,
        newest_cleared.reference,
        cleared.reference,
    ]

    activities_flag_for_vendor(vendor=edm_vendor, reason="供应商已被暂停")
    panel = _panel(client.get(URL))
    assert (panel.open, panel.to_acknowledge, panel.awaiting_legal, panel.flagged) == (3, 1, 0, 3)
    body = client.get(URL).content.decode()
    assert "3 open activities · 1 with conditions to acknowledge" in body and "3 flagged" in body


def test_ended_and_closed_activities_are_left_out(client, cmo, edm_vendor):
    ended = edm_in_scope(cmo, edm_vendor)
    Activity.objects.filter(pk=ended.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    client.force_login(cmo)
    client.post(reverse("activities:withdraw", args=[edm_in_scope(cmo, edm_vendor).pk]))
    assert _panel(client.get(URL)).rows == []


def test_five_rows_and_see_all_with_how_many_more(client, cmo, edm_vendor):
    copies(edm_in_scope(cmo, edm_vendor), 7)
    client.force_login(cmo)
    response = client.get(URL)
    panel = _panel(response)
    assert (len(panel.rows), panel.open, panel.more) == (5, 8, 3)
    assert "See all 8 (3 more)" in response.content.decode()


def test_the_panel_asks_the_same_queries_for_2_and_40_activities(client, cmo, edm_vendor):
    first = edm_in_scope(cmo, edm_vendor)
    copies(first, 1)
    client.force_login(cmo)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    copies(first, 38, start=2)
    with CaptureQueriesContext(connection) as many:
        assert _panel(client.get(URL)).open == 40
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.parametrize("persona", ["legal", "security"])
def test_readers_dashboards_do_not_carry_it(client, request, cmo, edm_vendor, persona):
    edm_in_scope(cmo, edm_vendor)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert not any(p.template == "activities/_dashboard_panel.html" for p in response.context["panels"])
    assert "My marketing activities" not in response.content.decode()


def test_an_auditor_has_the_navigation_link_but_no_panel(client, db):
    client.force_login(make_user("auditor", "Auditor", is_staff=True))
    body = client.get(URL).content.decode()
    assert f'href="{reverse("activities:list")}"' in body and "My marketing activities" not in body


def test_it_reads_in_chinese(client, cmo, edm_vendor):
    edm_in_scope(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我的营销活动" in body and "登记营销活动" in body and "1 项进行中的活动" in body
    assert "查看我的全部活动" in body
