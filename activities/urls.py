"""/activities/: marketing activities and scope extensions, for requesters (and every reader of reviews)."""

from django.urls import path

from .views import activity, extension, records

app_name = "activities"
urlpatterns = [
    path("", activity.activity_list, name="list"),
    path("new/", activity.activity_new, name="new"),
    path("vendors/", activity.vendor_lookup, name="vendor_lookup"),
    path("<int:pk>/", activity.activity_detail, name="detail"),
    path("<int:pk>/edit/", activity.activity_edit, name="edit"),
    path("<int:pk>/acknowledge/", activity.activity_acknowledge, name="acknowledge"),
    path("<int:pk>/withdraw/", activity.activity_withdraw, name="withdraw"),
    path("<int:pk>/record.pdf", records.activity_record, name="record"),
    path("extensions/new/<int:vendor_pk>/", extension.extension_new, name="extension_new"),
    path("extensions/<int:pk>/", extension.extension_detail, name="extension"),
    path("extensions/<int:pk>/withdraw/", extension.extension_withdraw, name="extension_withdraw"),
    path("extensions/<int:pk>/files/<int:file_pk>/", extension.extension_file, name="extension_file"),
    path("extensions/<int:pk>/addendum.pdf", records.extension_addendum, name="addendum"),
]
