"""The plan stage's services: events and their status, days and programme, letter numbers,
audience and invitations, answers with delegates, registration with capacity and waiting list."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import Territory, Units
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.events.models import Event, EventDay, Invitation, LetterNumbering, Participant
from sinergi.events.services import plan as services
from sinergi.events.services.plan import DayInput, Delegate
from sinergi.events.tests.conftest import EVENT_DATE, make_event
from sinergi.registry.models import Officer, Organisation, OrganisationKind
from sinergi.registry.targeting import Audience
from sinergi.registry.tests.conftest import make_nik, make_person, make_representative, rt_of

pytestmark = pytest.mark.django_db

DAY = DayInput(EVENT_DATE, datetime.time(9), datetime.time(15))


def draft(territory: Territory, units: Units, by: User, **extra: object) -> Event:
    return services.event_create(
        by=by,
        unit=units.jakpus,
        region=territory.sawah_besar,
        kind=Event.Kind.TRAINING,
        title="Peningkatan Kapasitas",
        venue="Aula Kantor Kecamatan Sawah Besar",
        days=[DAY],
        **extra,
    )


# Events ---------------------------------------------------------------------------------------------


def test_staff_create_a_draft_with_its_days_and_an_audit_event(
    territory: Territory, units: Units, city_admin: User
) -> None:
    event = draft(territory, units, city_admin, capacity=80)

    assert event.status == Event.Status.DRAFT
    assert [d.date for d in event.days.all()] == [EVENT_DATE]
    assert AuditEvent.objects.filter(action="events.event.create", object_id=str(event.pk)).exists()


def test_an_operator_cannot_create_for_a_territory_outside_their_own(
    territory: Territory, units: Units, lurah_operator: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.event_create(
            by=lurah_operator,
            unit=units.kel_gambir,
            region=territory.sawah_besar,
            kind="meeting",
            title="x",
            venue="y",
            days=[DAY],
        )
    assert not Event.objects.exists()


def test_a_day_that_ends_before_it_starts_is_refused_and_nothing_is_written(
    territory: Territory, units: Units, city_admin: User
) -> None:
    with pytest.raises(ValidationError, match="end after it starts"):
        draft(territory, units, city_admin) if False else services.event_create(
            by=city_admin,
            unit=units.jakpus,
            region=territory.sawah_besar,
            kind="meeting",
            title="x",
            venue="y",
            days=[DayInput(EVENT_DATE, datetime.time(15), datetime.time(9))],
        )
    assert not Event.objects.exists()


def test_a_bad_nip_is_refused(territory: Territory, units: Units, city_admin: User) -> None:
    with pytest.raises(ValidationError, match="18 digits"):
        draft(territory, units, city_admin, signatory_nip="12345")


def test_publishing_gives_the_next_letter_number_of_the_unit(
    territory: Territory, units: Units, city_admin: User
) -> None:
    first = services.event_publish(by=city_admin, event=draft(territory, units, city_admin))
    second = services.event_publish(by=city_admin, event=draft(territory, units, city_admin))

    year = timezone.localdate().year
    assert first.status == Event.Status.PUBLISHED
    assert first.letter_number.startswith("1/005/")
    assert second.letter_number.startswith("2/005/")
    assert first.letter_number.endswith(f"/{year}")


def test_a_viewer_can_not_change_an_event(event: Event, city_viewer: User) -> None:
    with pytest.raises(PermissionDenied):
        services.event_update(by=city_viewer, event=event, title="Lain")
    event.refresh_from_db()
    assert event.title != "Lain"


def test_a_finished_event_cannot_be_edited(event: Event, city_admin: User) -> None:
    services.event_finish(by=city_admin, event=event)

    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.event_update(by=city_admin, event=event, title="Lain")


def test_cancelling_needs_a_reason_and_tells_the_representatives(
    event: Event, city_admin: User, sawah_invitation: Invitation, sawah_rt_chair: User
) -> None:
    with pytest.raises(ValidationError):
        services.event_cancel(by=city_admin, event=event, reason="  ")

    services.event_cancel(by=city_admin, event=event, reason="Banjir")

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert sawah_rt_chair.notifications.filter(title__contains="Cancelled").exists()


# Letter numbers -------------------------------------------------------------------------------------


def test_letter_numbers_start_again_each_year(units: Units) -> None:
    assert services.letter_number_next(unit=units.jakpus, on=datetime.date(2024, 12, 30)).startswith("1/")
    assert services.letter_number_next(unit=units.jakpus, on=datetime.date(2024, 12, 31)).startswith("2/")
    assert services.letter_number_next(unit=units.jakpus, on=datetime.date(2025, 1, 2)).startswith("1/")


def test_letter_numbers_are_per_unit_and_follow_the_pattern(units: Units, city_admin: User) -> None:
    services.letter_numbering_update(
        by=city_admin,
        unit=units.jakpus,
        pattern="{classification}/{number}/{unit}/{month}/{year}",
        unit_code="Pem",
        classification="005",
    )

    assert services.letter_number_next(unit=units.jakpus, on=datetime.date(2024, 7, 3)) == "005/1/Pem/07/2024"
    assert services.letter_number_next(unit=units.kec_gambir, on=datetime.date(2024, 7, 3)) == "1/005/KKG/VII/2024"


def test_a_pattern_without_the_number_is_refused(units: Units, city_admin: User) -> None:
    with pytest.raises(ValidationError):
        services.letter_numbering_update(
            by=city_admin, unit=units.jakpus, pattern="{year}", unit_code="", classification=""
        )
    with pytest.raises(ValidationError):
        services.letter_numbering_update(
            by=city_admin, unit=units.jakpus, pattern="{number}/{nope}", unit_code="", classification=""
        )


def test_an_operator_cannot_change_the_numbering(units: Units, camat_operator: User) -> None:
    with pytest.raises(PermissionDenied):
        services.letter_numbering_update(
            by=camat_operator, unit=units.kec_gambir, pattern="{number}", unit_code="", classification=""
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite's in-memory test database locks whole tables; run on PostgreSQL"
)
def test_concurrent_letters_get_distinct_numbers_without_gaps(units: Units) -> None:
    on = datetime.date(2024, 5, 2)
    services.letter_numbering_for(units.jakpus)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(5):
                numbers.append(services.letter_number_next(unit=units.jakpus, on=on))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(int(n.split("/")[0]) for n in numbers) == list(range(1, 21))
    assert LetterNumbering.objects.get(unit=units.jakpus).last_number == 20


# Programme ------------------------------------------------------------------------------------------


def test_sessions_speakers_and_materials(event: Event, event_day: EventDay, city_admin: User) -> None:
    from sinergi.registry.tests.conftest import pdf

    session = services.session_add(
        by=city_admin, event=event, day=event_day, starts_at=datetime.time(9), ends_at=datetime.time(10), title="Pemilu"
    )
    services.speaker_add(by=city_admin, session=session, name="Dra. Siti", position="Komisioner", institution="KPUD")
    material = services.material_add(by=city_admin, session=session, title="Paparan", file=pdf("paparan.pdf"))

    assert [s.institution for s in session.speakers.all()] == ["KPUD"]
    assert material.file.read().startswith(b"%PDF")


def test_a_material_that_is_not_a_document_is_refused(event: Event, event_day: EventDay, city_admin: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = services.session_add(
        by=city_admin, event=event, day=event_day, starts_at=datetime.time(9), ends_at=datetime.time(10), title="x"
    )
    with pytest.raises(ValidationError) as exc:
        services.material_add(
            by=city_admin, session=session, title="x", file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00")
        )
    assert "file" in exc.value.message_dict
    assert not session.materials.exists()


def test_the_last_day_cannot_be_removed(event: Event, event_day: EventDay, city_admin: User) -> None:
    with pytest.raises(ValidationError, match="at least one day"):
        services.event_day_remove(by=city_admin, day=event_day)


# Audience and invitations ---------------------------------------------------------------------------


@pytest.fixture
def sawah_orgs(kinds: dict[str, OrganisationKind], territory: Territory) -> list[Organisation]:
    """RT 001 and RT 002 of RW 001 Pasar Baru, an LMK of Pasar Baru; an RT of Gambir outside the rule."""
    rts = [rt_of(territory.kel_pasar_baru, 1, n) for n in (1, 2)]
    orgs = [
        Organisation.objects.create(
            kind=kinds["rt"], name=f"RT {rt.number:03d}/RW 001", region=territory.kel_pasar_baru, rw=rt.rw, rt=rt
        )
        for rt in rts
    ]
    orgs.append(Organisation.objects.create(kind=kinds["lmk"], name="LMK Pasar Baru", region=territory.kel_pasar_baru))
    gambir = rt_of(territory.kel_gambir, 1, 1)
    Organisation.objects.create(
        kind=kinds["rt"], name="RT 001/RW 001", region=territory.kel_gambir, rw=gambir.rw, rt=gambir
    )
    return orgs


def test_the_audience_by_rule_makes_one_invitation_per_organisation_addressed_to_its_chair(
    event: Event, city_admin: User, sawah_orgs: list[Organisation], territory: Territory
) -> None:
    chair = make_person("H. Mulyadi", make_nik(serial=3, prefix="317102"), territory.kel_pasar_baru)
    Officer.objects.create(
        organisation=sawah_orgs[0],
        person=chair,
        position="ketua",
        term_start=datetime.date(2023, 1, 1),
        term_end=datetime.date(2028, 1, 1),
    )
    services.audience_set(
        by=city_admin, event=event, audience=Audience(kinds=("rt", "lmk"), region_codes=(territory.sawah_besar.code,))
    )

    assert services.invitations_create(by=city_admin, event=event) == 3
    assert services.invitations_create(by=city_admin, event=event) == 0  # running again adds nobody twice
    addressees = sorted(event.invitations.values_list("addressee", flat=True))
    assert any("H. Mulyadi" in a and "RT 001/RW 001" in a for a in addressees)


def test_an_audience_outside_ones_territory_is_refused(event: Event, city_admin: User, territory: Territory) -> None:
    with pytest.raises(ValidationError):
        services.audience_set(by=city_admin, event=event, audience=Audience(kinds=("rt",), region_codes=("31.73",)))


def test_an_invited_individual_is_registered_at_once(event: Event, city_admin: User) -> None:
    invitation = services.invitation_add_individual(
        by=city_admin,
        event=event,
        full_name="Drs. Bambang",
        position="Ketua Bawaslu Jakarta Pusat",
        phone="0812-1111-2222",
    )
    assert invitation.participants.get().source == Participant.Source.INDIVIDUAL


# Answers --------------------------------------------------------------------------------------------


def test_the_representative_answers_with_two_delegates_one_a_substitute(
    event: Event, sawah_rt_org: Organisation, sawah_rt_chair: User
) -> None:
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="Ketua RT 001")

    services.invitation_answer(
        by=sawah_rt_chair,
        invitation=invitation,
        attending=True,
        delegates=[
            {"full_name": "Hasan", "phone": "0811000001"},
            Delegate(full_name="Rina", phone="0811000002", substitute_for="Sekretaris RT"),
        ],
    )

    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.ATTENDING
    delegates = list(invitation.participants.order_by("full_name"))
    assert [(d.full_name, d.is_substitute, d.status) for d in delegates] == [
        ("Hasan", False, "registered"),
        ("Rina", True, "registered"),
    ]


def test_more_delegates_than_allowed_are_refused_and_nothing_is_stored(
    event: Event, sawah_rt_org: Organisation, sawah_rt_chair: User
) -> None:
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="Ketua")

    with pytest.raises(ValidationError, match="At most 2"):
        services.invitation_answer(
            by=sawah_rt_chair, invitation=invitation, attending=True, delegates=[{"full_name": n} for n in "ABC"]
        )
    assert not Participant.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.PENDING


def test_another_organisations_representative_cannot_answer(
    event: Event, sawah_rt_org: Organisation, rt_chair: User
) -> None:
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="Ketua")
    with pytest.raises(PermissionDenied):
        services.invitation_answer(by=rt_chair, invitation=invitation, attending=False)


def test_answering_again_replaces_the_delegates(event: Event, sawah_rt_org: Organisation, sawah_rt_chair: User) -> None:
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="Ketua")
    services.invitation_answer(
        by=sawah_rt_chair,
        invitation=invitation,
        attending=True,
        delegates=[{"full_name": "Hasan"}, {"full_name": "Rina"}],
    )

    services.invitation_answer(
        by=sawah_rt_chair,
        invitation=invitation,
        attending=True,
        delegates=[{"full_name": "Hasan"}, {"full_name": "Joko"}],
    )

    active = invitation.participants.exclude(status="cancelled").values_list("full_name", flat=True)
    assert sorted(active) == ["Hasan", "Joko"]


# Registration ---------------------------------------------------------------------------------------


def test_past_the_capacity_people_wait_and_move_up_when_someone_declines(
    territory: Territory, units: Units, city_admin: User, kinds: dict[str, OrganisationKind]
) -> None:
    event = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, capacity=2)
    org_a = Organisation.objects.create(kind=kinds["lmk"], name="LMK A", region=territory.kel_pasar_baru)
    org_b = Organisation.objects.create(kind=kinds["fkdm"], name="FKDM B", region=territory.kel_pasar_baru)
    rep_a = make_representative("rep.a", "Rep A", org_a)
    rep_b = make_representative("rep.b", "Rep B", org_b)
    inv_a = Invitation.objects.create(event=event, organisation=org_a, addressee="A")
    inv_b = Invitation.objects.create(event=event, organisation=org_b, addressee="B")

    services.invitation_answer(
        by=rep_a, invitation=inv_a, attending=True, delegates=[{"full_name": "A1"}, {"full_name": "A2"}]
    )
    services.invitation_answer(
        by=rep_b, invitation=inv_b, attending=True, delegates=[{"full_name": "B1", "email": "b1@contoh.id"}]
    )

    b1 = Participant.objects.get(full_name="B1")
    assert b1.status == Participant.Status.WAITLISTED

    services.invitation_answer(by=rep_a, invitation=inv_a, attending=False, reason="Bentrok")

    b1.refresh_from_db()
    assert b1.status == Participant.Status.REGISTERED
    from sinergi.notifications.models import OutboundMessage

    assert OutboundMessage.objects.filter(recipient="b1@contoh.id", key=f"events.promoted.{b1.pk}").exists()


def test_cancelling_a_registration_moves_the_first_waiting_up(
    territory: Territory, units: Units, city_admin: User
) -> None:
    event = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, capacity=1)
    first = services.participant_register(by=city_admin, event=event, full_name="Satu", phone="081100000001")
    second = services.participant_register(by=city_admin, event=event, full_name="Dua", phone="081100000002")
    third = services.participant_register(by=city_admin, event=event, full_name="Tiga", phone="081100000003")
    assert [second.status, third.status] == ["waitlisted", "waitlisted"]

    services.participant_cancel(by=city_admin, participant=first)

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("registered", "waitlisted")


def test_raising_the_capacity_moves_the_waiting_up(territory: Territory, units: Units, city_admin: User) -> None:
    event = make_event(unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, capacity=1)
    services.participant_register(by=city_admin, event=event, full_name="Satu")
    waiting = services.participant_register(by=city_admin, event=event, full_name="Dua")

    services.event_update(by=city_admin, event=event, capacity=5)

    waiting.refresh_from_db()
    assert waiting.status == Participant.Status.REGISTERED


def test_no_person_is_registered_twice(event: Event, city_admin: User, participant: Participant) -> None:
    with pytest.raises(ValidationError, match="already registered"):
        services.participant_register(by=city_admin, event=event, full_name="Siti R.", phone="+62 812-3456-7801")
    assert event.participants.count() == 1


def test_a_person_from_the_register_is_the_same_person_whatever_the_name(
    event: Event, city_admin: User, territory: Territory
) -> None:
    person = make_person("Siti Aminah", make_nik(serial=9), territory.kel_gambir)
    services.participant_register(by=city_admin, event=event, full_name="Siti Aminah", person=person)
    with pytest.raises(ValidationError):
        services.participant_register(by=city_admin, event=event, full_name="Hj. Siti Aminah", person=person)


def test_a_cancelled_person_can_register_again(event: Event, city_admin: User, participant: Participant) -> None:
    services.participant_cancel(by=city_admin, participant=participant)
    again = services.participant_register(by=city_admin, event=event, full_name="Siti Rahmawati", phone="081234567801")
    assert again.status == Participant.Status.REGISTERED


def test_open_registration_needs_the_link_switched_on_and_a_contact(event: Event) -> None:
    with pytest.raises(PermissionDenied):
        services.participant_register(event=event, source="open", full_name="Umum", phone="0811")
    event.open_registration = True
    event.save()
    with pytest.raises(ValidationError, match="phone number or an e-mail"):
        services.participant_register(event=event, source="open", full_name="Umum")

    made = services.participant_register(event=event, source="open", full_name="Umum", phone="081299998888")

    assert (made.source, made.status, made.user_id) == ("open", "registered", None)


def test_a_draft_takes_no_answers(
    territory: Territory, units: Units, city_admin: User, sawah_rt_org: Organisation, sawah_rt_chair: User
) -> None:
    event = make_event(
        unit=units.jakpus, region=territory.sawah_besar, created_by=city_admin, status=Event.Status.DRAFT
    )
    invitation = Invitation.objects.create(event=event, organisation=sawah_rt_org, addressee="x")
    with pytest.raises(ValidationError, match="not open for answers"):
        services.invitation_answer(by=sawah_rt_chair, invitation=invitation, attending=False)


def test_participant_identity_prefers_the_register_then_phone_then_email_then_name() -> None:
    assert services.participant_identity(full_name="A", phone="+62 811-2233-4455") == "phone:081122334455"
    assert services.participant_identity(full_name="A", email=" X@Contoh.ID ") == "email:x@contoh.id"
    assert services.participant_identity(full_name="  Ëko  Prasetyo ") == "name:eko prasetyo|org:"


@given(st.text(alphabet="0123456789", min_size=7, max_size=12), st.sampled_from(["+62 ", "62", "0", "(0"]))
def test_a_phone_number_is_the_same_person_however_it_is_written(rest: str, prefix: str) -> None:
    spaced = " ".join(rest[i : i + 4] for i in range(0, len(rest), 4))
    written = services.participant_identity(full_name="A", phone=f"{prefix}{spaced}")
    assert written == services.participant_identity(full_name="B", phone=f"0{rest}")


def test_a_published_event_starts_and_then_finishes(event: Event, city_admin: User) -> None:
    services.event_start(by=city_admin, event=event)
    services.event_start(by=city_admin, event=event)  # twice changes nothing
    event.refresh_from_db()
    assert event.status == Event.Status.RUNNING

    services.event_finish(by=city_admin, event=event)

    event.refresh_from_db()
    assert event.status == Event.Status.FINISHED
    assert event.finished_at is not None
