"""What the use adds to the reviewers' desk (activities.desk): the activities waiting for Legal, the open
activities flagged, the approvals whose derived scope waits for Legal's confirmation; each one query."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from activities.desk import activities_flagged, activities_waiting_for_legal, scopes_to_confirm
from activities.models import Activity
from activities.services import activity_decide, activity_register, activity_withdraw
from reviews.desk import DESK_ROWS
from tests.factories import VendorFactory, make_user
from vendors.models import VendorStatus

from .conftest import plan

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")
NEEDS_LEGAL = {"minors": True}


def references(desk_list) -> list[str]:
    return [row.reference for row in desk_list.rows]


def waiting_since(activity, days: int) -> None:
    """Test data: the activity was pre-checked `days` ago (no service moves a time backwards)."""
    Activity.objects.filter(pk=activity.pk).update(checked_at=timezone.now() - timedelta(days=days))


def flag(activity, days: int, reason="云信科技有限公司 may no longer be used: 暂停") -> None:
    Activity.objects.filter(pk=activity.pk).update(
        flagged_at=timezone.now() - timedelta(days=days), flag_reason=reason
    )


def unconfirmed_vendor(name: str, days_left: int, **fields):
    """An approval signed before scopes existed, its scope derived by the migration (test data)."""
    values = {
        "status": VendorStatus.APPROVED,
        "approved_until": timezone.localdate() + timedelta(days=days_left),
        "approval_reference": f"VD-2025-{days_left:05d}",
        "scope_confirmed": False,
        "name_zh": name,
    }
    values.update(fields)
    return VendorFactory(**values)


@pytest.fixture
def waiting(cmo, legal):
    """Two activities waiting for Legal (the one registered last has waited longest), one decided."""
    recent = activity_register(owner=cmo, plan=plan(name="春季会员EDM", **NEEDS_LEGAL))
    old = activity_register(owner=cmo, plan=plan(name="儿童节活动", **NEEDS_LEGAL))
    waiting_since(old, 4)
    decided = activity_register(owner=cmo, plan=plan(name="已决定", **NEEDS_LEGAL))
    activity_decide(activity=decided, actor=legal, approve=False, reason="不同意")
    return {"old": old, "recent": recent, "decided": decided}


# -- waiting for Legal -------------------------------------------------------------------------------------


def test_legals_desk_lists_the_activities_waiting_for_legal_longest_first(client, legal, waiting):
    client.force_login(legal)

    page = client.get(DESK).content.decode()

    panel = page[page.index('id="activities-waiting"') :]
    panel = panel[: panel.index("</section>")]
    assert panel.index(waiting["old"].reference) < panel.index(waiting["recent"].reference)
    assert waiting["decided"].reference not in panel
    assert reverse("admin:activities_activity_change", args=[waiting["old"].pk]) in panel
    assert "(2)" in panel


def test_the_desk_shows_the_first_rows_and_links_to_every_activity_waiting(client, cmo, legal):
    for number in range(DESK_ROWS + 2):
        activity_register(owner=cmo, plan=plan(name=f"活动{number}", **NEEDS_LEGAL))
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(DESK).content.decode()

    desk_list = activities_waiting_for_legal(legal)
    assert (len(desk_list.rows), desk_list.total, desk_list.more) == (DESK_ROWS, DESK_ROWS + 2, 2)
    link = f"{reverse('admin:activities_activity_changelist')}?status=awaiting_legal"
    assert f'href="{link}"' in page and f"See all {DESK_ROWS + 2} (2 more)" in page
    response = client.get(link)
    assert response.context["cl"].result_count == DESK_ROWS + 2


def test_an_activity_legal_registered_is_marked_for_another_member_to_decide(legal):
    lawyer_marketer = make_user("cmo_legal", "Requester", "Legal", is_staff=True)
    own = activity_register(owner=lawyer_marketer, plan=plan(**NEEDS_LEGAL))

    (mine,) = activities_waiting_for_legal(lawyer_marketer).rows
    (theirs,) = activities_waiting_for_legal(legal).rows

    assert (mine.reference, mine.own, theirs.own) == (own.reference, True, False)


def test_the_auditor_reads_the_panels_and_security_does_not_get_them(client, auditor, security, waiting):
    client.force_login(auditor)
    assert 'id="activities-waiting"' in client.get(DESK).content.decode()

    client.force_login(security)
    page = client.get(DESK).content.decode()
    assert 'id="activities-waiting"' not in page and 'id="scopes-to-confirm"' not in page


def test_nothing_waiting_is_said_so(client, legal):
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(DESK).content.decode()

    assert "No marketing activity waits for Legal." in page
    assert "No open marketing activity is flagged." in page
    assert "Every approval&#x27;s scope is confirmed." in page


# -- flagged -----------------------------------------------------------------------------------------------


def test_the_flagged_panel_lists_the_open_flagged_activities_earliest_flagged_first(
    client, cmo, legal, waiting
):
    cleared = activity_register(owner=cmo, plan=plan(name="门店活动"))
    withdrawn = activity_register(owner=cmo, plan=plan(name="已撤回"))
    activity_withdraw(activity=withdrawn, actor=cmo)
    flag(waiting["recent"], 1)
    flag(cleared, 5)
    flag(withdrawn, 6)
    flag(waiting["decided"], 7)

    desk_list = activities_flagged(legal)

    assert references(desk_list) == [cleared.reference, waiting["recent"].reference]
    assert desk_list.rows[0].note.endswith("暂停")
    client.force_login(legal)
    response = client.get(desk_list.see_all)
    assert {a.reference for a in response.context["cl"].result_list} == {
        cleared.reference,
        waiting["recent"].reference,
    }


# -- scopes to confirm -------------------------------------------------------------------------------------


def test_the_scopes_to_confirm_are_the_approvals_in_force_with_a_derived_scope(client, legal):
    later = unconfirmed_vendor("较晚到期科技", 200)
    sooner = unconfirmed_vendor("较早到期科技", 30)
    unconfirmed_vendor("已暂停科技", 50, status=VendorStatus.SUSPENDED)
    VendorFactory(
        status=VendorStatus.APPROVED,
        approved_until=timezone.localdate() + timedelta(days=10),
        approval_reference="VD-2026-00009",
        scope_confirmed=True,
    )

    desk_list = scopes_to_confirm()

    assert [row.name for row in desk_list.rows] == ["较早到期科技", "较晚到期科技"]
    assert desk_list.rows[0].url == reverse("admin:vendors_vendor_change", args=[sooner.pk])
    client.force_login(legal)
    page = client.get(DESK).content.decode()
    assert reverse("admin:vendors_vendor_change", args=[later.pk]) in page
    response = client.get(desk_list.see_all)
    assert response.status_code == 200
    assert {v.name_zh for v in response.context["cl"].result_list} == {"较早到期科技", "较晚到期科技"}


# -- rows written in Python ---------------------------------------------------------------------------------

# The panels' rows as their templates wrote them before DeskActivity.html and DeskVendor.html.
ACTIVITY_ROWS = """{% load i18n %}{% for row in list.rows %}
          <li><a href="{{ row.url }}">{{ row.reference }}</a> {{ row.name }} · {{ row.owner }}{% if row.own %} <small class="vetted-muted">({% translate "yours: another Legal member decides" %})</small>{% endif %}
            <small class="vetted-muted">{% blocktranslate with since=row.since %}since {{ since }}{% endblocktranslate %} · {{ row.status }}</small>{% if row.note %}<br><small class="vetted-overdue">{{ row.note }}</small>{% endif %}</li>
        {% endfor %}"""
SCOPE_ROWS = """{% load i18n dates %}{% for vendor in list.rows %}
          <li><a href="{{ vendor.url }}">{{ vendor.name }}</a> <small class="uscc">{{ vendor.uscc }}</small>
            <small class="vetted-muted">{{ vendor.approval_reference }}{% if vendor.approved_until %} · {% blocktranslate with date=vendor.approved_until|ymd %}until {{ date }}{% endblocktranslate %}{% endif %}</small></li>
        {% endfor %}"""


def test_the_panels_rows_are_the_templates_rows(cmo, legal):
    lawyer_marketer = make_user("cmo_legal", "Requester", "Legal", is_staff=True)
    activity_register(owner=lawyer_marketer, plan=plan(name="儿童节 <亲子> & 活动", **NEEDS_LEGAL))
    waiting_since(activity_register(owner=cmo, plan=plan(name="春季会员EDM", **NEEDS_LEGAL)), 3)
    flag(activity_register(owner=cmo, plan=plan(name="门店活动")), 2, reason="<b>暂停</b> & 停用")
    unconfirmed_vendor("上海<星链> & 广告", 30)

    for language in ("en", "zh-hans"):
        with translation.override(language):
            lists = {
                ACTIVITY_ROWS: [activities_waiting_for_legal(lawyer_marketer), activities_flagged(legal)],
                SCOPE_ROWS: [scopes_to_confirm()],
            }
            for template, desk_lists in lists.items():
                for desk_list in desk_lists:
                    assert desk_list.rows
                    assert desk_list.rows_html == Template(template).render(Context({"list": desk_list}))
            waiting_rows = lists[ACTIVITY_ROWS][0].rows_html
            assert "儿童节 &lt;亲子&gt; &amp; 活动" in waiting_rows
            assert translation.gettext("yours: another Legal member decides") in waiting_rows
            assert "&lt;b&gt;暂停&lt;/b&gt; &amp; 停用" in lists[ACTIVITY_ROWS][1].rows_html
            assert "上海&lt;星链&gt; &amp; 广告" in lists[SCOPE_ROWS][0].rows_html


# -- cost ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, DESK_ROWS + 5])
def test_each_panel_costs_the_same_queries_whatever_the_number_of_rows(
    cmo, legal, count, django_assert_num_queries
):
    for number in range(count):
        activity = activity_register(owner=cmo, plan=plan(name=f"活动{number}", **NEEDS_LEGAL))
        flag(activity, number)
        unconfirmed_vendor(f"科技{number}", 30 + number)

    # The activities waiting for Legal grow with the activities registered: a full panel is counted by a COUNT
    # of its own (vendors.lists.first_rows); the two others are counted with their rows, in one query.
    with django_assert_num_queries(1 if count < DESK_ROWS else 2):
        waiting = activities_waiting_for_legal(legal)
    with django_assert_num_queries(1):
        flagged = activities_flagged(legal)
    with django_assert_num_queries(1):
        scopes = scopes_to_confirm()

    assert waiting.total == flagged.total == scopes.total == count
    assert len(waiting.rows) == len(flagged.rows) == len(scopes.rows) == min(count, DESK_ROWS)
