from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .health import health

admin.site.site_header = settings.SITE_TITLE
admin.site.site_title = settings.SITE_TITLE

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # For load balancers and monitors: unauthenticated, "ok" or "failing" per check and nothing more.
    path("health/", health, name="health"),
    # The sign-in page is reviews' (reviews.views.password.SignIn: reviewers land on their desk).
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("vendors/", include("vendors.urls")),
    # The marketing systems' API (api/), versioned in its path; it reads reviews and activities.
    path("api/v1/", include("api.urls")),
    # The portfolio at a glance (portfolio/); it reads reviews and activities.
    path("portfolio/", include("portfolio.urls")),
    # Marketing activities and scope extensions (activities/).
    path("activities/", include("activities.urls")),
    path("", include("reviews.urls")),
]
