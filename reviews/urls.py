from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my/<slug:which>/", views.dashboard_list, name="dashboard_list"),
    path("accounts/login/", views.sign_in, name="login"),
    # One's own password: where a password set by someone else must be changed before anything else.
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/password/done/", views.password_change_done, name="password_change_done"),
    path("reviews/new/", views.review_new, name="review_new"),
    # One of the brand's own channels: registered and its review asked for in one page.
    path("channels/new/", views.channel_new, name="channel_new"),
    # The people its business owner is chosen from, searched by name (JSON, for the form's combobox).
    path("channels/owners/", views.channel_owners, name="channel_owners"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/withdraw/", views.review_withdraw, name="review_withdraw"),
    path("reviews/<int:pk>/questionnaire/", views.questionnaire, name="questionnaire"),
    path(
        "reviews/<int:pk>/questionnaire/<str:section>/",
        views.questionnaire_section,
        name="questionnaire_section",
    ),
    path("reviews/<int:pk>/data-source/", views.data_source, name="data_source"),
    path("reviews/<int:pk>/security/", views.security, name="security"),
    path("reviews/<int:pk>/stages/<str:kind>/submit/", views.stage_submit, name="stage_submit"),
    path(
        "reviews/<int:pk>/evidence/<int:evidence_id>/file/", views.evidence_download, name="evidence_download"
    ),
    path(
        "reviews/<int:pk>/evidence/<int:evidence_id>/withdraw/",
        views.evidence_withdraw,
        name="evidence_withdraw",
    ),
    path(
        "reviews/<int:pk>/certificates/<int:cert_id>/file/",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "reviews/<int:pk>/certificates/<int:cert_id>/withdraw/",
        views.certificate_withdraw,
        name="certificate_withdraw",
    ),
    path("", include("reviews.contact.urls")),
    # The vendor page lives here because it lists reviews, and vendors never imports reviews.
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor_detail"),
    path("", include("reviews.dossier.urls")),
]
