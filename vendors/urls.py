from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.approved_list, name="approved"),
    path("export.csv", views.approved_csv, name="approved_csv"),
    path("api/approved/", views.approved_api, name="approved_api"),
]
