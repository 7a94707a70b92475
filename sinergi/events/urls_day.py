"""Pages of the day stage: check-in, attendance lists, commitments, minutes, photos and the
participant's own page (``peserta/<token>/``, no account needed)."""

from django.urls import URLPattern, path

from sinergi.events.views import day_checkin, day_commitments, day_participant, day_records

urlpatterns: list[URLPattern] = [
    path("<int:pk>/hadir/", day_checkin.check_in_page, name="check-in"),
    path("<int:pk>/hadir/<int:day_pk>/masuk/", day_checkin.check_in_submit, name="check-in-submit"),
    path("<int:pk>/hadir/<int:day_pk>/cari/", day_checkin.check_in_search, name="check-in-search"),
    path("<int:pk>/hadir/tanda-tangan/<int:check_in_pk>/", day_checkin.check_in_sign, name="check-in-sign"),
    path("<int:pk>/hadir/<int:day_pk>/daftar-hadir.pdf", day_checkin.attendance_pdf, name="attendance-pdf"),
    path(
        "<int:pk>/hadir/<int:day_pk>/daftar-hadir-kosong.pdf",
        day_checkin.attendance_blank_pdf,
        name="attendance-blank-pdf",
    ),
    path("<int:pk>/hadir/dokumen/", day_checkin.day_documents_page, name="day-documents"),
    path("<int:pk>/hadir/dokumen/<int:document_pk>/", day_checkin.day_document_file, name="day-document-file"),
    path("<int:pk>/hadir/komitmen/", day_commitments.event_commitments, name="commitments"),
    path(
        "<int:pk>/hadir/komitmen/<int:commitment_pk>/lepas/",
        day_commitments.event_commitment_detach,
        name="commitment-detach",
    ),
    path("<int:pk>/hadir/komitmen.pdf", day_checkin.commitments_pdf, name="commitments-pdf"),
    path("<int:pk>/hadir/notulen/", day_records.minutes_page, name="minutes"),
    path("<int:pk>/hadir/tindak-lanjut/", day_records.follow_up_add, name="follow-up-add"),
    path(
        "<int:pk>/hadir/tindak-lanjut/<int:follow_up_pk>/selesai/",
        day_records.follow_up_done,
        name="follow-up-done",
    ),
    path("<int:pk>/hadir/foto/", day_records.photos_page, name="photos"),
    path("<int:pk>/hadir/foto/<int:photo_pk>/", day_records.photo_file, name="photo"),
    path("<int:pk>/hadir/foto/<int:photo_pk>/hapus/", day_records.photo_delete, name="photo-delete"),
    path("teks-komitmen/", day_commitments.text_list, name="commitment-texts"),
    path("teks-komitmen/baru/", day_commitments.text_create, name="commitment-text-create"),
    path("teks-komitmen/<int:text_pk>/", day_commitments.text_detail, name="commitment-text"),
    path("peserta/<str:token>/", day_participant.participant_page, name="participant"),
    path(
        "peserta/<str:token>/komitmen/<int:commitment_pk>/",
        day_participant.commitment_sign_view,
        name="commitment-sign",
    ),
]
