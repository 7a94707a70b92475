"""The register's pages: a Lurah operator finds every RT of the kelurahan, sees whose terms end this
year, keeps officers, documents and the Ormas sanction path; whoever is out of scope gets 404."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Territory
from sinergi.accounts.models import Role, User
from sinergi.audit.models import AuditEvent
from sinergi.registry.models import (
    ActivityReport,
    CoachingNote,
    Document,
    Officer,
    Organisation,
    OrganisationKind,
    OrmasProfile,
    Person,
    Sanction,
)
from sinergi.registry.tests.conftest import make_nik, make_person, pdf, png, rt_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
END_OF_YEAR = datetime.date(TODAY.year, 12, 31)
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 10; SM-A105F) Mobile"}


@pytest.fixture(autouse=True)
def english(settings) -> None:
    """The pages in English, so tests can read them (the default is Indonesian)."""
    settings.LANGUAGE_CODE = "en"


def actions() -> list[str]:
    """The audit log's actions in order, sign-ins left out."""
    events = AuditEvent.objects.exclude(action="accounts.login").order_by("id")
    return list(events.values_list("action", flat=True))


def appoint(organisation: Organisation, person: Person, *, term_end: datetime.date, position: str = "ketua") -> Officer:
    """An officer made with the plain ORM, serving a five-year term that ends on ``term_end``."""
    return Officer.objects.create(
        organisation=organisation,
        person=person,
        position=position,
        term_start=term_end.replace(year=term_end.year - 5) + datetime.timedelta(days=1),
        term_end=term_end,
        no_party_statement=True,
    )


@pytest.fixture
def gambir_rts(kinds: dict[str, OrganisationKind], territory: Territory, rt_org, other_rt_org) -> list[Organisation]:
    """Every RT of Kelurahan Gambir (RW 1: RT 1-3, RW 2: RT 1-2) registered."""
    made = [rt_org, other_rt_org]
    for rw, rt in [(1, 3), (2, 1), (2, 2)]:
        unit = rt_of(territory.kel_gambir, rw, rt)
        made.append(
            Organisation.objects.create(
                kind=kinds["rt"], name=f"RT {rt:03d}/RW {rw:03d}", region=territory.kel_gambir, rw=unit.rw, rt=unit
            )
        )
    return made


def listed(client: Client, query: dict[str, str] | None = None) -> list[Organisation]:
    response = client.get("/register/", query or {})
    assert response.status_code == 200
    return list(response.context["page"].object_list)


# The list --------------------------------------------------------------------------------------------


def test_a_lurah_operator_finds_every_rt_of_the_kelurahan(
    client_for, lurah_operator: User, gambir_rts, outsider_rt_org, rw_org, territory: Territory
) -> None:
    found = listed(client_for(lurah_operator), {"kind": "rt", "area": territory.kel_gambir.code})

    assert sorted(o.pk for o in found) == sorted(o.pk for o in gambir_rts)
    assert outsider_rt_org not in found
    assert rw_org not in found


def test_the_list_searches_by_officer_name_and_exact_nik(
    client_for, lurah_operator: User, rt_org, other_rt_org, person_factory
) -> None:
    slamet = person_factory("Slamet Riyadi", serial=11)
    appoint(rt_org, slamet, term_end=END_OF_YEAR + datetime.timedelta(days=400))
    client = client_for(lurah_operator)

    assert listed(client, {"q": "riyadi"}) == [rt_org]
    assert listed(client, {"q": make_nik(serial=11)}) == [rt_org]
    assert listed(client, {"q": make_nik(serial=12)}) == []


def test_the_list_filters_by_status_and_missing_chair(
    client_for, lurah_operator: User, rt_org, other_rt_org, person_factory
) -> None:
    appoint(rt_org, person_factory("Ketua Satu", serial=21), term_end=END_OF_YEAR + datetime.timedelta(days=400))
    Organisation.objects.filter(pk=other_rt_org.pk).update(status=Organisation.Status.INACTIVE)
    client = client_for(lurah_operator)

    assert listed(client, {"missing": "chair"}) == [other_rt_org]
    assert listed(client, {"status": "inactive"}) == [other_rt_org]
    # A bad filter value is shown as an error and ignored, not a failed page.
    assert sorted(o.pk for o in listed(client, {"status": "nonsense"})) == sorted([rt_org.pk, other_rt_org.pk])


