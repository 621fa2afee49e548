"""Content-Security-Policy (django-csp, config/settings/base.py) on every HTML page, and pages that need
nothing it forbids: no inline script, no on*= handler, no style attribute or <style> element. A JSON data
block (<script type="application/json">) is data, not script, and is allowed."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.site_world import build_world

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_policy_refuses_inline_script_and_being_framed(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in policy


def test_the_finder_sees_what_the_policy_refuses():
    html = (
        '<script>alert(1)</script><a onclick="x()">x</a><p style="color:red"></p><style>p{}</style>'
        '<script src="/static/js/page.js"></script><script type="application/json">{}</script>'
    )
    assert len(inline_code(html)) == 4


def test_every_main_page_carries_the_policy_and_no_inline_code(monkeypatch):
    world = build_world(monkeypatch)
    ids = world.ids
    review, open_review = ids["review"], ids["open_review"]
    pages = {
        None: [
            reverse("login"),
            reverse("admin:login"),
            reverse("contact_home", args=[world.token]),
            reverse("contact_section", args=[world.token, "A"]),
            reverse("contact_data_source", args=[world.token]),
        ],
        "requester_a": [
            reverse("dashboard"),
            reverse("review_new"),
            reverse("review_detail", args=[review]),
            reverse("review_detail", args=[open_review]),
            reverse("questionnaire", args=[open_review]),
            reverse("questionnaire_section", args=[open_review, "A"]),
            reverse("data_source", args=[open_review]),
            reverse("security", args=[review]),
            reverse("dossier_list", args=[review]),
            reverse("vendors:approved"),
            reverse("vendor_detail", args=[ids["vendor"]]),
            reverse("activities:list"),
            reverse("activities:new"),
            reverse("activities:detail", args=[ids["activity"]]),
            reverse("activities:edit", args=[ids["activity"]]),
            reverse("activities:extension_new", args=[ids["vendor"]]),
            reverse("activities:extension", args=[ids["scopeextension"]]),
        ],
        "legal": [
            reverse("admin:index"),
            reverse("admin:reviews_review_changelist"),
            reverse("admin:reviews_review_change", args=[review]),
            reverse("admin:reviews_review_change", args=[open_review]),
            reverse("admin:vendors_vendor_changelist"),
            reverse("admin:vendors_vendor_change", args=[ids["vendor"]]),
            reverse("admin:reviews_auditevent_changelist"),
            reverse("admin:axes_accessattempt_changelist"),
            reverse("admin:activities_activity_changelist"),
            reverse("admin:activities_activity_change", args=[ids["activity"]]),
        ],
        "superuser": [
            reverse("admin:auth_user_changelist"),
            reverse("admin:auth_user_change", args=[ids["user"]]),
        ],
    }
    problems = []
    for persona, urls in pages.items():
        client = Client()
        if persona:
            client.force_login(world.users[persona])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if "Content-Security-Policy" not in response:
                problems.append(f"{url}: no Content-Security-Policy header")
            problems += [f"{url}: {found}" for found in inline_code(response.content.decode())]
    assert not problems, "\n".join(problems)


def test_the_sign_off_page_has_no_inline_code(client, requester, legal, security):
    from tests.builders import review_ready_for_sign_off

    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    client.force_login(legal)
    response = client.get(reverse("admin:reviews_review_sign_off", args=[review.pk]))

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert inline_code(response.content.decode()) == []
