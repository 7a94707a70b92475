"""Fixtures shared by the three stages of the events app (plan, day, after).

    event          a published capacity-building training for Kecamatan Sawah Besar (31.71.02),
                   organised by the Jakarta Pusat city unit (city_admin edits it), one day
                   (``event_day``) two weeks ahead, 09:00-15:00, capacity 50, two delegates per
                   organisation, letter number and signatory filled in
    sawah_rt_org   RT 001/RW 001 Kelurahan Pasar Baru (Sawah Besar), invited (``sawah_invitation``)
    sawah_rt_chair its representative (Ketua RT)
    participant    a registered delegate of that RT, with a token page

Events and participants are made with the plain ORM (no audit event), so each test counts only
what it does itself. ``make_event`` and ``make_participant`` build more of them. The register's
fixtures (``kinds``, ``rt_org``, ``rt_chair``, ``ormas_org``, ``person_factory`` ...) are
re-exported here; uploaded files go to a fresh MEDIA_ROOT per test (``media_root``, autouse).

DAY and AFTER add their fixtures in ``conftest_day.py`` / ``conftest_after.py`` and load them
with ``pytest_plugins`` from their own test modules.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from conftest import Territory, Units
from sinergi.accounts.models import Unit, User
from sinergi.events.models import Event, EventDay, Invitation, Participant
from sinergi.registry.models import Organisation
from sinergi.registry.tests.conftest import (  # noqa: F401 - fixtures re-exported for the events tests
    english,
    kinds,
    make_representative,
    media_root,
    ormas_org,
    ormas_secretary,
    other_rt_org,
    outsider_rt_org,
    person_factory,
    rt_chair,
    rt_of,
    rt_org,
    rw_org,
)
from sinergi.territory.models import Region

EVENT_DATE = timezone.localdate() + datetime.timedelta(days=14)


def make_event(
    *,
    unit: Unit,
    region: Region,
    created_by: User,
    title: str = "Peningkatan Kapasitas Lembaga Kemasyarakatan Kecamatan Sawah Besar",
    status: str = Event.Status.PUBLISHED,
    days: int = 1,
    start: datetime.date | None = None,
    capacity: int | None = 50,
    **extra: Any,
) -> Event:
    """An event with ``days`` consecutive days (09:00-15:00), made with the plain ORM."""
    start = start or EVENT_DATE
    defaults: dict[str, Any] = {
        "kind": Event.Kind.TRAINING,
        "theme": "Sukseskan Pemilu 2024 yang jujur dan adil",
        "basis": "DPA Kecamatan Sawah Besar Tahun Anggaran 2023",
        "purpose": "Meningkatkan peran lembaga kemasyarakatan dalam menjaga kondusivitas wilayah.",
        "venue": "Aula Kantor Kecamatan Sawah Besar",
        "venue_address": "Jl. Dr. Sutomo No. 1, Jakarta Pusat",
        "delegates_per_organisation": 2,
        "letter_number": "005/123/Pem/IX/2023",
        "letter_date": timezone.localdate(),
        "signatory_name": "Dr. Ahmad Fauzi, S.Sos., M.Si.",
        "signatory_position": "Kepala Bagian Pemerintahan",
        "signatory_nip": "197501012000031001",
    }
    defaults.update(extra)
    event = Event.objects.create(
        unit=unit,
        region=region,
        created_by=created_by,
        title=title,
        status=status,
        capacity=capacity,
        published_at=timezone.now() if status != Event.Status.DRAFT else None,
        **defaults,
    )
    for i in range(days):
        EventDay.objects.create(
            event=event,
            date=start + datetime.timedelta(days=i),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(15, 0),
        )
    return event


def identity_for(full_name: str, organisation: Organisation | None = None, phone: str = "") -> str:
    """The participant identity the services compute (see ``services.plan.participant_identity``)."""
    from sinergi.events.services.plan import participant_identity

    return participant_identity(full_name=full_name, organisation=organisation, phone=phone)


def make_participant(
    event: Event,
    full_name: str,
    *,
    organisation: Organisation | None = None,
    invitation: Invitation | None = None,
    status: str = Participant.Status.REGISTERED,
    source: str = Participant.Source.INVITATION,
    phone: str = "",
    **extra: Any,
) -> Participant:
    """A participant made with the plain ORM."""
    return Participant.objects.create(
        event=event,
        full_name=full_name,
        organisation=organisation,
        invitation=invitation,
        status=status,
        source=source,
        phone=phone,
        identity=identity_for(full_name, organisation, phone),
        **extra,
    )


@pytest.fixture
def event(territory: Territory, units: Units, city_admin: User) -> Event:
    return make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin)


@pytest.fixture
def event_day(event: Event) -> EventDay:
    return event.days.get()


@pytest.fixture
def sawah_rt_org(outsider_rt_org: Organisation) -> Organisation:  # noqa: F811 - the fixture
    """RT 001/RW 001 Kelurahan Pasar Baru, Kecamatan Sawah Besar."""
    return outsider_rt_org


@pytest.fixture
def sawah_rt_chair(sawah_rt_org: Organisation) -> User:
    return make_representative("ketua.rt1.pasarbaru", "Hasan Ketua RT Pasar Baru", sawah_rt_org)


@pytest.fixture
def sawah_invitation(event: Event, sawah_rt_org: Organisation) -> Invitation:
    return Invitation.objects.create(
        event=event,
        organisation=sawah_rt_org,
        addressee=f"Ketua {sawah_rt_org.name} Kelurahan Pasar Baru",
        answer=Invitation.Answer.ATTENDING,
        answered_at=timezone.now(),
        sent_at=timezone.now(),
    )


@pytest.fixture
def participant(event: Event, sawah_rt_org: Organisation, sawah_invitation: Invitation) -> Participant:
    return make_participant(
        event,
        "Siti Rahmawati",
        organisation=sawah_rt_org,
        invitation=sawah_invitation,
        position="Sekretaris RT",
        phone="081234567801",
    )
