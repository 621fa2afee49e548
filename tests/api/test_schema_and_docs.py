"""The OpenAPI schema validates, and the docs page runs from local files under a script-src 'self' policy."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/vendors/{uscc}/" in text and "bearer" in text


def test_schema_is_served(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {"/api/v1/vendors/", "/api/v1/vendors/{uscc}/"}
    responses = schema["paths"]["/api/v1/vendors/{uscc}/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(responses)


def test_docs_page_loads_only_local_scripts_and_no_inline_code(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and "style=" not in html
    assert "cdn" not in html.lower() and "https://" not in html
    for src in re.findall(r'src="/static/([^"?]+)"', html):
        assert finders.find(src), src


def test_docs_start_up_script_is_its_own_file(client):
    response = client.get(reverse("api:docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in response.content.decode()
