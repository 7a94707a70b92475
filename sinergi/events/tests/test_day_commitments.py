"""Commitments: versioned texts per unit, attached to an event, signed by participants on their own
page with typed name and drawn signature; a signature is immutable and a changed text is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import Units
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.events.models import CommitmentSignature, CommitmentText, Event, EventCommitment, Participant
from sinergi.events.services.day_commitments import (
    commitment_sign,
    commitment_text_create,
    commitment_text_revise,
    event_commitment_attach,
    event_commitment_detach,
    text_digest,
)
from sinergi.events.tests.conftest import make_participant

pytest_plugins = ["sinergi.events.tests.conftest_day"]
pytestmark = pytest.mark.django_db


def sign(participant: Participant, commitment: EventCommitment, drawn: str, **extra: str) -> CommitmentSignature:
    data = {
        "typed_name": participant.full_name,
        "drawn": drawn,
        "digest": text_digest(commitment.text),
        "ip_address": "10.1.2.3",
        "user_agent": "Mozilla/5.0 (Linux; Android 14)",
    }
    data.update(extra)
    return commitment_sign(participant=participant, commitment=commitment, **data)


def test_a_new_wording_is_a_new_version_and_the_old_one_stays(units: Units, city_admin: User) -> None:
    first = commitment_text_create(
        by=city_admin, unit=units.jakpus, kind="integrity_pact", title="Pakta Integritas", body="Teks lama."
    )
    second = commitment_text_revise(by=city_admin, text=first, body="Teks baru.")

    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.body == "Teks lama."
    with pytest.raises(ValidationError, match="same text as version 2"):
        commitment_text_revise(by=city_admin, text=second, body="Teks baru.")


def test_a_viewer_cannot_add_texts(units: Units, city_viewer: User) -> None:
    with pytest.raises(PermissionDenied):
        commitment_text_create(by=city_viewer, unit=units.jakpus, kind="other", title="X", body="Y")


def test_staff_attach_one_version_of_a_text_to_an_event(city_admin: User, event: Event, pact: CommitmentText) -> None:
    commitment = event_commitment_attach(by=city_admin, event=event, text=pact)
    newer = commitment_text_revise(by=city_admin, text=pact, body=pact.body + "\n4. Tambahan.")

    assert commitment.text == pact
    with pytest.raises(ValidationError, match="already uses this text"):
        event_commitment_attach(by=city_admin, event=event, text=pact)
    with pytest.raises(ValidationError, match="already uses version 1"):
        event_commitment_attach(by=city_admin, event=event, text=newer)


def test_an_outsider_cannot_attach_a_text(west_admin: User, event: Event, pact: CommitmentText) -> None:
    with pytest.raises(PermissionDenied):
        event_commitment_attach(by=west_admin, event=event, text=pact)
    assert not EventCommitment.objects.exists()


def test_a_participant_signs_with_name_drawing_time_address_device_and_digest(
    participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    signed = sign(participant, event_pact, signature)

    assert signed.typed_name == "Siti Rahmawati"
    assert signed.drawn == signature
    assert signed.ip_address == "10.1.2.3"
    assert "Android" in signed.user_agent
    expected = hashlib.sha256(f"Pakta Integritas\n\n{event_pact.text.body}".encode()).hexdigest()
    assert signed.text_digest == expected
    assert AuditEvent.objects.filter(action="events.commitment.sign").count() == 1


def test_a_signature_cannot_be_changed_or_deleted(
    participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    signed = sign(participant, event_pact, signature)

    signed.typed_name = "Orang Lain"
    with pytest.raises(ValidationError, match="cannot be changed"):
        signed.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        signed.delete()
    with pytest.raises(ValidationError, match="cannot be changed"):
        CommitmentSignature.objects.filter(pk=signed.pk).update(typed_name="X")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        CommitmentSignature.objects.filter(pk=signed.pk).delete()
    with pytest.raises(ValidationError, match="already signed"):
        sign(participant, event_pact, signature)
    assert CommitmentSignature.objects.get().typed_name == "Siti Rahmawati"


def test_a_signature_on_a_changed_text_is_refused(
    participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    read = text_digest(event_pact.text)
    CommitmentText.objects.filter(pk=event_pact.text_id).update(body="Teks yang diubah diam-diam.")

    with pytest.raises(ValidationError, match="text has changed"):
        sign(participant, event_pact, signature, digest=read)
    assert not CommitmentSignature.objects.exists()


@pytest.mark.parametrize(
    ("typed_name", "message"), [("", "Type your full name"), ("Budi", "Type your name as registered: Siti")]
)
def test_the_typed_name_must_be_the_registered_name(
    participant: Participant, event_pact: EventCommitment, signature: str, typed_name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        sign(participant, event_pact, signature, typed_name=typed_name)
    assert sign(participant, event_pact, signature, typed_name="  siti   RAHMAWATI ").typed_name == "siti RAHMAWATI"


def test_a_blank_drawing_is_refused(participant: Participant, event_pact: EventCommitment, blank_png: str) -> None:
    with pytest.raises(ValidationError, match="Draw the signature"):
        sign(participant, event_pact, blank_png)
    assert not CommitmentSignature.objects.exists()


def test_a_waitlisted_participant_and_a_finished_event_cannot_sign(
    event: Event, participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    waiting = make_participant(event, "Rina Marlina", status=Participant.Status.WAITLISTED)
    with pytest.raises(ValidationError, match="Only registered participants"):
        sign(waiting, event_pact, signature)
    event.status = Event.Status.FINISHED
    event.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="finished"):
        sign(participant, event_pact, signature)
    assert not CommitmentSignature.objects.exists()


def test_a_signed_text_stays_with_the_event(
    city_admin: User, participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    sign(participant, event_pact, signature)

    with pytest.raises(ValidationError, match="already signed this text"):
        event_commitment_detach(by=city_admin, commitment=event_pact)
    assert EventCommitment.objects.filter(pk=event_pact.pk).exists()


# The participant's page ----------------------------------------------------------------------------


def test_the_token_page_shows_the_qr_code_the_commitments_and_the_check_in_state(
    client: Client, participant: Participant, event_pact: EventCommitment
) -> None:
    response = client.get(reverse("events:participant", args=[participant.token]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "data:image/svg+xml" in html  # the QR code, made by segno
    assert "Siti Rahmawati" in html
    assert "Pakta Integritas" in html
    assert text_digest(event_pact.text) in html
    assert "not checked in" in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_an_unknown_or_cancelled_token_answers_404(client: Client, event: Event) -> None:
    cancelled = make_participant(event, "Batal Ikut", status=Participant.Status.CANCELLED)

    assert client.get(reverse("events:participant", args=["x" * 32])).status_code == 404
    assert client.get(reverse("events:participant", args=[cancelled.token])).status_code == 404


def test_the_participant_signs_on_their_page(
    client: Client, participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    url = reverse("events:commitment-sign", args=[participant.token, event_pact.pk])
    data = {"typed_name": "Siti Rahmawati", "drawn": signature, "digest": text_digest(event_pact.text)}

    response = client.post(url, data, REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="PhoneBrowser/1.0", follow=True)

    assert response.status_code == 200
    assert "you signed Pakta Integritas" in response.content.decode()
    signed = CommitmentSignature.objects.get()
    assert signed.user_agent == "PhoneBrowser/1.0"
    assert signed.ip_address == "10.9.8.7"


def test_the_page_refuses_a_changed_text_and_shows_the_new_one(
    client: Client, participant: Participant, event_pact: EventCommitment, signature: str
) -> None:
    old = text_digest(event_pact.text)
    CommitmentText.objects.filter(pk=event_pact.text_id).update(body="Teks versi baru.")
    url = reverse("events:commitment-sign", args=[participant.token, event_pact.pk])

    response = client.post(url, {"typed_name": "Siti Rahmawati", "drawn": signature, "digest": old})

    assert response.status_code == 422
    html = response.content.decode()
    assert "The text has changed" in html
    assert "Teks versi baru." in html
    event_pact.text.refresh_from_db()
    assert text_digest(event_pact.text) in html
    assert not CommitmentSignature.objects.exists()


def test_a_token_cannot_sign_another_events_commitment(
    client: Client, event: Event, participant: Participant, pact: CommitmentText, signature: str
) -> None:
    from sinergi.events.tests.conftest import make_event

    other = make_event(unit=event.unit, region=event.region, created_by=event.created_by, title="Lain")
    foreign = EventCommitment.objects.create(event=other, text=pact)
    url = reverse("events:commitment-sign", args=[participant.token, foreign.pk])

    response = client.post(url, {"typed_name": "Siti Rahmawati", "drawn": signature, "digest": text_digest(pact)})

    assert response.status_code == 404
    assert not CommitmentSignature.objects.exists()


# Staff pages -------------------------------------------------------------------------------------


def test_staff_attach_a_text_on_the_event_commitments_page(
    client_for: Callable[[User], Client], city_admin: User, event: Event, pact: CommitmentText
) -> None:
    client = client_for(city_admin)
    url = reverse("events:commitments", args=[event.pk])

    response = client.post(url, {"text": pact.pk}, follow=True)

    assert response.status_code == 200
    assert "0 of 0 signed" in response.content.decode()
    assert event.commitments.get().text == pact


def test_a_viewer_reads_the_commitments_but_cannot_attach(
    client_for: Callable[[User], Client], city_viewer: User, event: Event, pact: CommitmentText
) -> None:
    client = client_for(city_viewer)
    url = reverse("events:commitments", args=[event.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"text": pact.pk}).status_code == 403
    assert not event.commitments.exists()


def test_the_library_lists_texts_of_the_users_units_and_those_above(
    client_for: Callable[[User], Client], units: Units, kesbangpol_admin: User, city_admin: User, west_admin: User
) -> None:
    province = commitment_text_create(
        by=kesbangpol_admin, unit=units.kesbangpol, kind="neutrality_pledge", title="Ikrar Netralitas ASN", body="..."
    )
    city = commitment_text_create(by=city_admin, unit=units.jakpus, kind="integrity_pact", title="Pakta", body="...")

    html = client_for(city_admin).get(reverse("events:commitment-texts")).content.decode()
    assert "Ikrar Netralitas ASN" in html
    assert "Pakta" in html
    west = client_for(west_admin)
    assert west.get(reverse("events:commitment-text", args=[city.pk])).status_code == 404
    assert west.get(reverse("events:commitment-text", args=[province.pk])).status_code == 200


def test_staff_write_a_new_text_and_a_new_version(
    client_for: Callable[[User], Client], units: Units, city_admin: User
) -> None:
    client = client_for(city_admin)

    created = client.post(
        reverse("events:commitment-text-create"),
        {"unit": units.jakpus.pk, "kind": "integrity_pact", "title": "Pakta Integritas", "body": "Versi satu."},
    )
    text = CommitmentText.objects.get()
    assert created.status_code == 302
    revised = client.post(reverse("events:commitment-text", args=[text.pk]), {"body": "Versi dua."})

    assert revised.status_code == 302
    assert list(CommitmentText.objects.order_by("version").values_list("version", "body")) == [
        (1, "Versi satu."),
        (2, "Versi dua."),
    ]
