"""The API's OpenAPI schema (/api/v1/schema/), generated once per process instead of on every request.

drf-spectacular's SpectacularAPIView walks every endpoint, inspects its serializers and parameters and
builds the document anew for each request (about 30 ms, some hundreds on a cold start), then renders it as
YAML or JSON. The document changes only with what it is generated from: the code of the API (fixed for the
life of a process), the URLconf it is read from, the settings (SPECTACULAR_SETTINGS, REST_FRAMEWORK), the
active language (a description or an enum's label is translated: ?lang= or the reader's language) and the
version asked for (?version=). So a document is kept per language, version, URLconf and view settings, and
its rendering per renderer and accepted media type (YAML or JSON, with their parameters, e.g. `indent`);
the response is the same bytes, Content-Type and Content-Disposition as drf-spectacular's
(tests/api/test_schema_cache.py compares them with a fresh generation).

What invalidates it: a new process (a deploy or restart runs new code), and any change of settings made
while it runs (Django's setting_changed signal, which override_settings sends in the tests), which empties
the whole cache. Both caches are bounded (least recently used first out), since the language and the
version come from the query string of a public URL and must not grow the memory without limit."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

# A few languages times a few formats: more than the site ever serves, few enough to keep in memory.
MAX_DOCUMENTS = 16
MAX_RENDERINGS = 32


class Kept:
    """A bounded, thread-safe map of what was generated, least recently used out first."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object]):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two first requests at once both generate, one is kept
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


DOCUMENTS = Kept(MAX_DOCUMENTS)
RENDERINGS = Kept(MAX_RENDERINGS)


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    DOCUMENTS.clear()
    RENDERINGS.clear()


class SchemaResponse(Response):
    """drf-spectacular's response, rendered once per document, renderer and accepted media type."""

    document_key: Hashable = None

    @property
    def rendered_content(self):
        renderer = getattr(self, "accepted_renderer", None)
        if renderer is None or self.document_key is None:
            return super().rendered_content
        key = (self.document_key, type(renderer), getattr(self, "accepted_media_type", None))

        def render():
            content = super(SchemaResponse, self).rendered_content
            return self.get("Content-Type"), content

        content_type, content = RENDERINGS.get(key, render)
        if content_type is not None:
            self["Content-Type"] = content_type
        return content


class SchemaView(SpectacularAPIView):
    """SpectacularAPIView serving the document it generated first for the same language, version, URLconf
    and settings (api.urls names it api:schema)."""

    def _document_key(self, request, version) -> Hashable:
        return (
            translation.get_language(),
            version,
            getattr(request, "urlconf", None) or settings.ROOT_URLCONF,
            repr(self.urlconf),
            repr(self.patterns),
            repr(sorted((self.custom_settings or {}).items())),
            self.serve_public,
        )

    def _get_schema_response(self, request):
        # As drf-spectacular's own, but for the generator's call, made only when no document is kept.
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = self._document_key(request, version)

        def generate():
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            return generator.get_schema(request=request, public=self.serve_public)

        response = SchemaResponse(
            data=DOCUMENTS.get(key, generate),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
        response.document_key = key
        return response
