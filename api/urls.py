"""Included at /api/v1/ by config/urls.py. The schema and its docs page describe the API and hold no vendor
data, so they are open; every vendor endpoint needs a key."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
urlpatterns = [
    path("vendors/", views.VendorList.as_view(), name="vendors"),
    path("vendors/<str:uscc>/", views.VendorDetail.as_view(), name="vendor"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up code as a file of its own (?script=), not inline, so the
    # page works under a Content-Security-Policy of script-src 'self'. Assets come from the sidecar, locally.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
         name="docs"),
]
