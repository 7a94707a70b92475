"""The after stage's pages: the participant's test and survey on a phone, the public certificate
page, staff pages, the documents made as tasks (certificates PDF, activity report)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.events.models import (
    Certificate,
    Event,
    EventDay,
    GeneratedDocument,
    Participant,
    QuestionBank,
    Survey,
    SurveyResponse,
)
from sinergi.events.models import Test as EventTest
from sinergi.events.models import TestAttempt as EventTestAttempt
from sinergi.events.selectors import after_report
from sinergi.events.services import after_documents, after_tests
from sinergi.events.tests.conftest import make_participant
from sinergi.events.tests.conftest_after import answer_all, check_in

pytest_plugins = ["sinergi.events.tests.conftest_after"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _radio_post(test: EventTest, right: int) -> dict[str, Any]:
    return {f"q{q}": c for q, c in answer_all(test, right).items()}


# The participant on a phone ----------------------------------------------------------------------


def test_a_participant_takes_the_pre_test_once_from_their_page(pre_test: EventTest, participant: Participant) -> None:
    client = Client()
    url = reverse("events:test-take", args=[participant.token, "pre"])

    page = client.get(url)
    assert page.status_code == 200
    assert "Kapan pemungutan suara Pemilu 2024?" in page.content.decode()

    response = client.post(url, _radio_post(pre_test, 3), follow=True)
    assert "Your score: 100.00 (3 of 3 right)" in response.content.decode()

    again = client.post(url, _radio_post(pre_test, 0), follow=True)
    assert EventTestAttempt.objects.get(participant=participant).score == Decimal("100.00")
    assert "Submit my answers" not in again.content.decode()


def test_a_half_answered_test_is_shown_again_with_a_message(pre_test: EventTest, participant: Participant) -> None:
    answers = _radio_post(pre_test, 2)
    answers.pop(next(iter(answers)))

    response = Client().post(reverse("events:test-take", args=[participant.token, "pre"]), answers)

    assert response.status_code == 200
    assert "Choose an answer." in response.content.decode()
    assert not EventTestAttempt.objects.exists()


def test_a_closed_test_says_so_and_an_unknown_token_is_404(pre_test: EventTest, participant: Participant) -> None:
    pre_test.is_open = False
    pre_test.save()

    closed = Client().get(reverse("events:test-take", args=[participant.token, "pre"]))
    unknown = Client().get(reverse("events:test-take", args=["tidak-ada", "pre"]))

    assert "This test is not open now" in closed.content.decode()
    assert unknown.status_code == 404


def test_the_participant_panel_links_to_open_tests_survey_and_certificate(
    pre_test: EventTest, survey_open: Survey, participant: Participant, event: Event, event_day: EventDay
) -> None:
    check_in(participant, event_day)
    after_documents.certificates_issue(event=event)

    html = render_to_string("events/after/_participant_panel.html", {"participant": participant})

    assert reverse("events:test-take", args=[participant.token, "pre"]) in html
    assert reverse("events:survey", args=[participant.token]) in html
    assert reverse("events:certificate-download", args=[participant.token]) in html
    assert "/post/" not in html  # no post-test yet


def test_a_participant_answers_the_survey_on_their_page(survey_open: Survey, participant: Participant) -> None:
    url = reverse("events:survey", args=[participant.token])
    data: dict[str, Any] = {f"u{i}": 3 for i in range(1, 10)}

    incomplete = Client().post(url, {**data, "u4": ""})
    assert "Choose one of the four answers." in incomplete.content.decode()

    Client().post(url, {**data, "suggestion": "Mohon materi dibagikan."})
    response = SurveyResponse.objects.get()
    assert (response.u1, response.u9, response.suggestion) == (3, 3, "Mohon materi dibagikan.")
    assert "already answered" in Client().get(url).content.decode()


def test_a_participant_downloads_their_certificate(event: Event, event_day: EventDay, participant: Participant) -> None:
    check_in(participant, event_day)
    after_documents.certificates_issue(event=event)

    response = Client().get(reverse("events:certificate-download", args=[participant.token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_certificate_download_without_one(participant: Participant) -> None:
    assert Client().get(reverse("events:certificate-download", args=[participant.token])).status_code == 404


# Public verification -----------------------------------------------------------------------------


def test_the_public_page_verifies_a_certificate_with_only_name_event_and_date(
    event: Event, event_day: EventDay, participant: Participant
) -> None:
    check_in(participant, event_day)
    (certificate,) = after_documents.certificates_issue(event=event)

    response = Client().get(reverse("events:certificate-verify", args=[certificate.code]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Valid" in html
    assert participant.full_name in html
    assert event.title in html
    assert str(event_day.date.year) in html
    for personal in (participant.phone, participant.position, participant.organisation.name, participant.token):  # type: ignore[union-attr]
        assert personal not in html


def test_a_revoked_certificate_shows_as_revoked(
    event: Event, event_day: EventDay, participant: Participant, city_admin: User
) -> None:
    check_in(participant, event_day)
    (certificate,) = after_documents.certificates_issue(event=event)
    after_documents.certificate_revoke(certificate=certificate, reason="Data peserta keliru", by=city_admin)

    html = Client().get(reverse("events:certificate-verify", args=[certificate.code])).content.decode()

    assert "Revoked" in html
    assert "no longer valid" in html


def test_an_unknown_code_is_not_found_and_the_lookup_form_redirects() -> None:
    response = Client().get(reverse("events:certificate-verify", args=["ZZZZZ-ZZZZZ"]))
    lookup = Client().get(reverse("events:certificate-lookup"), {"code": " abcde-23456 "})

    assert response.status_code == 404
    assert "No certificate has the code" in response.content.decode()
    assert lookup["Location"] == reverse("events:certificate-verify", args=["ABCDE-23456"])


def test_the_certificate_qr_code_opens_the_verification_page(event: Event, participant: Participant) -> None:
    certificate = Certificate.objects.create(participant=participant)

    context = after_report.certificate_pages(event, [certificate])

    assert context["pages"][0]["url"].endswith(reverse("events:certificate-verify", args=[certificate.code]))
    assert context["pages"][0]["qr"].startswith("data:image/png;base64,")


# Staff -------------------------------------------------------------------------------------------


def test_staff_pick_questions_and_open_the_test(
    event: Event, bank: QuestionBank, city_admin: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(city_admin)
    ids = list(bank.questions.values_list("pk", flat=True))

    client.post(reverse("events:test-questions", args=[event.pk, "pre"]), {"questions": ids})
    client.post(reverse("events:test-state", args=[event.pk, "pre"]), {"open": "1"})

    test = EventTest.objects.get(event=event, kind="pre")
    assert test.is_open
    assert sorted(test.questions.values_list("pk", flat=True)) == sorted(ids)
    page = client.get(reverse("events:tests", args=[event.pk])).content.decode()
    assert "Open" in page


def test_the_post_test_offers_the_pre_tests_questions(
    event: Event, pre_test: EventTest, city_admin: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(city_admin).get(reverse("events:test-questions", args=[event.pk, "post"]))

    assert all(q in page.context["form"].initial["questions"] for q in pre_test.questions.all())


def test_staff_see_the_knowledge_gain_and_the_ikm(
    event: Event,
    pre_test: EventTest,
    post_test: EventTest,
    survey_open: Survey,
    participant: Participant,
    city_viewer: User,
    client_for: Callable[[User], Client],
) -> None:
    after_tests.attempt_submit(test=pre_test, participant=participant, answers=answer_all(pre_test, 1))
    after_tests.attempt_submit(test=post_test, participant=participant, answers=answer_all(post_test, 3))
    SurveyResponse.objects.create(event=event, participant=participant, **dict.fromkeys(SurveyResponse.ELEMENTS, 3))
    client = client_for(city_viewer)

    tests_page = client.get(reverse("events:tests", args=[event.pk])).content.decode()
    survey_page = client.get(reverse("events:survey-results", args=[event.pk])).content.decode()

    assert "66.67" in tests_page  # 100.00 - 33.33
    assert "75.00" in survey_page  # every element 3: 3 x 25
    assert "Open the survey" not in survey_page  # the viewer reads only


def test_a_representative_does_not_see_staff_pages(
    event: Event, sawah_invitation: Any, sawah_rt_chair: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(sawah_rt_chair)
    for name in ("events:tests", "events:survey-results", "events:certificates", "events:documents"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404


def test_the_certificates_task_issues_and_prints_with_progress(
    event: Event,
    event_day: EventDay,
    participant: Participant,
    city_admin: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    check_in(participant, event_day)
    make_participant(event, "Tidak Hadir")
    client = client_for(city_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:certificates-issue", args=[event.pk]), headers={"HX-Request": "true"})

    document = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.CERTIFICATES)
    assert response.status_code == 200
    assert (document.status, document.progress) == ("done", 100)
    assert Certificate.objects.filter(participant__event=event).count() == 1
    download = client.get(reverse("events:document-download", args=[document.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_certificates_need_someone_who_attended(
    event: Event, participant: Participant, city_admin: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(city_admin).post(reverse("events:certificates-issue", args=[event.pk]), follow=True)

    assert "Nobody has attended yet" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_the_documents_panel_polls_while_a_document_is_being_made(
    event: Event, city_admin: User, client_for: Callable[[User], Client]
) -> None:
    waiting = GeneratedDocument.objects.create(event=event, kind="report", requested_by=city_admin, progress=40)
    client = client_for(city_admin)

    busy = client.get(reverse("events:documents", args=[event.pk])).content.decode()
    waiting.status = GeneratedDocument.Status.FAILED
    waiting.save()
    idle = client.get(reverse("events:documents", args=[event.pk])).content.decode()

    assert 'hx-trigger="every 2s"' in busy
    assert 'value="40"' in busy
    assert "hx-trigger" not in idle


def test_a_viewer_cannot_request_a_report(
    event: Event, city_viewer: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(city_viewer).post(reverse("events:report", args=[event.pk]))

    assert response.status_code == 403
    assert not GeneratedDocument.objects.exists()


# The activity report -----------------------------------------------------------------------------


def test_the_activity_report_holds_the_right_counts(
    event: Event,
    event_day: EventDay,
    participant: Participant,
    pre_test: EventTest,
    post_test: EventTest,
    survey_open: Survey,
    city_admin: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    others = [make_participant(event, f"Peserta {i}", organisation=participant.organisation) for i in range(3)]
    make_participant(event, "Masih Menunggu", status=Participant.Status.WAITLISTED)
    for person in [participant, *others[:2]]:
        check_in(person, event_day)
    for person, (before, after_) in zip([participant, others[0]], [(1, 3), (2, 2)], strict=True):
        after_tests.attempt_submit(test=pre_test, participant=person, answers=answer_all(pre_test, before))
        after_tests.attempt_submit(test=post_test, participant=person, answers=answer_all(post_test, after_))
    SurveyResponse.objects.create(event=event, participant=participant, **dict.fromkeys(SurveyResponse.ELEMENTS, 4))

    context = after_report.report_context(event)
    html = render_to_string("events/pdf/after_report.html", context)
    annex = render_to_string("events/pdf/after_report_annex.html", context)

    assert (context["registered"], context["attended"]) == (4, 3)  # the waitlisted one is not counted
    assert context["attended_rate"] == Decimal("75.00")
    assert context["by_kind"] == [("RT (Rukun Tetangga)", 4)]
    assert context["by_area"] == [("Pasar Baru", 4)]  # the kelurahan, one level below the kecamatan event
    assert (context["gain"].paired, context["gain"].improved) == (2, 1)
    assert context["ikm"].converted == Decimal("100.00")
    assert "4 participants were registered." in html
    assert "3 attended on at least one day (75.00%)." in html
    assert "Satisfaction index (IKM): 100.00, quality A (Very good)." in html
    assert annex.count(participant.full_name) == 1
    assert "Peserta 2" not in annex  # registered but absent

    with django_capture_on_commit_callbacks(execute=True):
        client_for(city_admin).post(reverse("events:report", args=[event.pk]))
    document = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.REPORT)
    assert document.status == GeneratedDocument.Status.DONE, document.error
    assert document.file.read().startswith(b"%PDF")


def test_a_second_request_while_the_first_runs_returns_the_same_document(event: Event, city_admin: User) -> None:
    first = after_documents.document_request(event=event, kind="report", by=city_admin)
    second = after_documents.document_request(event=event, kind="report", by=city_admin)

    assert first == second
    assert after_documents.document_build(document_id=first.pk) == "done"
    assert after_documents.document_build(document_id=first.pk) == "done"  # a second run changes nothing


# The panels on the other stages' pages -----------------------------------------------------------


def test_the_event_page_shows_the_after_panel_to_staff_only(
    event: Event,
    sawah_invitation: Any,
    city_admin: User,
    sawah_rt_chair: User,
    client_for: Callable[[User], Client],
) -> None:
    staff = client_for(city_admin).get(reverse("events:detail", args=[event.pk])).content.decode()
    chair = client_for(sawah_rt_chair).get(reverse("events:detail", args=[event.pk]))

    assert "After the event" in staff
    assert reverse("events:report", args=[event.pk]) in staff
    assert "After the event" not in chair.content.decode()


def test_the_participant_page_links_to_the_open_test(pre_test: EventTest, participant: Participant) -> None:
    page = Client().get(reverse("events:participant", args=[participant.token])).content.decode()

    assert reverse("events:test-take", args=[participant.token, "pre"]) in page
