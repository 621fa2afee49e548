"""A URLconf other than the project's, for tests/vendors/test_links.py."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/<int:pk>/", lambda request, pk: HttpResponse(), name="review_detail")]
