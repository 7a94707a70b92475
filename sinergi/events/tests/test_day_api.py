"""The day's API: check-in by token (201, then 200 for a second scan), commitments and signatures,
the text library, and the participant's page by token without an account."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.events.models import (
    CheckIn,
    CommitmentSignature,
    CommitmentText,
    Event,
    EventCommitment,
    EventDay,
    Participant,
)
from sinergi.events.services.day_commitments import text_digest
from sinergi.events.tests.conftest import make_event

pytest_plugins = ["sinergi.events.tests.conftest_day"]
pytestmark = pytest.mark.django_db

API = "/api/v1/events"


def test_check_in_by_token_counts_once(
    api_client_for: Callable[[User], Client],
    city_admin: User,
    event: Event,
    event_day: EventDay,
    participant: Participant,
) -> None:
    client = api_client_for(city_admin)
    url = f"{API}/{event.pk}/days/{event_day.pk}/check-ins"

    first = client.post(
        url, {"code": f"https://x.test/kegiatan/peserta/{participant.token}/"}, content_type="application/json"
    )
    second = client.post(url, {"code": participant.token}, content_type="application/json")

    assert first.status_code == 201
    assert first.json()["participant_name"] == "Siti Rahmawati"
    assert first.json()["already"] is False
    assert second.status_code == 200
    assert second.json()["already"] is True
    assert CheckIn.objects.count() == 1
    assert [row["participant_id"] for row in client.get(url).json()] == [participant.pk]


def test_check_in_refusals_answer_422_403_and_404(
    api_client_for: Callable[[User], Client],
    city_admin: User,
    city_viewer: User,
    west_admin: User,
    event: Event,
    event_day: EventDay,
    participant: Participant,
) -> None:
    url = f"{API}/{event.pk}/days/{event_day.pk}/check-ins"
    body = {"code": participant.token}

    unknown = api_client_for(city_admin).post(url, {"code": "z" * 30}, content_type="application/json")
    assert unknown.status_code == 422
    assert "not a Sinergi participant code" in str(unknown.json()["detail"])
    assert api_client_for(city_viewer).post(url, body, content_type="application/json").status_code == 403
    assert api_client_for(west_admin).post(url, body, content_type="application/json").status_code == 404
    assert not CheckIn.objects.exists()


def test_commitments_are_attached_listed_and_signed_by_token(
    api_client_for: Callable[[User], Client],
    city_admin: User,
    event: Event,
    participant: Participant,
    pact: CommitmentText,
    signature: str,
) -> None:
    staff = api_client_for(city_admin)
    attached = staff.post(f"{API}/{event.pk}/commitments", {"text_id": pact.pk}, content_type="application/json")
    assert attached.status_code == 201
    commitment_id = attached.json()["id"]

    page = Client().get(f"{API}/by-token/{participant.token}")
    assert page.status_code == 200
    digest = page.json()["commitments"][0]["digest"]
    assert digest == text_digest(pact)
    signed = Client().post(
        f"{API}/by-token/{participant.token}/commitments/{commitment_id}/sign",
        {"typed_name": "Siti Rahmawati", "drawn": signature, "digest": digest},
        content_type="application/json",
    )
    assert signed.status_code == 201
    again = Client().post(
        f"{API}/by-token/{participant.token}/commitments/{commitment_id}/sign",
        {"typed_name": "Siti Rahmawati", "drawn": signature, "digest": digest},
        content_type="application/json",
    )
    assert again.status_code == 422

    listed = staff.get(f"{API}/{event.pk}/commitments").json()
    assert listed[0]["signed"] == 1
    signatures = staff.get(f"{API}/{event.pk}/commitments/{commitment_id}/signatures").json()
    assert [s["typed_name"] for s in signatures] == ["Siti Rahmawati"]
    assert CommitmentSignature.objects.count() == 1


def test_an_unknown_token_answers_404(client: Client) -> None:
    assert client.get(f"{API}/by-token/{'q' * 32}").status_code == 404


def test_the_library_is_scoped_and_versioned(
    api_client_for: Callable[[User], Client], city_admin: User, west_admin: User, units: object, pact: CommitmentText
) -> None:
    staff = api_client_for(city_admin)
    made = staff.post(
        f"{API}/library/commitment-texts",
        {"unit_id": pact.unit_id, "kind": "integrity_pact", "title": "Pakta Integritas", "body": "Versi kedua."},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["version"] == 2
    assert {t["version"] for t in staff.get(f"{API}/library/commitment-texts").json()} == {1, 2}
    assert api_client_for(west_admin).get(f"{API}/library/commitment-texts").json() == []
    refused = api_client_for(west_admin).post(
        f"{API}/library/commitment-texts",
        {"unit_id": pact.unit_id, "kind": "integrity_pact", "title": "Pakta Integritas", "body": "Versi ketiga."},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_the_event_hub_shows_the_day_panel(
    client_for: Callable[[User], Client],
    city_admin: User,
    event: Event,
    event_day: EventDay,
    event_pact: EventCommitment,
    participant: Participant,
) -> None:
    html = client_for(city_admin).get(reverse("events:detail", args=[event.pk])).content.decode()

    assert reverse("events:check-in", args=[event.pk]) in html
    assert "0 of 1 present" in html
    assert "0 of 1 signed" in html
    assert reverse("events:attendance-pdf", args=[event.pk, event_day.pk]) in html


def test_the_panel_of_another_event_does_not_leak_counts(
    client_for: Callable[[User], Client], city_admin: User, event: Event, event_day: EventDay, participant: Participant
) -> None:
    other = make_event(unit=event.unit, region=event.region, created_by=city_admin, title="Lain")
    html = client_for(city_admin).get(reverse("events:detail", args=[other.pk])).content.decode()
    assert "0 of 0 present" in html
