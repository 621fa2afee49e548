"""A marketing activity's page in the reviewers' desk and Legal's decision on it (activities.admin): read-only,
the pre-check attached, the vendors' scopes, the audit trail; the decision through activity_decide, its
refusals as messages (I4, I8), nothing changed by anything else (I7)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, ActivityStatus
from activities.services import activity_decide, activity_register
from reviews.models import AuditEvent
from tests.factories import make_user
from vendors.scope import AudienceSource, Channel

from .conftest import plan

pytestmark = pytest.mark.django_db


def page_of(activity) -> str:
    return reverse("admin:activities_activity_change", args=[activity.pk])


def decide(client, activity, decision, reason="监护人同意流程已备妥"):
    return client.post(
        reverse("admin:activities_activity_decide", args=[activity.pk]),
        {"decision": decision, "reason": reason},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def decisions(activity) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="activity",
            object_id=str(activity.pk),
            action__in=["activity.approved", "activity.refused"],
        ).values_list("action", flat=True)
    )


@pytest.fixture
def waiting(cmo):
    """EDM to opted-in members, with children: it waits for Legal."""
    return activity_register(owner=cmo, plan=plan(minors=True))


@pytest.fixture
def through_vendor(cmo, edm_vendor):
    """The same through the approved EDM sender."""
    return activity_register(owner=cmo, plan=plan(vendors=[edm_vendor], minors=True))


# -- the page ------------------------------------------------------------------------------------------------


def test_the_page_shows_the_pre_check_grouped_with_each_article_and_what_to_do(client, legal, through_vendor):
    client.force_login(legal)

    with translation.override("en"):
        response = client.get(page_of(through_vendor))

    assert response.status_code == 200
    page = response.content.decode()
    needs_legal, conditions = page.index('id="findings-needs_legal"'), page.index('id="findings-conditions"')
    assert needs_legal < conditions  # what Legal weighs before what the owner keeps to
    minors = page[page.index('id="finding-minors"') :]
    assert "guardian" in minors[:400] and "(PIPL Art. 31)" in minors[:400]
    assert "What to do: Legal decides; prepare the guardian-consent flow." in minors[:600]
    assert "Advertising Law Art. 43; MIIT SMS Provisions Art. 18" in page


def test_the_page_shows_the_articles_in_chinese_to_a_chinese_reader(client, legal, waiting):
    client.force_login(legal)

    page = client.get(page_of(waiting), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "《个人信息保护法》第三十一条" in page and "PIPL Art. 31" not in page


def test_the_page_shows_the_plan_and_each_vendors_approved_scope(client, legal, through_vendor, edm_vendor):
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(page_of(through_vendor)).content.decode()

    facts = page[page.index('id="facts"') : page.index('id="vendors"')]
    assert "Member marketing" in facts and "E-mail (EDM)" in facts
    assert "Own customers or members who consented" in facts
    vendors = page[page.index('id="vendors"') : page.index('id="audit"')]
    assert reverse("admin:vendors_vendor_change", args=[edm_vendor.pk]) in vendors
    assert edm_vendor.uscc in vendors and edm_vendor.approval_reference in vendors
    assert "Up to 1 million individuals" in vendors and "仅限EDM渠道，不得用于短信" in vendors
    assert "Only recipients who opted in" in vendors


def test_the_page_shows_the_activitys_audit_trail_as_sentences(client, cmo, legal, waiting):
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(page_of(waiting)).content.decode()

    trail = page[page.index('id="audit"') :]
    assert f"cmo registered the marketing activity {waiting.reference}; pre-check: Needs Legal" in trail


def test_an_unconfirmed_scope_is_said_so_on_the_page(client, legal, through_vendor, edm_vendor):
    type(edm_vendor).objects.filter(pk=edm_vendor.pk).update(scope_confirmed=False)
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(page_of(through_vendor)).content.decode()

    assert "Derived from the answers; not confirmed by Legal yet" in page


def test_legal_gets_the_decision_with_a_reason_required(client, legal, waiting):
    client.force_login(legal)

    page = client.get(page_of(waiting)).content.decode()

    panel = page[page.index('id="decision"') :]
    assert reverse("admin:activities_activity_decide", args=[waiting.pk]) in panel
    assert 'name="reason"' in panel and "required" in panel[: panel.index('name="reason"') + 200]
    assert 'value="approve"' in panel and 'value="refuse"' in panel


@pytest.mark.parametrize("persona", ["security", "auditor"])
def test_other_readers_see_the_page_and_why_they_cannot_decide(client, request, waiting, persona):
    client.force_login(request.getfixturevalue(persona))

    with translation.override("en"):
        page = client.get(page_of(waiting)).content.decode()

    assert 'id="no-decision"' in page and "Only Legal decides marketing activities." in page
    assert 'value="approve"' not in page


def test_nothing_waits_for_legal_on_a_decided_activity(client, legal, other_legal, waiting):
    activity_decide(activity=waiting, actor=other_legal, approve=False, reason="不同意")
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(page_of(waiting)).content.decode()

    assert "Nothing waits for Legal: the activity is Refused by Legal." in page
    assert 'value="approve"' not in page


def test_a_superuser_without_a_reviewers_role_is_told_no_such_activity(client, admin_user, waiting):
    client.force_login(admin_user)

    assert client.get(page_of(waiting)).status_code == 404


def test_the_page_reads_in_a_fixed_number_of_queries(
    client, legal, through_vendor, django_assert_num_queries
):
    client.force_login(legal)

    # session, user, permissions (2), the activity with its people, the reader's roles, its vendors, the role's
    # grant and the account's holds (may they decide yet: reviews.access.decider_check), the audit trail with its
    # actors
    with django_assert_num_queries(10):
        assert client.get(page_of(through_vendor)).status_code == 200


# -- deciding ------------------------------------------------------------------------------------------------


def test_legal_approves_and_the_owner_is_left_the_conditions_to_acknowledge(client, legal, waiting):
    client.force_login(legal)

    response = decide(client, waiting, "approve")

    assert response.status_code == 302 and response.url == page_of(waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (ActivityStatus.AWAITING_ACK, legal)
    assert waiting.decision_reason == "监护人同意流程已备妥"
    assert decisions(waiting) == ["activity.approved"]
    assert any(waiting.reference in message for message in messages_of(response))


def test_legal_refuses_with_a_reason(client, legal, waiting):
    client.force_login(legal)

    decide(client, waiting, "refuse", reason="缺少监护人同意")

    waiting.refresh_from_db()
    assert (waiting.status, waiting.decision_reason) == (ActivityStatus.REFUSED, "缺少监护人同意")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_without_a_reason_is_shown_again_with_what_is_wrong(client, legal, waiting, reason):
    client.force_login(legal)

    with translation.override("en"):
        response = decide(client, waiting, "refuse", reason=reason)

    assert response.status_code == 400
    assert "Give the reason for your decision." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.AWAITING_LEGAL and decisions(waiting) == []


def test_a_reason_with_control_characters_is_refused_and_kept_for_correcting(client, legal, waiting):
    client.force_login(legal)

    response = decide(client, waiting, "approve", reason="同意\x07")

    assert response.status_code == 400
    page = response.content.decode()
    assert "U+0007" in page and "同意" in page[page.index('name="reason"') :]
    waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.AWAITING_LEGAL


def test_the_owner_cannot_decide_their_own_activity_even_in_legal(client, legal):
    lawyer_marketer = make_user("cmo_legal", "Requester", "Legal", is_staff=True)
    activity = activity_register(owner=lawyer_marketer, plan=plan(minors=True))
    client.force_login(lawyer_marketer)

    with translation.override("en"):
        page = client.get(page_of(activity)).content.decode()
        response = decide(client, activity, "approve")

    assert "segregation of duties" in page and 'value="approve"' not in page
    assert response.status_code == 302
    assert any("segregation of duties" in message for message in messages_of(response))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AWAITING_LEGAL and decisions(activity) == []


@pytest.mark.parametrize("reason", ["同意", ""])
def test_security_cannot_decide_by_a_forged_post(client, security, waiting, reason):
    client.force_login(security)

    with translation.override("en"):
        response = decide(client, waiting, "approve", reason=reason)

    assert response.status_code == 302
    assert "Only Legal decides marketing activities." in messages_of(response)
    waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.AWAITING_LEGAL and decisions(waiting) == []


def test_a_new_member_of_legal_is_told_to_wait(client, waiting):
    newcomer = make_user("legal_new", "Legal", is_staff=True, granted_days_ago=0)
    client.force_login(newcomer)

    with translation.override("en"):
        response = decide(client, waiting, "approve")

    assert any("A new role decides only after" in message for message in messages_of(response))
    waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.AWAITING_LEGAL


def test_the_second_of_two_decisions_is_told_who_decided_first(client, legal, other_legal, waiting):
    client.force_login(other_legal)
    client.get(page_of(waiting))  # the panel is on their screen ...
    activity_decide(activity=waiting, actor=legal, approve=False, reason="不同意")  # ... when legal decides

    with translation.override("en"):
        response = decide(client, waiting, "approve")

    assert response.status_code == 302 and response.url == page_of(waiting)
    (message,) = messages_of(response)
    assert message.startswith("legal already decided this activity") and "was not recorded" in message
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (ActivityStatus.REFUSED, legal)


def test_an_unknown_decision_changes_nothing(client, legal, waiting):
    client.force_login(legal)

    response = decide(client, waiting, "cleared")

    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.status == ActivityStatus.AWAITING_LEGAL


def test_the_decision_is_a_post(client, legal, waiting):
    client.force_login(legal)

    assert client.get(reverse("admin:activities_activity_decide", args=[waiting.pk])).status_code == 405


def test_a_stranger_to_the_activity_gets_no_such_activity(client, admin_user, waiting):
    client.force_login(admin_user)

    assert decide(client, waiting, "approve").status_code == 404


# -- read-only, kept -----------------------------------------------------------------------------------------


def test_a_post_to_the_page_changes_nothing(client, legal, admin_user, waiting):
    forged = {"status": ActivityStatus.CLEARED, "outcome": "go", "owner": legal.pk, "name": "改名"}
    client.force_login(legal)

    with translation.override("en"):
        response = client.post(page_of(waiting), forged)
    client.force_login(admin_user)
    stranger = client.post(page_of(waiting), forged)

    assert response.status_code == 302 and "read-only" in messages_of(response)[0]
    assert stranger.status_code == 404
    waiting.refresh_from_db()
    assert (waiting.status, waiting.outcome, waiting.name) == (
        ActivityStatus.AWAITING_LEGAL,
        "needs_legal",
        "会员春季EDM",
    )


@pytest.mark.parametrize("persona", ["legal", "admin_user"])
def test_nothing_is_deleted(client, request, waiting, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("admin:activities_activity_delete", args=[waiting.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert Activity.objects.filter(pk=waiting.pk).exists()


def test_a_cleared_activity_offers_no_decision(client, legal, cmo):
    activity = activity_register(
        owner=cmo, plan=plan(channels=[Channel.WECHAT], audience_source=AudienceSource.PUBLIC_AGGREGATED)
    )
    client.force_login(legal)

    with translation.override("en"):
        page = client.get(page_of(activity)).content.decode()

    assert "No rule applies: the activity may go ahead as planned." in page
    assert "The activity uses no vendor: only the brand's own channels." in page.replace("&#x27;", "'")
    assert 'value="approve"' not in page
