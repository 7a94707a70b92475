from django.urls import path

from sinergi.evaluation import dashboard, views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/hitung/", views.round_compute, name="round-compute"),
    path("<int:pk>/selesai/", views.round_finish, name="round-finish"),
    path("<int:pk>/laporan.pdf", views.round_pdf, name="round-pdf"),
    path("<int:pk>/laporan.xlsx", views.round_xlsx, name="round-xlsx"),
    path("hasil/<int:pk>/", views.subject_detail, name="subject"),
    path("hasil/<int:pk>/nilai/<int:indicator>/", views.score_edit, name="score-edit"),
    path("hasil/<int:pk>/rekomendasi/", views.subject_recommend, name="subject-recommend"),
    path("bukti/<int:pk>/", views.evidence, name="evidence"),
    path("dasbor/<str:code>.json", dashboard.area_data_view, name="dashboard-data"),
]
