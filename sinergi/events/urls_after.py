"""Pages of the after stage (tests, survey, certificates, documents) under /kegiatan/."""

from django.urls import URLPattern, path

from sinergi.events.views import after_participant, after_staff

urlpatterns: list[URLPattern] = [
    # Question banks (staff).
    path("bank-soal/", after_staff.bank_list, name="banks"),
    path("bank-soal/<int:pk>/", after_staff.bank_detail, name="bank"),
    path("bank-soal/soal/<int:pk>/hapus/", after_staff.question_delete, name="question-delete"),
    # An event's tests, survey, certificates and documents (staff).
    path("<int:pk>/tes/", after_staff.tests, name="tests"),
    path("<int:pk>/tes/<str:kind>/soal/", after_staff.test_questions, name="test-questions"),
    path("<int:pk>/tes/<str:kind>/status/", after_staff.test_state, name="test-state"),
    path("<int:pk>/survei/", after_staff.survey_results, name="survey-results"),
    path("<int:pk>/survei/status/", after_staff.survey_state, name="survey-state"),
    path("<int:pk>/sertifikat/", after_staff.certificates, name="certificates"),
    path("<int:pk>/sertifikat/terbitkan/", after_staff.certificates_issue, name="certificates-issue"),
    path("<int:pk>/sertifikat/<int:certificate_pk>/cabut/", after_staff.certificate_revoke, name="certificate-revoke"),
    path("<int:pk>/laporan/", after_staff.report_request, name="report"),
    path("<int:pk>/dokumen/", after_staff.documents, name="documents"),
    path("dokumen/<int:pk>/unduh/", after_staff.document_download, name="document-download"),
    # The participant, from their token page (no account).
    path("peserta/<str:token>/tes/<str:kind>/", after_participant.test_take, name="test-take"),
    path("peserta/<str:token>/survei/", after_participant.survey, name="survey"),
    path("peserta/<str:token>/sertifikat/", after_participant.certificate_download, name="certificate-download"),
    # Public verification of a certificate (no account).
    path("sertifikat/", after_participant.certificate_lookup, name="certificate-lookup"),
    path("sertifikat/<str:code>/", after_participant.certificate_verify, name="certificate-verify"),
]
