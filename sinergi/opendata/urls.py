from django.urls import path

from sinergi.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.dataset, name="dataset"),
    path("<slug:slug>.<str:fmt>", views.download, name="download"),
]
