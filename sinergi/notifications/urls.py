from django.urls import path

from sinergi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("baca-semua/", views.read_all, name="read_all"),
    path("<int:pk>/baca/", views.read, name="read"),
    path("<int:pk>/buka/", views.open_notification, name="open"),
]
