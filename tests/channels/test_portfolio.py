"""The portfolio counts vendors and own channels apart and together."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portfolio.selectors import coverage, coverage_by_subject
from tests import builders
from tests.builders import own_channel
from tests.factories import VendorFactory
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db


def world(requester, legal, security):
    today = builders.today()
    builders.approved_review(requester, legal=legal, security=security)  # a vendor, vetted
    builders.approved_review(requester, legal=legal, security=security, vendor=own_channel("website"))
    builders.approved_review(requester, legal=legal, security=security, vendor=own_channel("douyin"))
    own_channel("app", status=VendorStatus.IN_USE)
    late = own_channel("wechat_oa", status=VendorStatus.IN_USE)
    Vendor.objects.filter(pk=late.pk).update(catch_up_due=today - timedelta(days=1))
    VendorFactory(status=VendorStatus.IN_USE)
    own_channel("xiaohongshu", name_zh="品牌小红书号")  # a candidate: counted nowhere
    return today


def test_vendors_and_own_channels_apart_and_together(requester, legal, security, django_assert_num_queries):
    today = world(requester, legal, security)
    with django_assert_num_queries(1):
        figures = coverage_by_subject(today=today)
    assert (figures.vendors.vetted, figures.vendors.in_use, figures.vendors.overdue) == (1, 1, 0)
    assert (figures.own_channels.vetted, figures.own_channels.in_use, figures.own_channels.overdue) == (
        2,
        1,
        1,
    )
    assert figures.together == coverage(today=today)
    assert (figures.together.vetted, figures.together.in_use, figures.together.overdue) == (3, 2, 1)


def test_the_portfolio_page_shows_the_counts(client, requester, legal, security):
    world(requester, legal, security)
    client.force_login(legal)
    page = client.get(reverse("portfolio:page"))
    html = page.content.decode()
    assert page.context["subjects"].own_channels.vetted == 2
    row = html[html.index('id="subjects-vetted"') :].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:-1]] == ["1", "2", "3"]
