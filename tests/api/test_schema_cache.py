"""The OpenAPI schema is generated once per process, language and version (api.schema) and served as the very
document drf-spectacular generates afresh: the same bytes, Content-Type and Content-Disposition, in YAML and
JSON, in each language."""

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView

from api import schema
from api.schema import SchemaView

pytestmark = pytest.mark.django_db

SCHEMA = reverse("api:schema")
FORMATS = {
    "yaml": {},  # no Accept header: drf-spectacular's first renderer, YAML
    "json": {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"},
    "json-indented": {"HTTP_ACCEPT": "application/vnd.oai.openapi+json; indent=4"},
    "plain-json": {"HTTP_ACCEPT": "application/json"},
}


class CountingGenerator(SchemaGenerator):
    calls = 0

    def get_schema(self, request=None, public=False):
        type(self).calls += 1
        return super().get_schema(request=request, public=public)


@pytest.fixture
def counted(monkeypatch):
    schema.DOCUMENTS.clear()
    schema.RENDERINGS.clear()
    CountingGenerator.calls = 0
    monkeypatch.setattr(SchemaView, "generator_class", CountingGenerator)
    yield CountingGenerator
    schema.DOCUMENTS.clear()
    schema.RENDERINGS.clear()


def fresh(query: dict, headers: dict):
    """drf-spectacular's own view, generating the document anew, for the same request."""
    request = RequestFactory().get(SCHEMA, query, **headers)
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = SpectacularAPIView.as_view()(request)
        response.render()
    return response


def assert_same(served, generated):
    assert served.status_code == generated.status_code == 200
    assert served.content == generated.content
    assert served["Content-Type"] == generated["Content-Type"]
    assert served["Content-Disposition"] == generated["Content-Disposition"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "language", [{"HTTP_ACCEPT_LANGUAGE": "en"}, {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}, {"lang": "en"}]
)
def test_the_served_schema_is_the_document_generated_afresh(client, counted, fmt, language):
    query = {k: v for k, v in language.items() if not k.startswith("HTTP_")}
    headers = {**FORMATS[fmt], **{k: v for k, v in language.items() if k.startswith("HTTP_")}}

    first = client.get(SCHEMA, query, **headers)
    second = client.get(SCHEMA, query, **headers)

    assert counted.calls == 1  # the second request is served what the first generated
    assert_same(first, fresh(query, headers))
    assert_same(second, first)


def test_each_language_and_version_is_a_document_of_its_own(client, counted):
    english = client.get(SCHEMA, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(SCHEMA, HTTP_ACCEPT_LANGUAGE="zh-hans")
    versioned = client.get(SCHEMA, {"version": "2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert counted.calls == 3
    assert b"version: 1 (2)" in versioned.content and b"version: 1 (2)" not in english.content
    assert english.content != chinese.content  # the descriptions and labels are translated

    # Another format of a document kept is rendered from it, not generated again.
    as_json = client.get(
        SCHEMA, HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert counted.calls == 3
    assert as_json.json()["info"]["title"] == "Vetted API"


def test_a_change_of_settings_forgets_every_document(client, counted):
    client.get(SCHEMA, HTTP_ACCEPT_LANGUAGE="en")
    with override_settings(SPECTACULAR_SETTINGS={**settings.SPECTACULAR_SETTINGS}):
        assert len(schema.DOCUMENTS) == len(schema.RENDERINGS) == 0
        client.get(SCHEMA, HTTP_ACCEPT_LANGUAGE="en")
        assert counted.calls == 2
    client.get(SCHEMA, HTTP_ACCEPT_LANGUAGE="en")
    assert counted.calls == 3  # leaving the override is a change too


def test_what_the_query_string_asks_cannot_grow_the_cache_without_limit(client, counted):
    for n in range(schema.MAX_DOCUMENTS + 5):
        assert client.get(SCHEMA, {"version": f"v{n}"}).status_code == 200
    assert len(schema.DOCUMENTS) == schema.MAX_DOCUMENTS
    assert len(schema.RENDERINGS) <= schema.MAX_RENDERINGS
    # The oldest went first; the newest is still kept.
    client.get(SCHEMA, {"version": f"v{schema.MAX_DOCUMENTS + 4}"})
    assert counted.calls == schema.MAX_DOCUMENTS + 5
    client.get(SCHEMA, {"version": "v0"})
    assert counted.calls == schema.MAX_DOCUMENTS + 6
