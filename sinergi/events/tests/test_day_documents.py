"""The day's PDFs: the signed attendance list per day, the blank one for wet signatures, the signed
commitments; and their making as a file by a task for a large event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.events.models import EventCommitment, EventDay, GeneratedDocument, Participant
from sinergi.events.services import day_documents
from sinergi.events.services.day_checkin import check_in, check_in_sign
from sinergi.events.services.day_commitments import commitment_sign, text_digest
from sinergi.events.tests.conftest import make_event, make_participant

pytest_plugins = ["sinergi.events.tests.conftest_day"]
pytestmark = pytest.mark.django_db

PdfText = Callable[[str, dict[str, Any]], str]


@pytest.fixture
def two_present(city_admin: User, event_day: EventDay, participant: Participant, signature: str) -> list[Participant]:
    """Three registered: Siti (checked in, signed), Joko (checked in), Ani (absent)."""
    joko = make_participant(event_day.event, "Joko Widodo Santoso", position="Ketua RW")
    make_participant(event_day.event, "Ani Suryani")
    made = check_in(by=city_admin, day=event_day, token=participant.token).check_in
    check_in_sign(by=city_admin, check_in=made, signature=signature)
    check_in(by=city_admin, day=event_day, token=joko.token)
    return [participant, joko]


def test_the_signed_attendance_list_holds_every_name_and_the_count(
    event_day: EventDay, two_present: list[Participant], pdf_text: PdfText
) -> None:
    context = day_documents.attendance_context(event_day.event, day=event_day)
    text = pdf_text("events/pdf/day_attendance.html", context)

    assert "ATTENDANCE LIST" in text
    assert "2 of 3 registered participants" in text
    for name in ("Siti Rahmawati", "Joko Widodo Santoso", "Ani Suryani"):
        assert name in text
    section = context["sections"][0]
    signed = [c for _n, _p, c in section.rows if c is not None and c.signature]
    assert len(signed) == 1
    assert day_documents.attendance_pdf(event=event_day.event, day=event_day).startswith(b"%PDF")


def test_the_blank_list_has_the_names_and_no_signatures(
    event_day: EventDay, two_present: list[Participant], pdf_text: PdfText
) -> None:
    context = day_documents.attendance_context(event_day.event, day=event_day, blank=True)
    text = pdf_text("events/pdf/day_attendance.html", context)

    assert "Ani Suryani" in text
    assert "registered participants" not in text
    assert all(c is None for _n, _p, c in context["sections"][0].rows)


def test_a_multi_day_list_has_one_section_per_day(
    territory: Territory, units: Units, city_admin: User, pdf_text: PdfText
) -> None:
    event = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, days=3)
    person = make_participant(event, "Hendra Gunawan")
    first = event.days.order_by("date").first()
    assert first is not None
    check_in(by=city_admin, day=first, token=person.token)

    text = pdf_text("events/pdf/day_attendance.html", day_documents.attendance_context(event))

    assert text.count("ATTENDANCE LIST") == 3
    assert text.count("1 of 1 registered participants") == 1
    assert text.count("0 of 1 registered participants") == 2


def test_the_commitments_pdf_holds_the_text_and_every_signature(
    event_pact: EventCommitment, participant: Participant, signature: str, pdf_text: PdfText
) -> None:
    other = make_participant(participant.event, "Bambang Pamungkas")
    for person in (participant, other):
        commitment_sign(
            participant=person,
            commitment=event_pact,
            typed_name=person.full_name,
            drawn=signature,
            digest=text_digest(event_pact.text),
        )

    text = pdf_text("events/pdf/day_commitments.html", day_documents.commitments_context(participant.event))

    assert "PAKTA INTEGRITAS" in text
    assert "Menolak segala bentuk politik uang" in text
    assert "Signed by 2 of 2 participants" in text
    assert "Siti Rahmawati" in text
    assert "Bambang Pamungkas" in text
    assert text_digest(event_pact.text) in text.replace(" ", "")


def test_staff_and_viewers_download_the_day_pdfs_and_outsiders_get_404(
    client_for: Callable[[User], Client],
    city_admin: User,
    city_viewer: User,
    west_admin: User,
    event_day: EventDay,
    event_pact: EventCommitment,
) -> None:
    event = event_day.event
    urls = [
        reverse("events:attendance-pdf", args=[event.pk, event_day.pk]),
        reverse("events:attendance-blank-pdf", args=[event.pk, event_day.pk]),
        reverse("events:commitments-pdf", args=[event.pk]),
    ]
    for url in urls:
        for user in (city_admin, city_viewer):
            response = client_for(user).get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
        assert client_for(west_admin).get(url).status_code == 404


def test_a_large_event_makes_its_documents_as_a_task(
    client_for: Callable[[User], Client],
    city_admin: User,
    city_viewer: User,
    event_day: EventDay,
    two_present: list[Participant],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SINERGI_EVENTS_DIRECT_PDF_MAX = 2
    event = event_day.event
    client = client_for(city_admin)

    assert client.get(reverse("events:attendance-pdf", args=[event.pk, event_day.pk])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:day-documents", args=[event.pk]), {"kind": "attendance_signed"})
    assert response.status_code == 302

    document = GeneratedDocument.objects.get()
    assert document.status == GeneratedDocument.Status.DONE
    assert document.progress == 100
    download = client.get(reverse("events:day-document-file", args=[event.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    page = client.get(reverse("events:day-documents", args=[event.pk]), HTTP_HX_REQUEST="true")
    assert "Download" in page.content.decode()
    assert (
        client_for(city_viewer)
        .post(reverse("events:day-documents", args=[event.pk]), {"kind": "commitments"})
        .status_code
        == 403
    )


def test_running_the_task_twice_does_nothing_the_second_time(
    city_admin: User, event_day: EventDay, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = day_documents.day_document_request(
            by=city_admin, event=event_day.event, kind=GeneratedDocument.Kind.ATTENDANCE_BLANK
        )
    document.refresh_from_db()
    name = document.file.name

    again = day_documents.day_document_make(document_id=document.pk)

    assert again is not None
    assert again.file.name == name
    assert GeneratedDocument.objects.count() == 1


def test_an_invited_representative_sees_the_event_but_not_everyones_signatures(
    client_for: Callable[[User], Client],
    sawah_rt_chair: User,
    sawah_invitation: Any,
    event_day: EventDay,
    two_present: list[Participant],
) -> None:
    client = client_for(sawah_rt_chair)
    event = event_day.event

    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    for name, args in (
        ("events:attendance-pdf", [event.pk, event_day.pk]),
        ("events:attendance-blank-pdf", [event.pk, event_day.pk]),
        ("events:commitments-pdf", [event.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        reverse("events:attendance-pdf", args=[event.pk, event_day.pk])
        not in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    )
