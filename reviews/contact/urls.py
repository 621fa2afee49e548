from django.urls import path

from . import requester_views, views

urlpatterns = [
    # The requester's management of the links of one review.
    path("reviews/<int:pk>/contact-links/", requester_views.contact_link_create, name="contact_link_create"),
    path(
        "reviews/<int:pk>/contact-links/<int:link_id>/revoke/",
        requester_views.contact_link_revoke,
        name="contact_link_revoke",
    ),
    # The vendor contact's pages: no account, the token is the way in.
    path("contact/<str:token>/", views.contact_home, name="contact_home"),
    path("contact/<str:token>/questionnaire/<str:section>/", views.contact_section, name="contact_section"),
    path("contact/<str:token>/data-source/", views.contact_data_source, name="contact_data_source"),
]
