from django.urls import path

from . import views as dossier_views

urlpatterns = [
    path("reviews/<int:pk>/dossier/", dossier_views.dossier_list, name="dossier_list"),
    path(
        "reviews/<int:pk>/dossier/<int:dossier_pk>/download/",
        dossier_views.dossier_download,
        name="dossier_download",
    ),
    path(
        "reviews/<int:pk>/dossier/regenerate/",
        dossier_views.dossier_regenerate_view,
        name="dossier_regenerate",
    ),
]
