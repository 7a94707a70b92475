from django.urls import URLPattern, path

from sinergi.earlywarning import views

app_name = "earlywarning"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("lapor/", views.submit, name="submit"),
    path("nihil/", views.nihil, name="nihil"),
    path("laporan/", views.report_list, name="list"),
    path("laporan/<int:pk>/", views.report_detail, name="detail"),
    path("laporan/<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("laporan/<int:pk>/verifikasi/", views.verify, name="verify"),
    path("laporan/<int:pk>/tindak-lanjut/", views.followup_add, name="followup-add"),
    path("laporan/<int:pk>/tautan/", views.link, name="link"),
    path("tindak-lanjut/<int:pk>/selesai/", views.followup_done, name="followup-done"),
    path("lampiran/<int:pk>/", views.attachment, name="attachment"),
    path("kepatuhan/", views.compliance, name="compliance"),
    path("belum-melapor/", views.not_reported, name="not-reported"),
    path("situasi/", views.situation, name="situation"),
    path("situasi/data/", views.situation_data, name="situation-data"),
    path("laporan-mingguan/", views.weekly, name="weekly"),
    path("laporan-mingguan/<int:pk>/", views.weekly_detail, name="weekly-detail"),
    path("laporan-mingguan/<int:pk>/unduh/", views.weekly_download, name="weekly-download"),
    path("peringatan/", views.alerts, name="alerts"),
    path("peringatan/<int:pk>/", views.alert, name="alert"),
    path("aturan/", views.rules, name="rules"),
    path("aturan/<int:pk>/", views.rule_edit, name="rule-edit"),
    path("topik/", views.topics, name="topics"),
    path("topik/<int:pk>/", views.topic_edit, name="topic-edit"),
    path("anggota/", views.members, name="members"),
    path("anggota/<int:pk>/tambah/", views.member_grant, name="member-grant"),
    path("anggota/peran/<int:pk>/cabut/", views.member_revoke, name="member-revoke"),
]
