from django.urls import include, path

from sinergi.registry.views import organisations, people, records, selfservice

app_name = "registry"
urlpatterns = [
    path("", organisations.organisation_list, name="list"),
    path("baru/", organisations.organisation_create, name="create"),
    path("kedaluwarsa/", organisations.expiring, name="expiring"),
    path("masa-bakti/", organisations.terms_ending, name="terms-ending"),
    path("belum-lapor/", organisations.not_reported, name="not-reported"),
    path("<int:pk>/", organisations.organisation_detail, name="detail"),
    path("<int:pk>/ubah/", organisations.organisation_edit, name="edit"),
    path("<int:pk>/status/", organisations.organisation_status, name="status"),
    path("<int:pk>/legal/", organisations.ormas_profile, name="ormas"),
    path("<int:pk>/kontak/", selfservice.contact_edit, name="contact"),
    path("<int:pk>/riwayat/", organisations.organisation_history, name="history"),
    path("<int:pk>/dokumen/", records.document_add, name="document-add"),
    path("dokumen/<int:pk>/", records.document_file, name="document-file"),
    path("<int:pk>/pengurus/", people.officer_add, name="officer-add"),
    path("pengurus/<int:pk>/berhenti/", people.officer_end, name="officer-end"),
    path("<int:pk>/pembinaan/", records.coaching_add, name="coaching-add"),
    path("pembinaan/<int:pk>/lampiran/", records.coaching_file, name="coaching-file"),
    path("<int:pk>/sanksi/", records.sanction_add, name="sanction-add"),
    path("sanksi/<int:pk>/dipatuhi/", records.sanction_resolve, name="sanction-resolve"),
    path("sanksi/<int:pk>/<str:which>/", records.sanction_file, name="sanction-file"),
    path("<int:pk>/kegiatan/", records.activity_add, name="activity-add"),
    path("foto/<int:pk>/", records.photo_file, name="photo"),
    path("<int:pk>/perwakilan/", people.representative_add, name="representative-add"),
    path("perwakilan/<int:pk>/cabut/", people.representative_revoke, name="representative-revoke"),
    path("orang/<int:pk>/", people.person_detail, name="person"),
    path("orang/<int:pk>/nik/", people.person_reveal, name="person-reveal"),
    path("usulan/", selfservice.request_list, name="requests"),
    path("usulan/<int:pk>/", selfservice.request_detail, name="request"),
    path("usulan/<int:pk>/lampiran/", selfservice.request_file, name="request-file"),
    path("saya/", selfservice.mine, name="mine"),
    path("saya/<int:pk>/", selfservice.mine_detail, name="mine-detail"),
    path("<int:pk>/usul-pengurus/", selfservice.propose_officer, name="propose-officer"),
    path("pengurus/<int:pk>/usul-berhenti/", selfservice.propose_officer_end, name="propose-officer-end"),
    # Import and export pages (registry:imports, registry:export ...), kept in their own module.
    path("", include("sinergi.registry.urls_io")),
]
