from django.urls import path

from sinergi.privacy import views

app_name = "privacy"
urlpatterns = [
    path("insiden/", views.breach_list, name="breaches"),
    path("insiden/baru/", views.breach_create, name="breach-create"),
    path("insiden/<int:pk>/", views.breach_detail, name="breach-detail"),
    path("insiden/<int:pk>/ubah/", views.breach_update, name="breach-update"),
]
