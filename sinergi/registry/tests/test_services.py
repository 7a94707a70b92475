"""The register's services: what they write, what they refuse, and the one audit event each leaves."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from conftest import Territory
from sinergi.accounts.models import Role, User
from sinergi.audit.models import AuditEvent
from sinergi.core.models import PublicHoliday
from sinergi.core.workdays import add_working_days
from sinergi.registry import services
from sinergi.registry.models import (
    ChangeRequest,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
    Sanction,
)
from sinergi.registry.nik import decrypt_nik
from sinergi.registry.tests.conftest import docx, make_nik, pdf, png, rt_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = datetime.date.today()


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


# Organisations ------------------------------------------------------------------------------------


def test_it_places_an_rt_organisation_in_its_rt_and_kelurahan(
    lurah_operator: User, kinds: dict[str, OrganisationKind], territory: Territory
) -> None:
    rt = rt_of(territory.kel_gambir, 2, 1)

    org = services.organisation_create(by=lurah_operator, kind=kinds["rt"], name="RT 001/RW 002", rt=rt)

    assert (org.region, org.rw, org.rt) == (territory.kel_gambir, rt.rw, rt)
    [event] = events("registry.organisation.create")
    assert event.region_code == "31.71.01.1001"
    assert event.actor == lurah_operator
    assert event.changes["name"] == [None, "RT 001/RW 002"]


def test_an_rt_organisation_needs_an_rt(lurah_operator: User, kinds, territory: Territory) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(by=lurah_operator, kind=kinds["rt"], name="RT ?", region=territory.kel_gambir)

    assert "region" in caught.value.message_dict
    assert not events("registry.organisation.create")


def test_an_lmk_sits_in_a_kelurahan_not_in_a_kecamatan(camat_operator: User, kinds, territory: Territory) -> None:
    with pytest.raises(ValidationError):
        services.organisation_create(by=camat_operator, kind=kinds["lmk"], name="LMK", region=territory.gambir)

    org = services.organisation_create(by=camat_operator, kind=kinds["lmk"], name="LMK", region=territory.kel_cideng)
    assert org.region == territory.kel_cideng


def test_an_rt_and_a_region_that_does_not_hold_it_are_refused(
    lurah_operator: User, kinds, territory: Territory
) -> None:
    with pytest.raises(ValidationError):
        services.organisation_create(
            by=lurah_operator,
            kind=kinds["rt"],
            name="RT",
            rt=rt_of(territory.kel_gambir, 1, 3),
            region=territory.kel_cideng,
        )


def test_a_second_organisation_of_a_kind_in_one_rt_is_refused(
    lurah_operator: User, kinds, rt_org: Organisation
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(by=lurah_operator, kind=kinds["rt"], name="RT lagi", rt=rt_org.rt)

    assert "This RT already has an organisation of this kind." in caught.value.messages


def test_staff_register_only_in_their_territory(outsider_operator: User, city_viewer: User, kinds, territory) -> None:
    for user in (outsider_operator, city_viewer):
        with pytest.raises(PermissionDenied):
            services.organisation_create(by=user, kind=kinds["lmk"], name="LMK Gambir", region=territory.kel_gambir)


def test_an_update_records_only_what_changed(lurah_operator: User, rt_org: Organisation) -> None:
    services.organisation_update(by=lurah_operator, organisation=rt_org, phone="0812-1111", member_count=120)
    services.organisation_update(by=lurah_operator, organisation=rt_org, phone="0812-1111")

    rt_org.refresh_from_db()
    assert (rt_org.phone, rt_org.member_count) == ("0812-1111", 120)
    [event] = events("registry.organisation.update")
    assert event.changes == {"member_count": [None, 120], "phone": ["", "0812-1111"]}


def test_an_update_validates_the_map_point(lurah_operator: User, rt_org: Organisation) -> None:
    with pytest.raises(ValidationError):
        services.organisation_update(by=lurah_operator, organisation=rt_org, latitude=123.0)


def test_an_ormas_cannot_be_its_own_branchs_branch(city_admin: User, kinds, territory, ormas_org) -> None:
    branch = services.organisation_create(
        by=city_admin, kind=kinds["ormas"], name="PWPG Cabang", region=territory.kel_gambir, parent=ormas_org
    )

    with pytest.raises(ValidationError):
        services.organisation_update(by=city_admin, organisation=ormas_org, parent=branch)


def test_an_ormas_moves_only_to_a_region_the_user_writes_in(camat_operator: User, territory, ormas_org) -> None:
    services.organisation_update(by=camat_operator, organisation=ormas_org, region=territory.kel_cideng)
    assert Organisation.objects.get(pk=ormas_org.pk).region == territory.kel_cideng

    with pytest.raises(PermissionDenied):
        services.organisation_update(by=camat_operator, organisation=ormas_org, region=territory.kel_pasar_baru)


def test_a_status_change_keeps_date_and_reason(lurah_operator: User, rt_org: Organisation) -> None:
    day = TODAY - datetime.timedelta(days=3)
    rt_org.status_since = day - datetime.timedelta(days=300)
    rt_org.save()

    services.organisation_set_status(
        by=lurah_operator, organisation=rt_org, status="inactive", reason="Pengurus mengundurkan diri", on=day
    )

    rt_org.refresh_from_db()
    assert (rt_org.status, rt_org.status_since, rt_org.status_reason) == ("inactive", day, "Pengurus mengundurkan diri")
    [event] = events("registry.organisation.set_status")
    assert event.changes["status"] == ["active", "inactive"]


@pytest.mark.parametrize(
    ("status", "reason", "days_ahead"),
    [("inactive", "", 0), ("active", "tetap", 0), ("dissolved", "bubar", 1), ("nonsense", "x", 0)],
)
def test_a_status_change_needs_a_new_status_a_reason_and_a_past_date(
    lurah_operator: User, rt_org: Organisation, status: str, reason: str, days_ahead: int
) -> None:
    with pytest.raises(ValidationError):
        services.organisation_set_status(
            by=lurah_operator,
            organisation=rt_org,
            status=status,
            reason=reason,
            on=TODAY + datetime.timedelta(days=days_ahead),
        )
    assert not events("registry.organisation.set_status")


# Ormas legal record, documents, coaching ------------------------------------------------------------


def test_an_skt_is_valid_five_years_unless_the_letter_says_otherwise(city_admin: User, ormas_org) -> None:
    profile = services.ormas_profile_save(
        by=city_admin,
        organisation=ormas_org,
        legal_form="skt",
        registration_number="01-00-00/012/I/2024",
        registration_issued_on=datetime.date(2024, 1, 10),
        npwp="01.234.567.8-901.000",
    )

    assert profile.registration_expires_on == datetime.date(2029, 1, 10)
    assert profile.npwp == "012345678901000"
    [event] = events("registry.ormas_profile.save")
    assert event.changes["registration_number"] == [None, "01-00-00/012/I/2024"]


def test_a_legal_entity_does_not_expire_and_an_npwp_has_15_or_16_digits(city_admin: User, ormas_org) -> None:
    with pytest.raises(ValidationError):
        services.ormas_profile_save(
            by=city_admin,
            organisation=ormas_org,
            legal_form="perkumpulan",
            registration_expires_on=datetime.date(2030, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.ormas_profile_save(by=city_admin, organisation=ormas_org, legal_form="perkumpulan", npwp="123")


def test_only_an_ormas_has_a_legal_record(lurah_operator: User, rt_org) -> None:
    with pytest.raises(ValidationError):
        services.ormas_profile_save(by=lurah_operator, organisation=rt_org, legal_form="skt")


def test_a_document_is_stored_under_a_name_the_uploader_does_not_choose(city_admin: User, ormas_org) -> None:
    document = services.document_add(
        by=city_admin,
        organisation=ormas_org,
        type="ad_art",
        file=pdf("../../etc/AD ART.pdf"),
        number="12/2024",
        issued_on=datetime.date(2024, 1, 1),
    )

    assert document.file.name.startswith(f"registry/{ormas_org.pk}/")
    assert document.file.name.endswith(f"{document.uuid}.pdf")
    assert (document.original_name, document.content_type) == ("AD ART.pdf", "application/pdf")
    assert document.file.read().startswith(b"%PDF")
    assert len(events("registry.document.add")) == 1


@pytest.mark.parametrize("make", [pdf, png, docx])
def test_pdf_png_and_docx_are_accepted(city_admin: User, ormas_org, make) -> None:
    services.document_add(by=city_admin, organisation=ormas_org, type="other", file=make())

    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 this is a program"),  # not a PDF inside
        SimpleUploadedFile("surat.png", b"%PDF-1.4 a pdf named png"),  # extension disagrees
        SimpleUploadedFile("surat.pdf", b""),  # empty
        SimpleUploadedFile("data.zip", b"PK\x03\x04 not a docx"),
        SimpleUploadedFile("x.html", b"<html><script>alert(1)</script>"),
    ],
)
def test_a_file_is_checked_by_its_content(city_admin: User, ormas_org, upload) -> None:
    with pytest.raises(ValidationError) as caught:
        services.document_add(by=city_admin, organisation=ormas_org, type="other", file=upload)

    assert "file" in caught.value.message_dict
    assert not Document.objects.exists()


def test_a_file_larger_than_the_limit_is_refused(city_admin: User, ormas_org, settings) -> None:
    settings.REGISTRY_MAX_UPLOAD_BYTES = 10

    with pytest.raises(ValidationError) as caught:
        services.document_add(by=city_admin, organisation=ormas_org, type="other", file=pdf())

    assert "at most" in caught.value.messages[0]


def test_an_office_photo_must_be_an_image(city_admin: User, ormas_org) -> None:
    with pytest.raises(ValidationError):
        services.document_add(by=city_admin, organisation=ormas_org, type="office_photo", file=pdf())

    services.document_add(by=city_admin, organisation=ormas_org, type="office_photo", file=png())


def test_coaching_is_recorded_for_an_ormas(city_admin: User, ormas_org) -> None:
    note = services.coaching_note_add(
        by=city_admin,
        organisation=ormas_org,
        held_on=TODAY,
        subject="Pembinaan pelaporan kegiatan",
        note="Diingatkan kewajiban laporan kegiatan.",
        attachment=pdf("notulen.pdf"),
    )

    assert note.attachment.name.endswith(".pdf")
    assert note.created_by == city_admin
    assert len(events("registry.coaching_note.add")) == 1


# Sanctions ------------------------------------------------------------------------------------------


def issue(by: User, org: Organisation, step: int, on: datetime.date) -> Sanction:
    return services.sanction_issue(
        by=by,
        organisation=org,
        step=step,
        issued_on=on,
        letter_number=f"{step}/SP/2026",
        reason="Kegiatan meresahkan warga",
        letter=pdf(),
        evidence=png(),
    )


def test_a_warning_gives_seven_working_days(city_admin: User, ormas_org) -> None:
    monday = datetime.date(2026, 3, 2)
    PublicHoliday.objects.get_or_create(date=datetime.date(2026, 3, 5), defaults={"name": "Libur uji"})

    warning = issue(city_admin, ormas_org, Sanction.Step.WARNING, monday)

    assert warning.deadline == add_working_days(monday, 7) == datetime.date(2026, 3, 12)
    [event] = events("registry.sanction.issue")
    assert event.changes["deadline"] == [None, "2026-03-12"]


def test_the_sanction_path_goes_only_in_order(city_admin: User, ormas_org) -> None:
    start = TODAY - datetime.timedelta(days=60)
    with pytest.raises(ValidationError):
        issue(city_admin, ormas_org, Sanction.Step.STOP_ACTIVITIES, start)

    warning = issue(city_admin, ormas_org, Sanction.Step.WARNING, start)
    with pytest.raises(ValidationError):  # the Ormas still has time to comply
        issue(city_admin, ormas_org, Sanction.Step.STOP_ACTIVITIES, warning.deadline)
    with pytest.raises(ValidationError):  # no skipping
        issue(city_admin, ormas_org, Sanction.Step.REVOCATION_RECOMMENDATION, start + datetime.timedelta(days=20))
    with pytest.raises(ValidationError):  # the warning is given once
        issue(city_admin, ormas_org, Sanction.Step.WARNING, start + datetime.timedelta(days=20))

    stop = issue(city_admin, ormas_org, Sanction.Step.STOP_ACTIVITIES, start + datetime.timedelta(days=20))
    warning.refresh_from_db()
    assert (warning.outcome, warning.outcome_on) == ("escalated", stop.issued_on)

    issue(city_admin, ormas_org, Sanction.Step.REVOCATION_RECOMMENDATION, start + datetime.timedelta(days=40))
    with pytest.raises(ValidationError):  # the path has ended
        issue(city_admin, ormas_org, Sanction.Step.WARNING, TODAY)
    assert [s.step for s in ormas_org.sanctions.order_by("step")] == [1, 2, 3]
    assert len(events("registry.sanction.issue")) == 3


def test_a_path_that_ended_in_compliance_starts_again_with_a_warning(city_admin: User, ormas_org) -> None:
    warning = issue(city_admin, ormas_org, Sanction.Step.WARNING, TODAY - datetime.timedelta(days=30))

    services.sanction_resolve(by=city_admin, sanction=warning, outcome="complied", on=TODAY, note="Sudah dipenuhi")

    assert Sanction.objects.get(pk=warning.pk).outcome == "complied"
    assert len(events("registry.sanction.resolve")) == 1
    issue(city_admin, ormas_org, Sanction.Step.WARNING, TODAY)


def test_a_warning_cannot_be_escalated_before_its_deadline(city_admin: User, ormas_org) -> None:
    warning = issue(city_admin, ormas_org, Sanction.Step.WARNING, TODAY)

    with pytest.raises(ValidationError):
        services.sanction_resolve(by=city_admin, sanction=warning, outcome="escalated", on=TODAY)


def test_sanctions_are_for_ormas_and_for_staff_of_their_territory(
    lurah_operator: User, west_admin: User, rt_org, ormas_org
) -> None:
    with pytest.raises(ValidationError):
        issue(lurah_operator, rt_org, Sanction.Step.WARNING, TODAY)
    with pytest.raises(PermissionDenied):
        issue(west_admin, ormas_org, Sanction.Step.WARNING, TODAY)


def test_a_refused_write_leaves_no_file_behind(city_admin: User, ormas_org, settings) -> None:
    with pytest.raises(ValidationError):  # out of order
        issue(city_admin, ormas_org, Sanction.Step.STOP_ACTIVITIES, TODAY)
    with pytest.raises(ValidationError):  # subject too long
        services.coaching_note_add(
            by=city_admin, organisation=ormas_org, held_on=TODAY, subject="x" * 201, note="n", attachment=pdf()
        )

    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []
    assert stored == []


def test_a_sanction_needs_a_letter(city_admin: User, ormas_org) -> None:
    with pytest.raises(ValidationError):
        services.sanction_issue(
            by=city_admin,
            organisation=ormas_org,
            step=1,
            issued_on=TODAY,
            letter_number="1/SP",
            reason="x",
            letter=SimpleUploadedFile("surat.pdf", b"not a pdf"),
        )
    assert not Sanction.objects.exists()


# Persons --------------------------------------------------------------------------------------------


def test_a_person_gets_sex_and_birth_date_from_the_nik_and_the_nik_is_never_stored_plain(
    lurah_operator: User, territory: Territory
) -> None:
    nik = make_nik(datetime.date(1975, 8, 17), female=True, serial=42)

    person = services.person_create(
        by=lurah_operator, full_name="Siti Aminah", nik=nik, region=territory.kel_gambir, phone=" 0812 "
    )

    assert (person.sex, person.birth_date, person.phone) == ("F", datetime.date(1975, 8, 17), "0812")
    assert person.nik_masked == "3171••••••••0042"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_person WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    assert not any(nik in str(value) for value in row)
    assert decrypt_nik(Person.objects.get(pk=person.pk).nik_encrypted) == nik
    [event] = events("registry.person.create")
    assert nik not in str(event.changes)
    assert event.changes["nik_masked"] == [None, "3171••••••••0042"]
    assert event.region_code == "31.71.01.1001"


def test_an_rt_sets_the_persons_kelurahan(lurah_operator: User, territory: Territory) -> None:
    rt = rt_of(territory.kel_gambir, 1, 2)

    person = services.person_create(by=lurah_operator, full_name="Budi", nik=make_nik(), rt=rt)

    assert (person.region, person.rt) == (territory.kel_gambir, rt)


def test_a_duplicate_nik_is_refused(lurah_operator: User, territory: Territory) -> None:
    services.person_create(by=lurah_operator, full_name="Budi", nik=make_nik(), region=territory.kel_gambir)

    with pytest.raises(ValidationError) as caught:
        services.person_create(by=lurah_operator, full_name="Budi Lain", nik=make_nik(), region=territory.kel_gambir)

    assert caught.value.message_dict["nik"] == ["A person with this NIK is already registered."]
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"sex": "F"}, "sex"),
        ({"birth_date": datetime.date(1980, 5, 18)}, "birth_date"),
        ({"nik": "3171011705800000"}, "nik"),
        ({"nik": "31710117058000"}, "nik"),
        ({"full_name": "  "}, "full_name"),
    ],
)
def test_a_person_whose_data_disagrees_with_the_nik_is_refused(
    lurah_operator: User, territory: Territory, extra: dict, field: str
) -> None:
    data = {"full_name": "Budi", "nik": make_nik(), "region": territory.kel_gambir} | extra

    with pytest.raises(ValidationError) as caught:
        services.person_create(by=lurah_operator, **data)

    assert field in caught.value.message_dict


def test_a_person_is_registered_only_by_staff_of_their_kelurahan(
    outsider_operator: User, rt_chair: User, territory: Territory
) -> None:
    for user in (outsider_operator, rt_chair):
        with pytest.raises(PermissionDenied):
            services.person_create(by=user, full_name="Budi", nik=make_nik(), region=territory.kel_gambir)


def test_a_corrected_nik_updates_sex_and_birth_date_and_is_audited_masked(
    lurah_operator: User, person_factory: Callable[..., Person]
) -> None:
    person = person_factory("Budi")
    corrected = make_nik(datetime.date(1981, 6, 1), female=True, serial=7)

    services.person_update(by=lurah_operator, person=person, nik=corrected, phone="0813")

    person.refresh_from_db()
    assert (person.sex, person.birth_date, person.nik_masked) == ("F", datetime.date(1981, 6, 1), "3171••••••••0007")
    [event] = events("registry.person.update")
    assert corrected not in str(event.changes)
    assert event.changes["nik_masked"] == ["3171••••••••0001", "3171••••••••0007"]


def test_a_nik_is_revealed_only_with_permission_and_each_reveal_is_audited(
    lurah_operator: User, kesbangpol_admin: User, nik_officer: User, person_factory
) -> None:
    person = person_factory("Budi")

    with pytest.raises(PermissionDenied):
        services.person_reveal_nik(by=lurah_operator, person=person)
    assert services.person_reveal_nik(by=kesbangpol_admin, person=person) == make_nik()
    assert services.person_reveal_nik(by=nik_officer, person=person) == make_nik()

    assert [e.actor for e in AuditEvent.objects.filter(action="registry.person.reveal_nik").order_by("id")] == [
        kesbangpol_admin,
        nik_officer,
    ]


def test_an_administrator_of_another_city_cannot_reveal(west_admin: User, person_factory) -> None:
    with pytest.raises(PermissionDenied):
        services.person_reveal_nik(by=west_admin, person=person_factory("Budi"))
    assert not events("registry.person.reveal_nik")


# Officers (the rules themselves are in test_rules) ----------------------------------------------------


def test_an_appointment_without_an_end_gets_the_kinds_full_term(
    lurah_operator: User, rt_org: Organisation, person_factory
) -> None:
    officer, warnings = services.officer_appoint(
        by=lurah_operator,
        organisation=rt_org,
        person=person_factory("Budi"),
        position="ketua",
        term_start=datetime.date(2024, 3, 1),
        sk_number="12/2024",
        sk_issuer="Lurah Gambir",
        no_party_statement=True,
    )

    assert officer.term_end == datetime.date(2029, 2, 28)
    assert warnings == []
    [event] = events("registry.officer.appoint")
    assert event.changes["term_end"] == [None, "2029-02-28"]


def test_an_officer_leaves_with_a_date_and_reason(lurah_operator: User, rt_org, person_factory) -> None:
    officer, _ = services.officer_appoint(
        by=lurah_operator,
        organisation=rt_org,
        person=person_factory("Budi"),
        position="ketua",
        term_start=TODAY - datetime.timedelta(days=400),
        no_party_statement=True,
    )

    services.officer_end(by=lurah_operator, officer=officer, ended_on=TODAY, reason="resignation")

    officer.refresh_from_db()
    assert (officer.ended_on, officer.end_reason, officer.is_current()) == (TODAY, "resignation", False)
    with pytest.raises(ValidationError):
        services.officer_end(by=lurah_operator, officer=officer, ended_on=TODAY, reason="death")
    assert len(events("registry.officer.end")) == 1


def test_an_officer_cannot_leave_before_the_term_or_for_no_reason(lurah_operator: User, rt_org, person_factory) -> None:
    officer, _ = services.officer_appoint(
        by=lurah_operator,
        organisation=rt_org,
        person=person_factory("Budi"),
        position="ketua",
        term_start=TODAY - datetime.timedelta(days=10),
        no_party_statement=True,
    )
    with pytest.raises(ValidationError):
        services.officer_end(
            by=lurah_operator, officer=officer, ended_on=TODAY - datetime.timedelta(days=11), reason="death"
        )
    with pytest.raises(ValidationError):
        services.officer_end(by=lurah_operator, officer=officer, ended_on=TODAY, reason="bored")


def test_no_officer_is_appointed_to_a_dissolved_organisation(lurah_operator: User, rt_org, person_factory) -> None:
    rt_org.status = Organisation.Status.DISSOLVED
    rt_org.save()

    with pytest.raises(ValidationError):
        services.officer_appoint(
            by=lurah_operator, organisation=rt_org, person=person_factory("Budi"), position="ketua", term_start=TODAY
        )


# Activity reports ---------------------------------------------------------------------------------------


def test_a_representative_reports_an_activity_with_photos(rt_chair: User, rt_org: Organisation) -> None:
    report = services.activity_report_add(
        by=rt_chair,
        organisation=rt_org,
        held_on=TODAY,
        kind="kerja_bakti",
        title="Kerja bakti saluran air",
        place="Jl. Gambir I",
        participants=35,
        photos=[png("a.png"), SimpleUploadedFile("b.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16)],
    )

    assert report.photos.count() == 2
    [event] = events("registry.activity_report.add")
    assert event.changes["photos"] == [0, 2]


def test_an_activity_photo_must_be_an_image(rt_chair: User, rt_org: Organisation) -> None:
    with pytest.raises(ValidationError):
        services.activity_report_add(
            by=rt_chair,
            organisation=rt_org,
            held_on=TODAY,
            kind="ronda",
            title="Ronda",
            place="Pos",
            participants=4,
            photos=[pdf()],
        )
    assert not rt_org.activity_reports.exists()


def test_no_one_reports_for_someone_elses_organisation(rt_chair: User, other_rt_org: Organisation) -> None:
    with pytest.raises(PermissionDenied):
        services.activity_report_add(
            by=rt_chair, organisation=other_rt_org, held_on=TODAY, kind="ronda", title="R", place="P", participants=1
        )


# Self-service -------------------------------------------------------------------------------------------


def test_an_rt_chair_proposes_a_new_officer_and_the_lurah_operator_approves_it(
    rt_chair: User, lurah_operator: User, rt_org: Organisation
) -> None:
    nik = make_nik(datetime.date(1985, 2, 3), serial=77)
    request = services.change_request_submit(
        by=rt_chair,
        organisation=rt_org,
        kind="officer_appoint",
        payload={
            "full_name": "Rahmat Hidayat",
            "nik": nik,
            "position": "sekretaris",
            "term_start": "2025-01-06",
            "sk_number": "3/2025",
            "no_party_statement": True,
        },
        attachment=pdf("sk.pdf"),
    )

    assert nik not in str(request.payload)
    assert request.payload["nik_masked"] == "3171••••••••0077"
    assert nik not in str(events("registry.change_request.submit")[0].changes)

    services.change_request_decide(by=lurah_operator, change_request=request, approve=True)

    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", lurah_operator)
    officer = rt_org.officers.get()
    assert (officer.person.full_name, officer.position, officer.sk_number) == ("Rahmat Hidayat", "sekretaris", "3/2025")
    assert decrypt_nik(officer.person.nik_encrypted) == nik
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "registry.change_request.submit",
        "registry.person.create",
        "registry.officer.appoint",
        "registry.change_request.approve",
    ]


def test_a_proposal_of_an_officer_change_needs_the_sk(rt_chair: User, rt_org: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        services.change_request_submit(
            by=rt_chair,
            organisation=rt_org,
            kind="officer_appoint",
            payload={"full_name": "X", "nik": make_nik(), "position": "ketua", "term_start": "2025-01-01"},
        )
    assert "attachment" in caught.value.message_dict


def test_a_proposal_that_breaks_a_rule_is_not_applied(
    rt_chair: User, lurah_operator: User, rt_org: Organisation, other_rt_org: Organisation, person_factory
) -> None:
    # The proposed person already chairs the neighbouring RT: a double post, which RT refuses.
    person = person_factory("Budi")
    services.officer_appoint(
        by=lurah_operator,
        organisation=other_rt_org,
        person=person,
        position="ketua",
        term_start=TODAY - datetime.timedelta(days=30),
        no_party_statement=True,
    )
    request = services.change_request_submit(
        by=rt_chair,
        organisation=rt_org,
        kind="officer_appoint",
        payload={"nik": make_nik(), "position": "ketua", "term_start": TODAY.isoformat(), "no_party_statement": True},
        attachment=pdf(),
    )
    assert request.payload["person_id"] == person.pk

    with pytest.raises(ValidationError) as caught:
        services.change_request_decide(by=lurah_operator, change_request=request, approve=True)

    assert "two lembaga" in caught.value.messages[0]
    assert ChangeRequest.objects.get(pk=request.pk).status == "pending"
    assert not rt_org.officers.exists()


def test_a_rejection_needs_a_reason_and_applies_nothing(rt_chair: User, lurah_operator: User, rt_org) -> None:
    request = services.change_request_submit(
        by=rt_chair, organisation=rt_org, kind="contact", payload={"phone": "0812-9999"}
    )
    with pytest.raises(ValidationError):
        services.change_request_decide(by=lurah_operator, change_request=request, approve=False)

    services.change_request_decide(by=lurah_operator, change_request=request, approve=False, reason="Nomor salah")

    rt_org.refresh_from_db()
    assert rt_org.phone == ""
    assert ChangeRequest.objects.get(pk=request.pk).status == "rejected"
    with pytest.raises(ValidationError):  # decided once
        services.change_request_decide(by=lurah_operator, change_request=request, approve=True)


def test_an_officer_departure_is_proposed_and_applied(
    rt_chair: User, lurah_operator: User, rt_org: Organisation, person_factory
) -> None:
    officer, _ = services.officer_appoint(
        by=lurah_operator,
        organisation=rt_org,
        person=person_factory("Budi"),
        position="bendahara",
        term_start=TODAY - datetime.timedelta(days=100),
        no_party_statement=True,
    )
    request = services.change_request_submit(
        by=rt_chair,
        organisation=rt_org,
        kind="officer_end",
        payload={"officer_id": officer.pk, "ended_on": TODAY.isoformat(), "reason": "death"},
        attachment=pdf(),
    )

    services.change_request_decide(by=lurah_operator, change_request=request, approve=True)

    officer.refresh_from_db()
    assert (officer.ended_on, officer.end_reason) == (TODAY, "death")


def test_the_lurah_operator_is_told_of_a_proposal_and_the_chair_of_the_decision(
    rt_chair: User, lurah_operator: User, city_admin: User, rt_org, django_capture_on_commit_callbacks
) -> None:
    from sinergi.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        request = services.change_request_submit(
            by=rt_chair, organisation=rt_org, kind="contact", payload={"email": "rt1@warga.test"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(by=lurah_operator, change_request=request, approve=True)

    assert set(Notification.objects.values_list("user__username", flat=True)) == {"lurah.gambir", "ketua.rt1.gambir"}
    rt_org.refresh_from_db()
    assert rt_org.email == "rt1@warga.test"


def test_a_contact_proposal_is_checked_when_submitted(rt_chair: User, rt_org) -> None:
    for payload in ({"email": "not-an-email"}, {"name": "Nama baru"}, {"latitude": 200}, {}):
        with pytest.raises(ValidationError):
            services.change_request_submit(by=rt_chair, organisation=rt_org, kind="contact", payload=payload)


def test_a_representative_may_name_only_people_the_organisation_knows(rt_chair: User, rt_org, person_factory) -> None:
    stranger = person_factory("Orang Lain", serial=9)

    with pytest.raises(ValidationError):
        services.change_request_submit(
            by=rt_chair,
            organisation=rt_org,
            kind="officer_appoint",
            payload={"person_id": stranger.pk, "position": "ketua", "term_start": "2025-01-01"},
            attachment=pdf(),
        )


def test_a_representative_is_granted_and_revoked_by_staff(lurah_operator: User, rt_org: Organisation) -> None:
    user = User.objects.create_user(username="ketua.baru", password="x")

    role = services.representative_grant(by=lurah_operator, organisation=rt_org, user=user)

    assert (role.kind, role.organisation) == (Role.Kind.ORG_REPRESENTATIVE, rt_org)
    assert User.objects.get(pk=user.pk).represented_organisation_ids() == [rt_org.pk]
    with pytest.raises(ValidationError):
        services.representative_grant(by=lurah_operator, organisation=rt_org, user=user)

    services.representative_revoke(by=lurah_operator, role=role)

    assert not Role.objects.filter(pk=role.pk).exists()
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "registry.representative.grant",
        "registry.representative.revoke",
    ]


def test_a_representative_cannot_grant_representatives(rt_chair: User, rt_org: Organisation) -> None:
    user = User.objects.create_user(username="teman", password="x")

    with pytest.raises(PermissionDenied):
        services.representative_grant(by=rt_chair, organisation=rt_org, user=user)


def test_ormas_profile_is_kept_one_per_ormas(city_admin: User, ormas_org) -> None:
    services.ormas_profile_save(by=city_admin, organisation=ormas_org, legal_form="skt", registration_number="A")
    services.ormas_profile_save(by=city_admin, organisation=ormas_org, registration_number="B")

    assert OrmasProfile.objects.get().registration_number == "B"
    assert len(events("registry.ormas_profile.save")) == 2


def test_every_write_leaves_exactly_one_audit_event(
    lurah_operator: User, city_admin: User, rt_org: Organisation, ormas_org: Organisation, territory: Territory
) -> None:
    person = services.person_create(by=lurah_operator, full_name="Budi", nik=make_nik(), region=territory.kel_gambir)
    officer, _ = services.officer_appoint(
        by=lurah_operator,
        organisation=rt_org,
        person=person,
        position="ketua",
        term_start=TODAY,
        no_party_statement=True,
    )
    writes = [
        lambda: services.organisation_update(by=lurah_operator, organisation=rt_org, address="Jl. Gambir 1"),
        lambda: services.organisation_set_status(by=lurah_operator, organisation=rt_org, status="inactive", reason="x"),
        lambda: services.person_update(by=lurah_operator, person=person, phone="0812"),
        lambda: services.officer_end(by=lurah_operator, officer=officer, ended_on=TODAY, reason="resignation"),
        lambda: services.ormas_profile_save(by=city_admin, organisation=ormas_org, legal_form="skt"),
        lambda: services.document_add(by=city_admin, organisation=ormas_org, type="skt", file=pdf()),
        lambda: services.coaching_note_add(by=city_admin, organisation=ormas_org, held_on=TODAY, subject="s", note="n"),
        lambda: issue(city_admin, ormas_org, Sanction.Step.WARNING, TODAY),
    ]
    for write in writes:
        before = AuditEvent.objects.count()
        write()
        assert AuditEvent.objects.count() == before + 1
    assert set(AuditEvent.objects.values_list("actor__username", flat=True)) == {"lurah.gambir", "jakpus.admin"}
    assert Officer.objects.count() == 1
