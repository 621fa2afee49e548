"""The headline figures, each from the figures the page already reads: the vetted share of the platforms in use,
overdue catch-up reviews, approvals ending within 30 days, activities blocked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portfolio.panels import Figures, headline
from tests import builders
from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import Vendor, VendorStatus

from . import activities_world as world

pytestmark = pytest.mark.django_db


def figures():
    return {h.key: h for h in headline(Figures(today=builders.today(), now=timezone.now()))}


def in_use(due_in_days):
    return VendorFactory(
        status=VendorStatus.IN_USE, catch_up_due=builders.today() + timedelta(days=due_in_days)
    )


def test_the_vetted_share_counts_approved_against_everything_in_use(legal):
    for _ in range(3):
        approved_vendor(actor=legal)
    in_use(30)
    VendorFactory()  # a candidate of a new request is not in use
    share = figures()["vetted-share"]
    assert share.value == "75%" and "3 of 4" in share.detail and share.tone == "warning"


def test_with_nothing_in_use_the_share_is_a_dash():
    assert figures()["vetted-share"].value == "—"


def test_overdue_catch_ups_are_counted_past_their_deadline_only(legal):
    in_use(-1)
    in_use(-30)
    in_use(0)  # due today: not overdue yet
    overdue = figures()["overdue"]
    assert (
        overdue.value == "2" and overdue.tone == "danger" and "of 3 in use and not vetted" in overdue.detail
    )


def test_approvals_ending_within_30_days(legal):
    ends_soon = approved_vendor(actor=legal, days=10)
    approved_vendor(actor=legal, days=30)
    approved_vendor(actor=legal, days=31)
    lapsed = approved_vendor(actor=legal, days=5)
    Vendor.objects.filter(pk=lapsed.pk).update(approved_until=builders.today() - timedelta(days=1))
    assert ends_soon.approved_until <= builders.today() + timedelta(days=30)
    assert figures()["ending-soon"].value == "2"


def test_blocked_activities_are_counted_among_those_registered(requester, legal):
    vendor = world.scoped_vendor(legal=legal)
    world.blocked(requester, vendor)
    world.cleared(requester, vendor)
    world.awaiting_ack(requester, vendor)
    blocked = figures()["blocked"]
    assert blocked.value == "1" and "of 3 activities" in blocked.detail and blocked.tone == "danger"


def test_the_page_opens_on_the_headline_in_chinese(client, executive, legal):
    approved_vendor(actor=legal)
    in_use(-3)
    client.force_login(executive)
    with translation.override("zh-hans"):
        html = client.get(reverse("portfolio:page"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    headline_at, first_chart_at = html.index('id="headline-vetted-share"'), html.index("<figure")
    assert headline_at < first_chart_at
    for label in ("在用平台已审比例", "补齐审核逾期", "30 天内到期的准入", "被阻止的营销活动"):
        assert label in html
    assert "50%" in html
