from django.urls import path

from sinergi.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/peta.geojson", views.region_geojson, name="geojson"),
    path("<str:code>/rw/tambah", views.rw_create, name="rw-create"),
    path("<str:code>/rw/<int:number>/", views.rw_detail, name="rw"),
    path("<str:code>/rw/<int:number>/rt/tambah", views.rt_create, name="rt-create"),
]
