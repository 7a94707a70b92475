"""The plan stage's pages and API: what each kind of user sees and may do."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.events.models import Event, GeneratedDocument, Invitation, Participant
from sinergi.events.services import plan as services
from sinergi.events.services import plan_documents
from sinergi.events.tests.conftest import EVENT_DATE, make_event, make_participant
from sinergi.registry.models import Organisation

pytestmark = pytest.mark.django_db


def letter_text(event: Event, invitations: list[Invitation]) -> tuple[str, int]:
    """The words WeasyPrint lays out for the letters (what a reader of the PDF sees), and the pages."""
    from sinergi.core.pdf import html_document

    document = html_document(plan_documents.LETTER_TEMPLATE, plan_documents.letter_context(event, invitations))
    words = [
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(getattr(box, "text", None), str)
    ]
    return " ".join(" ".join(words).split()), len(document.pages)


# List, calendar, detail -----------------------------------------------------------------------------


def test_the_list_and_calendar_show_events_in_scope_only(
    event: Event, client_for: Callable[[User], Client], city_admin: User, west_admin: User, lurah_operator: User
) -> None:
    assert event.title in client_for(city_admin).get(reverse("events:list")).content.decode()
    month = {"year": EVENT_DATE.year, "month": EVENT_DATE.month}
    assert event.title in client_for(city_admin).get(reverse("events:calendar"), month).content.decode()
    for outsider in (west_admin, lurah_operator):  # another city; a kelurahan of another kecamatan
        assert event.title not in client_for(outsider).get(reverse("events:list")).content.decode()
        assert event.title not in client_for(outsider).get(reverse("events:calendar"), month).content.decode()


def test_an_outsider_gets_404_on_the_event(
    event: Event, client_for: Callable[[User], Client], west_admin: User
) -> None:
    client = client_for(west_admin)
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("events:participants", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:finish", args=[event.pk])).status_code == 404


def test_a_viewer_reads_but_gets_403_on_writes(
    event: Event, client_for: Callable[[User], Client], city_viewer: User
) -> None:
    client = client_for(city_viewer)
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:finish", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:cancel", args=[event.pk]), {"reason": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_staff_create_publish_and_see_the_hub(
    territory: Territory, units: Units, client_for: Callable[[User], Client], city_admin: User
) -> None:
    client = client_for(city_admin)
    response = client.post(
        reverse("events:create"),
        {
            "kind": "training",
            "unit": units.jakpus.pk,
            "region": territory.sawah_besar.code,
            "title": "Peningkatan Kapasitas Lembaga Kemasyarakatan",
            "first_date": "2026-09-27",
            "day_count": "2",
            "starts_at": "08:00",
            "ends_at": "16:00",
            "venue": "Aula Kantor Kecamatan Sawah Besar",
            "delegates_per_organisation": "2",
            "capacity": "120",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert [d.date for d in event.days.all()] == [datetime.date(2026, 9, 27), datetime.date(2026, 9, 28)]

    client.post(reverse("events:publish", args=[event.pk]))
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()

    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.letter_number in page
    assert "Published" in page


def test_a_bad_form_is_shown_again_with_the_error(
    territory: Territory, units: Units, client_for: Callable[[User], Client], city_admin: User
) -> None:
    response = client_for(city_admin).post(
        reverse("events:create"),
        {
            "kind": "meeting",
            "unit": units.jakpus.pk,
            "region": territory.jakpus.code,
            "title": "Rapat",
            "first_date": "2026-09-27",
            "day_count": "1",
            "starts_at": "16:00",
            "ends_at": "08:00",
            "venue": "Ruang Serbaguna",
            "delegates_per_organisation": "2",
        },
    )
    assert response.status_code == 422
    assert "must end after it starts" in response.content.decode()
    assert not Event.objects.exists()


def test_the_programme_pages_add_a_session_and_a_speaker(
    event: Event, client_for: Callable[[User], Client], city_admin: User
) -> None:
    client = client_for(city_admin)
    day = event.days.get()
    client.post(
        reverse("events:session-add", args=[event.pk]),
        {"day": day.pk, "starts_at": "09:00", "ends_at": "10:30", "title": "Pengawasan Pemilu"},
    )
    session = event.sessions.get()
    client.post(
        reverse("events:speaker-add", args=[event.pk, session.pk]),
        {"name": "Ahmad", "position": "Anggota", "institution": "Bawaslu"},
    )
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Pengawasan Pemilu" in page
    assert "Bawaslu" in page


# The representative's answer ------------------------------------------------------------------------


def test_the_representative_answers_on_the_phone_and_sees_the_qr_codes(
    event: Event, sawah_rt_org: Organisation, sawah_rt_chair: User, client_for: Callable[[User], Client]
) -> None:
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="Ketua RT 001/RW 001")
    client = client_for(sawah_rt_chair)
    url = reverse("events:invitation-answer", args=[invitation.pk])

    assert client.get(reverse("events:my-invitations")).status_code == 200
    response = client.post(
        url,
        {
            "attending": "yes",
            "name_1": "Hasan Basri",
            "phone_1": "081200000001",
            "name_2": "Rina Wati",
            "substitute_for_2": "Sekretaris RT",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()

    assert "Hasan Basri" in page
    assert "Rina Wati" in page
    assert page.count("data:image/svg+xml") == 2
    assert Participant.objects.filter(invitation=invitation, status="registered").count() == 2


def test_another_representative_gets_404_on_the_invitation(
    event: Event, sawah_invitation: Invitation, rt_chair: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(rt_chair)
    assert client.get(reverse("events:invitation-answer", args=[sawah_invitation.pk])).status_code == 404
    assert (
        client.post(reverse("events:invitation-answer", args=[sawah_invitation.pk]), {"attending": "no"}).status_code
        == 404
    )


def test_a_viewer_sees_the_answer_page_but_cannot_answer(
    event: Event, sawah_invitation: Invitation, city_viewer: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(city_viewer)
    url = reverse("events:invitation-answer", args=[sawah_invitation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"attending": "no"}).status_code == 403


# Open registration ----------------------------------------------------------------------------------


def test_open_registration_by_link_without_an_account(event: Event) -> None:
    event.open_registration = True
    event.save()
    url = reverse("events:register-open", args=[event.registration_token])

    response = Client().post(url, {"full_name": "Warga Umum", "phone": "081355556666"})
    again = Client().post(url, {"full_name": "Warga Umum", "phone": "0813-5555-6666"})

    assert response.status_code == 200
    assert "is registered" in response.content.decode()
    assert again.status_code == 422
    assert "already registered" in again.content.decode()
    assert event.participants.filter(source="open").count() == 1


def test_open_registration_is_404_when_switched_off(event: Event) -> None:
    assert Client().get(reverse("events:register-open", args=[event.registration_token])).status_code == 404


# Letters and export ---------------------------------------------------------------------------------


def test_the_invitation_letter_is_in_the_tata_naskah_dinas_form(
    event: Event,
    sawah_invitation: Invitation,
    participant: Participant,
    client_for: Callable[[User], Client],
    city_admin: User,
) -> None:
    response = client_for(city_admin).get(reverse("events:invitation-letter", args=[sawah_invitation.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text, _pages = letter_text(event, [sawah_invitation])
    for expected in (
        "BAGIAN PEMERINTAHAN KOTA ADMINISTRASI JAKARTA PUSAT",
        "Number : 005/123/Pem/IX/2023",
        "Nature : Important",
        "Attachment",
        "Subject : Invitation",
        sawah_invitation.addressee,
        "Aula Kantor Kecamatan Sawah Besar",
        "Dr. Ahmad Fauzi",
        "NIP 197501012000031001",
        "Siti Rahmawati",
    ):
        assert expected in text, expected


def test_all_letters_are_made_by_a_task_with_one_letter_per_invitation(
    event: Event,
    city_admin: User,
    kinds: dict[str, object],
    territory: Territory,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from sinergi.registry.models import OrganisationKind

    lmk = OrganisationKind.objects.get(code="lmk")
    for n in range(3):
        org = Organisation.objects.create(kind=lmk, name=f"LMK {n}", region=territory.kel_pasar_baru)
        Invitation.objects.create(event=event, organisation=org, addressee=f"Ketua LMK {n}")

    with django_capture_on_commit_callbacks(execute=True):
        document = plan_documents.document_request(
            by=city_admin, event=event, kind=GeneratedDocument.Kind.INVITATION_LETTERS
        )

    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE
    assert document.file.read().startswith(b"%PDF")
    text, pages = letter_text(event, list(event.invitations.order_by("pk")))
    assert all(f"Ketua LMK {n}" in text for n in range(3))
    assert pages == 3


def test_the_participants_export_to_excel(
    event: Event,
    participant: Participant,
    client_for: Callable[[User], Client],
    city_viewer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from openpyxl import load_workbook

    make_participant(event, '=HYPERLINK("x")', phone="081299990000")
    client = client_for(city_viewer)  # reading staff may export
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:plan-document-request", args=[event.pk, "excel"]))
    document = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.PARTICIPANTS_XLSX)
    assert response.status_code == 302
    status = client.get(reverse("events:plan-document", args=[event.pk, document.pk]), headers={"HX-Request": "true"})
    assert "Ready" in status.content.decode()

    download = client.get(reverse("events:plan-document-download", args=[event.pk, document.pk]))
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Full name", "Position")
    assert rows[1][1] == "Siti Rahmawati"
    assert rows[1][3] == "RT 001/RW 001"
    assert rows[2][1] == '\'=HYPERLINK("x")'  # never a formula


def test_another_users_export_is_not_offered_to_an_outsider(
    event: Event, city_admin: User, west_admin: User, client_for: Callable[[User], Client]
) -> None:
    document = plan_documents.document_request(
        by=city_admin, event=event, kind=GeneratedDocument.Kind.PARTICIPANTS_XLSX
    )
    assert (
        client_for(west_admin).get(reverse("events:plan-document-download", args=[event.pk, document.pk])).status_code
        == 404
    )


# Invitations: make and send -------------------------------------------------------------------------


def test_sending_reaches_the_representative_in_app_by_email_and_the_gateway(
    event: Event,
    city_admin: User,
    sawah_rt_org: Organisation,
    sawah_rt_chair: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from sinergi.notifications.models import OutboundMessage

    Invitation.objects.create(
        event=event, organisation=sawah_rt_org, addressee="Ketua", email="rt1@contoh.id", phone="081211112222"
    )
    client = client_for(city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:invitations-send", args=[event.pk]))

    assert sawah_rt_chair.notifications.filter(title__startswith="Invitation").exists()
    channels = set(OutboundMessage.objects.values_list("channel", "recipient"))
    assert ("email", "rt1@contoh.id") in channels
    assert ("whatsapp", "081211112222") in channels
    assert not event.invitations.filter(sent_at__isnull=True).exists()
    # Sending again reaches nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:invitations-send", args=[event.pk]))
    assert OutboundMessage.objects.filter(recipient="rt1@contoh.id").count() == 1
    page = client.get(
        reverse("events:invitations", args=[event.pk]), {"part": "progress"}, headers={"HX-Request": "true"}
    )
    assert "1 of 1 invitations sent" in page.content.decode()


# API ------------------------------------------------------------------------------------------------


def test_the_api_creates_publishes_and_lists(
    territory: Territory, units: Units, api_client_for: Callable[[User], Client], city_admin: User
) -> None:
    client = api_client_for(city_admin)
    body = {
        "kind": "meeting",
        "unit_id": units.jakpus.pk,
        "region": territory.jakpus.code,
        "title": "Rapat Koordinasi dengan 10 Ormas",
        "venue": "Ruang Serbaguna Utama Kantor Wali Kota Jakarta Pusat",
        "days": [{"date": "2026-07-10", "starts_at": "09:00", "ends_at": "12:00"}],
    }
    created = client.post("/api/v1/events/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    published = client.post(f"/api/v1/events/{pk}/publish")
    assert published.json()["status"] == "published"
    assert [e["id"] for e in client.get("/api/v1/events/").json()["items"]] == [pk]


def test_the_api_refuses_a_viewer_and_hides_the_event_from_an_outsider(
    event: Event, api_client_for: Callable[[User], Client], city_viewer: User, west_admin: User
) -> None:
    viewer = api_client_for(city_viewer)
    assert viewer.get(f"/api/v1/events/{event.pk}/").status_code == 200
    assert viewer.post(f"/api/v1/events/{event.pk}/finish").status_code == 403
    assert api_client_for(west_admin).get(f"/api/v1/events/{event.pk}/").status_code == 404


def test_the_api_answer_and_the_waiting_list(
    territory: Territory,
    units: Units,
    city_admin: User,
    sawah_rt_org: Organisation,
    sawah_rt_chair: User,
    api_client_for: Callable[[User], Client],
) -> None:
    event = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, capacity=1)
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="Ketua")
    answer = api_client_for(sawah_rt_chair).post(
        f"/api/v1/events/invitations/{invitation.pk}/answer",
        {"attending": True, "delegates": [{"full_name": "Hasan"}, {"full_name": "Rina"}]},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    statuses = sorted(d["status"] for d in answer.json()["delegates"])
    assert statuses == ["registered", "waitlisted"]
    assert answer.json()["delegates"][0]["page_url"].startswith("http")


def test_the_api_open_registration(event: Event) -> None:
    event.open_registration = True
    event.save()
    url = f"/api/v1/events/register/{event.registration_token}"
    assert Client().get(url).json()["title"] == event.title
    made = Client().post(url, {"full_name": "Umum", "email": "umum@contoh.id"}, content_type="application/json")
    assert made.status_code == 201
    twice = Client().post(url, {"full_name": "Umum", "email": "UMUM@contoh.id"}, content_type="application/json")
    assert twice.status_code == 422


def test_services_keep_the_event_in_scope_after_a_write(event: Event, city_admin: User) -> None:
    services.event_update(by=city_admin, event=event, title="Judul Baru")
    assert Event.objects.visible_to(city_admin).filter(title="Judul Baru").exists()


def test_a_kelurahan_operator_of_the_kecamatan_sees_the_event_but_cannot_change_it(
    event: Event, outsider_operator: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(outsider_operator)  # Pasar Baru lies in Sawah Besar, the event's kecamatan
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_run_a_fixed_number_of_queries(
    territory: Territory, units: Units, city_admin: User, client_for: Callable[[User], Client], event: Event
) -> None:
    client = client_for(city_admin)
    urls = [reverse("events:list"), reverse("events:participants", args=[event.pk])]
    urls.append(reverse("events:invitations", args=[event.pk]))
    make_participant(event, "Satu", phone="081100000011")
    Invitation.objects.create(event=event, addressee="Pejabat")
    before = [_queries(client, url) for url in urls]
    for n in range(5):
        make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin)
        make_participant(event, f"Peserta {n}", phone=f"08120000{n:04d}")
        Invitation.objects.create(event=event, addressee=f"Pejabat {n}")

    assert [_queries(client, url) for url in urls] == before


def test_the_audience_page_saves_a_rule_and_invitations_follow(
    event: Event,
    city_admin: User,
    client_for: Callable[[User], Client],
    sawah_rt_org: Organisation,
    territory: Territory,
) -> None:
    client = client_for(city_admin)
    assert client.get(reverse("events:audience", args=[event.pk])).status_code == 200
    response = client.post(
        reverse("events:audience", args=[event.pk]),
        {"kinds": ["rt", "lmk"], "region_codes": [territory.sawah_besar.code]},
    )
    assert response.status_code == 302
    client.post(reverse("events:invitations-create", args=[event.pk]))

    event.refresh_from_db()
    assert event.audience["kinds"] == ["rt", "lmk"]
    assert list(event.invitations.values_list("organisation", flat=True)) == [sawah_rt_org.pk]
    page = client.get(reverse("events:invitations", args=[event.pk])).content.decode()
    assert "rt 1" in page


def test_an_empty_audience_is_refused(event: Event, city_admin: User, client_for: Callable[[User], Client]) -> None:
    # A browser always sends the CSRF token: the form is bound even with nothing chosen.
    response = client_for(city_admin).post(reverse("events:audience", args=[event.pk]), {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 422
    assert "Choose kinds of organisation" in response.content.decode()
