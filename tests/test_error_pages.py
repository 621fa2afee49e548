"""403, 404 and 500 in the site's own style, never Django's developer page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views.defaults import permission_denied, server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_renders_the_sites_404(client, settings, requester):
    settings.DEBUG = False
    client.force_login(requester)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="404"' in page and "css/vetted.css" in page
    assert "Using the URLconf" not in page


def test_the_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert 'data-status="500"' in response.content.decode()


def test_a_refusal_renders_the_sites_403(requester):
    request = RequestFactory().get("/")
    request.user = requester
    request.session = {}

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert 'data-status="403"' in response.content.decode()
