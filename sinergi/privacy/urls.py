from django.urls import path

from sinergi.privacy import views

app_name = "privacy"
urlpatterns = [
    path("insiden/", views.breach_list, name="breaches"),
    path("insiden/baru/", views.breach_create, name="breach-create"),
    path("insiden/<int:pk>/", views.breach_detail, name="breach-detail"),
    path("insiden/<int:pk>/ubah/", views.breach_update, name="breach-update"),
    path("permintaan/", views.request_list, name="requests"),
    path("permintaan/baru/", views.request_create, name="request-create"),
    path("permintaan/<int:pk>/", views.request_detail, name="request-detail"),
    path("permintaan/<int:pk>/koreksi/", views.request_correct, name="request-correct"),
    path("permintaan/<int:pk>/anonimkan/", views.request_anonymise, name="request-anonymise"),
    path("permintaan/<int:pk>/berkas.<str:fmt>", views.request_download, name="request-download"),
]
