"""The API's docs page runs in real Chromium under the site's Content-Security-Policy (scripts and styles
from our own origin only): Swagger UI comes from the sidecar's static files and its start-up script is a file
of its own. The policy is set on every response here, so the test holds whatever middleware sends it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'"
)


def test_the_docs_page_lists_the_endpoints_under_a_strict_policy(live_server, page):
    refused, requests = [], []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("request", lambda request: requests.append(request.url))

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": POLICY})

    page.route("**/*", with_policy)
    page.goto(f"{live_server.url}/api/v1/docs/")
    # The vendors (list and one), the own channels (list and one), the use check and an activity by its
    # reference.
    paths = page.locator(".opblock-summary-path")
    expect(paths).to_have_count(6)
    for path in ("/api/v1/vendors/", "/api/v1/use-check/", "/api/v1/activities/"):
        expect(paths.filter(has_text=path).first).to_be_visible()
    shoot(page, "api-docs")
    assert refused == []
    assert all(url.startswith(live_server.url) for url in requests), requests