def test_htmx_gets_only_the_results(client_for, lurah_operator: User, rt_org) -> None:
    response = client_for(lurah_operator).get("/register/", {"q": "RT"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert 'id="registry-results"' in body
    assert "<html" not in body
    assert 'role="search"' not in body
    assert response["Vary"].count("HX-Request") == 1


def test_the_export_links_keep_the_filter(client_for, lurah_operator: User, rt_org) -> None:
    body = client_for(lurah_operator).get("/register/", {"kind": "rt", "page": "1"}).content.decode()

    assert "/register/ekspor/?kind=rt&amp;format=xlsx" in body
    assert "/register/ekspor/?kind=rt&amp;format=csv" in body


def grow(kinds: dict[str, OrganisationKind], territory: Territory, count: int) -> None:
    """``count`` more Posyandu in Gambir, each with a chair: the list must not ask more per row."""
    kelurahan = territory.kel_gambir
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create(
        Organisation(kind=kinds["posyandu"], name=f"Posyandu Mawar {i:03d}", region=kelurahan)
        for i in range(start, start + count)
    )
    for i, org in enumerate(orgs, start=start):
        person = make_person(f"Kader {i:03d}", make_nik(serial=500 + i, female=True), kelurahan)
        appoint(org, person, term_end=END_OF_YEAR + datetime.timedelta(days=300))


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/register/", "/register/?q=kader", "/register/?kind=posyandu&expiring=90"])
def test_the_list_asks_the_same_number_of_queries_for_5_and_50_organisations(
    client_for, lurah_operator: User, kinds, territory: Territory, url: str
) -> None:
    client = client_for(lurah_operator)
    grow(kinds, territory, 5)
    few = queries(client, url)
    grow(kinds, territory, 45)

    assert queries(client, url) == few


# The organisation page ----------------------------------------------------------------------------


def test_the_organisation_page_shows_officers_whose_term_ends_this_year(
    client_for, lurah_operator: User, rt_org, person_factory
) -> None:
    chair = appoint(rt_org, person_factory("Slamet Riyadi", serial=31), term_end=END_OF_YEAR)
    secretary = person_factory("Wati Sekretaris", serial=32, female=True)
    appoint(rt_org, secretary, term_end=END_OF_YEAR + datetime.timedelta(days=900), position="sekretaris")

    response = client_for(lurah_operator).get(f"/register/{rt_org.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert next(row[0] for row in response.context["officer_rows"]) == chair
    # Highlighted once in the phone list and once in the table: the chair, not the secretary.
    assert body.count("ends this year") == 2
    assert body.count('<tr class="table-warning">') == 1
    assert chair.person.nik_masked in body
    assert make_nik(serial=31) not in body


def test_the_organisation_page_warns_of_a_post_in_another_lembaga(
    client_for, lurah_operator: User, rt_org, rw_org, person_factory
) -> None:
    person = person_factory("Budi Rangkap", serial=33)
    appoint(rt_org, person, term_end=END_OF_YEAR + datetime.timedelta(days=700))
    appoint(rw_org, person, term_end=END_OF_YEAR + datetime.timedelta(days=700), position="bendahara")

    body = client_for(lurah_operator).get(f"/register/{rt_org.pk}/").content.decode()

    assert "Also holds a post in RW 001" in body


def test_a_lurah_operator_registers_an_rt_by_its_numbers(client_for, lurah_operator: User, kinds, territory) -> None:
    response = client_for(lurah_operator).post(
        "/register/baru/",
        {
            "kind": kinds["rt"].pk,
            "name": "RT 003/RW 001",
            "region": territory.kel_gambir.code,
            "rw_number": 1,
            "rt_number": 3,
        },
    )

    organisation = Organisation.objects.get(name="RT 003/RW 001")
    assert response.status_code == 302
    assert response["Location"] == f"/register/{organisation.pk}/"
    assert organisation.rt == rt_of(territory.kel_gambir, 1, 3)
    assert actions() == ["registry.organisation.create"]


def test_registering_an_rt_that_does_not_exist_names_the_field(
    client_for, lurah_operator: User, kinds, territory
) -> None:
    response = client_for(lurah_operator).post(
        "/register/baru/",
        {"kind": kinds["rt"].pk, "name": "RT 009", "region": territory.kel_gambir.code, "rw_number": 1, "rt_number": 9},
    )

    assert response.status_code == 422
    assert "rt_number" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_the_lurah_operator_cannot_register_in_another_kelurahan(
    client_for, lurah_operator: User, kinds, territory
) -> None:
    response = client_for(lurah_operator).post(
        "/register/baru/",
        {"kind": kinds["lmk"].pk, "name": "LMK Pasar Baru", "region": territory.kel_pasar_baru.code},
    )

    assert response.status_code == 422  # not a choice: the area list holds only the user's territory
    assert not Organisation.objects.exists()


def test_editing_keeps_what_was_not_changed_and_audits_what_was(client_for, lurah_operator: User, rt_org) -> None:
    Organisation.objects.filter(pk=rt_org.pk).update(address="Jl. Lama 1")
    response = client_for(lurah_operator).post(
        f"/register/{rt_org.pk}/ubah/", {"name": rt_org.name, "address": "Jl. Baru 2", "phone": "0812"}
    )

    assert response.status_code == 302
    rt_org.refresh_from_db()
    assert (rt_org.address, rt_org.phone) == ("Jl. Baru 2", "0812")
    [event] = AuditEvent.objects.filter(action="registry.organisation.update")
    assert set(event.changes) == {"address", "phone"}


def test_a_status_change_needs_a_reason(client_for, lurah_operator: User, rt_org) -> None:
    client = client_for(lurah_operator)
    url = f"/register/{rt_org.pk}/status/"

    assert client.post(url, {"status": "inactive", "on": TODAY}).status_code == 422
    assert client.post(url, {"status": "inactive", "on": TODAY, "reason": "Ketua wafat"}).status_code == 302
    rt_org.refresh_from_db()
    assert (rt_org.status, rt_org.status_reason) == ("inactive", "Ketua wafat")


def test_an_officer_is_appointed_with_a_new_person_entered_inline(
    client_for, lurah_operator: User, rt_org, territory
) -> None:
    response = client_for(lurah_operator).post(
        f"/register/{rt_org.pk}/pengurus/",
        {
            "nik": make_nik(serial=41),
            "full_name": "Slamet Riyadi",
            "phone": "081234",
            "position": "ketua",
            "term_start": "2024-03-01",
            "sk_number": "12/2024",
            "no_party_statement": "on",
        },
        follow=True,
    )

    officer = Officer.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"/register/{rt_org.pk}/#officers")
    assert officer.term_end == datetime.date(2029, 2, 28)
    assert officer.person.region == territory.kel_gambir
    assert officer.person.rt == rt_org.rt
    assert actions() == ["registry.person.create", "registry.officer.appoint"]


def test_an_officer_is_appointed_from_an_existing_person_by_nik(
    client_for, lurah_operator: User, rt_org, person_factory
) -> None:
    person = person_factory("Wati", serial=42, female=True)

    response = client_for(lurah_operator).post(
        f"/register/{rt_org.pk}/pengurus/",
        {"nik": make_nik(serial=42, female=True), "position": "sekretaris", "term_start": "2024-03-01"},
        follow=True,
    )

    assert Officer.objects.get().person == person
    # The RT kind warns of a missing no-party statement; the page says so.
    assert any("political party" in str(m) for m in response.context["messages"])
    assert Person.objects.count() == 1


def test_a_refused_appointment_creates_no_person(client_for, lurah_operator: User, rt_org, person_factory) -> None:
    appoint(rt_org, person_factory("Ketua Lama", serial=43), term_end=END_OF_YEAR + datetime.timedelta(days=500))

    response = client_for(lurah_operator).post(
        f"/register/{rt_org.pk}/pengurus/",
        {"nik": make_nik(serial=44), "full_name": "Ketua Kedua", "position": "ketua", "term_start": TODAY.isoformat()},
    )

    assert response.status_code == 422
    assert "already holds the post" in " ".join(response.context["form"].non_field_errors())
    assert Person.objects.count() == 1


def test_an_invalid_nik_is_refused_on_the_form(client_for, lurah_operator: User, rt_org) -> None:
    response = client_for(lurah_operator).post(
        f"/register/{rt_org.pk}/pengurus/",
        {"nik": "3171011705800000", "full_name": "X", "position": "ketua", "term_start": "2024-03-01"},
    )

    assert response.status_code == 422
    assert "nik" in response.context["form"].errors


def test_an_officer_leaves_with_a_reason(client_for, lurah_operator: User, rt_org, person_factory) -> None:
    officer = appoint(rt_org, person_factory("Pak Tua", serial=45), term_end=END_OF_YEAR + datetime.timedelta(days=99))

    response = client_for(lurah_operator).post(
        f"/register/pengurus/{officer.pk}/berhenti/", {"ended_on": TODAY.isoformat(), "reason": "resignation"}
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.ended_on, officer.end_reason) == (TODAY, "resignation")


# Documents and files --------------------------------------------------------------------------------


def test_a_document_is_uploaded_and_downloaded_through_a_scoped_view(
    client_for, lurah_operator: User, outsider_operator: User, rt_chair: User, other_rt_org, rt_org
) -> None:
    client = client_for(lurah_operator)
    response = client.post(
        f"/register/{other_rt_org.pk}/dokumen/",
        {"type": "board_decree", "number": "SK-7/2024", "valid_until": "2029-01-01", "file": pdf("sk.pdf")},
    )
    document = Document.objects.get()
    page = client.get(f"/register/{other_rt_org.pk}/").content.decode()

    assert response.status_code == 302
    assert f"/register/dokumen/{document.pk}/" in page
    assert "/media/" not in page
    download = client.get(f"/register/dokumen/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert client_for(outsider_operator).get(f"/register/dokumen/{document.pk}/").status_code == 404
    assert client_for(rt_chair).get(f"/register/dokumen/{document.pk}/").status_code == 404


def test_a_file_of_the_wrong_type_is_refused_on_the_field(client_for, lurah_operator: User, rt_org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf")
    response = client_for(lurah_operator).post(f"/register/{rt_org.pk}/dokumen/", {"type": "other", "file": fake})

    assert response.status_code == 422
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_an_activity_report_carries_photos_shown_through_a_scoped_view(
    client_for, lurah_operator: User, outsider_operator: User, rt_org
) -> None:
    client = client_for(lurah_operator)
    response = client.post(
        f"/register/{rt_org.pk}/kegiatan/",
        {
            "held_on": TODAY.isoformat(),
            "kind": "kerja_bakti",
            "title": "Kerja bakti saluran",
            "place": "Gang Mawar",
            "participants": 30,
            "photos": [png("a.png"), png("b.png")],
        },
    )

    report = ActivityReport.objects.get()
    assert response.status_code == 302
    assert report.photos.count() == 2
    photo = report.photos.first()
    assert client.get(f"/register/foto/{photo.pk}/").status_code == 200
    assert client_for(outsider_operator).get(f"/register/foto/{photo.pk}/").status_code == 404


# Ormas: legal record, coaching and sanctions ------------------------------------------------------------


def test_kesbangpol_records_an_ormas_legal_record_and_coaching(client_for, kesbangpol_admin: User, ormas_org) -> None:
    client = client_for(kesbangpol_admin)

    saved = client.post(
        f"/register/{ormas_org.pk}/legal/",
        {
            "legal_form": "skt",
            "registration_number": "01-00-00/0123/2022",
            "registration_issued_on": "2022-05-01",
            "scope": "city",
            "board_level": "dpc",
        },
    )
    noted = client.post(
        f"/register/{ormas_org.pk}/pembinaan/",
        {"held_on": TODAY.isoformat(), "subject": "Pembinaan ideologi", "note": "Hadir 12 pengurus."},
    )

    assert saved.status_code == 302
    assert noted.status_code == 302
    assert OrmasProfile.objects.get().registration_expires_on == datetime.date(2027, 5, 1)
    assert CoachingNote.objects.get().subject == "Pembinaan ideologi"
    body = client.get(f"/register/{ormas_org.pk}/").content.decode()
    assert "01-00-00/0123/2022" in body
    assert "Pembinaan ideologi" in body


def test_the_sanction_path_offers_only_the_next_step(client_for, kesbangpol_admin: User, ormas_org) -> None:
    client = client_for(kesbangpol_admin)
    page = client.get(f"/register/{ormas_org.pk}/")
    assert page.context["next_step"] == Sanction.Step.WARNING

    warned_on = TODAY - datetime.timedelta(days=30)
    warning = client.post(
        f"/register/{ormas_org.pk}/sanksi/",
        {"issued_on": warned_on.isoformat(), "letter_number": "SP-1/2026", "reason": "Tidak lapor", "letter": pdf()},
    )
    assert warning.status_code == 302
    page = client.get(f"/register/{ormas_org.pk}/")
    assert page.context["next_step"] == Sanction.Step.STOP_ACTIVITIES
    assert [s["sanction"] is not None for s in page.context["steps"]] == [True, False, False]
    assert Sanction.objects.get().deadline is not None

    form = client.get(f"/register/{ormas_org.pk}/sanksi/")
    assert "Order to stop activities" in form.content.decode()
    stop = client.post(
        f"/register/{ormas_org.pk}/sanksi/",
        {"issued_on": TODAY.isoformat(), "letter_number": "SP-2/2026", "reason": "Tetap tidak lapor", "letter": pdf()},
    )
    assert stop.status_code == 302
    assert list(Sanction.objects.order_by("step").values_list("step", "outcome")) == [
        (1, "escalated"),
        (2, "open"),
    ]
    assert client.get(f"/register/{ormas_org.pk}/").context["next_step"] == Sanction.Step.REVOCATION_RECOMMENDATION


def test_an_ormas_that_complied_starts_a_new_path_with_a_warning(client_for, kesbangpol_admin: User, ormas_org) -> None:
    client = client_for(kesbangpol_admin)
    client.post(
        f"/register/{ormas_org.pk}/sanksi/",
        {"issued_on": TODAY.isoformat(), "letter_number": "SP-1", "reason": "Tidak lapor", "letter": pdf()},
    )
    sanction = Sanction.objects.get()

    response = client.post(
        f"/register/sanksi/{sanction.pk}/dipatuhi/", {"outcome": "complied", "on": TODAY.isoformat()}
    )

    assert response.status_code == 302
    page = client.get(f"/register/{ormas_org.pk}/")
    assert page.context["next_step"] == Sanction.Step.WARNING
    assert page.context["earlier_sanctions"] == [sanction]


def test_sanctions_and_coaching_are_not_shown_to_the_ormas(
    client_for, ormas_secretary: User, kesbangpol_admin, ormas_org
) -> None:
    client_for(kesbangpol_admin).post(
        f"/register/{ormas_org.pk}/sanksi/",
        {"issued_on": TODAY.isoformat(), "letter_number": "SP-1", "reason": "Tidak lapor", "letter": pdf()},
    )
    sanction = Sanction.objects.get()
    client = client_for(ormas_secretary)

    body = client.get(f"/register/{ormas_org.pk}/").content.decode()

    assert "SP-1" not in body
    assert client.get(f"/register/sanksi/{sanction.pk}/letter/").status_code == 404
    assert client.get(f"/register/{ormas_org.pk}/sanksi/").status_code == 403


# Persons and the NIK ------------------------------------------------------------------------------------


def test_the_person_page_masks_the_nik_and_hides_the_birth_date(
    client_for, lurah_operator: User, person_factory
) -> None:
    person = person_factory("Slamet", serial=51)

    body = client_for(lurah_operator).get(f"/register/orang/{person.pk}/").content.decode()

    assert person.nik_masked in body
    assert make_nik(serial=51) not in body
    assert "17 May 1980" not in body


def test_revealing_a_nik_is_a_post_audited_and_never_cached(client_for, nik_officer: User, person_factory) -> None:
    person = person_factory("Slamet", serial=52)
    client = client_for(nik_officer)

    assert client.get(f"/register/orang/{person.pk}/nik/").status_code == 405
    response = client.post(f"/register/orang/{person.pk}/nik/")

    assert response.status_code == 200
    assert make_nik(serial=52) in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    [event] = AuditEvent.objects.filter(action="registry.person.reveal_nik")
    assert (event.actor, event.object_id) == (nik_officer, str(person.pk))
    # The ordinary page afterwards shows the mask again.
    assert make_nik(serial=52) not in client.get(f"/register/orang/{person.pk}/").content.decode()


def test_an_operator_without_the_permission_cannot_reveal(client_for, lurah_operator: User, person_factory) -> None:
    person = person_factory("Slamet", serial=53)
    client = client_for(lurah_operator)

    assert "Reveal" not in client.get(f"/register/orang/{person.pk}/").content.decode()
    assert client.post(f"/register/orang/{person.pk}/nik/").status_code == 403
    assert not AuditEvent.objects.filter(action="registry.person.reveal_nik").exists()


# Expiry and reporting lists -------------------------------------------------------------------------------


def test_the_expiring_page_lists_terms_and_documents_within_the_window(
    client_for, lurah_operator: User, rt_org, other_rt_org, person_factory
) -> None:
    appoint(rt_org, person_factory("Hampir Habis", serial=61), term_end=TODAY + datetime.timedelta(days=20))
    appoint(other_rt_org, person_factory("Masih Lama", serial=62), term_end=TODAY + datetime.timedelta(days=200))
    client = client_for(lurah_operator)

    soon = client.get("/register/kedaluwarsa/", {"days": 30}).context["items"]
    later = client.get("/register/kedaluwarsa/", {"days": 90}).context["items"]

    assert [(i.what, i.organisation) for i in soon] == [("term", rt_org)]
    assert len(later) == 1


def test_the_terms_ending_page_lists_this_years_ends(
    client_for, lurah_operator: User, rt_org, other_rt_org, person_factory
) -> None:
    ending = appoint(rt_org, person_factory("Akhir Tahun", serial=63), term_end=END_OF_YEAR)
    appoint(other_rt_org, person_factory("Tahun Depan", serial=64), term_end=END_OF_YEAR + datetime.timedelta(days=40))

    response = client_for(lurah_operator).get("/register/masa-bakti/")

    assert list(response.context["page"].object_list) == [ending]


def test_the_not_reported_page_lists_ormas_without_reports(
    client_for, kesbangpol_admin: User, ormas_org, rt_org
) -> None:
    response = client_for(kesbangpol_admin).get("/register/belum-lapor/")

    assert list(response.context["page"].object_list) == [ormas_org]


# History and access -----------------------------------------------------------------------------------


def test_administrators_see_the_organisations_history(
    client_for, city_admin: User, lurah_operator: User, rt_org, person_factory
) -> None:
    client_for(lurah_operator).post(
        f"/register/{rt_org.pk}/pengurus/",
        {"nik": make_nik(serial=71), "full_name": "Slamet", "position": "ketua", "term_start": "2024-03-01"},
    )

    response = client_for(city_admin).get(f"/register/{rt_org.pk}/riwayat/", headers={"HX-Request": "true"})

    assert [e.action for e in response.context["events"]] == ["registry.officer.appoint"]
    assert client_for(lurah_operator).get(f"/register/{rt_org.pk}/riwayat/").status_code == 404


def test_staff_give_the_rt_chair_an_account_from_the_officer(
    client_for, lurah_operator: User, rt_org, person_factory
) -> None:
    person = person_factory("Slamet Riyadi", serial=72)
    person.phone = "08123"
    person.save()
    officer = appoint(rt_org, person, term_end=END_OF_YEAR + datetime.timedelta(days=500))
    client = client_for(lurah_operator)

    form = client.get(f"/register/{rt_org.pk}/perwakilan/", {"officer": officer.pk}).context["form"]
    assert form.initial["username"] == "slamet.riyadi"
    response = client.post(
        f"/register/{rt_org.pk}/perwakilan/",
        {"username": "slamet.riyadi", "full_name": "Slamet Riyadi", "phone": "08123", "password": "RT-gambir-2026!"},
    )

    assert response.status_code == 302
    user = User.objects.get(username="slamet.riyadi")
    assert user.check_password("RT-gambir-2026!")
    assert user.represented_organisation_ids() == [rt_org.pk]
    assert actions() == ["accounts.user.create", "registry.representative.grant"]
    chair = Client()
    assert chair.login(username="slamet.riyadi", password="RT-gambir-2026!")
    assert chair.get("/register/saya/").status_code == 302


def test_access_is_taken_away(client_for, lurah_operator: User, rt_chair: User, rt_org) -> None:
    role = Role.objects.get(user=rt_chair)

    response = client_for(lurah_operator).post(f"/register/perwakilan/{role.pk}/cabut/")

    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()


# Scope: 404 for what the user does not see, 403 for what they see but may not change ---------------------


def scoped_urls(org: Organisation, officer: Officer, document: Document, person: Person) -> list[str]:
    return [
        f"/register/{org.pk}/",
        f"/register/{org.pk}/ubah/",
        f"/register/{org.pk}/status/",
        f"/register/{org.pk}/kontak/",
        f"/register/{org.pk}/pengurus/",
        f"/register/{org.pk}/dokumen/",
        f"/register/{org.pk}/kegiatan/",
        f"/register/{org.pk}/perwakilan/",
        f"/register/{org.pk}/usul-pengurus/",
        f"/register/pengurus/{officer.pk}/berhenti/",
        f"/register/pengurus/{officer.pk}/usul-berhenti/",
        f"/register/dokumen/{document.pk}/",
        f"/register/orang/{person.pk}/",
        f"/register/saya/{org.pk}/",
    ]


@pytest.fixture
def gambir_objects(rt_org, person_factory, lurah_operator) -> tuple[Organisation, Officer, Document, Person]:
    person = person_factory("Slamet", serial=81)
    officer = appoint(rt_org, person, term_end=END_OF_YEAR + datetime.timedelta(days=500))
    from sinergi.registry import services

    document = services.document_add(by=lurah_operator, organisation=rt_org, type="other", file=pdf())
    return rt_org, officer, document, person


@pytest.mark.parametrize("persona", ["outsider_operator", "west_admin", "ormas_secretary"])
def test_outsiders_get_404_on_every_page_of_an_organisation(
    request: pytest.FixtureRequest, client_for: Callable[[User], Client], gambir_objects, persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))

    for url in scoped_urls(*gambir_objects):
        assert client.get(url).status_code == 404, url


def test_a_missing_organisation_is_404_like_one_out_of_scope(client_for, lurah_operator: User) -> None:
    assert client_for(lurah_operator).get("/register/999999/").status_code == 404


def test_a_viewer_sees_but_may_not_change(client_for, city_viewer: User, gambir_objects) -> None:
    org, officer, _document, _person = gambir_objects
    client = client_for(city_viewer)

    assert client.get(f"/register/{org.pk}/").status_code == 200
    for url in [
        f"/register/{org.pk}/ubah/",
        f"/register/{org.pk}/pengurus/",
        f"/register/pengurus/{officer.pk}/berhenti/",
    ]:
        assert client.get(url).status_code == 403, url
