"""Import and export pages. Included by ``sinergi.registry.urls``, so their names are ``registry:...``."""

from django.urls import path

from sinergi.registry import views_io

urlpatterns = [
    path("impor/", views_io.import_list, name="imports"),
    path("impor/templat/<str:target>.<str:fmt>", views_io.import_template, name="import-template"),
    path("impor/<int:pk>/", views_io.import_detail, name="import"),
    path("impor/<int:pk>/mulai/", views_io.import_start, name="import-start"),
    path("impor/<int:pk>/masalah.<str:fmt>", views_io.import_report, name="import-report"),
    path("ekspor/", views_io.export, name="export"),
    path("ekspor/<int:pk>/", views_io.export_job, name="export-job"),
    path("ekspor/<int:pk>/unduh/", views_io.export_download, name="export-download"),
]
