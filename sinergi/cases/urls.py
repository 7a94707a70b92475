from django.urls import path

from sinergi.cases import views

app_name = "cases"
urlpatterns = [
    # Public, no account.
    path("kirim/", views.submit, name="submit"),
    path("serupa/", views.similar, name="similar"),
    path("batas.geojson", views.boundaries, name="boundaries"),
    path("lacak/", views.track_search, name="track-search"),
    path("lacak/<str:number>/", views.track, name="track"),
    path("lacak/<str:number>/<str:secret>/", views.reporter, name="reporter"),
    path("lacak/<str:number>/<str:secret>/nilai/", views.rate, name="rate"),
    path("lacak/<str:number>/<str:secret>/sanggah/", views.dispute, name="dispute"),
    path("lacak/<str:number>/<str:secret>/berkas/<int:pk>/", views.reporter_file, name="reporter-file"),
    # Signed in.
    path("baru/", views.create, name="create"),
    path("saya/", views.mine, name="mine"),
    path("", views.inbox, name="inbox"),
    path("beban/", views.workload, name="workload"),
    path("disposisi/", views.bulk, name="bulk"),
    path("kasus/<str:number>/", views.detail, name="detail"),
    path("kasus/<str:number>/langkah/", views.transition, name="transition"),
    path("kasus/<str:number>/gabung/", views.merge, name="merge"),
    path("kasus/<str:number>/kontak/", views.contact, name="contact"),
    path("berkas/<int:pk>/", views.file, name="file"),
    path("kategori/", views.categories, name="categories"),
    path("kategori/baru/", views.category_edit, name="category-create"),
    path("kategori/<int:pk>/", views.category_edit, name="category-edit"),
]
