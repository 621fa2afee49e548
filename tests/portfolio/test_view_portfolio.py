"""/portfolio/: who sees it, what it shows (charts with their tables, CSV per chart), at a constant cost."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from reviews.models import StageKind
from tests import builders
from tests.factories import VendorFactory
from tests.vendors.helpers import approved_vendor
from vendors.models import VendorStatus

from . import activities_world as world

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:page")
CHARTS = ["trend", "coverage", "tiers", "renewals", "stage-days", "waiting", "activities"]


def in_use(*, overdue=False):
    return VendorFactory(
        status=VendorStatus.IN_USE, catch_up_due=builders.today() + timedelta(days=-3 if overdue else 30)
    )


@pytest.mark.parametrize("persona", ["legal", "security", "auditor", "executive"])
def test_portfolio_readers_see_every_chart(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for key in CHARTS:
        assert f'id="chart-{key}"' in html
    # With nothing yet, a chart says so and offers no empty table; the coverage always has its three groups.
    assert reverse("portfolio:csv", args=["coverage"]) in html
    assert reverse("portfolio:csv", args=["waiting"]) not in html and "Nothing to show yet." in html


@pytest.mark.parametrize("persona", ["requester", "outsider"])
def test_requesters_and_others_may_not_see_the_portfolio(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("portfolio:csv", args=["coverage"])).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_menu_shows_the_portfolio_only_to_its_readers(client, executive, requester):
    client.force_login(executive)
    assert URL in client.get(reverse("vendors:approved")).content.decode()
    client.force_login(requester)
    assert URL not in client.get(reverse("vendors:approved")).content.decode()


def test_each_chart_is_a_figure_with_caption_svg_and_its_table(client, legal):
    approved_vendor(actor=legal)
    in_use()
    in_use(overdue=True)
    client.force_login(legal)
    html = client.get(URL).content.decode()
    figures = re.findall(r"<figure.*?</figure>", html, re.DOTALL)
    assert len(figures) == len(CHARTS)
    for figure in figures:
        drawn = re.search(r'<svg class="chart[^"]*" role="img"', figure)
        assert "<figcaption>" in figure
        # A chart with nothing to draw says so instead, without an empty table (here: no stage was passed).
        assert (drawn and "<table" in figure) or ("Nothing to show yet." in figure and "<table" not in figure)
        assert "<script" not in figure
    coverage = figures[1]
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(\d+)</td>', coverage)
    assert rows == [
        ("Vetted (on the approved list)", "1"),
        ("In use, not vetted", "1"),
        ("In use, catch-up review overdue", "1"),
    ]
    # One bar per group, each in its colour: vetted green, in use amber, overdue red.
    assert re.findall(r'<rect fill="(#[0-9a-f]{6})"', coverage) == ["#2e7d32", "#f0ad00", "#c62828"]
    # The tables are folded, their summary giving the total.
    assert "<details open" not in html
    assert re.search(r"<summary[^>]*>The figures · Total: 3</summary>", coverage)


def test_the_portfolio_reads_in_chinese(client, executive):
    client.force_login(executive)
    with translation.override("zh-hans"):
        html = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "覆盖" in html and "在用未审" in html


@pytest.mark.parametrize("key", CHARTS)
def test_each_chart_downloads_as_csv_with_its_table(client, legal, requester, security, key):
    _populate(1, requester=requester, legal=legal, security=security)
    client.force_login(legal)
    response = client.get(reverse("portfolio:csv", args=[key]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"portfolio-{key}-" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows)


def test_coverage_csv_holds_the_counts(client, legal):
    approved_vendor(actor=legal)
    in_use()
    in_use()
    in_use(overdue=True)
    client.force_login(legal)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("portfolio:csv", args=["coverage"])).content.decode()[1:]))
    )
    assert [row[1] for row in rows[1:]] == ["1", "2", "1"]


def test_an_unknown_chart_is_404(client, legal):
    client.force_login(legal)
    assert client.get(reverse("portfolio:csv", args=["nothing"])).status_code == 404


def _populate(size, *, requester, legal, security):
    for i in range(size):
        approved_vendor(actor=legal, days=30 * (i + 1), tier=["low", "medium", "high"][i % 3])
        in_use(overdue=bool(i % 2))
        vendor = world.scoped_vendor(legal=legal)
        for make in (
            world.awaiting_ack,
            world.awaiting_legal,
            world.cleared,
            world.blocked,
            world.extension_for_legal,
            world.extension_for_security,
        ):
            make(requester, vendor)
        world.refused(requester, vendor, legal=legal)
    builders.pass_stage(
        builders.start_review(requester), StageKind.QUESTIONNAIRE, requester, legal=legal, security=security
    )
    builders.submit_stage(builders.start_review(requester), StageKind.QUESTIONNAIRE, requester)


def test_the_page_costs_the_same_queries_with_more_data(
    client, legal, requester, security, django_assert_num_queries
):
    """Session and user, the user's groups (once), then one query per figure: the register (coverage of
    vendors and own channels apart and together, with the approvals ending soon, and the tiers), the
    snapshots, months, stage days (the median with its count), waiting (counts, oldest and median together),
    and the activities with the extensions waiting. The working-day calendar the waiting ages are counted in
    is read once and cached (reviews.working_days): read here first. (The test's transaction has written the
    data and not committed: the figures are computed, never read from the cache; test_portfolio_cache.py
    counts a page whose figures are kept.)"""
    from reviews.working_days import working_calendar

    working_calendar()
    client.force_login(legal)
    _populate(1, requester=requester, legal=legal, security=security)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
    _populate(8, requester=requester, legal=legal, security=security)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("key", ["waiting", "stage-days"])
def test_a_chart_csv_costs_the_same_queries_with_more_data(
    client, legal, requester, security, key, django_assert_num_queries
):
    """Session, user, groups, then the chart's own figure: one query (the counts with the median, or with the
    two middle waiting times whose working days make the median). The working-day calendar is cached."""
    from reviews.working_days import working_calendar

    working_calendar()
    client.force_login(legal)
    url = reverse("portfolio:csv", args=[key])
    expected = 4
    _populate(1, requester=requester, legal=legal, security=security)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _populate(4, requester=requester, legal=legal, security=security)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_activities_panel_counts_each_status_the_flagged_and_the_extensions(client, legal, requester):
    from vendors.services import vendor_suspend

    vendor = world.scoped_vendor(legal=legal)
    world.awaiting_ack(requester, vendor)
    world.cleared(requester, vendor)
    world.awaiting_legal(requester, vendor)
    world.blocked(requester, vendor)
    world.extension_for_security(requester, vendor)
    other = world.scoped_vendor(legal=legal)
    world.refused(requester, other, legal=legal)
    world.extension_for_legal(requester, other)
    vendor_suspend(vendor=vendor, actor=legal, reason="证书过期")
    client.force_login(legal)
    figures = re.findall(r"<figure.*?</figure>", client.get(URL).content.decode(), re.DOTALL)
    panel = next(figure for figure in figures if 'id="chart-activities"' in figure)
    assert "Marketing activities" in panel
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(\d+)</td>', panel)
    assert rows == [
        ("Conditions to acknowledge", "1"),
        ("Waiting for Legal", "1"),
        ("Cleared to start", "1"),
        ("No-go", "1"),
        ("Refused by Legal", "1"),
        ("Open, flagged: a vendor it uses may no longer be used", "3"),
        ("Scope extensions waiting for Security", "1"),
        ("Scope extensions waiting for Legal", "1"),
    ]
    # Coloured by group and named in a legend, not by colour alone: the labels say what each bar is.
    legend = re.search(r'<ul class="chart-legend.*?</ul>', panel, re.DOTALL).group(0)
    assert re.findall(r"</svg> ([^<]+)</li>", legend) == [
        "Marketing activities",
        "Flagged",
        "Scope extensions",
    ]


def test_the_activities_csv_holds_the_counts(client, legal, requester):
    vendor = world.scoped_vendor(legal=legal)
    world.cleared(requester, vendor)
    world.cleared(requester, vendor)
    client.force_login(legal)
    response = client.get(reverse("portfolio:csv", args=["activities"]))
    rows = list(csv.reader(io.StringIO(response.content.decode()[1:])))
    # Groups at zero are left out: no row says only "0".
    assert rows == [["Group", "Count"], ["Cleared to start", "2"]]
