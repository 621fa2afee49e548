"""Included at /api/v1/ by config/urls.py. The schema and its docs page describe the API and hold no vendor
data, so they are open; every other endpoint needs a key with its scope."""

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import views
from .schema import SchemaView

app_name = "api"
urlpatterns = [
    path("vendors/", views.VendorList.as_view(), name="vendors"),
    path("vendors/<str:uscc>/", views.VendorDetail.as_view(), name="vendor"),
    path("use-check/", views.UseCheck.as_view(), name="use_check"),
    # The brand's own channels, by their reference (CH-00012).
    path("channels/", views.ChannelList.as_view(), name="channels"),
    path("channels/<str:reference>/", views.ChannelDetail.as_view(), name="channel"),
    # Any text reaches the view, which answers a malformed reference with the API's JSON 404 rather than the
    # site's HTML page.
    path("activities/<str:reference>/", views.ActivityDetail.as_view(), name="activity"),
    # Generated once per process, language and version (api.schema), not on every request.
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up code as a file of its own (?script=), not inline, so the
    # page works under a Content-Security-Policy of script-src 'self'. Assets come from the sidecar, locally.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
]
