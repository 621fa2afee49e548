from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("", views.portfolio, name="page"),
    path("<slug:key>.csv", views.chart_csv, name="csv"),
    path("board-<slug:language>.pdf", views.pdf, name="pdf"),
]
