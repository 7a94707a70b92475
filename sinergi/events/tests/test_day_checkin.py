"""Check-in at the door: by QR code or by name, once per participant per day, a second scan
recognised, refusals that store nothing, the signature at check-in, and the staff page."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.events.models import CheckIn, Event, EventDay, Participant
from sinergi.events.services.day_checkin import check_in, check_in_sign, token_from_scan
from sinergi.events.tests.conftest import make_event, make_participant

pytest_plugins = ["sinergi.events.tests.conftest_day"]
pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(participant: Participant) -> str:
    return f"https://sinergi.example.go.id/kegiatan/peserta/{participant.token}/"


def test_it_reads_the_token_from_the_page_address_or_alone(participant: Participant) -> None:
    assert token_from_scan(page_url(participant)) == participant.token
    assert token_from_scan(f"  {participant.token} ") == participant.token
    assert token_from_scan("https://example.com/other/") == ""
    assert token_from_scan("<script>") == ""


def test_it_checks_a_participant_in_by_the_qr_code(
    city_admin: User, event_day: EventDay, participant: Participant
) -> None:
    result = check_in(by=city_admin, day=event_day, token=page_url(participant))

    assert result.created
    assert result.check_in.participant == participant
    assert result.check_in.method == CheckIn.Method.QR
    assert AuditEvent.objects.filter(action="events.checkin.create").count() == 1


def test_a_second_scan_is_recognised_and_not_counted_twice(
    city_admin: User, event_day: EventDay, participant: Participant
) -> None:
    first = check_in(by=city_admin, day=event_day, token=participant.token)
    second = check_in(by=city_admin, day=event_day, token=page_url(participant))

    assert not second.created
    assert second.check_in.pk == first.check_in.pk
    assert CheckIn.objects.filter(participant=participant).count() == 1
    assert AuditEvent.objects.filter(action="events.checkin.create").count() == 1


def test_each_day_of_a_multi_day_event_is_counted_separately(
    territory: Territory, units: Units, city_admin: User
) -> None:
    event = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, days=3)
    day1, day2, _day3 = event.days.order_by("date")
    person = make_participant(event, "Bambang Sutrisno")

    check_in(by=city_admin, day=day1, token=person.token)
    check_in(by=city_admin, day=day1, token=person.token)
    check_in(by=city_admin, day=day2, token=person.token)

    assert day1.check_ins.count() == 1
    assert day2.check_ins.count() == 1
    assert event.days.order_by("date")[2].check_ins.count() == 0


def test_an_unknown_code_is_refused(city_admin: User, event_day: EventDay, participant: Participant) -> None:
    with pytest.raises(ValidationError, match="not a Sinergi participant code"):
        check_in(by=city_admin, day=event_day, token="x" * 32)
    with pytest.raises(ValidationError, match="not a Sinergi participant code"):
        check_in(by=city_admin, day=event_day, token="hello")
    assert not CheckIn.objects.exists()


def test_a_code_of_another_event_is_refused(
    territory: Territory, units: Units, city_admin: User, event_day: EventDay
) -> None:
    other = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, title="Rapat lain")
    stranger = make_participant(other, "Dewi Lestari")

    with pytest.raises(ValidationError, match="registered for another event"):
        check_in(by=city_admin, day=event_day, token=stranger.token)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [(Participant.Status.WAITLISTED, "waiting list"), (Participant.Status.CANCELLED, "was cancelled")],
)
def test_a_participant_without_a_place_is_refused(
    city_admin: User, event: Event, event_day: EventDay, status: str, message: str
) -> None:
    person = make_participant(event, "Rudi Hartono", status=status)

    with pytest.raises(ValidationError, match=message):
        check_in(by=city_admin, day=event_day, token=person.token)
    assert not CheckIn.objects.exists()


def test_the_attendance_of_a_finished_event_cannot_change(
    city_admin: User, event: Event, event_day: EventDay, participant: Participant, signature: str
) -> None:
    made = check_in(by=city_admin, day=event_day, token=participant.token).check_in
    event.status = Event.Status.FINISHED
    event.save(update_fields=["status"])
    late = make_participant(event, "Agus Salim")

    with pytest.raises(ValidationError, match="finished"):
        check_in(by=city_admin, day=event_day, token=late.token)
    with pytest.raises(ValidationError, match="finished"):
        check_in_sign(by=city_admin, check_in=made, signature=signature)
    assert CheckIn.objects.count() == 1
    made.refresh_from_db()
    assert made.signature == ""


def test_a_viewer_and_an_outsider_cannot_check_in(
    city_viewer: User, outsider_operator: User, event_day: EventDay, participant: Participant
) -> None:
    for user in (city_viewer, outsider_operator):
        with pytest.raises(PermissionDenied):
            check_in(by=user, day=event_day, token=participant.token)
    assert not CheckIn.objects.exists()


def test_the_signature_at_check_in_is_stored_once(
    city_admin: User, event_day: EventDay, participant: Participant, signature: str, blank_png: str
) -> None:
    made = check_in(by=city_admin, day=event_day, token=participant.token).check_in

    with pytest.raises(ValidationError, match="Draw the signature"):
        check_in_sign(by=city_admin, check_in=made, signature=blank_png)
    with pytest.raises(ValidationError, match="PNG"):
        check_in_sign(by=city_admin, check_in=made, signature="data:image/svg+xml;base64,PHN2Zz4=")
    check_in_sign(by=city_admin, check_in=made, signature=signature)
    with pytest.raises(ValidationError, match="already signed"):
        check_in_sign(by=city_admin, check_in=made, signature=signature)

    made.refresh_from_db()
    assert made.signature == signature
    assert made.signed_at is not None


def test_a_backdated_check_in_keeps_its_time(city_admin: User, event_day: EventDay, participant: Participant) -> None:
    at = datetime.datetime(2023, 9, 27, 8, 45, tzinfo=datetime.UTC)

    made = check_in(by=city_admin, day=event_day, participant=participant, method=CheckIn.Method.SEARCH, at=at)

    assert made.check_in.checked_in_at == at


# The page ----------------------------------------------------------------------------------------


def test_staff_open_the_scanner_page_with_the_vendored_jsqr(
    client_for: Callable[[User], Client], city_admin: User, event: Event, event_day: EventDay
) -> None:
    response = client_for(city_admin).get(reverse("events:check-in", args=[event.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/jsqr/jsQR.js" in html
    assert "events/day-checkin.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert "0 of 1 present" not in html  # no participant registered in this test
    assert "0 of 0 present" in html


def test_a_viewer_gets_403_and_an_outsider_404_on_the_check_in_page(
    client_for: Callable[[User], Client], city_viewer: User, west_admin: User, event: Event, event_day: EventDay
) -> None:
    url = reverse("events:check-in", args=[event.pk])
    assert client_for(city_viewer).get(url).status_code == 403
    assert client_for(west_admin).get(url).status_code == 404


def test_the_page_answers_a_scan_and_recognises_the_second(
    client_for: Callable[[User], Client], city_admin: User, event: Event, event_day: EventDay, participant: Participant
) -> None:
    client = client_for(city_admin)
    url = reverse("events:check-in-submit", args=[event.pk, event_day.pk])

    first = client.post(url, {"code": page_url(participant)}, **HTMX)
    second = client.post(url, {"code": participant.token}, **HTMX)

    assert first.status_code == 200
    assert "Checked in at" in first.content.decode()
    assert "1 of 1 present" in first.content.decode()
    assert 'hx-swap-oob="true"' in first.content.decode()
    assert "Already checked in at" in second.content.decode()
    assert "1 of 1 present" in second.content.decode()
    assert CheckIn.objects.count() == 1


def test_the_page_explains_a_refused_code(
    client_for: Callable[[User], Client], city_admin: User, event: Event, event_day: EventDay
) -> None:
    response = client_for(city_admin).post(
        reverse("events:check-in-submit", args=[event.pk, event_day.pk]), {"code": "nonsense"}, **HTMX
    )

    assert response.status_code == 422
    assert "not a Sinergi participant code" in response.content.decode()


def test_search_by_name_finds_the_participant_and_checks_them_in(
    client_for: Callable[[User], Client], city_admin: User, event: Event, event_day: EventDay, participant: Participant
) -> None:
    client = client_for(city_admin)

    found = client.get(reverse("events:check-in-search", args=[event.pk, event_day.pk]), {"q": "siti"})
    assert "Siti Rahmawati" in found.content.decode()
    response = client.post(
        reverse("events:check-in-submit", args=[event.pk, event_day.pk]), {"participant": participant.pk}, **HTMX
    )

    assert response.status_code == 200
    assert CheckIn.objects.get().method == CheckIn.Method.SEARCH
    again = client.get(reverse("events:check-in-search", args=[event.pk, event_day.pk]), {"q": "Siti"})
    assert "in at" in again.content.decode()


def test_the_signature_is_drawn_on_the_staff_phone_after_check_in(
    client_for: Callable[[User], Client],
    city_admin: User,
    event: Event,
    event_day: EventDay,
    participant: Participant,
    signature: str,
) -> None:
    client = client_for(city_admin)
    made = check_in(by=city_admin, day=event_day, token=participant.token).check_in

    response = client.post(reverse("events:check-in-sign", args=[event.pk, made.pk]), {"signature": signature}, **HTMX)

    assert response.status_code == 200
    assert "signed the attendance list" in response.content.decode()
    made.refresh_from_db()
    assert made.signature == signature
