"""The admin as reviewers use it: their work in the sidebar in their language, lists titled in natural
Chinese, the desk after sign-in with the overdue catch-ups, and a requester's dashboard that says when an
approval lapsed or was suspended."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.builders import approved_review
from tests.factories import PASSWORD, VendorFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
ZH = "zh-hans"
DESK = reverse("admin:index")


def sidebar(client, user) -> tuple[set[str], str]:
    client.force_login(user)
    client.cookies["django_language"] = ZH
    response = client.get(reverse("admin:vendors_vendor_changelist"))
    models = {
        (app["app_label"], model["object_name"])
        for app in response.context["available_apps"]
        for model in app["models"]
    }
    return models, response.content.decode()


TECHNICAL = {
    ("axes", "AccessFailureLog"),
    ("axes", "AccessLog"),
    ("reviews", "Answer"),
    ("reviews", "Question"),
    ("reviews", "QuestionnaireTemplate"),
    ("reviews", "Stage"),
    ("reviews", "Decision"),
    ("reviews", "Evidence"),
}


@pytest.mark.parametrize("persona", ["legal", "security", "auditor"])
def test_the_sidebar_shows_reviewers_their_work_not_the_technical_tables(client, request, persona):
    models, html = sidebar(client, request.getfixturevalue(persona))

    assert ("vendors", "Vendor") in models and ("reviews", "Review") in models
    assert not models & TECHNICAL
    sidebar_html = html.split('id="nav-sidebar"')[1].split("</nav>")[0]
    for english in ("Access attempts", "Access failures", "Access logs", "Axes", "AXES"):
        assert english not in sidebar_html


def test_legal_finds_the_sign_in_locks_in_chinese(client, legal):
    models, html = sidebar(client, legal)

    assert ("axes", "AccessAttempt") in models
    assert "登录安全" in html and "登录锁定" in html


def test_superusers_still_see_every_table(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)

    models, _ = sidebar(client, admin)

    assert models >= TECHNICAL


def test_lists_are_titled_in_natural_chinese(client, legal):
    client.force_login(legal)
    client.cookies["django_language"] = ZH

    html = client.get(reverse("admin:vendors_vendor_changelist")).content.decode()

    assert "<h1>供应商</h1>" in html and "<title>供应商 |" in html
    assert "选择" not in html.split("<h1>")[1].split("</h1>")[0]
    assert "以 " not in html and "来修改" not in html
    assert '<details data-filter-title="状态" open>' in html


@pytest.mark.parametrize(("persona", "landing"), [("legal", DESK), ("security", DESK), ("auditor", DESK)])
def test_reviewers_land_on_their_desk_after_signing_in(client, request, persona, landing):
    user = request.getfixturevalue(persona)

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == landing


def test_a_requester_lands_on_the_overview_and_next_is_kept(client, requester, legal):
    response = client.post(reverse("login"), {"username": requester.username, "password": PASSWORD})
    assert response["Location"] == reverse("dashboard")

    asked = reverse("vendors:approved")
    response = client.post(
        f"{reverse('login')}?next={asked}", {"username": legal.username, "password": PASSWORD}
    )
    assert response["Location"] == asked


def test_legals_desk_lists_the_overdue_catch_ups(client, legal, requester):
    today = timezone.localdate()
    late = VendorFactory(
        status=VendorStatus.IN_USE,
        name_zh="逾期平台",
        business_owner=requester,
        catch_up_due=today - timedelta(days=3),
    )
    VendorFactory(status=VendorStatus.IN_USE, name_zh="按期平台", catch_up_due=today + timedelta(days=3))
    client.force_login(legal)

    html = client.get(DESK).content.decode()

    section = html.split('id="catch-ups-overdue"')[1].split("</section>")[0]
    assert late.name_zh in section and "按期平台" not in section
    assert (today - timedelta(days=3)).isoformat() in section


def test_securitys_desk_has_no_catch_up_list(client, security):
    client.force_login(security)

    assert 'id="catch-ups-overdue"' not in client.get(DESK).content.decode()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({}, "已批准"),
        ({"approved_until_days": -1}, "批准已过期"),
        ({"status": VendorStatus.SUSPENDED}, "批准已暂停"),
    ],
)
def test_the_requesters_dashboard_says_when_an_approval_lapsed_or_was_suspended(
    client, requester, legal, security, change, shown
):
    review = approved_review(requester, legal=legal, security=security)
    vendor = review.vendor
    if "approved_until_days" in change:
        vendor.approved_until = timezone.localdate() + timedelta(days=change["approved_until_days"])
    vendor.status = change.get("status", vendor.status)
    type(vendor).objects.filter(pk=vendor.pk).update(
        status=vendor.status, approved_until=vendor.approved_until
    )
    client.force_login(requester)
    client.cookies["django_language"] = ZH

    html = client.get(reverse("dashboard")).content.decode()

    row = html.split(review.number)[1].split("</tr>")[0]
    assert f">{shown}</span>" in row
    for other in {"已批准", "批准已过期", "批准已暂停"} - {shown}:
        assert f">{other}</span>" not in row


def test_legal_finds_the_api_documentation_from_the_desk_and_the_keys(client, legal, security):
    docs = reverse("api:docs")
    client.force_login(legal)

    assert f'href="{docs}"' in client.get(DESK).content.decode()
    assert f'href="{docs}"' in client.get(reverse("admin:reviews_apikey_changelist")).content.decode()

    client.force_login(security)
    assert f'href="{docs}"' not in client.get(DESK).content.decode()
