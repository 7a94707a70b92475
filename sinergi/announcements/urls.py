from django.urls import URLPattern

app_name = "announcements"
urlpatterns: list[URLPattern] = []
