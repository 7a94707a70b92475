from django.urls import URLPattern

app_name = "earlywarning"
urlpatterns: list[URLPattern] = []
