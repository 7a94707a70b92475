from django.urls import path

from sinergi.announcements import views

app_name = "announcements"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("baru/", views.announcement_create, name="create"),
    path("pratinjau/", views.audience_preview, name="preview"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/ubah/", views.announcement_edit, name="edit"),
    path("<int:pk>/kirim/", views.announcement_send, name="send"),
    path("<int:pk>/batal/", views.announcement_cancel, name="cancel"),
    path("<int:pk>/pengiriman/", views.fanout_status, name="fanout"),
    path("<int:pk>/kemajuan/", views.progress, name="progress"),
    path("lampiran/<int:pk>/", views.attachment_file, name="attachment"),
    path("pertanyaan/<int:pk>/jawab/", views.question_answer, name="answer"),
    path("foto/<int:pk>/", views.relay_photo, name="relay-photo"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/", views.delivery_detail, name="delivery"),
    path("kotak-masuk/<int:pk>/terima/", views.delivery_acknowledge, name="acknowledge"),
    path("kotak-masuk/<int:pk>/laporan/", views.relay_create, name="relay"),
    path("kotak-masuk/<int:pk>/tanya/", views.question_create, name="ask"),
]
